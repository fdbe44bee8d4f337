/**
 * Leader election end to end: controller processes with --leader-elect against one real API server
 * and one emulator. Exactly one reconciles while the other stands by; a leader killed with SIGKILL
 * is replaced within the lease duration and the new leader carries on; a leader stopped with
 * SIGTERM releases the Lease, so a standby takes over at once instead of waiting for it to expire.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { startEmulator, type Emulator } from '../../src/emulator/index.js';
import { startCluster, type Cluster } from '../helpers/cluster.js';
import { applyCrds, applyObject, mutatingCalls, startController, waitForCondition, type ControllerProcess, type LogLine } from './helpers.js';

let cluster: Cluster;
let emulator: Emulator;
const processes: ControllerProcess[] = [];

// Short timings keep the test fast; the ratios are the defaults' (15 s / 10 s / 2 s).
const LEASE_MS = 6_000;
const LEASE_ARGS = [
  '--leader-elect',
  '--leader-election-id',
  'chime-e2e-leader',
  '--leader-election-lease-duration',
  `${LEASE_MS}ms`,
  '--leader-election-renew-deadline',
  '4s',
  '--leader-election-retry-period',
  '500ms',
];

beforeAll(async () => {
  cluster = await startCluster();
  emulator = await startEmulator({ strictRegions: true });
  await applyCrds(cluster);
}, 20 * 60_000);

afterAll(async () => {
  await Promise.all(processes.map((p) => p.kill()));
  await emulator?.stop();
  await cluster?.stop();
});

async function replica(name: string): Promise<ControllerProcess> {
  const p = await startController({ kubeconfig: cluster.kubeconfig, endpoint: emulator.url, args: LEASE_ARGS, name });
  processes.push(p);
  return p;
}

const becameLeader = (l: LogLine) => l.msg === 'became leader';
const standingBy = (l: LogLine) => l.msg === 'standby: another replica holds the leader lease';
const reconciled = (name: string) => (l: LogLine) => l.msg === 'reconciled' && l.name === name;

async function lease(): Promise<{ holderIdentity?: string; leaseTransitions?: number; leaseDurationSeconds?: number }> {
  const { stdout } = await cluster.kubectl(['get', 'lease', 'chime-e2e-leader', '-n', 'default', '-o', 'yaml']);
  return (parse(stdout) as { spec: Record<string, any> }).spec;
}

/** Sum of a counter over its labels, from the process's /metrics. */
async function counterTotal(p: ControllerProcess, metric: string): Promise<number> {
  const text = await (await fetch(`${p.metricsUrl}/metrics`)).text();
  return text
    .split('\n')
    .filter((line) => line.startsWith(`${metric}{`) || line.startsWith(`${metric} `))
    .reduce((sum, line) => sum + Number(line.slice(line.lastIndexOf(' ') + 1)), 0);
}

function voiceConnector(name: string) {
  return { apiVersion: 'chimevoice.io/v1alpha1', kind: 'VoiceConnector', metadata: { name, namespace: 'default' }, spec: { region: 'us-east-1', requireEncryption: false } };
}

describe('leader election', () => {
  let a: ControllerProcess;
  let b: ControllerProcess;

  it('one replica leads and reconciles; the other stands by', async () => {
    a = await replica('replica-a');
    const aLead = await a.waitForLog(becameLeader, { timeoutMs: 20_000 });
    b = await replica('replica-b');
    const bStandby = await b.waitForLog(standingBy, { timeoutMs: 20_000 });
    expect(bStandby.holder).toBe(aLead.identity);

    await applyObject(cluster, voiceConnector('vc-first'));
    await waitForCondition(cluster, 'voiceconnector/vc-first', 'Ready', { timeoutMs: 60_000 });

    const held = await lease();
    expect(held.holderIdentity).toBe(aLead.identity);
    expect(held.leaseDurationSeconds).toBe(LEASE_MS / 1000);
    // Only the leader reconciled and only it called AWS: every emulator call is one of its own.
    expect(a.logs.some(reconciled('vc-first'))).toBe(true);
    expect(b.logs.filter((l) => l.msg === 'reconciled' || l.msg === 'became leader')).toEqual([]);
    expect(await counterTotal(b, 'chimevoice_reconcile_total')).toBe(0);
    expect(await counterTotal(b, 'chimevoice_aws_calls_total')).toBe(0);
    expect(await counterTotal(a, 'chimevoice_aws_calls_total')).toBe(emulator.totalCalls());
    expect(emulator.totalCalls((op) => op === 'CreateVoiceConnector')).toBe(1);
  }, 120_000);

  it('SIGKILL of the leader: the standby takes over within the lease duration and carries on', async () => {
    const since = b.logs.length;
    const callsBefore = mutatingCalls(emulator.counters());
    const killedAt = Date.now();
    await a.kill();
    const bLead = await b.waitForLog(becameLeader, { since, timeoutMs: LEASE_MS + 10_000 });
    const takeoverMs = Date.parse(bLead.time) - killedAt;
    // The lease was renewed at most one retry period before the kill; the standby notices within one more.
    expect(takeoverMs).toBeLessThanOrEqual(LEASE_MS + 2 * 500 + 1_000);
    const held = await lease();
    expect(held.holderIdentity).toBe(bLead.identity);
    expect(held.leaseTransitions).toBe(1);

    // The new leader goes over what exists (from its warm cache) and finds nothing to change.
    await b.waitForLog(reconciled('vc-first'), { since, timeoutMs: 30_000 });
    expect(mutatingCalls(emulator.counters())).toEqual(callsBefore);

    // And it reconciles what comes next.
    await applyObject(cluster, voiceConnector('vc-after-kill'));
    await waitForCondition(cluster, 'voiceconnector/vc-after-kill', 'Ready', { timeoutMs: 60_000 });
    expect(b.logs.some(reconciled('vc-after-kill'))).toBe(true);
    expect(emulator.totalCalls((op) => op === 'CreateVoiceConnector')).toBe(2);
  }, 120_000);

  it('SIGTERM of the leader releases the Lease: the standby takes over at once', async () => {
    const c = await replica('replica-c');
    await c.waitForLog(standingBy, { timeoutMs: 20_000 });
    const since = c.logs.length;
    const stoppedAt = Date.now();
    const code = await b.stop();
    expect(code).toBe(0);
    expect(b.logs.some((l) => l.msg === 'could not release the leader lease')).toBe(false);
    const cLead = await c.waitForLog(becameLeader, { since, timeoutMs: LEASE_MS + 10_000 });
    // Well inside the lease duration: the standby did not wait for the lease to expire.
    expect(Date.parse(cLead.time) - stoppedAt).toBeLessThan(LEASE_MS / 2);
    expect((await lease()).holderIdentity).toBe(cLead.identity);

    await applyObject(cluster, voiceConnector('vc-after-term'));
    await waitForCondition(cluster, 'voiceconnector/vc-after-term', 'Ready', { timeoutMs: 60_000 });
    expect(c.logs.some(reconciled('vc-after-term'))).toBe(true);
  }, 120_000);
});
