/**
 * `plan -f DIR --cluster` and `kubectl chime plan -f DIR`, on the real API server with the
 * controller as its own process: a folder with one object the cluster lacks, one whose spec it
 * changes and one it leaves as it is (and, with --prune, one object kubectl apply made that the
 * folder no longer holds) is planned against the cluster, field by field, and against the emulator
 * the controller reconciles to: the changed object's pending AWS calls go to the resource the
 * controller made (found from the cluster object's status), never a second create. Nothing is
 * written: every resourceVersion stays, and the emulator counts no AWS write. As the kubectl
 * plugin, `kubectl chime routes` reads the current context's cluster and `kubectl chime import`
 * says to apply its folder with `kubectl apply -k`.
 */
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startEmulator, type Emulator } from '../../src/emulator/index.js';
import { startCluster, type Cluster } from '../helpers/cluster.js';
import { userEnv } from '../package/build.js';
import { applyCrds, getObject, kubectlWithPlugin, mutatingCalls, run, startController, waitForCondition, type ControllerProcess } from './helpers.js';

let cluster: Cluster;
let emulator: Emulator;
let controller: ControllerProcess;
const scratch = mkdtempSync(join(tmpdir(), 'cluster-plan-'));

const SECRET = `apiVersion: v1
kind: Secret
metadata:
  name: plan-trunk-credentials
type: Opaque
stringData:
  password: plan-Trunk-Passw0rd
`;

const trunk = (cpsLimit: number) => `apiVersion: chimevoice.io/v1alpha1
kind: VoiceConnector
metadata:
  name: plan-trunk
spec:
  region: us-east-1
  requireEncryption: true
  termination:
    cpsLimit: ${cpsLimit}
    callingRegions: [US]
    cidrAllowedList: [52.94.133.0/28]
    credentials:
      - username: pbx
        passwordSecretRef: {name: plan-trunk-credentials, key: password}
`;

const sma = (name: string, region = 'us-east-1') => `apiVersion: chimevoice.io/v1alpha1
kind: SipMediaApplication
metadata:
  name: ${name}
spec:
  region: ${region}
  endpoint:
    lambdaArn: arn:aws:lambda:${region}:123456789012:function:${name}
`;

/** What the cluster holds first: the trunk (with its Secret), an application kept, and one the folder drops. */
const BEFORE = [SECRET, trunk(5), sma('plan-ivr'), sma('plan-old')].join('---\n');

function folder(name: string, files: Record<string, string>): string {
  const dir = join(scratch, name);
  mkdirSync(dir, { recursive: true });
  for (const [file, text] of Object.entries(files)) writeFileSync(join(dir, file), text);
  return dir;
}

/** The CLI from the sources, as `npm run cli` runs it (named chime-voice-operator). */
const cli = (args: string[]) => run(process.execPath, ['--import', 'tsx', 'src/cli/main.ts', ...args], userEnv());

/** name → resourceVersion of every chimevoice.io object and Secret in the namespace. */
async function resourceVersions(): Promise<Record<string, string>> {
  const { stdout } = await cluster.kubectl(['get', 'voiceconnectors,sipmediaapplications,secrets', '-n', 'default', '-o', 'json']);
  const items = JSON.parse(stdout).items as Array<{ kind: string; metadata: { name: string; resourceVersion: string } }>;
  return Object.fromEntries(items.map((i) => [`${i.kind}/${i.metadata.name}`, i.metadata.resourceVersion]));
}

beforeAll(async () => {
  [cluster, emulator] = await Promise.all([startCluster(), startEmulator({ clockRate: 50, strictRegions: true })]);
  await applyCrds(cluster);
  controller = await startController({ kubeconfig: cluster.kubeconfig, endpoint: emulator.url, resync: '30m', name: 'cluster-plan' });
  await cluster.kubectl(['apply', '-f', '-'], { input: BEFORE });
  await waitForCondition(cluster, ['voiceconnector/plan-trunk', 'sipmediaapplication/plan-ivr', 'sipmediaapplication/plan-old'], 'Ready', { timeoutMs: 120_000 });
}, 20 * 60_000);

afterAll(async () => {
  await controller?.stop();
  await emulator?.stop();
  await cluster?.stop();
  rmSync(scratch, { recursive: true, force: true });
});

describe('plan of a folder against the cluster', () => {
  // The trunk's cpsLimit changes, plan-new is new, plan-ivr is as the cluster holds it, plan-old is gone from the folder.
  let dir: string;
  beforeAll(() => {
    dir = folder('changes', { 'secret.yaml': SECRET, 'trunk.yaml': trunk(7), 'ivr.yaml': sma('plan-ivr'), 'new.yaml': sma('plan-new', 'us-west-2') });
  });

  it('says per object whether the cluster creates it, changes its spec (field by field) or leaves it, what --prune deletes, and the AWS calls the controller would then make; nothing written', async () => {
    const versions = await resourceVersions();
    const writes = mutatingCalls(emulator.counters());
    const trunkId = (await getObject(cluster, 'voiceconnector/plan-trunk')).status.atProvider.voiceConnectorId as string;

    const r = await cli(['plan', '-f', dir, '--cluster', '--kubeconfig', cluster.kubeconfig, '--endpoint', emulator.url, '--prune', '-o', 'json']);
    expect(r.code, r.stderr).toBe(3);
    const plan = JSON.parse(r.stdout);
    const object = (name: string) => plan.objects.find((o: { name: string }) => o.name === name);

    expect(object('plan-new')).toMatchObject({ kind: 'SipMediaApplication', namespace: 'default', cluster: 'create', changes: [] });
    expect(object('plan-new').aws.actions.map((a: { operation: string }) => a.operation)).toEqual(['CreateSipMediaApplication']);

    // The changed trunk: one field, and the controller's pending update of the connector it made (its id from status), no create, no password sent again.
    expect(object('plan-trunk')).toMatchObject({ cluster: 'change', changes: [{ path: 'spec.termination.cpsLimit', cluster: 5, folder: 7 }] });
    const trunkCalls = object('plan-trunk').aws.actions.map((a: { operation: string }) => a.operation);
    expect(trunkCalls).toEqual(['PutVoiceConnectorTermination']);
    expect(object('plan-trunk').aws.drift).toEqual([{ path: 'termination.cpsLimit', desired: 7, actual: 5 }]);
    // The connector the controller made, by the id the cluster object's status holds.
    expect(object('plan-trunk').aws.actions[0].input.VoiceConnectorId).toBe(trunkId);
    expect(r.stdout).not.toContain('CreateVoiceConnector');

    expect(object('plan-ivr')).toMatchObject({ cluster: 'unchanged', changes: [] });
    expect(object('plan-ivr').aws).toBeUndefined();
    expect(plan.secrets).toEqual([{ secret: 'default/plan-trunk-credentials', cluster: 'unchanged', keys: [] }]);

    // --prune: the application kubectl apply made that the folder dropped, deleted from AWS by the controller (deletionPolicy Delete).
    expect(plan.prune).toEqual([
      expect.objectContaining({ kind: 'SipMediaApplication', name: 'plan-old', aws: expect.objectContaining({ outcome: 'delete', actions: [expect.objectContaining({ operation: 'DeleteSipMediaApplication' })] }) }),
    ]);
    expect(plan.summary).toMatch(/^Cluster: 1 to create, 1 to change, 1 unchanged, 1 to prune\. AWS \(http:\/\/127\.0\.0\.1:\d+\): the controller would then make 3 AWS calls\.$/);

    // The text: the same findings, in the diff format plan uses.
    const text = await cli(['plan', '-f', dir, '--cluster', '--kubeconfig', cluster.kubeconfig, '--endpoint', emulator.url, '--prune']);
    expect(text.code, text.stderr).toBe(3);
    expect(text.stdout).toMatch(/^SipMediaApplication default\/plan-new \(.*new\.yaml:1\): created in the cluster$/m);
    expect(text.stdout).toMatch(/^VoiceConnector default\/plan-trunk \(.*trunk\.yaml:1\): changed in the cluster\n {2}~ spec\.termination\.cpsLimit: the cluster has 5, the folder has 7\n {2}AWS: the controller would then:\n {4}~ termination\.cpsLimit: AWS has 5, the spec wants 7\n {4}\+ /m);
    expect(text.stdout).toMatch(/^SipMediaApplication default\/plan-ivr \(.*ivr\.yaml:1\): unchanged$/m);
    expect(text.stdout).toMatch(/^ {2}- SipMediaApplication default\/plan-old: deleted from the cluster\n {4}AWS: the controller would then:\n {6}- /m);

    // Read only: no object, status or Secret written, no AWS write.
    expect(await resourceVersions()).toEqual(versions);
    expect(mutatingCalls(emulator.counters())).toEqual(writes);
  }, 120_000);

  it('without AWS access it says plainly that the AWS part was not computed; a changed password alone is sent by the controller, unprinted; a folder the cluster already holds is no change (exit 0)', async () => {
    const r = await cli(['plan', '-f', dir, '--kubeconfig', cluster.kubeconfig]);
    expect(r.code, r.stderr).toBe(3);
    expect(r.stdout).toContain('AWS: no AWS access given (--aws for the default credentials, --account NAME, --endpoint URL or --emulator): the AWS calls the controller would make were not computed.');
    expect(r.stdout).toMatch(/Cluster: 1 to create, 1 to change, 1 unchanged\. AWS: not computed\.\n$/);
    expect(r.stdout).not.toMatch(/PutVoiceConnectorTermination|CreateSipMediaApplication/);

    // A changed password alone: the trunk's spec stands, but the controller sends the new password, and only it.
    const password = folder('password', { 'secret.yaml': SECRET.replace('plan-Trunk-Passw0rd', 'plan-Trunk-Passw0rd-2'), 'trunk.yaml': trunk(5) });
    const sent = await cli(['plan', '-f', password, '--kubeconfig', cluster.kubeconfig, '--endpoint', emulator.url, '-o', 'json']);
    expect(sent.code, sent.stderr).toBe(3);
    const changed = JSON.parse(sent.stdout);
    expect(changed.secrets).toEqual([{ secret: 'default/plan-trunk-credentials', cluster: 'change', keys: ['password'] }]);
    expect(changed.objects[0]).toMatchObject({ name: 'plan-trunk', cluster: 'unchanged', secretsChanged: ['default/plan-trunk-credentials'] });
    expect(changed.objects[0].aws.actions.map((a: { operation: string }) => a.operation)).toEqual(['PutVoiceConnectorTerminationCredentials']);
    expect(sent.stdout).not.toContain('plan-Trunk-Passw0rd');

    const same = folder('same', { 'secret.yaml': SECRET, 'trunk.yaml': trunk(5), 'ivr.yaml': sma('plan-ivr') });
    const none = await cli(['plan', '-f', same, '--kubeconfig', cluster.kubeconfig, '--endpoint', emulator.url]);
    expect(none.code, none.stdout + none.stderr).toBe(0);
    expect(none.stdout).toMatch(/No changes: the cluster holds every object of the folder as it is\. AWS \(.*\): the controller would then make 0 AWS calls\.\n$/);
  }, 120_000);

  it('a folder naming an object neither it nor the cluster holds is an error at its line, and nothing is planned; so are an object of another namespace than -n, and an unknown --context', async () => {
    const bad = folder('bad', {
      'rule.yaml': `apiVersion: chimevoice.io/v1alpha1
kind: SipRule
metadata:
  name: plan-rule
spec:
  triggerType: ToPhoneNumber
  triggerValue: "+12065550199"
  targetApplications:
    - sipMediaApplicationRef: {name: plan-ivr}
      priority: 1
    - sipMediaApplicationRef: {name: plan-missing}
      priority: 2
`,
    });
    const r = await cli(['plan', '-f', bad, '--kubeconfig', cluster.kubeconfig]);
    expect(r.code).toBe(1);
    // plan-ivr is in the cluster, so only the missing one is reported.
    expect(r.stderr).toMatch(/rule\.yaml:11:\d+: spec\.targetApplications\[1\]\.sipMediaApplicationRef\.name: SipMediaApplication default\/plan-missing not found/);
    expect(r.stderr).not.toContain('plan-ivr not found');
    expect(r.stdout).toBe('');

    // As kubectl apply -n: an object of another namespace is refused at its line; a context that does not exist is named.
    const explicit = folder('explicit', { 'ivr.yaml': sma('plan-ivr').replace('  name: plan-ivr\n', '  name: plan-ivr\n  namespace: default\n') });
    const other = await cli(['plan', '-f', explicit, '--kubeconfig', cluster.kubeconfig, '-n', 'team-b']);
    expect(other.code).toBe(1);
    expect(other.stderr).toMatch(/ivr\.yaml:1: metadata\.namespace: SipMediaApplication plan-ivr is in namespace default, not team-b \(-n\)/);
    const context = await cli(['plan', '-f', dir, '--kubeconfig', cluster.kubeconfig, '--context', 'nowhere']);
    expect(context.code).toBe(1);
    expect(context.stderr).toMatch(/^plan: kubeconfig: no context "nowhere" \(contexts: \S+\)$/m);
  }, 60_000);

  it('as kubectl chime, through the real kubectl: plan of the folder against the current context, routes of the cluster without a source, and import pointing at kubectl apply -k', async () => {
    const { kubectl, env } = kubectlWithPlugin(scratch, cluster.kubeconfig);
    const versions = await resourceVersions();
    const writes = mutatingCalls(emulator.counters());

    const help = await run(kubectl, ['chime', 'plan', '--help'], env);
    expect(help.stdout).toContain('Usage: kubectl chime plan');
    expect(help.stdout).toMatch(/The\s+default\s+as\s+kubectl\s+chime\./);

    // No --cluster: as the plugin, plan reads the current context's cluster.
    const r = await run(kubectl, ['chime', 'plan', '-f', dir, '--endpoint', emulator.url, '--prune'], env);
    expect(r.code, r.stderr).toBe(3);
    expect(r.stdout).toMatch(/^Plan of .* against the cluster at https:\/\/127\.0\.0\.1:\d+ \(context \S+\):$/m);
    expect(r.stdout).toMatch(/^VoiceConnector default\/plan-trunk .*: changed in the cluster$/m);
    expect(r.stdout).toContain('~ spec.termination.cpsLimit: the cluster has 5, the folder has 7');
    expect(r.stdout).toMatch(/^SipMediaApplication default\/plan-new .*: created in the cluster$/m);
    expect(r.stdout).toMatch(/^SipMediaApplication default\/plan-ivr .*: unchanged$/m);
    expect(r.stdout).toContain('- SipMediaApplication default/plan-old: deleted from the cluster');
    expect(r.stdout).not.toContain('CreateVoiceConnector');

    const routes = await run(kubectl, ['chime', 'routes', '-o', 'json'], env);
    expect(routes.code, routes.stderr).toBe(0);
    const map = JSON.parse(routes.stdout);
    expect(map.source).toBe('cluster');
    expect(map.connectors.map((c: { name?: string; key?: string }) => JSON.stringify(c))).toEqual([expect.stringContaining('plan-trunk')]);

    const out = join(scratch, 'imported');
    const imported = await run(kubectl, ['chime', 'import', '-o', out, '--endpoint', emulator.url, '--regions', 'us-east-1,us-west-2'], env);
    expect(imported.code, imported.stderr).toBe(0);
    expect(imported.stdout).toContain(`Next: kubectl chime plan -f ${out} --aws`);
    expect(imported.stdout).toContain(`then kubectl apply -k ${out}`);

    expect(await resourceVersions()).toEqual(versions);
    expect(mutatingCalls(emulator.counters())).toEqual(writes);
  }, 6 * 60_000);
});
