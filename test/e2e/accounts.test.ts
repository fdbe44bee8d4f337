/**
 * Many AWS accounts from one controller, on the real API server (docs/accounts.md): examples/
 * applied in two namespaces, each using its own AwsAccount (roles assumed through the emulator's
 * STS), with the same names in both; nothing crosses between the accounts, and nothing lands in
 * the controller's own. A namespace the account does not grant is refused: Stalled with
 * AccountNotGranted, an Event, and no AWS write.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startEmulator, type Emulator } from '../../src/emulator/index.js';
import { startCluster, type Cluster } from '../helpers/cluster.js';
import {
  REPO_ROOT,
  applyCrds,
  applyObject,
  conditionOf,
  eventsOf,
  exampleFiles,
  getObject,
  mutatingCalls,
  objectsOf,
  sleep,
  startController,
  waitForCondition,
  type ControllerProcess,
} from './helpers.js';

const OWN = '123456789012';
const PROD = '210987654321';
const STAGING = '333344445555';
const PROD_ROLE = `arn:aws:iam::${PROD}:role/chime-voice-operator`;
const STAGING_ROLE = `arn:aws:iam::${STAGING}:role/chime-voice-operator`;

let cluster: Cluster;
let emulator: Emulator;
let controller: ControllerProcess;

const files = exampleFiles();
const objects = objectsOf(files);

const account = (name: string, spec: Record<string, unknown>) => ({ apiVersion: 'chimevoice.io/v1alpha1', kind: 'AwsAccount', metadata: { name }, spec });
const namespace = (name: string, labels: Record<string, string> = {}, annotations: Record<string, string> = {}) => ({
  apiVersion: 'v1',
  kind: 'Namespace',
  metadata: { name, labels, annotations },
});

/** examples/ with every object (Secrets included) moved into `ns`. */
function examplesIn(ns: string): string {
  return files.map((f) => readFileSync(join(REPO_ROOT, f), 'utf8').replace(/^(\s+)namespace: default$/gm, `$1namespace: ${ns}`)).join('\n---\n');
}

beforeAll(async () => {
  // The prod role's trust policy requires an external id, as a cross-account role's should.
  [cluster, emulator] = await Promise.all([startCluster(), startEmulator({ clockRate: 50, roles: { [PROD_ROLE]: { externalId: 'chime-prod-7' } } })]);
  await applyCrds(cluster);
  await applyObject(cluster, namespace('team-prod', {}, { 'chimevoice.io/account': 'prod' }));
  await applyObject(cluster, namespace('team-staging', { 'chimevoice.io/tier': 'staging' }, { 'chimevoice.io/account': 'staging' }));
  await applyObject(cluster, namespace('tenant-x', { 'chimevoice.io/tier': 'sandbox' }));
  await applyObject(cluster, account('prod', { region: 'us-east-1', assumeRole: { roleArn: PROD_ROLE, externalId: 'chime-prod-7' }, tenancy: { allowedNamespaces: ['team-prod'] } }));
  await applyObject(
    cluster,
    account('staging', { region: 'us-east-1', assumeRole: { roleArn: STAGING_ROLE, sessionName: 'staging-operator' }, tenancy: { namespaceSelector: { matchLabels: { 'chimevoice.io/tier': 'staging' } } } }),
  );
  controller = await startController({ kubeconfig: cluster.kubeconfig, endpoint: emulator.url, resync: '10s', args: ['--accounts'], name: 'accounts' });
}, 20 * 60_000);

afterAll(async () => {
  await controller?.stop();
  await emulator?.stop();
  await cluster?.stop();
});

describe('two accounts from one controller', () => {
  it('examples/ in two namespaces, each in its own account: all Ready, the same names in both accounts, nothing in the other or in the controller\'s own', async () => {
    await cluster.kubectl(['apply', '-f', '-'], { input: examplesIn('team-prod') });
    await cluster.kubectl(['apply', '-f', '-'], { input: examplesIn('team-staging') });
    const refs = objects.map((o) => o.ref);
    await waitForCondition(cluster, refs, 'Ready', { namespace: 'team-prod', timeoutMs: 180_000 });
    await waitForCondition(cluster, refs, 'Ready', { namespace: 'team-staging', timeoutMs: 180_000 });

    for (const [ns, name, id] of [
      ['team-prod', 'prod', PROD],
      ['team-staging', 'staging', STAGING],
    ] as const) {
      for (const o of objects) {
        const obj = await getObject(cluster, o.ref, ns);
        expect(obj.status.account, `${ns} ${o.ref}`).toBe(name);
        // Every ARN the status shows is in the namespace's account.
        const arns = JSON.stringify(obj.status.atProvider ?? {}).match(/arn:aws:[a-z-]+:[a-z0-9-]*:\d{12}:/g) ?? [];
        for (const arn of arns) expect(arn, `${ns} ${o.ref}`).toContain(`:${id}:`);
      }
    }
    const prod = emulator.stateOf(PROD);
    const staging = emulator.stateOf(STAGING);
    const names = (s: typeof prod) => Object.values(s.voiceConnectors).map((v) => v.Name).sort();
    expect(names(prod).length).toBeGreaterThan(0);
    expect(names(prod)).toEqual(names(staging));
    expect(Object.values(prod.sipMediaApplications).map((s) => s.Name).sort()).toEqual(Object.values(staging.sipMediaApplications).map((s) => s.Name).sort());
    // Distinct resources, each carrying the ownership marker of its own namespace's object.
    const prodIds = new Set(Object.keys(prod.voiceConnectors));
    for (const id of Object.keys(staging.voiceConnectors)) expect(prodIds.has(id)).toBe(false);
    for (const [state, ns] of [
      [prod, 'team-prod'],
      [staging, 'team-staging'],
    ] as const) {
      const owners = Object.values(state.tags).flatMap((tags) => tags.filter((t) => t.Key === 'chimevoice.io/owner').map((t) => t.Value));
      expect(owners.length).toBeGreaterThan(0);
      for (const owner of owners) expect(owner.startsWith(`${ns}/`), owner).toBe(true);
    }
    // Numbers are one pool: each account ordered its own.
    const prodNumbers = Object.keys(prod.phoneNumbers);
    expect(prodNumbers.length).toBeGreaterThan(0);
    for (const n of Object.keys(staging.phoneNumbers)) expect(prodNumbers).not.toContain(n);
    // The controller's own account holds nothing.
    expect(emulator.state.voiceConnectors).toEqual({});
    expect(emulator.state.phoneNumbers).toEqual({});
    expect(emulator.accountIds()).toEqual([OWN, PROD, STAGING]);
  }, 400_000);

  it('a namespace the account does not grant is refused: Stalled, AccountNotGranted, an Event, no AWS write', async () => {
    emulator.resetCounters();
    const trunk = {
      apiVersion: 'chimevoice.io/v1alpha1',
      kind: 'VoiceConnector',
      metadata: { name: 'stolen-trunk', namespace: 'tenant-x' },
      spec: { accountRef: { name: 'prod' }, requireEncryption: true, region: 'us-east-1' },
    };
    await applyObject(cluster, trunk);
    await waitForCondition(cluster, 'voiceconnector/stolen-trunk', 'Stalled', { namespace: 'tenant-x', timeoutMs: 60_000 });
    const obj = await getObject(cluster, 'voiceconnector/stolen-trunk', 'tenant-x');
    expect(conditionOf(obj, 'Ready')).toMatchObject({ status: 'False', reason: 'AccountNotGranted' });
    expect(conditionOf(obj, 'Ready')?.message).toContain('namespace tenant-x is not granted AwsAccount prod (spec.accountRef)');
    const events = await eventsOf(cluster, 'stolen-trunk', { namespace: 'tenant-x' });
    expect(events.some((e) => e.reason === 'Blocked' && e.message.includes('not granted AwsAccount prod'))).toBe(true);
    // An account that does not exist is refused the same way.
    await applyObject(cluster, { ...trunk, metadata: { name: 'no-such-account', namespace: 'tenant-x' }, spec: { ...trunk.spec, accountRef: { name: 'nope' } } });
    await waitForCondition(cluster, 'voiceconnector/no-such-account', 'Stalled', { namespace: 'tenant-x', timeoutMs: 60_000 });
    expect(conditionOf(await getObject(cluster, 'voiceconnector/no-such-account', 'tenant-x'), 'Ready')?.reason).toBe('AccountNotFound');
    // Resyncs later, still nothing written anywhere.
    await sleep(12_000);
    expect(mutatingCalls(emulator.counters())).toEqual({});
    for (const id of emulator.accountIds()) expect(Object.values(emulator.stateOf(id).voiceConnectors).map((v) => v.Name)).not.toContain('stolen-trunk');
    // Deleting a refused object that holds nothing lets it go, still without an AWS call.
    await cluster.kubectl(['delete', '-n', 'tenant-x', 'voiceconnector/stolen-trunk', 'voiceconnector/no-such-account', '--wait=true', '--timeout=60s']);
    expect(mutatingCalls(emulator.counters())).toEqual({});
  }, 180_000);

  it('granting the namespace (a label the selector matches) lets the object through, into that account', async () => {
    await applyObject(cluster, {
      apiVersion: 'chimevoice.io/v1alpha1',
      kind: 'VoiceConnector',
      metadata: { name: 'late-trunk', namespace: 'tenant-x' },
      spec: { accountRef: { name: 'staging' }, requireEncryption: true, region: 'us-east-1' },
    });
    await waitForCondition(cluster, 'voiceconnector/late-trunk', 'Stalled', { namespace: 'tenant-x', timeoutMs: 60_000 });
    await cluster.kubectl(['label', 'namespace', 'tenant-x', 'chimevoice.io/tier=staging', '--overwrite']);
    await waitForCondition(cluster, 'voiceconnector/late-trunk', 'Ready', { namespace: 'tenant-x', timeoutMs: 60_000 });
    expect(Object.values(emulator.stateOf(STAGING).voiceConnectors).map((v) => v.Name)).toContain('late-trunk');
    expect((await getObject(cluster, 'voiceconnector/late-trunk', 'tenant-x')).status.account).toBe('staging');
  }, 180_000);

  it('a reference to an object of another account is refused: Stalled, ReferenceInOtherAccount, nothing written', async () => {
    // prod now grants tenant-x too; late-trunk there is in staging.
    await applyObject(cluster, account('prod', { region: 'us-east-1', assumeRole: { roleArn: PROD_ROLE, externalId: 'chime-prod-7' }, tenancy: { allowedNamespaces: ['team-prod', 'tenant-x'] } }));
    emulator.resetCounters();
    await applyObject(cluster, {
      apiVersion: 'chimevoice.io/v1alpha1',
      kind: 'VoiceConnectorGroup',
      metadata: { name: 'mixed', namespace: 'tenant-x' },
      spec: { accountRef: { name: 'prod' }, voiceConnectors: [{ voiceConnectorRef: { name: 'late-trunk' }, priority: 1 }] },
    });
    await waitForCondition(cluster, 'voiceconnectorgroup/mixed', 'Stalled', { namespace: 'tenant-x', timeoutMs: 60_000 });
    const ready = conditionOf(await getObject(cluster, 'voiceconnectorgroup/mixed', 'tenant-x'), 'Ready');
    expect(ready).toMatchObject({ status: 'False', reason: 'ReferenceInOtherAccount' });
    expect(ready?.message).toContain('VoiceConnectorGroup mixed is in AwsAccount prod but spec.voiceConnectors[0].voiceConnectorRef references VoiceConnector late-trunk, which is in AwsAccount staging');
    expect(mutatingCalls(emulator.counters())).toEqual({});
    expect(Object.values(emulator.stateOf(PROD).voiceConnectorGroups).map((g) => g.Name)).not.toContain('mixed');
  }, 120_000);
});
