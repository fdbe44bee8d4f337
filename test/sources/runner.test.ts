/**
 * One runner for both modes: directory mode's plan, apply and destroy go through the work queue
 * the controller uses (src/reconcile/workqueue.ts), with the engine's bounded concurrency. Plan
 * observes objects side by side up to `concurrency` (counted from the emulator's call hook, not
 * from the clock) and prints them in creation order whatever answers first; destroy deletes by
 * dependency level from the last, each level's deletions side by side.
 */
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { KubeConfig } from '@kubernetes/client-node';
import { AwsContext } from '../../src/aws/context.js';
import { startEmulator, type Emulator } from '../../src/emulator/index.js';
import { handlers } from '../../src/kinds/index.js';
import { Controller } from '../../src/runtime/controller.js';
import { applyDirectory, destroyDirectory, planDirectory, type DirectoryRunOptions } from '../../src/sources/directory-mode.js';
import { StatusStore } from '../../src/sources/status-store.js';
import { createLogger } from '../../src/telemetry/logger.js';
import { testCredentials } from '../helpers/emulator.js';

// Every WorkQueue made, by whom: the controller and directory mode must make the same class.
const queues = vi.hoisted(() => ({ made: 0 }));
vi.mock('../../src/reconcile/workqueue.js', async (importOriginal) => {
  const actual = await importOriginal<typeof import('../../src/reconcile/workqueue.js')>();
  class CountedWorkQueue extends actual.WorkQueue {
    constructor(...args: ConstructorParameters<typeof actual.WorkQueue>) {
      super(...args);
      queues.made++;
    }
  }
  return { ...actual, WorkQueue: CountedWorkQueue };
});

const CONNECTORS = 8;

function connector(i: number): string {
  return `apiVersion: chimevoice.io/v1alpha1
kind: VoiceConnector
metadata: {name: trunk-${i}}
spec:
  region: us-east-1
  requireEncryption: true
  termination: {cpsLimit: 1, callingRegions: [US], cidrAllowedList: [52.94.133.${i}/32]}
`;
}

function group(g: number, members: number[]): string {
  return `apiVersion: chimevoice.io/v1alpha1
kind: VoiceConnectorGroup
metadata: {name: failover-${g}}
spec:
  voiceConnectors:
${members.map((m, k) => `    - {voiceConnectorRef: {name: trunk-${m}}, priority: ${k + 1}}`).join('\n')}
`;
}

/** Counts the calls of `operation` received and not yet answered, and the most at once. */
function inFlight(emu: Emulator, operation: string, order?: string[]) {
  const count = { now: 0, max: 0 };
  emu.setCallHook((event) => {
    if (event.phase === 'received') order?.push(event.operation);
    if (event.operation !== operation) return;
    if (event.phase === 'received') count.max = Math.max(count.max, ++count.now);
    else count.now--;
  });
  return count;
}

describe('one runner for plan, apply and destroy', () => {
  let emu: Emulator;
  let aws: AwsContext;
  let dir: string;
  let statusFile: string;
  const options = (concurrency: number): DirectoryRunOptions => ({
    dir,
    aws,
    handlers,
    store: new StatusStore(statusFile, 'test'),
    maxWaitMs: 100,
    timeoutMs: 60_000,
    concurrency,
  });

  beforeEach(async () => {
    emu = await startEmulator();
    aws = new AwsContext({ region: 'us-east-1', endpoint: emu.url, credentials: testCredentials, maxAttempts: 1 });
    const root = mkdtempSync(join(tmpdir(), 'cvo-runner-'));
    dir = join(root, 'm');
    mkdirSync(dir);
    statusFile = join(root, 'status.json');
    // Named so that creation order (by name) is not the order of the files.
    for (let i = 0; i < CONNECTORS; i++) writeFileSync(join(dir, `${CONNECTORS - i}.yaml`), connector(i));
    writeFileSync(join(dir, 'groups.yaml'), [group(0, [0, 1]), group(1, [2, 3])].join('---\n'));
  });
  afterEach(async () => {
    emu.setCallHook(undefined);
    aws.destroy();
    await emu.stop();
  });

  it('directory mode and the controller make their queue from the one WorkQueue class', async () => {
    const before = queues.made;
    await planDirectory(options(4));
    expect(queues.made).toBe(before + 1);
    const kubeConfig = new KubeConfig();
    kubeConfig.loadFromClusterAndUser({ name: 'unused', server: 'https://127.0.0.1:9', skipTLSVerify: true }, { name: 'unused' });
    const controller = new Controller({ kubeConfig, aws: { region: 'us-east-1', endpoint: emu.url, credentials: testCredentials }, handlers, log: createLogger('silent') });
    expect(queues.made).toBe(before + 2);
    expect(controller.isLeader).toBe(false);
  });

  it('plan observes objects side by side, up to the concurrency and no more, and prints them in creation order', async () => {
    const applied = await applyDirectory(options(4));
    expect(applied.reports.filter((r) => r.result.phase !== 'Ready')).toEqual([]);
    // Each connector's observation reads its termination once: the calls in flight of that operation are the connectors observed at once.
    emu.setFaults({ latencyMs: { '*': 50 } });
    const termination = inFlight(emu, 'GetVoiceConnectorTermination');
    const plan = await planDirectory(options(4));
    expect(termination.max).toBe(4);
    expect(plan.reports.map((r) => r.key.name)).toEqual([...Array.from({ length: CONNECTORS }, (_, i) => `trunk-${i}`), 'failover-0', 'failover-1']);
    expect(plan.reports.every((r) => r.result.actions.length === 0)).toBe(true);
  });

  it('destroy deletes by dependency level from the last, each level side by side up to the concurrency', async () => {
    await applyDirectory(options(4));
    emu.setFaults({ latencyMs: { '*': 50 } });
    const order: string[] = [];
    const deletes = inFlight(emu, 'DeleteVoiceConnector', order);
    const run = await destroyDirectory(options(3));
    expect(run.reports.filter((r) => !r.result.deleted).map((r) => `${r.key.name}: ${r.result.phase}`)).toEqual([]);
    // A connector's deletion removes its termination first; the deletions of the resources themselves show the order.
    const deleted = order.filter((op) => op === 'DeleteVoiceConnectorGroup' || op === 'DeleteVoiceConnector');
    // Both groups before any connector (a group references its connectors), and connectors three at a time.
    expect(deleted.slice(0, 2)).toEqual(['DeleteVoiceConnectorGroup', 'DeleteVoiceConnectorGroup']);
    expect(deleted.slice(2).every((op) => op === 'DeleteVoiceConnector')).toBe(true);
    expect(deleted.filter((op) => op === 'DeleteVoiceConnector')).toHaveLength(CONNECTORS);
    expect(deletes.max).toBe(3);
    // Reported dependents first, whatever finished first.
    expect(run.reports.map((r) => r.key.name).slice(0, 2)).toEqual(['failover-1', 'failover-0']);
  });

  it('a batch that throws (the status file cannot be written) stops apply with that error, not a retry until the timeout', async () => {
    const opts = { ...options(4), timeoutMs: 20_000 };
    opts.store.save = () => {
      throw new Error('ENOSPC: no space left on device, write status.json');
    };
    await expect(applyDirectory(opts)).rejects.toThrow(/ENOSPC/);
    // One batch looked at AWS (each batch lists the connectors afresh), not one per retry until the timeout.
    expect(emu.totalCalls((op) => op === 'ListVoiceConnectors')).toBe(1);
  });
});
