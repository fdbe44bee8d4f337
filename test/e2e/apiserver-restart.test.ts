/**
 * The API server goes away under a running controller and comes back (etcd and its data stay):
 * the controller keeps running, its watches resume (relisting where the new API server's watch
 * cache cannot serve the old resourceVersion), and it misses nothing: an object created and an
 * object edited right after the restart are reconciled, drift made in AWS during the outage is
 * corrected, and status writes resume.
 */
import { GetVoiceConnectorCommand, UpdateVoiceConnectorCommand, type ChimeSDKVoiceClient } from '@aws-sdk/client-chime-sdk-voice';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startEmulator, type Emulator } from '../../src/emulator/index.js';
import { startCluster, type Cluster } from '../helpers/cluster.js';
import { voiceClient } from '../helpers/emulator.js';
import {
  applyCrds,
  applyObject,
  conditionOf,
  eventsOf,
  eventually,
  getObject,
  sleep,
  startController,
  waitForCondition,
  type ControllerProcess,
} from './helpers.js';

let cluster: Cluster;
let emulator: Emulator;
let controller: ControllerProcess;
let aws: ChimeSDKVoiceClient;

beforeAll(async () => {
  cluster = await startCluster();
  emulator = await startEmulator({ strictRegions: true });
  aws = voiceClient(emulator);
  await applyCrds(cluster);
  // A short resync so that drift made during the outage is looked for within the test's time.
  controller = await startController({ kubeconfig: cluster.kubeconfig, endpoint: emulator.url, resync: '5s', name: 'controller' });
}, 20 * 60_000);

afterAll(async () => {
  await controller?.kill();
  await emulator?.stop();
  await cluster?.stop();
});

function voiceConnector(name: string, requireEncryption = false) {
  return { apiVersion: 'chimevoice.io/v1alpha1', kind: 'VoiceConnector', metadata: { name, namespace: 'default' }, spec: { region: 'us-east-1', requireEncryption } };
}

/** Waits until the object's current generation is reconciled and Ready, and returns it. */
function reconciled(ref: string, timeoutMs = 60_000): Promise<any> {
  return eventually(
    `${ref} Ready at its current generation`,
    async () => {
      const o = await getObject(cluster, ref);
      const ready = conditionOf(o, 'Ready');
      return o?.status?.observedGeneration === o?.metadata.generation && ready?.status === 'True' && ready.observedGeneration === o.metadata.generation ? o : undefined;
    },
    { timeoutMs, intervalMs: 300 },
  );
}

async function requireEncryptionInAws(id: string): Promise<boolean | undefined> {
  return (await aws.send(new GetVoiceConnectorCommand({ VoiceConnectorId: id }))).VoiceConnector?.RequireEncryption;
}

describe('the API server restarts under a running controller', () => {
  it('recovers and misses nothing', async () => {
    await applyObject(cluster, voiceConnector('vc-edited'));
    await applyObject(cluster, voiceConnector('vc-drifted'));
    await waitForCondition(cluster, ['voiceconnector/vc-edited', 'voiceconnector/vc-drifted'], 'Ready', { timeoutMs: 60_000 });
    const edited = (await getObject(cluster, 'voiceconnector/vc-edited')).status.atProvider.voiceConnectorId as string;
    const drifted = (await getObject(cluster, 'voiceconnector/vc-drifted')).status.atProvider.voiceConnectorId as string;

    const outageStart = controller.logs.length;
    await cluster.stopApiServer();
    try {
      // Changes through the API are impossible meanwhile.
      const refused = await cluster.kubectl(['apply', '-f', '-'], { input: JSON.stringify(voiceConnector('vc-refused')), check: false, timeoutMs: 20_000 });
      expect(refused.code).not.toBe(0);
      // Drift behind the controller's back, while it cannot write status.
      await aws.send(new UpdateVoiceConnectorCommand({ VoiceConnectorId: drifted, Name: 'vc-drifted', RequireEncryption: true }));
      // The resync corrects AWS even now (AWS is reachable); only the status write fails.
      await eventually('the drift corrected in AWS during the outage', async () => (await requireEncryptionInAws(drifted)) === false, { timeoutMs: 30_000 });
      // The informers notice and retry instead of giving up.
      await controller.waitForLog((l) => l.msg === 'list/watch failed; retrying', { since: outageStart, timeoutMs: 20_000 });
    } finally {
      await cluster.startApiServer();
    }
    expect(controller.exitCode).toBeUndefined();

    // Right after the restart: an edit and a new object.
    await cluster.kubectl(['patch', 'voiceconnector', 'vc-edited', '-n', 'default', '--type=merge', '-p', JSON.stringify({ spec: { requireEncryption: true } })]);
    await applyObject(cluster, voiceConnector('vc-created'));

    const created = await reconciled('voiceconnector/vc-created', 90_000);
    const afterEdit = await reconciled('voiceconnector/vc-edited', 90_000);
    expect(afterEdit.metadata.generation).toBe(2);
    expect(await requireEncryptionInAws(edited)).toBe(true);
    expect(await requireEncryptionInAws(created.status.atProvider.voiceConnectorId as string)).toBe(false);

    // The drift found and corrected during the outage is not lost: its Events, kept while the API
    // server was away, are written once it is back, dated when it happened.
    const driftEvents = await eventually(
      'DriftDetected and DriftCorrected Events on vc-drifted',
      async () => {
        const events = await eventsOf(cluster, 'vc-drifted', { kind: 'VoiceConnector' });
        return events.some((e) => e.reason === 'DriftDetected') && events.some((e) => e.reason === 'DriftCorrected') ? events : undefined;
      },
      { timeoutMs: 60_000, intervalMs: 500 },
    );
    expect(driftEvents.find((e) => e.reason === 'DriftDetected')?.message).toContain('requireEncryption');
    const afterDrift = await getObject(cluster, 'voiceconnector/vc-drifted');
    expect(conditionOf(afterDrift, 'Ready')?.status).toBe('True');
    expect(conditionOf(afterDrift, 'Drifted')?.status).toBe('False');
    expect(await requireEncryptionInAws(drifted)).toBe(false);

    // Still one process, still ready, and a later change is picked up as promptly as before.
    expect(controller.exitCode).toBeUndefined();
    expect((await fetch(`${controller.metricsUrl}/readyz`)).status).toBe(200);
    await sleep(1_000);
    await cluster.kubectl(['patch', 'voiceconnector', 'vc-created', '-n', 'default', '--type=merge', '-p', JSON.stringify({ spec: { requireEncryption: true } })]);
    await reconciled('voiceconnector/vc-created', 30_000);
  }, 240_000);
});
