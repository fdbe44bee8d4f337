/**
 * Drift from CloudTrail events, end to end: the controller (`run --events-queue`, resync an hour)
 * against the emulator, which sends an event for every write to a real SQS queue (ElasticMQ). A
 * change made with the SDK under other credentials reaches Drifted (driftPolicy Report) and is
 * corrected (Correct) without waiting for a resync; the controller's own writes are ignored; with
 * the queue out of reach the controller says so and finds drift by polling.
 */
import { ChimeSDKVoiceClient, GetVoiceConnectorTerminationCommand, PutVoiceConnectorTerminationCommand } from '@aws-sdk/client-chime-sdk-voice';
import type { SQSClient } from '@aws-sdk/client-sqs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startEmulator, type Emulator } from '../../src/emulator/index.js';
import { startCluster, type Cluster } from '../helpers/cluster.js';
import { createTestQueue, deleteTestQueue, SQS_CREDENTIALS, sqsClient, sqsEndpoint, startRelay, type SqsRelay } from '../helpers/sqs.js';
import { applyCrds, applyObject, conditionOf, eventually, getObject, startController, waitForCondition, type ControllerProcess } from './helpers.js';

let cluster: Cluster;
let emulator: Emulator;
let controller: ControllerProcess;
let someone: ChimeSDKVoiceClient;
let sqs: SQSClient;
let relay: SqsRelay;
let queueUrl: string;

const trunk = (name: string, driftPolicy: 'Correct' | 'Report') => ({
  apiVersion: 'chimevoice.io/v1alpha1',
  kind: 'VoiceConnector',
  metadata: { name, namespace: 'default' },
  spec: { name, region: 'us-east-1', requireEncryption: true, driftPolicy, termination: { cpsLimit: 5, callingRegions: ['US'], cidrAllowedList: ['52.94.133.0/28'] } },
});

beforeAll(async () => {
  let endpoint: string;
  [cluster, endpoint] = await Promise.all([startCluster(), sqsEndpoint()]);
  sqs = sqsClient(endpoint);
  queueUrl = await createTestQueue(sqs, 'e2e-events');
  relay = await startRelay(endpoint);
  emulator = await startEmulator({ cloudTrail: { queueUrl, sqsCredentials: SQS_CREDENTIALS } });
  // Someone else: other credentials, and no app id of ours in the user agent.
  someone = new ChimeSDKVoiceClient({ endpoint: emulator.url, region: 'us-east-1', credentials: { accessKeyId: 'AKIASOMEONEELSE', secretAccessKey: 'x' }, maxAttempts: 1 });
  await applyCrds(cluster);
  // No --resync: with a queue it is an hour, so only events can find the drift below in time.
  controller = await startController({
    kubeconfig: cluster.kubeconfig,
    endpoint: emulator.url,
    resync: '1h',
    args: ['--events-queue', relay.through(queueUrl), '--events-sqs-endpoint', relay.endpoint, '--events-fallback-resync', '5s'],
    name: 'events',
  });
  await applyObject(cluster, trunk('pbx-reported', 'Report'));
  await applyObject(cluster, trunk('pbx-corrected', 'Correct'));
  await waitForCondition(cluster, ['voiceconnector/pbx-reported', 'voiceconnector/pbx-corrected'], 'Ready', { timeoutMs: 60_000 });
}, 20 * 60_000);

afterAll(async () => {
  await controller?.stop();
  someone?.destroy();
  await emulator?.stop();
  await relay?.close();
  if (queueUrl) await deleteTestQueue(sqs, queueUrl);
  sqs?.destroy();
  await cluster?.stop();
});

const idOf = async (name: string): Promise<string> => (await getObject(cluster, `voiceconnector/${name}`)).status.atProvider.voiceConnectorId;

async function setCpsLimitBehindItsBack(voiceConnectorId: string, cps: number) {
  const current = (await someone.send(new GetVoiceConnectorTerminationCommand({ VoiceConnectorId: voiceConnectorId }))).Termination!;
  await someone.send(new PutVoiceConnectorTerminationCommand({ VoiceConnectorId: voiceConnectorId, Termination: { ...current, CpsLimit: cps } }));
}

async function metric(name: string, labels = ''): Promise<number> {
  const text = await (await fetch(`${controller.metricsUrl}/metrics`)).text();
  const line = text.split('\n').find((l) => l.startsWith(`${name}${labels} `) || l.startsWith(`${name}${labels}{`));
  return line ? Number(line.split(' ').pop()) : 0;
}

describe('drift from CloudTrail events', () => {
  it("ignores the controller's own writes", async () => {
    await eventually('the events of its creates read', async () => (await metric('chimevoice_events_total', '{outcome="own"}')) >= 2, { timeoutMs: 30_000 });
    expect(await metric('chimevoice_events_total', '{outcome="matched"}')).toBe(0);
    expect(await metric('chimevoice_events_queue_up')).toBe(1);
  });

  it('finds a change made with other credentials without a resync: Drifted under Report, corrected under Correct', async () => {
    const reportedId = await idOf('pbx-reported');
    const correctedId = await idOf('pbx-corrected');
    const started = Date.now();
    await setCpsLimitBehindItsBack(reportedId, 20);
    await setCpsLimitBehindItsBack(correctedId, 20);
    const drifted = await eventually(
      'pbx-reported Drifted',
      async () => {
        const o = await getObject(cluster, 'voiceconnector/pbx-reported');
        return conditionOf(o, 'Drifted')?.status === 'True' ? o : undefined;
      },
      { timeoutMs: 60_000, intervalMs: 100 },
    );
    console.log(`Drifted ${((Date.now() - started) / 1000).toFixed(1)} s after the change (resync 1 h)`);
    expect(drifted.status.drift).toEqual([{ path: 'termination.cpsLimit', desired: '5', actual: '20' }]);
    await eventually(
      'pbx-corrected back to 5 in AWS',
      async () => (await someone.send(new GetVoiceConnectorTerminationCommand({ VoiceConnectorId: correctedId }))).Termination?.CpsLimit === 5,
      { timeoutMs: 60_000, intervalMs: 100 },
    );
    console.log(`corrected ${((Date.now() - started) / 1000).toFixed(1)} s after the change`);
    expect(await metric('chimevoice_events_total', '{outcome="matched"}')).toBeGreaterThanOrEqual(2);
  });

  it('falls back to polling while the queue is out, says so, and goes back to events when it returns', async () => {
    const reportedId = await idOf('pbx-reported');
    await setCpsLimitBehindItsBack(reportedId, 5);
    await eventually('pbx-reported in sync again', async () => conditionOf(await getObject(cluster, 'voiceconnector/pbx-reported'), 'Drifted')?.status === 'False', { timeoutMs: 60_000 });
    const since = controller.logs.length;
    await relay.cut();
    await controller.waitForLog((l) => l.msg === 'events queue unreadable: falling back to polling for drift until it is back', { since, timeoutMs: 60_000 });
    expect(await metric('chimevoice_events_queue_up')).toBe(0);
    // Events of this change cannot be read now: polling (--events-fallback-resync 5s) finds it.
    await setCpsLimitBehindItsBack(reportedId, 30);
    await eventually(
      'pbx-reported Drifted by polling',
      async () => (await getObject(cluster, 'voiceconnector/pbx-reported')).status.drift?.some((d: { actual: string }) => d.actual === '30'),
      { timeoutMs: 60_000 },
    );
    await relay.restore();
    await controller.waitForLog((l) => l.msg === 'events queue readable again: drift is found from events, polling back to the resync period', { since, timeoutMs: 60_000 });
    expect(await metric('chimevoice_events_queue_up')).toBe(1);
  });
});
