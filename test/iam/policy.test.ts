// iam/policy.json names exactly the AWS actions the code can call: generated from a static scan of
// src/ (scripts/iam/scan.ts), checked here against the scan, against the SDK and the API models,
// and against the calls a real apply and destroy of examples/ make against the emulator.
import { mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import * as voiceSdk from '@aws-sdk/client-chime-sdk-voice';
import * as pipelinesSdk from '@aws-sdk/client-chime-sdk-media-pipelines';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AwsContext } from '../../src/aws/context.js';
import { startEmulator, type Emulator } from '../../src/emulator/index.js';
import { modelEnum } from '../../src/emulator/core/model.js';
import { handlers } from '../../src/kinds/index.js';
import { applyDirectory, destroyDirectory, planDirectory, type DirectoryRunOptions } from '../../src/sources/directory-mode.js';
import { StatusStore } from '../../src/sources/status-store.js';
import { buildPolicy, isReadAction, requiredActions } from '../../scripts/iam/policy.js';
import { scanOperations } from '../../scripts/iam/scan.js';
import { REPO_ROOT } from '../helpers/cluster.js';
import { testCredentials } from '../helpers/emulator.js';

interface Policy {
  Version: string;
  Statement: Array<{ Sid: string; Action: string | string[]; Resource: string; Condition?: unknown }>;
}

const readPolicy = (file: string) => JSON.parse(readFileSync(join(REPO_ROOT, 'iam', file), 'utf8')) as Policy;
const chimeActions = (p: Policy) => p.Statement.flatMap((s) => (Array.isArray(s.Action) ? s.Action : [s.Action])).filter((a) => a.startsWith('chime:'));

describe('iam/policy.json', () => {
  it('has an action for every operation the code calls, and none it no longer calls', () => {
    const code = requiredActions().map((a) => a.action);
    const policy = chimeActions(readPolicy('policy.json'));
    expect(code.filter((a) => !policy.includes(a)), 'called by the code, missing from iam/policy.json (run `npm run generate`)').toEqual([]);
    expect(policy.filter((a) => !code.includes(a)), 'in iam/policy.json, no longer called by the code (run `npm run generate`)').toEqual([]);
    expect(readPolicy('policy.json')).toEqual(buildPolicy(requiredActions()));
  });

  it('passes the call analytics resource access role only to the media pipelines service', () => {
    const pass = readPolicy('policy.json').Statement.find((s) => s.Action === 'iam:PassRole');
    expect(pass?.Condition).toEqual({ StringEquals: { 'iam:PassedToService': 'mediapipelines.chime.amazonaws.com' } });
  });

  it('names real operations: each is a command of the pinned SDK clients', () => {
    const sdk = { ...voiceSdk, ...pipelinesSdk } as Record<string, unknown>;
    for (const a of requiredActions()) expect(typeof sdk[`${a.operation}Command`], a.operation).toBe('function');
  });

  it('policy-readonly.json holds the reads, and nothing that writes', () => {
    const ro = chimeActions(readPolicy('policy-readonly.json'));
    expect(ro).toEqual(requiredActions().filter((a) => isReadAction(a.operation)).map((a) => a.action));
    expect(ro.every((a) => /^chime:(Get|List|Search)/.test(a))).toBe(true);
    expect(readPolicy('policy-readonly.json').Statement.some((s) => s.Action === 'iam:PassRole')).toBe(false);
  });
});

describe('the operation scan', () => {
  const tree = (files: Record<string, string>) => {
    const root = mkdtempSync(join(tmpdir(), 'iam-scan-'));
    for (const [f, text] of Object.entries(files)) {
      mkdirSync(dirname(join(root, f)), { recursive: true });
      writeFileSync(join(root, f), text);
    }
    return root;
  };

  it('finds actions, calls of send/read, helpers with an operation parameter, and conditionals', () => {
    const root = tree({
      'src/aws/context.ts': `export class AwsContext {
        send(service: string, operation: string, input: object) { return [service, operation, input]; }
        read(service: string, operation: string, input: object) { return this.send(service, operation, input); }
      }`,
      'src/kinds/x/plan.ts': `export const plan = (group: boolean) => [
        { service: 'voice', operation: 'CreateVoiceConnector', input: {} },
        { service: 'voice', operation: group ? 'AssociatePhoneNumbersWithVoiceConnectorGroup' : 'AssociatePhoneNumbersWithVoiceConnector', input: {} },
      ];`,
      'src/kinds/x/observe.ts': `export async function observe(aws: any) {
        const read = (operation: string) => aws.read('voice', operation, {});
        await read('GetVoiceConnectorTermination');
        await aws.send('mediaPipelines', 'GetMediaInsightsPipelineConfiguration', {});
      }`,
      'src/emulator/server.ts': `export const x = { operation: 'NotACallOfTheController' };`,
    });
    const { uses, unresolved } = scanOperations(root);
    expect(unresolved).toEqual([]);
    expect(uses.map((u) => `${u.service ?? '?'}:${u.operation}`).sort()).toEqual(
      [
        'voice:AssociatePhoneNumbersWithVoiceConnector',
        'voice:AssociatePhoneNumbersWithVoiceConnectorGroup',
        'voice:CreateVoiceConnector',
        // The helper names no service: the API models tell which defines the operation.
        '?:GetVoiceConnectorTermination',
        'mediaPipelines:GetMediaInsightsPipelineConfiguration',
      ].sort(),
    );
  });

  it('refuses an operation name it cannot read, so the policy can never miss one silently', () => {
    const root = tree({
      'src/kinds/x/plan.ts': `export const plan = (kind: string) => [{ service: 'voice', operation: \`Create\${kind}\`, input: {} }];`,
    });
    expect(scanOperations(root).unresolved).toEqual([{ file: 'src/kinds/x/plan.ts', line: 1, text: '`Create${kind}`' }]);
  });
});

/**
 * Whether a statement of `policy` allows `action` through the endpoint of `region`: IAM evaluates
 * the request's region through `aws:RequestedRegion` and the region part of a resource ARN, so the
 * policy covers a region when a statement naming the action has neither restricting it elsewhere.
 */
function allowsIn(policy: Policy, action: string, region: string): boolean {
  return policy.Statement.some((s) => {
    const actions = Array.isArray(s.Action) ? s.Action : [s.Action];
    if (!actions.includes(action)) return false;
    const arnRegion = s.Resource === '*' ? '*' : s.Resource.split(':')[3];
    if (arnRegion !== '*' && arnRegion !== region) return false;
    const requested = Object.values((s.Condition ?? {}) as Record<string, Record<string, string | string[]>>).flatMap((c) => c['aws:RequestedRegion'] ?? []);
    return requested.length === 0 || requested.includes(region);
  });
}

describe('the calls of a real run', () => {
  let emu: Emulator;
  let aws: AwsContext;
  const called = new Set<string>();
  /** `operation region` of every call, the region being that of the endpoint the call went to. */
  const calledIn = new Set<string>();

  beforeAll(async () => {
    // Strict regions: each regional resource of examples/ must be reached through its own region's endpoint.
    emu = await startEmulator({ strictRegions: true });
    aws = new AwsContext({
      region: 'us-east-1',
      endpoint: emu.url,
      credentials: testCredentials,
      maxAttempts: 1,
      onCall: (c) => {
        called.add(c.operation);
        calledIn.add(`${c.operation} ${c.region}`);
      },
    });
  });
  afterAll(async () => {
    aws.destroy();
    await emu.stop();
  });

  it('apply, plan and destroy of examples/ call only operations the policy allows', { timeout: 180_000 }, async () => {
    const statusFile = join(mkdtempSync(join(tmpdir(), 'iam-status-')), 'status.json');
    const options: DirectoryRunOptions = { dir: join(REPO_ROOT, 'examples'), aws, handlers, store: new StatusStore(statusFile, 'test'), maxWaitMs: 100, timeoutMs: 60_000 };
    expect((await applyDirectory(options)).invalid).toBe(false);
    await planDirectory(options);
    await destroyDirectory(options);
    const allowed = new Set(chimeActions(readPolicy('policy.json')));
    expect(called.size).toBeGreaterThan(10);
    expect([...called].filter((op) => !allowed.has(`chime:${op}`))).toEqual([]);
    // The examples place connectors and SIP media applications in us-east-1 and us-west-2: the calls go
    // to both regions' endpoints, and the policy allows each call in the region it went to.
    const regions = new Set([...calledIn].map((c) => c.split(' ')[1]));
    expect([...regions].sort()).toEqual(['us-east-1', 'us-west-2']);
    const policy = readPolicy('policy.json');
    expect([...calledIn].filter((c) => !allowsIn(policy, `chime:${c.split(' ')[0]}`, c.split(' ')[1]))).toEqual([]);
    // And every action in every region where connectors and SIP media applications can be created.
    for (const region of modelEnum('VoiceConnectorAwsRegion')) expect(chimeActions(policy).filter((a) => !allowsIn(policy, a, region)), region).toEqual([]);
    // plan needs no more than the read-only policy.
    const readOnly = new Set(chimeActions(readPolicy('policy-readonly.json')));
    called.clear();
    await planDirectory(options);
    expect([...called].filter((op) => !readOnly.has(`chime:${op}`))).toEqual([]);
  });
});
