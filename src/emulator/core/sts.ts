/**
 * The emulator's STS: AssumeRole and GetCallerIdentity in the query protocol (form-encoded POST,
 * XML answers), as @aws-sdk/client-sts speaks it. The emulator has no IAM: any role in any account
 * is assumable unless `roles` names it with the external id its trust policy would require.
 *
 * Accounts follow from access key ids, statelessly, so that credentials handed out before an
 * emulator restart still reach the same account: a key `EMU<12 digits>...` (long-term, for tests
 * and profiles) or `ASIA<12 digits>...` (what AssumeRole hands out) belongs to that account; any
 * other key to the emulator's default account.
 */
import { randomBytes, randomUUID } from 'node:crypto';

/** Role ARN → what assuming it requires. */
export type StsRoles = Record<string, { externalId?: string }>;

const KEY_ACCOUNT = /^(?:EMU|ASIA)(\d{12})/;
const ROLE_ARN = /^arn:aws[a-z-]*:iam::(\d{12}):role\/((?:[\w+=,.@-]+\/)*)([\w+=,.@-]{1,64})$/;
const SESSION_NAME = /^[\w+=,.@-]{2,64}$/;
const EXTERNAL_ID = /^[\w+=,.@:/-]{2,1224}$/;
const XMLNS = 'https://sts.amazonaws.com/doc/2011-06-15/';

/** The account an access key id belongs to (see the module comment). */
export function accountOfAccessKey(accessKeyId: string, defaultAccount: string): string {
  return KEY_ACCOUNT.exec(accessKeyId)?.[1] ?? defaultAccount;
}

/** A long-term access key id of the emulator for `accountId` (tests, and profiles of accounts.yaml). */
export function accessKeyFor(accountId: string): string {
  return `EMU${accountId}`;
}

export interface StsAnswer {
  operation: string;
  status: number;
  errorCode?: string;
  requestId: string;
  body: string;
}

const escapeXml = (s: string) => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');
const upperAlnum = (n: number) => {
  const alphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ234567';
  return [...randomBytes(n)].map((b) => alphabet[b % alphabet.length]).join('');
};

export function handleSts(body: string, ctx: { accessKeyId: string; defaultAccount: string; roles: StsRoles; now: Date }): StsAnswer {
  const params = new URLSearchParams(body);
  const action = params.get('Action') ?? '';
  const requestId = randomUUID();
  const fail = (status: number, code: string, message: string, type = 'Sender'): StsAnswer => ({
    operation: action || '(sts)',
    status,
    errorCode: code,
    requestId,
    body: `<ErrorResponse xmlns="${XMLNS}"><Error><Type>${type}</Type><Code>${code}</Code><Message>${escapeXml(message)}</Message></Error><RequestId>${requestId}</RequestId></ErrorResponse>`,
  });
  const ok = (result: string): StsAnswer => ({
    operation: action,
    status: 200,
    requestId,
    body: `<${action}Response xmlns="${XMLNS}"><${action}Result>${result}</${action}Result><ResponseMetadata><RequestId>${requestId}</RequestId></ResponseMetadata></${action}Response>`,
  });
  if (params.get('Version') !== '2011-06-15') return fail(400, 'InvalidAction', `Could not find operation ${action} for version ${params.get('Version') ?? '(none)'}`);
  const caller = accountOfAccessKey(ctx.accessKeyId, ctx.defaultAccount);

  if (action === 'GetCallerIdentity') {
    return ok(`<Arn>arn:aws:iam::${caller}:user/emulator</Arn><UserId>${escapeXml(ctx.accessKeyId)}</UserId><Account>${caller}</Account>`);
  }
  if (action !== 'AssumeRole') return fail(400, 'InvalidAction', `The emulator's STS serves AssumeRole and GetCallerIdentity, not ${action || '(no Action)'}.`);

  const roleArn = params.get('RoleArn') ?? '';
  const sessionName = params.get('RoleSessionName') ?? '';
  const externalId = params.get('ExternalId') ?? undefined;
  const duration = Number(params.get('DurationSeconds') ?? 3600);
  const role = ROLE_ARN.exec(roleArn);
  if (!role) return fail(400, 'ValidationError', `${roleArn || '(none)'} is not a valid role ARN (arn:aws:iam::<12-digit account>:role/<name>).`);
  if (!SESSION_NAME.test(sessionName)) {
    return fail(400, 'ValidationError', `1 validation error detected: Value '${sessionName}' at 'roleSessionName' failed to satisfy constraint: Member must satisfy regular expression pattern: [\\w+=,.@-]* and length 2 to 64`);
  }
  if (externalId !== undefined && !EXTERNAL_ID.test(externalId)) return fail(400, 'ValidationError', "Value at 'externalId' failed to satisfy constraint: Member must satisfy regular expression pattern: [\\w+=,.@:/-]* and length 2 to 1224");
  if (!Number.isInteger(duration) || duration < 900 || duration > 43_200) return fail(400, 'ValidationError', 'DurationSeconds must be between 900 and 43200.');
  const required = ctx.roles[roleArn]?.externalId;
  if (required !== undefined && externalId !== required) {
    return fail(403, 'AccessDenied', `User: arn:aws:iam::${caller}:user/emulator is not authorized to perform: sts:AssumeRole on resource: ${roleArn}`);
  }
  const account = role[1];
  const roleName = role[3];
  const expiration = new Date(ctx.now.getTime() + duration * 1000).toISOString();
  const accessKeyId = `ASIA${account}${upperAlnum(8)}`;
  const roleId = `AROA${upperAlnum(17)}`;
  return ok(
    `<Credentials><AccessKeyId>${accessKeyId}</AccessKeyId><SecretAccessKey>${randomBytes(30).toString('base64')}</SecretAccessKey>` +
      `<SessionToken>${randomBytes(64).toString('base64')}</SessionToken><Expiration>${expiration}</Expiration></Credentials>` +
      `<AssumedRoleUser><AssumedRoleId>${roleId}:${escapeXml(sessionName)}</AssumedRoleId><Arn>arn:aws:sts::${account}:assumed-role/${escapeXml(roleName)}/${escapeXml(sessionName)}</Arn></AssumedRoleUser>`,
  );
}
