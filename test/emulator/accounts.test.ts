/**
 * Several accounts in one emulator: the account follows from the access key (docs/emulator.md),
 * and STS AssumeRole, through @aws-sdk/client-sts, hands out credentials of the role's account.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeEach, describe, expect, it } from 'vitest';
import { AssumeRoleCommand, GetCallerIdentityCommand, STSClient, STSServiceException } from '@aws-sdk/client-sts';
import { ChimeSDKVoiceClient, CreateVoiceConnectorCommand, DeleteVoiceConnectorCommand, ListVoiceConnectorsCommand } from '@aws-sdk/client-chime-sdk-voice';
import { accessKeyFor, startEmulator } from '../../src/emulator/index.js';
import { emptyState } from '../../src/emulator/core/state.js';
import { testCredentials, withEmulator } from '../helpers/emulator.js';

const DEFAULT = '123456789012';
const PROD = '210987654321';
const STAGING = '333344445555';

describe('accounts in the emulator', () => {
  const emu = withEmulator({ accountId: DEFAULT, faults: { listingLagMs: 0 } });
  const sts = (credentials = testCredentials) => new STSClient({ endpoint: emu().url, region: 'us-east-1', credentials, maxAttempts: 1 });
  const voice = (credentials: { accessKeyId: string; secretAccessKey: string; sessionToken?: string }) =>
    new ChimeSDKVoiceClient({ endpoint: emu().url, region: 'us-east-1', credentials, maxAttempts: 1 });
  const names = async (client: ChimeSDKVoiceClient) => ((await client.send(new ListVoiceConnectorsCommand({}))).VoiceConnectors ?? []).map((c) => `${c.Name} ${c.VoiceConnectorArn}`);

  beforeEach(async () => {
    emu().resetState(emptyState());
    await fetch(`${emu().url}/_emulator/roles`, { method: 'PUT', body: '{}' });
  });

  it('AssumeRole hands out credentials of the role account, and GetCallerIdentity names it', async () => {
    const out = await sts().send(new AssumeRoleCommand({ RoleArn: `arn:aws:iam::${PROD}:role/chime`, RoleSessionName: 'operator' }));
    expect(out.Credentials?.AccessKeyId).toMatch(new RegExp(`^ASIA${PROD}`));
    expect(out.AssumedRoleUser?.Arn).toBe(`arn:aws:sts::${PROD}:assumed-role/chime/operator`);
    const hourFromNow = emu().clock.now().getTime() + 3600_000;
    expect(Math.abs(out.Credentials!.Expiration!.getTime() - hourFromNow)).toBeLessThan(60_000);
    const creds = { accessKeyId: out.Credentials!.AccessKeyId!, secretAccessKey: out.Credentials!.SecretAccessKey!, sessionToken: out.Credentials!.SessionToken! };
    expect((await sts(creds).send(new GetCallerIdentityCommand({}))).Account).toBe(PROD);
    expect((await sts().send(new GetCallerIdentityCommand({}))).Account).toBe(DEFAULT);
  });

  it('two accounts hold voice connectors of the same name apart, each seeing only its own', async () => {
    const prod = voice({ accessKeyId: accessKeyFor(PROD), secretAccessKey: 'x' });
    const staging = voice({ accessKeyId: accessKeyFor(STAGING), secretAccessKey: 'x' });
    const own = voice(testCredentials);
    const a = await prod.send(new CreateVoiceConnectorCommand({ Name: 'trunk', RequireEncryption: true, AwsRegion: 'us-east-1' }));
    await staging.send(new CreateVoiceConnectorCommand({ Name: 'trunk', RequireEncryption: true, AwsRegion: 'us-east-1' }));
    expect(a.VoiceConnector?.VoiceConnectorArn).toContain(`:${PROD}:`);
    expect(await names(prod)).toEqual([`trunk ${a.VoiceConnector?.VoiceConnectorArn}`]);
    expect(await names(staging)).toHaveLength(1);
    expect((await names(staging))[0]).toContain(`:${STAGING}:`);
    expect(await names(own)).toEqual([]);
    // Another account's id is not found, not deleted.
    await expect(staging.send(new DeleteVoiceConnectorCommand({ VoiceConnectorId: a.VoiceConnector!.VoiceConnectorId! }))).rejects.toMatchObject({ name: 'NotFoundException' });
    expect(await names(prod)).toHaveLength(1);
    expect(emu().accountIds()).toEqual([DEFAULT, PROD, STAGING]);
  });

  it('a role registered with an external id is refused without it (AccessDenied), and assumed with it', async () => {
    const role = `arn:aws:iam::${PROD}:role/chime`;
    await fetch(`${emu().url}/_emulator/roles`, { method: 'PUT', body: JSON.stringify({ [role]: { externalId: 'tenant-7' } }) });
    const refused = await sts()
      .send(new AssumeRoleCommand({ RoleArn: role, RoleSessionName: 'operator' }))
      .catch((e: unknown) => e);
    expect(refused).toBeInstanceOf(STSServiceException);
    expect(refused).toMatchObject({ name: 'AccessDenied', $metadata: { httpStatusCode: 403 } });
    await expect(sts().send(new AssumeRoleCommand({ RoleArn: role, RoleSessionName: 'operator', ExternalId: 'other' }))).rejects.toMatchObject({ name: 'AccessDenied' });
    const ok = await sts().send(new AssumeRoleCommand({ RoleArn: role, RoleSessionName: 'operator', ExternalId: 'tenant-7' }));
    expect(ok.Credentials?.AccessKeyId).toMatch(new RegExp(`^ASIA${PROD}`));
  });

  it('refuses a malformed role ARN or session name as STS does (ValidationError)', async () => {
    await expect(sts().send(new AssumeRoleCommand({ RoleArn: 'arn:aws:iam::12:role/x', RoleSessionName: 'operator' }))).rejects.toMatchObject({ name: 'ValidationError' });
    await expect(sts().send(new AssumeRoleCommand({ RoleArn: `arn:aws:iam::${PROD}:role/x`, RoleSessionName: 'a b' }))).rejects.toMatchObject({ name: 'ValidationError' });
  });

  it('offers a number held by one account to no other: the pool is shared', async () => {
    const numbersOf = async (accessKeyId: string) => {
      const r = await fetch(`${emu().url}/_emulator/accounts`);
      return Object.keys(((await r.json()) as Record<string, { phoneNumbers: object }>)[accountOf(accessKeyId)]?.phoneNumbers ?? {});
    };
    const accountOf = (key: string) => (key.startsWith('EMU') ? key.slice(3, 15) : DEFAULT);
    emu().stateOf(PROD).poolTaken['+12065550100'] = true;
    expect(emu().stateOf(STAGING).poolTaken['+12065550100']).toBe(true);
    expect(emu().state.poolTaken['+12065550100']).toBe(true);
    expect(await numbersOf(accessKeyFor(PROD))).toEqual([]);
  });
});

describe('accounts in a state file', () => {
  it('every account survives a restart, and AssumeRole credentials issued before it still reach theirs', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'emu-accounts-'));
    try {
      const stateFile = join(dir, 'state.json');
      const first = await startEmulator({ stateFile });
      const assumed = await new STSClient({ endpoint: first.url, region: 'us-east-1', credentials: testCredentials }).send(
        new AssumeRoleCommand({ RoleArn: `arn:aws:iam::${PROD}:role/chime`, RoleSessionName: 'operator' }),
      );
      const creds = { accessKeyId: assumed.Credentials!.AccessKeyId!, secretAccessKey: assumed.Credentials!.SecretAccessKey!, sessionToken: assumed.Credentials!.SessionToken! };
      await new ChimeSDKVoiceClient({ endpoint: first.url, region: 'us-east-1', credentials: creds }).send(
        new CreateVoiceConnectorCommand({ Name: 'trunk', RequireEncryption: true, AwsRegion: 'us-east-1' }),
      );
      await first.stop();
      const second = await startEmulator({ stateFile });
      try {
        const list = async (c: { accessKeyId: string; secretAccessKey: string; sessionToken?: string }) =>
          (await new ChimeSDKVoiceClient({ endpoint: second.url, region: 'us-east-1', credentials: c }).send(new ListVoiceConnectorsCommand({}))).VoiceConnectors ?? [];
        expect((await list(creds)).map((c) => c.Name)).toEqual(['trunk']);
        expect(await list(testCredentials)).toEqual([]);
      } finally {
        await second.stop();
      }
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
