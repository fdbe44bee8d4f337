/**
 * `apply --watch --events-queue` (directory mode): a change made behind its back with other
 * credentials starts a pass at once, from its CloudTrail event, instead of at the next resync (an
 * hour with a queue); the pass's own writes start none.
 */
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { ChimeSDKVoiceClient, UpdateVoiceConnectorCommand } from '@aws-sdk/client-chime-sdk-voice';
import type { SQSClient } from '@aws-sdk/client-sqs';
import { startEmulator, type Emulator } from '../../src/emulator/index.js';
import { startApply, type ApplyRun } from '../helpers/apply-process.js';
import { createTestQueue, deleteTestQueue, SQS_CREDENTIALS, sqsClient, sqsEndpoint } from '../helpers/sqs.js';

let sqs: SQSClient;
let endpoint: string;
let queueUrl: string;
let emulator: Emulator;
let apply: ApplyRun | undefined;

beforeAll(async () => {
  endpoint = await sqsEndpoint();
  sqs = sqsClient(endpoint);
  queueUrl = await createTestQueue(sqs, 'apply-watch');
  emulator = await startEmulator({ cloudTrail: { queueUrl, sqsCredentials: SQS_CREDENTIALS } });
}, 10 * 60_000);

afterAll(async () => {
  await apply?.kill();
  await emulator?.stop();
  if (queueUrl) await deleteTestQueue(sqs, queueUrl);
  sqs?.destroy();
});

async function until<T>(probe: () => T | undefined | false, timeoutMs: number, what: string): Promise<T> {
  const end = Date.now() + timeoutMs;
  for (;;) {
    const v = probe();
    if (v) return v;
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}; output:\n${apply?.output()}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

it('applies again when an event touches an object of the folder, and not for its own writes', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'cvo-events-'));
  writeFileSync(
    join(dir, 'pbx.yaml'),
    'apiVersion: chimevoice.io/v1alpha1\nkind: VoiceConnector\nmetadata: {name: pbx}\nspec: {name: pbx, region: us-east-1, requireEncryption: false, driftPolicy: Report}\n',
  );
  const statusFile = join(dir, 'status.json');
  apply = startApply(emulator, dir, statusFile, ['--watch', '--events-queue', queueUrl, '--events-sqs-endpoint', endpoint]);
  await until(() => apply!.output().includes(`reading CloudTrail events from ${queueUrl}`), 60_000, 'the queue to be read');
  expect(apply.output()).toContain('resync every 1h');
  // Its own create's event has been read and skipped by now: give it a moment to prove that no pass follows.
  await emulator.cloudTrail!.flush();
  await new Promise((r) => setTimeout(r, 3_000));
  expect(apply.output()).not.toContain('CloudTrail event touching');

  const id = Object.values(emulator.state.voiceConnectors)[0].VoiceConnectorId;
  const someone = new ChimeSDKVoiceClient({ endpoint: emulator.url, region: 'us-east-1', credentials: { accessKeyId: 'AKIASOMEONEELSE', secretAccessKey: 'x' }, maxAttempts: 1 });
  await someone.send(new UpdateVoiceConnectorCommand({ VoiceConnectorId: id, Name: 'pbx', RequireEncryption: true }));
  someone.destroy();
  await until(() => apply!.output().includes('CloudTrail event touching VoiceConnector/default/pbx: applying'), 30_000, 'the event to start a pass');
  const drift = await until(() => {
    const status = JSON.parse(readFileSync(statusFile, 'utf8'));
    const text = JSON.stringify(status);
    return text.includes('"requireEncryption"') && text.includes('DriftReported') ? text : undefined;
  }, 30_000, 'the drift in the status file');
  expect(drift).toContain('requireEncryption');
});
