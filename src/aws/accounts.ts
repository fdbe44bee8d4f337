/**
 * One AwsContext per AWS account (docs/accounts.md): each with its own credentials, clients and
 * inventory, so that listings, ownership markers and external ids of one account are never
 * mistaken for another's. An account is reached with the controller's own credentials, a shared
 * config profile, or a role assumed through STS with them. (Per-region clients, where regional
 * resources need them, live inside each account's AwsContext.)
 */
import { AssumeRoleCommand, STSClient } from '@aws-sdk/client-sts';
import type { AwsCredentials, AwsCredentialsProvider, AwsOptions } from './context.js';

/** How to reach one account. */
export interface AccountAccess {
  /** The account's name (an AwsAccount, a profile of accounts.yaml); "" for the controller's own credentials. */
  name: string;
  /** Home region; the base options' region when omitted. */
  region?: string;
  /** A role to assume with the base credentials. */
  assumeRole?: { roleArn: string; externalId?: string; sessionName?: string; durationSeconds?: number };
  /** An AWS shared config profile (~/.aws/config) instead of the default credential chain. */
  profile?: string;
  /** Static credentials (the emulator's per-account access keys). */
  credentials?: { accessKeyId: string; secretAccessKey: string; sessionToken?: string };
}

export const DEFAULT_SESSION_NAME = 'chime-voice-operator';
/** Assumed-role credentials are renewed this long before they expire, so that no call goes out with credentials about to lapse. */
const RENEW_BEFORE_MS = 5 * 60_000;

/**
 * Credentials of an assumed role, assumed on first use and again before they expire. Written here
 * rather than taken from @aws-sdk/credential-providers (fromTemporaryCredentials), which is not a
 * dependency: this is its core (one AssumeRole call, cached until near expiry, one call in flight).
 */
export function assumedRoleCredentials(
  role: NonNullable<AccountAccess['assumeRole']>,
  sts: { send(command: AssumeRoleCommand): Promise<{ Credentials?: { AccessKeyId?: string; SecretAccessKey?: string; SessionToken?: string; Expiration?: Date } }> },
  now: () => number = Date.now,
): AwsCredentialsProvider {
  let current: AwsCredentials | undefined;
  let inFlight: Promise<AwsCredentials> | undefined;
  const assume = async (): Promise<AwsCredentials> => {
    const out = await sts.send(
      new AssumeRoleCommand({
        RoleArn: role.roleArn,
        RoleSessionName: role.sessionName ?? DEFAULT_SESSION_NAME,
        ...(role.externalId ? { ExternalId: role.externalId } : {}),
        ...(role.durationSeconds ? { DurationSeconds: role.durationSeconds } : {}),
      }),
    );
    const c = out.Credentials;
    if (!c?.AccessKeyId || !c.SecretAccessKey) throw new Error(`STS AssumeRole of ${role.roleArn} answered without credentials`);
    return { accessKeyId: c.AccessKeyId, secretAccessKey: c.SecretAccessKey, sessionToken: c.SessionToken, expiration: c.Expiration };
  };
  return async () => {
    const fresh = current && (!current.expiration || current.expiration.getTime() - now() > RENEW_BEFORE_MS);
    if (fresh) return current!;
    inFlight ??= assume()
      .then((c) => (current = c))
      .finally(() => (inFlight = undefined));
    return inFlight;
  };
}

/** The AwsOptions of an account: the base (endpoint, timeouts, hooks) with the account's region and credentials. */
export function accountOptions(base: AwsOptions, access: AccountAccess): AwsOptions {
  const region = access.region ?? base.region;
  if (access.assumeRole) {
    const sts = new STSClient({
      region,
      ...(base.endpoint ? { endpoint: base.endpoint } : {}),
      ...(access.credentials ?? base.credentials ? { credentials: access.credentials ?? base.credentials } : {}),
      ...(access.profile ? { profile: access.profile } : {}),
      maxAttempts: base.maxAttempts ?? 5,
    });
    return { ...base, region, credentials: assumedRoleCredentials(access.assumeRole, sts) };
  }
  return { ...base, region, ...(access.credentials ? { credentials: access.credentials } : {}), ...(access.profile ? { profile: access.profile } : {}) };
}

/** A stable key of how an account is reached: a changed AwsAccount gets a new context. */
export function accessKey(access: AccountAccess): string {
  return JSON.stringify([access.name, access.region ?? '', access.assumeRole ?? null, access.profile ?? '', access.credentials?.accessKeyId ?? '']);
}
