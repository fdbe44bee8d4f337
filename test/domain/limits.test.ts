/**
 * One table of limits (src/domain/limits.ts) for `validate` and the emulator: every entry is tried
 * on both sides, at the limit (accepted by both) and one past it (refused by validate with file and
 * line, and by the emulator). A limit added to the table without a case here fails the first test.
 * Before, `dataRetentionInHours: 100000` passed validate and the emulator refused it.
 */
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeEach, describe, expect, it } from 'vitest';
import {
  CreateVoiceConnectorCommand,
  CreateVoiceConnectorGroupCommand,
  CreateVoiceProfileDomainCommand,
  PutVoiceConnectorOriginationCommand,
  PutVoiceConnectorProxyCommand,
  PutVoiceConnectorStreamingConfigurationCommand,
  PutVoiceConnectorTerminationCredentialsCommand,
  type ChimeSDKVoiceClient,
} from '@aws-sdk/client-chime-sdk-voice';
import { LIMITS, type LimitName } from '../../src/domain/limits.js';
import { emptyState } from '../../src/emulator/core/state.js';
import { formatProblem, hasErrors, validateDirectory } from '../../src/sources/validate.js';
import { voiceClient, withEmulator } from '../helpers/emulator.js';

const emu = withEmulator();
beforeEach(() => emu().resetState(emptyState()));
const root = mkdtempSync(path.join(tmpdir(), 'chime-limits-'));
afterAll(() => rmSync(root, { recursive: true, force: true }));

interface Case {
  /** The manifests of a folder using `value` (a count, a length or a value). */
  manifests(value: number): string;
  /** The same value sent to the emulator; resolves when accepted, rejects when refused. */
  emulator(value: number, client: ChimeSDKVoiceClient): Promise<unknown>;
}

const doc = (kind: string, name: string, spec: string) => `apiVersion: chimevoice.io/v1alpha1\nkind: ${kind}\nmetadata:\n  name: ${name}\nspec:\n${spec}`;
const connector = (body = '') => doc('VoiceConnector', 'trunk', `  region: us-east-1\n  requireEncryption: true\n${body}`);
const newConnector = async (client: ChimeSDKVoiceClient, name = 'trunk') =>
  (await client.send(new CreateVoiceConnectorCommand({ Name: name, RequireEncryption: true, AwsRegion: 'us-east-1' }))).VoiceConnector!.VoiceConnectorId!;
const range = (n: number) => Array.from({ length: n }, (_, i) => i);
const route = (i: number) => ({ Host: `sbc${i}.example.com`, Port: 5061, Protocol: 'TCP' as const, Priority: 1, Weight: 1 });
const KMS = 'arn:aws:kms:us-east-1:123456789012:key/abc';

const CASES: Record<LimitName, Case> = {
  tagsPerResource: {
    // The controller adds its ownership tag to the spec's: n tags in AWS are n - 1 in the spec.
    manifests: (n) => connector(`  tags:\n${range(n - 1).map((i) => `    k${i}: v`).join('\n')}\n`),
    emulator: (n, c) => c.send(new CreateVoiceConnectorCommand({ Name: 't', RequireEncryption: true, AwsRegion: 'us-east-1', Tags: range(n).map((i) => ({ Key: `k${i}`, Value: 'v' })) })),
  },
  voiceConnectorGroupsPerAccount: {
    manifests: (n) => range(n).map((i) => doc('VoiceConnectorGroup', `g${i}`, '  voiceConnectors: []\n')).join('---\n'),
    emulator: async (n, c) => {
      for (const i of range(n)) await c.send(new CreateVoiceConnectorGroupCommand({ Name: `g${i}`, VoiceConnectorItems: [] }));
      return n;
    },
  },
  voiceConnectorsPerGroup: {
    manifests: (n) => doc('VoiceConnectorGroup', 'g', `  voiceConnectors:\n${range(n).map((i) => `    - voiceConnectorId: abcdefghijklmnopqrst${String(i).padStart(2, '0')}\n      priority: ${i + 1}`).join('\n')}\n`),
    emulator: async (n, c) => {
      const ids: string[] = [];
      for (const i of range(n)) ids.push(await newConnector(c, `t${i}`));
      return c.send(new CreateVoiceConnectorGroupCommand({ Name: 'g', VoiceConnectorItems: ids.map((id, i) => ({ VoiceConnectorId: id, Priority: i + 1 })) }));
    },
  },
  originationRoutes: {
    manifests: (n) => connector(`  origination:\n    routes:\n${range(n).map((i) => `      - {host: sbc${i}.example.com, port: 5061, protocol: TCP, priority: 1, weight: 1}`).join('\n')}\n`),
    emulator: async (n, c) => c.send(new PutVoiceConnectorOriginationCommand({ VoiceConnectorId: await newConnector(c), Origination: { Routes: range(n).map(route), Disabled: false } })),
  },
  streamingDataRetentionHours: {
    manifests: (n) => connector(`  streaming:\n    dataRetentionInHours: ${n}\n`),
    emulator: async (n, c) =>
      c.send(new PutVoiceConnectorStreamingConfigurationCommand({ VoiceConnectorId: await newConnector(c), StreamingConfiguration: { DataRetentionInHours: n, Disabled: false } })),
  },
  voiceProfileDomainsPerRegion: {
    manifests: (n) => range(n).map((i) => doc('VoiceProfileDomain', `d${i}`, `  kmsKeyArn: ${KMS}\n  consent: {acknowledged: true}\n`)).join('---\n'),
    emulator: async (n, c) => {
      for (const i of range(n)) await c.send(new CreateVoiceProfileDomainCommand({ Name: `d${i}`, ServerSideEncryptionConfiguration: { KmsKeyArn: KMS } }));
      return n;
    },
  },
  sipUsernameLength: {
    manifests: (n) =>
      `${connector(`  termination:\n    callingRegions: [US]\n    credentials:\n      - username: "${'u'.repeat(n)}"\n        passwordSecretRef: {name: creds, key: password}\n`)}---\napiVersion: v1\nkind: Secret\nmetadata: {name: creds}\nstringData: {password: s3cret}\n`,
    emulator: async (n, c) =>
      c.send(new PutVoiceConnectorTerminationCredentialsCommand({ VoiceConnectorId: await newConnector(c), Credentials: [{ Username: 'u'.repeat(n), Password: 's3cret' }] })),
  },
  proxySessionExpiryMinutes: {
    manifests: (n) => connector(`  proxy:\n    defaultSessionExpiryMinutes: ${n}\n    phoneNumberCountries: [US]\n`),
    emulator: async (n, c) =>
      c.send(new PutVoiceConnectorProxyCommand({ VoiceConnectorId: await newConnector(c), DefaultSessionExpiryMinutes: n, PhoneNumberPoolCountries: ['US'] })),
  },
};

let dirs = 0;
async function validate(content: string) {
  const dir = path.join(root, String(dirs++));
  mkdirSync(dir);
  writeFileSync(path.join(dir, 'm.yaml'), content);
  return (await validateDirectory(dir)).problems;
}

/** The values to try: each bound the entry has, at it and one past it. */
function bounds(name: LimitName): Array<{ at: number; past: number; side: 'min' | 'max' }> {
  const l: { min?: number; max?: number } = LIMITS[name];
  const out: Array<{ at: number; past: number; side: 'min' | 'max' }> = [];
  if (l.max !== undefined) out.push({ at: l.max, past: l.max + 1, side: 'max' });
  // A count's minimum of 0 is no limit (nothing to go below); a value's minimum is.
  if (l.min !== undefined && !(l.min === 0 && name !== 'streamingDataRetentionHours')) out.push({ at: l.min, past: l.min - 1, side: 'min' });
  return out;
}

describe('the limits table is enforced by validate and by the emulator alike', () => {
  it('every limit of the table has a case here', () => {
    expect(Object.keys(CASES).sort()).toEqual(Object.keys(LIMITS).sort());
  });

  const rows = (Object.keys(LIMITS) as LimitName[]).flatMap((name) => bounds(name).map((b) => [`${name} ${b.side} ${b.at}`, name, b] as const));

  it.each(rows)('%s: at the limit both accept; one past it both refuse, validate with file:line', async (_label, name, { at, past }) => {
    const c = CASES[name];
    const client = voiceClient(emu());
    const atLimit = await validate(c.manifests(at));
    expect(atLimit.filter((p) => p.severity === 'error').map(formatProblem), 'validate at the limit').toEqual([]);
    await expect(c.emulator(at, client), 'the emulator at the limit').resolves.toBeDefined();

    emu().resetState(emptyState());
    const pastLimit = await validate(c.manifests(past));
    expect(hasErrors(pastLimit), 'validate past the limit').toBe(true);
    for (const p of pastLimit.filter((x) => x.severity === 'error')) {
      expect(p.file.endsWith('m.yaml')).toBe(true);
      expect(p.line).toBeGreaterThan(0);
    }
    await expect(c.emulator(past, client), 'the emulator past the limit').rejects.toThrow();
  });
});
