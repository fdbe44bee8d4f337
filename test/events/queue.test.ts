/**
 * The events path against a real SQS server (ElasticMQ, test/helpers/sqs.ts): the emulator's
 * CloudTrail events of writes reach the queue, and the consumer hands every touched object over
 * once, deletes what it handled, skips the controller's own writes and repeats, and says when the
 * queue is out and when it is back.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ChimeSDKVoiceClient, CreateVoiceConnectorCommand, GetVoiceConnectorCommand, PutVoiceConnectorTerminationCredentialsCommand, UpdateVoiceConnectorCommand } from '@aws-sdk/client-chime-sdk-voice';
import { ReceiveMessageCommand, SendMessageBatchCommand, type SQSClient } from '@aws-sdk/client-sqs';
import { startEmulator, type Emulator } from '../../src/emulator/index.js';
import { HIDDEN } from '../../src/emulator/core/cloudtrail.js';
import { EventsQueueConsumer } from '../../src/runtime/events-queue.js';
import { EventKeyIndex } from '../../src/runtime/event-keys.js';
import type { CloudTrailRecord } from '../../src/aws/cloudtrail-events.js';
import { USER_AGENT_APP_ID } from '../../src/aws/context.js';
import { Metrics } from '../../src/telemetry/metrics.js';
import { createLogger } from '../../src/telemetry/logger.js';
import { createTestQueue, deleteTestQueue, queueCounts, SQS_CREDENTIALS, sqsClient, sqsEndpoint, startRelay } from '../helpers/sqs.js';

let endpoint: string;
let sqs: SQSClient;
const queues: string[] = [];
const log = createLogger('silent');

beforeAll(async () => {
  endpoint = await sqsEndpoint();
  sqs = sqsClient(endpoint);
}, 10 * 60_000);

afterAll(async () => {
  for (const q of queues) await deleteTestQueue(sqs, q);
  sqs?.destroy();
});

async function newQueue(label: string) {
  const url = await createTestQueue(sqs, label);
  queues.push(url);
  return url;
}

function client(emulator: Emulator, accessKeyId: string, appId?: string) {
  return new ChimeSDKVoiceClient({ endpoint: emulator.url, region: 'us-east-1', credentials: { accessKeyId, secretAccessKey: 'x' }, maxAttempts: 1, ...(appId ? { userAgentAppId: appId } : {}) });
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
async function until(check: () => boolean | Promise<boolean>, timeoutMs: number, what: string) {
  const end = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await sleep(50);
  }
}

const counter = async (metrics: Metrics, outcome: string) => (await metrics.events.get()).values.find((v) => v.labels.outcome === outcome)?.value ?? 0;

describe('the emulator as CloudTrail', () => {
  it('sends one event per write, with the caller, the members in camelCase and secrets hidden; none for reads', async () => {
    const queueUrl = await newQueue('emulator-events');
    const emulator = await startEmulator({ cloudTrail: { queueUrl, sqsCredentials: SQS_CREDENTIALS }, callers: { AKIAOPERATOR: { role: 'ops', session: 'alice' } } });
    const voice = client(emulator, 'AKIAOPERATOR');
    try {
      const vc = (await voice.send(new CreateVoiceConnectorCommand({ Name: 'pbx', RequireEncryption: true, AwsRegion: 'us-east-1' }))).VoiceConnector!;
      await voice.send(new GetVoiceConnectorCommand({ VoiceConnectorId: vc.VoiceConnectorId }));
      await voice.send(new PutVoiceConnectorTerminationCredentialsCommand({ VoiceConnectorId: vc.VoiceConnectorId, Credentials: [{ Username: 'pbx', Password: 'Sip-Passw0rd-1' }] }));
      await emulator.cloudTrail!.flush();
      const out = await sqs.send(new ReceiveMessageCommand({ QueueUrl: queueUrl, MaxNumberOfMessages: 10, WaitTimeSeconds: 1 }));
      const events = (out.Messages ?? []).map((m) => JSON.parse(m.Body!));
      expect(events.map((e) => e.detail.eventName).sort()).toEqual(['CreateVoiceConnector', 'PutVoiceConnectorTerminationCredentials']);
      const create = events.find((e) => e.detail.eventName === 'CreateVoiceConnector');
      expect(create).toMatchObject({
        'detail-type': 'AWS API Call via CloudTrail',
        detail: {
          eventSource: 'chime.amazonaws.com',
          eventType: 'AwsApiCall',
          readOnly: false,
          awsRegion: 'us-east-1',
          requestParameters: { name: 'pbx', requireEncryption: true, awsRegion: 'us-east-1' },
          responseElements: { voiceConnector: { voiceConnectorId: vc.VoiceConnectorId } },
          userIdentity: { type: 'AssumedRole', accessKeyId: 'AKIAOPERATOR', arn: 'arn:aws:sts::123456789012:assumed-role/ops/alice' },
        },
      });
      expect(create.detail.eventTime).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/);
      const creds = events.find((e) => e.detail.eventName === 'PutVoiceConnectorTerminationCredentials');
      expect(creds.detail.requestParameters.credentials).toEqual([{ username: 'pbx', password: HIDDEN }]);
      expect(JSON.stringify(events)).not.toContain('Sip-Passw0rd-1');
    } finally {
      voice.destroy();
      await emulator.stop();
    }
  });
});

describe('the consumer', () => {
  it('hands over every object of a burst of 1,000 events once, deletes them all, drops repeats and skips its own writes', async () => {
    const queueUrl = await newQueue('burst');
    const emulator = await startEmulator({ cloudTrail: { queueUrl, sqsCredentials: SQS_CREDENTIALS } });
    const mine = client(emulator, 'AKIACONTROLLER', USER_AGENT_APP_ID);
    const someone = client(emulator, 'AKIASOMEONE');
    const metrics = new Metrics(false);
    const index = new EventKeyIndex();
    const handed = new Map<string, number>();
    const records: CloudTrailRecord[] = [];
    let consumer: EventsQueueConsumer | undefined;
    try {
      // 100 connectors made by "the controller" (own writes: 100 events ignored).
      const ids: string[] = [];
      for (let i = 0; i < 100; i++) ids.push((await mine.send(new CreateVoiceConnectorCommand({ Name: `vc-${i}`, RequireEncryption: true }))).VoiceConnector!.VoiceConnectorId!);
      ids.forEach((id, i) => index.set(`VoiceConnector/default/vc-${i}`, 'VoiceConnector', [id]));
      // 1,000 changes behind its back: ten per connector.
      for (let round = 0; round < 10; round++) {
        await Promise.all(ids.map((id, i) => someone.send(new UpdateVoiceConnectorCommand({ VoiceConnectorId: id, Name: `vc-${i}-r${round}`, RequireEncryption: true }))));
      }
      await emulator.cloudTrail!.flush();
      expect(emulator.cloudTrail!.counts.delivered).toBe(1_100);
      consumer = new EventsQueueConsumer({
        queueUrl,
        sqs: { endpoint, credentials: SQS_CREDENTIALS },
        own: { userAgentAppId: USER_AGENT_APP_ID },
        keysFor: (r) => index.keysFor(r),
        onEvents: (batch) => {
          for (const { record, keys } of batch) {
            records.push(record);
            for (const k of keys) handed.set(k, (handed.get(k) ?? 0) + 1);
          }
        },
        metrics,
        log,
        waitTimeSeconds: 1,
      });
      await consumer.start();
      await until(async () => (await counter(metrics, 'received')) >= 1_100, 60_000, 'every message to be received');
      // Repeats, as SQS's at-least-once delivery may bring: the same 50 records again.
      const again = records.slice(0, 50);
      for (let i = 0; i < again.length; i += 10) {
        await sqs.send(new SendMessageBatchCommand({ QueueUrl: queueUrl, Entries: again.slice(i, i + 10).map((r, j) => ({ Id: String(j), MessageBody: JSON.stringify({ detail: r }) })) }));
      }
      await until(async () => (await counter(metrics, 'duplicate')) >= 50, 30_000, 'the repeats to be read');
      await until(async () => {
        const c = await queueCounts(sqs, queueUrl);
        return c.visible === 0 && c.inFlight === 0;
      }, 30_000, 'the queue to be empty');
      expect(await counter(metrics, 'own')).toBe(100);
      expect(await counter(metrics, 'matched')).toBe(1_000);
      expect(await counter(metrics, 'duplicate')).toBe(50);
      expect(new Set(records.map((r) => r.eventID)).size).toBe(1_000);
      // Every connector handed over for each of its ten changes, none missing, none extra.
      expect(handed.size).toBe(100);
      expect([...handed.values()].every((n) => n === 10)).toBe(true);
      expect((await metrics.eventLag.get()).values.find((v) => v.metricName === 'chimevoice_event_lag_seconds_count')?.value).toBe(1_100);
    } finally {
      await consumer?.stop();
      mine.destroy();
      someone.destroy();
      await emulator.stop();
    }
  }, 180_000);

  it('says when the queue is out and when it is back, and reads what arrived meanwhile', async () => {
    const queueUrl = await newQueue('outage');
    const relay = await startRelay(endpoint);
    const metrics = new Metrics(false);
    const health: boolean[] = [];
    const handed: string[] = [];
    const index = new EventKeyIndex();
    index.set('VoiceConnector/default/pbx', 'VoiceConnector', ['abcdefghij0123456789ab']);
    const consumer = new EventsQueueConsumer({
      queueUrl: relay.through(queueUrl),
      sqs: { endpoint: relay.endpoint, credentials: SQS_CREDENTIALS },
      own: {},
      keysFor: (r) => index.keysFor(r),
      onEvents: (batch) => void handed.push(...batch.flatMap((e) => e.keys)),
      onHealth: (healthy) => void health.push(healthy),
      metrics,
      log,
      waitTimeSeconds: 1,
      maxRetryMs: 500,
    });
    try {
      await consumer.start();
      expect((await metrics.eventsQueueUp.get()).values[0].value).toBe(1);
      await relay.cut();
      await until(() => health.length === 1, 20_000, 'the outage to be seen');
      expect(health).toEqual([false]);
      expect(consumer.isHealthy).toBe(false);
      expect((await metrics.eventsQueueUp.get()).values[0].value).toBe(0);
      // A change while the consumer cannot read: it waits in the queue.
      await sqs.send(new SendMessageBatchCommand({ QueueUrl: queueUrl, Entries: [{ Id: '0', MessageBody: JSON.stringify({ detail: { eventID: 'during-outage', eventTime: new Date().toISOString(), eventSource: 'chime.amazonaws.com', eventName: 'UpdateVoiceConnector', requestParameters: { voiceConnectorId: 'abcdefghij0123456789ab' } } }) }] }));
      await relay.restore();
      await until(() => handed.length === 1, 20_000, 'the event sent during the outage to be handed over');
      expect(health).toEqual([false, true]);
      expect(handed).toEqual(['VoiceConnector/default/pbx']);
      expect((await metrics.eventsQueueUp.get()).values[0].value).toBe(1);
    } finally {
      await consumer.stop();
      await relay.close();
    }
  }, 60_000);
});
