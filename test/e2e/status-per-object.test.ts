/**
 * On the real API server, with the controller as its own process: an object's status is written as
 * soon as its own calls answered, not when the whole batch it was taken in is done. Two
 * VoiceConnectors go in one batch (both due when the controller starts, one worker); AWS holds one
 * of them (its logging configuration answers after 20 s). The other is Ready while that call is
 * still held; before, its status waited for the held call, with every status of the batch.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FINALIZER } from '../../src/api/common.js';
import { startEmulator, type Emulator } from '../../src/emulator/index.js';
import { startCluster, type Cluster } from '../helpers/cluster.js';
import { applyCrds, applyObject, conditionOf, eventually, getObject, startController, waitForCondition, type ControllerProcess } from './helpers.js';

let cluster: Cluster;
let emulator: Emulator;
let controller: ControllerProcess | undefined;

/** How long AWS takes to answer the held connector's logging configuration. */
const HELD_MS = 20_000;

const connector = (name: string, spec: Record<string, unknown> = {}) => ({
  apiVersion: 'chimevoice.io/v1alpha1',
  kind: 'VoiceConnector',
  // The finalizer already on: the controller's first pass reconciles both, instead of adding it and coming back one by one.
  metadata: { name, namespace: 'default', finalizers: [FINALIZER] },
  spec: { region: 'us-east-1', requireEncryption: true, ...spec },
});

beforeAll(async () => {
  [cluster, emulator] = await Promise.all([startCluster(), startEmulator({ strictRegions: true })]);
  await applyCrds(cluster);
  emulator.setFaults({ latencyMs: { PutVoiceConnectorLoggingConfiguration: HELD_MS } });
  await applyObject(cluster, connector('held', { logging: { enableSIPLogs: true } }));
  await applyObject(cluster, connector('quick'));
  // One worker, started with both keys due: they are taken as one batch.
  controller = await startController({ kubeconfig: cluster.kubeconfig, endpoint: emulator.url, resync: '30m', args: ['--concurrency', '1'], name: 'status-per-object' });
}, 10 * 60_000);

afterAll(async () => {
  await controller?.stop();
  await emulator?.stop();
  await cluster?.stop();
});

describe('each object of a batch gets its status when its own work is done', () => {
  it('the quick connector is Ready while the held connector’s call is still unanswered; the held one follows when it answers', async () => {
    const readyWhileHeld = await eventually(
      'quick Ready',
      async () => {
        const quick = await getObject(cluster, 'voiceconnector/quick');
        return conditionOf(quick, 'Ready')?.status === 'True' ? quick : undefined;
      },
      { timeoutMs: HELD_MS - 5_000 },
    );
    expect(readyWhileHeld.status.atProvider.voiceConnectorId).toBeTruthy();
    const held = await getObject(cluster, 'voiceconnector/held');
    expect(conditionOf(held, 'Ready')?.status).not.toBe('True');
    await waitForCondition(cluster, 'voiceconnector/held', 'Ready', { timeoutMs: HELD_MS + 60_000 });
    // Both were reconciled by the controller's first batch: one reconcile each, nothing made twice.
    expect(controller!.logs.filter((l) => l.msg === 'reconciled').map((l) => l.name).sort()).toEqual(['held', 'quick']);
  }, 3 * 60_000);
});
