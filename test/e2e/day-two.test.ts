/**
 * Day two in a cluster, on the real API server with the controller as its own process: the first
 * convergence of examples/ on an empty account raises no Warning Event (its steps are progress, not
 * drift); `reconcile KIND/NAME --wait` reconciles one object now (drift corrected long before the
 * resync) and the controller echoes the request in status.lastHandledReconcileAt; `suspend` stops
 * every AWS write for an object until `resume`; the CLI runs as a kubectl plugin (`kubectl chime`)
 * found by kubectl itself on PATH; the metrics count objects by state and drift found by kind.
 */
import { GetVoiceConnectorTerminationCommand, PutVoiceConnectorTerminationCommand, type ChimeSDKVoiceClient } from '@aws-sdk/client-chime-sdk-voice';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startEmulator, type Emulator } from '../../src/emulator/index.js';
import { startCluster, type Cluster } from '../helpers/cluster.js';
import { voiceClient } from '../helpers/emulator.js';
import { userEnv } from '../package/build.js';
import {
  applyCrds,
  conditionOf,
  eventsOf,
  eventually,
  exampleFiles,
  getObject,
  mutatingCalls,
  kubectlWithPlugin,
  objectsOf,
  run,
  sleep,
  startController,
  waitForCondition,
  type ControllerProcess,
} from './helpers.js';

let cluster: Cluster;
let emulator: Emulator;
let controller: ControllerProcess;
let east: ChimeSDKVoiceClient;
const scratch = mkdtempSync(join(tmpdir(), 'day-two-'));

// Far longer than the test: whatever the controller does after the first convergence here, a request
// (or an edit) made it do, never the periodic resync.
const RESYNC = '30m';

beforeAll(async () => {
  [cluster, emulator] = await Promise.all([startCluster(), startEmulator({ clockRate: 50, strictRegions: true })]);
  east = voiceClient(emulator, 'us-east-1');
  await applyCrds(cluster);
  controller = await startController({ kubeconfig: cluster.kubeconfig, endpoint: emulator.url, resync: RESYNC, name: 'day-two' });
}, 20 * 60_000);

afterAll(async () => {
  await controller?.stop();
  east?.destroy();
  await emulator?.stop();
  await cluster?.stop();
  rmSync(scratch, { recursive: true, force: true });
});

/** The CLI from the sources, as `npm run cli` runs it. */
const cli = (args: string[]) => run(process.execPath, ['--import', 'tsx', 'src/cli/main.ts', ...args, '--kubeconfig', cluster.kubeconfig], userEnv());

async function cpsLimit(id: string): Promise<number | undefined> {
  return (await east.send(new GetVoiceConnectorTerminationCommand({ VoiceConnectorId: id }))).Termination?.CpsLimit;
}

/** Changes the trunk's CPS limit in AWS behind the controller's back. */
async function driftCps(id: string, value: number) {
  const current = (await east.send(new GetVoiceConnectorTerminationCommand({ VoiceConnectorId: id }))).Termination!;
  await east.send(new PutVoiceConnectorTerminationCommand({ VoiceConnectorId: id, Termination: { ...current, CpsLimit: value } }));
}

async function metric(name: string, labels: Record<string, string>): Promise<number | undefined> {
  const text = await (await fetch(`${controller.metricsUrl}/metrics`)).text();
  const want = Object.entries(labels).map(([k, v]) => `${k}="${v}"`);
  const line = text.split('\n').find((l) => l.startsWith(`${name}{`) && want.every((w) => l.includes(w)));
  return line === undefined ? undefined : Number(line.split(' ').pop());
}

async function warningEvents(): Promise<string[]> {
  const { stdout } = await cluster.kubectl(['get', 'events', '-A', '--field-selector', 'type=Warning', '-o', 'json']);
  return (JSON.parse(stdout).items as Array<{ involvedObject: { kind: string; name: string }; reason: string; message: string }>).map(
    (e) => `${e.involvedObject.kind}/${e.involvedObject.name} ${e.reason}: ${e.message}`,
  );
}

const files = exampleFiles();
const objects = objectsOf(files);
const TRUNK = 'voiceconnector/office-pbx-trunk';

describe('day two in a cluster', () => {
  it('the first convergence of examples/ on an empty account raises zero Warning Events; a number\'s steps after its order are Normal Events', async () => {
    await cluster.kubectl(['apply', ...files.flatMap((f) => ['-f', f])]);
    await waitForCondition(cluster, objects.map((o) => o.ref), 'Ready', { timeoutMs: 180_000 });
    // Events are written after status: give the last ones time to land.
    await sleep(3_000);
    expect(await warningEvents()).toEqual([]);

    // An ordered and assigned number went through its steps (order, then calling name and assignment), as progress.
    const line = await eventsOf(cluster, 'office-main-line', { kind: 'PhoneNumber' });
    expect(line.map((e) => e.reason)).toEqual(expect.arrayContaining(['Created', 'Assigned']));
    expect(line.map((e) => e.reason)).not.toContain('DriftCorrected');

    // The metrics count the objects by state and kind, and no drift was found.
    const numbers = objects.filter((o) => o.kind === 'PhoneNumber').length;
    expect(await metric('chimevoice_objects', { kind: 'PhoneNumber', state: 'ready' })).toBe(numbers);
    expect((await metric('chimevoice_objects', { kind: 'PhoneNumber', state: 'stalled' })) ?? 0).toBe(0);
    expect((await metric('chimevoice_drift_detected_total', { kind: 'VoiceConnector' })) ?? 0).toBe(0);
  }, 240_000);

  it('reconcile --wait reconciles one object now: drift made behind the controller is corrected long before the resync, and the request is echoed in status', async () => {
    const trunk = await getObject(cluster, TRUNK);
    const id = trunk.status.atProvider.voiceConnectorId as string;
    await driftCps(id, 42);

    const r = await cli(['reconcile', TRUNK, '--wait', '--timeout', '60s']);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toMatch(/^VoiceConnector default\/office-pbx-trunk: reconciled at \S+: Ready \(Available\)/);
    expect(await cpsLimit(id)).toBe(5);

    const after = await getObject(cluster, TRUNK);
    const requested = after.metadata.annotations['chimevoice.io/reconcile-requested-at'];
    expect(requested).toMatch(/^\d{4}-\d\d-\d\dT/);
    expect(after.status.lastHandledReconcileAt).toBe(requested);
    // The trunk matched its spec before: this one is drift, a Warning naming the field, and counted.
    const events = await eventsOf(cluster, 'office-pbx-trunk', { kind: 'VoiceConnector' });
    expect(events.find((e) => e.reason === 'DriftDetected')?.message).toContain('termination.cpsLimit');
    expect(await metric('chimevoice_drift_detected_total', { kind: 'VoiceConnector' })).toBe(1);

    // Without --wait the command only says it asked; an unknown object is an error naming it.
    const asked = await cli(['reconcile', 'vc/office-pbx-trunk']);
    expect(asked.code, asked.stderr).toBe(0);
    expect(asked.stdout).toContain('reconcile requested');
    const missing = await cli(['reconcile', 'vc/no-such-trunk', '--wait']);
    expect(missing.code).toBe(1);
    expect(missing.stderr).toContain('VoiceConnector default/no-such-trunk not found');
  }, 180_000);

  it('suspend stops every AWS write for the object (drift and spec changes alike) until resume, shown in status, a condition and a printer column', async () => {
    const id = (await getObject(cluster, TRUNK)).status.atProvider.voiceConnectorId as string;
    const suspended = await cli(['suspend', TRUNK]);
    expect(suspended.code, suspended.stderr).toBe(0);
    expect(suspended.stdout).toContain('VoiceConnector default/office-pbx-trunk: suspended since');
    const obj = await getObject(cluster, TRUNK);
    expect(obj.status.suspended).toBe(true);
    expect(conditionOf(obj, 'Suspended')).toMatchObject({ status: 'True', reason: 'ReconcileDisabled' });
    const { stdout: table } = await cluster.kubectl(['get', 'voiceconnectors', '-n', 'default']);
    expect(table.split('\n')[0]).toContain('SUSPENDED');
    expect(table.split('\n').find((l) => l.startsWith('office-pbx-trunk '))).toMatch(/\strue\s/);

    // Drift behind its back, an edited spec, and a reconcile request: nothing reaches AWS.
    emulator.resetCounters();
    await driftCps(id, 42);
    await cluster.kubectl(['patch', 'voiceconnector', 'office-pbx-trunk', '-n', 'default', '--type=merge', '-p', JSON.stringify({ spec: { termination: { cpsLimit: 7 } } })]);
    const refused = await cli(['reconcile', TRUNK, '--wait', '--timeout', '10s']);
    expect(refused.code).toBe(1);
    expect(refused.stderr).toContain('is suspended');
    await sleep(5_000);
    expect(mutatingCalls(emulator.counters())).toEqual({ PutVoiceConnectorTermination: 1 });
    expect(await cpsLimit(id)).toBe(42);
    expect((await eventsOf(cluster, 'office-pbx-trunk', { kind: 'VoiceConnector' })).map((e) => e.reason)).toContain('Suspended');

    const resumed = await cli(['resume', TRUNK]);
    expect(resumed.code, resumed.stderr).toBe(0);
    expect(resumed.stdout).toContain('VoiceConnector default/office-pbx-trunk: resumed');
    await eventually('the edited spec in AWS after resume', async () => (await cpsLimit(id)) === 7, { timeoutMs: 30_000 });
    const back = await getObject(cluster, TRUNK);
    expect(back.status.suspended).toBeUndefined();
    expect(conditionOf(back, 'Suspended')).toBeUndefined();
    expect((await eventsOf(cluster, 'office-pbx-trunk', { kind: 'VoiceConnector' })).map((e) => e.reason)).toContain('Resumed');
  }, 180_000);

  it('kubectl finds kubectl-chime on PATH: `kubectl chime --help` and `kubectl chime reconcile` through the real kubectl, reading the current context', async () => {
    const { kubectl, env, binDir } = kubectlWithPlugin(scratch, cluster.kubeconfig);

    const plugins = await run(kubectl, ['plugin', 'list'], env);
    expect(plugins.stdout).toContain(join(binDir, 'kubectl-chime'));
    const help = await run(kubectl, ['chime', '--help'], env);
    expect(help.code, help.stderr).toBe(0);
    expect(help.stdout).toContain('Usage: kubectl chime');
    expect(help.stdout).toMatch(/^\s+reconcile \[options\] <KIND\/NAME>/m);

    const r = await run(kubectl, ['chime', 'reconcile', 'sipmediaapplication/ivr-east', '--wait', '--timeout', '60s'], env);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toMatch(/^SipMediaApplication default\/ivr-east: reconciled at \S+: Ready/);
    const sma = await getObject(cluster, 'sipmediaapplication/ivr-east');
    expect(sma.status.lastHandledReconcileAt).toBe(sma.metadata.annotations['chimevoice.io/reconcile-requested-at']);
  }, 6 * 60_000);
});
