/**
 * Drift from CloudTrail events at scale: N VoiceConnectors (10,000 by default) in the test
 * cluster's kube-apiserver, `chime-voice-operator run --events-queue` (resync an hour) as its own
 * process against the in-process emulator, which sends a CloudTrail event of every write to a real
 * SQS queue (ElasticMQ, test/helpers/sqs.ts). Half the objects are driftPolicy Report, half Correct.
 *
 * Measured: from an out-of-band change (UpdateVoiceConnector with other credentials) to Drifted in
 * status (Report) and to AWS changed back (Correct), p50/p99; the AWS reads of each such change; the
 * reads of one full resync (the controller's own fallback when the queue goes out, so the figure is
 * the controller's, not an estimate); and from those, AWS reads per hour with events against
 * polling tuned to the same p99. Knobs (environment): CHIME_BENCH_OBJECTS, CHIME_BENCH_CHANGES,
 * CHIME_BENCH_CONCURRENCY, CHIME_BENCH_CONVERGE_TIMEOUT (seconds), CHIME_BENCH_CONTROLLER
 * (`compiled`, the default, or `tsx`), CHIME_BENCH_CHANGES_PER_HOUR (out-of-band changes an hour
 * assumed in the reads-per-hour figure, default 100).
 */
import { execFileSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { ChimeSDKVoiceClient, CreateVoiceConnectorCommand, UpdateVoiceConnectorCommand } from '@aws-sdk/client-chime-sdk-voice';
import { PurgeQueueCommand } from '@aws-sdk/client-sqs';
import { Informer } from '../src/runtime/informer.js';
import { KubeClient, loadKubeConfig } from '../src/runtime/kube.js';
import { isReadOperation } from '../src/aws/context.js';
import { OWNER_TAG_KEY } from '../src/aws/ownership.js';
import { startEmulator, type CallCounters } from '../src/emulator/index.js';
import type { ManagedObject } from '../src/reconcile/types.js';
import { startCluster } from '../test/helpers/cluster.js';
import { createTestQueue, deleteTestQueue, SQS_CREDENTIALS, sqsClient, sqsEndpoint, startRelay } from '../test/helpers/sqs.js';
import { objectKey, watchReady } from './ready-watch.js';
import { applyCrds, startController, type ControllerProcess } from '../test/e2e/helpers.js';

export interface EventsBenchOptions {
  objects: number;
  namespaces: number;
  changes: number;
  concurrency: number;
  convergeTimeoutMs: number;
  controller: 'compiled' | 'tsx';
  changesPerHour: number;
}

export interface EventsRun {
  options: EventsBenchOptions;
  ready: number;
  convergeSeconds: number;
  /** Out-of-band change → Drifted True in status (Report objects), ms. */
  reportMs: number[];
  /** Out-of-band change → AWS back to the spec (Correct objects), ms. */
  correctMs: number[];
  /** AWS reads while the changes were handled, per change. */
  readsPerChange: number;
  /** AWS reads in a quiet minute with events flowing and nothing changed. */
  quietReadsPerMinute: number;
  /** AWS reads of one full resync of every object (measured as the controller's fallback). */
  fullResyncReads: number;
  fullResyncSeconds: number;
  eventLagP50Ms?: number;
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const log = (msg: string) => process.stderr.write(`[bench events ${new Date().toISOString().slice(11, 19)}] ${msg}\n`);
const reads = (c: CallCounters) => Object.entries(c).filter(([op]) => isReadOperation(op)).reduce((n, [, o]) => n + Object.values(o).reduce((a, b) => a + b, 0), 0);
export const quantile = (xs: number[], q: number) => {
  const s = xs.filter((x) => Number.isFinite(x)).sort((a, b) => a - b);
  return s.length === 0 ? Number.NaN : s[Math.min(s.length - 1, Math.ceil(q * s.length) - 1)];
};

async function metric(controller: ControllerProcess, name: string): Promise<number> {
  const text = await (await fetch(`${controller.metricsUrl}/metrics`)).text();
  return text
    .split('\n')
    .filter((l) => l.startsWith(`${name} `) || l.startsWith(`${name}{`))
    .reduce((n, l) => n + Number(l.slice(l.lastIndexOf(' ') + 1)), 0);
}

const policyOf = (i: number) => (i % 2 === 0 ? 'Report' : 'Correct');
function connector(i: number, namespaces: number) {
  return {
    apiVersion: 'chimevoice.io/v1alpha1',
    kind: 'VoiceConnector',
    metadata: { name: `vc-${String(i).padStart(5, '0')}`, namespace: `bench-${i % namespaces}` },
    spec: { region: 'us-east-1', requireEncryption: false, driftPolicy: policyOf(i), tags: { bench: 'events' } },
  };
}
const condition = (o: ManagedObject | undefined, type: string) => o?.status?.conditions?.find((c) => c.type === type)?.status;

export async function benchEvents(options: EventsBenchOptions): Promise<EventsRun> {
  const { objects, namespaces } = options;
  if (options.controller === 'compiled') execFileSync(process.execPath, [fileURLToPath(new URL('../scripts/build.mjs', import.meta.url))], { stdio: 'inherit' });
  const [cluster, endpoint] = await Promise.all([startCluster(), sqsEndpoint()]);
  const sqs = sqsClient(endpoint);
  const queueUrl = await createTestQueue(sqs, 'bench-events');
  const relay = await startRelay(endpoint);
  const emulator = await startEmulator({ cloudTrail: { queueUrl, sqsCredentials: SQS_CREDENTIALS } });
  const someone = new ChimeSDKVoiceClient({ endpoint: emulator.url, region: 'us-east-1', credentials: { accessKeyId: 'AKIASOMEONEELSE', secretAccessKey: 'x' }, maxAttempts: 3 });
  let controller: ControllerProcess | undefined;
  let watcher: Informer<ManagedObject> | undefined;
  try {
    await applyCrds(cluster);
    const kube = new KubeClient(loadKubeConfig(cluster.kubeconfig));
    for (let n = 0; n < namespaces; n++) await kube.core.createNamespace({ body: { metadata: { name: `bench-${n}` } } });
    // The connectors exist in AWS already, each with its object's ownership tag (the state after a
    // migration, or after a first apply): the controller adopts them, so that 10,000 objects converge
    // in minutes (its creates go one at a time) and the bench measures drift, not creation.
    log(`seeding ${objects} VoiceConnectors in AWS with their ownership tags`);
    let seeded = 0;
    await Promise.all(
      Array.from({ length: 16 }, async () => {
        while (seeded < objects) {
          const m = connector(seeded++, namespaces);
          await someone.send(
            new CreateVoiceConnectorCommand({
              Name: m.metadata.name,
              AwsRegion: 'us-east-1',
              RequireEncryption: false,
              Tags: [{ Key: OWNER_TAG_KEY, Value: `${m.metadata.namespace}/${m.metadata.name}` }, { Key: 'bench', Value: 'events' }],
            }),
          );
        }
      }),
    );
    await emulator.cloudTrail!.flush();
    await sqs.send(new PurgeQueueCommand({ QueueUrl: queueUrl }));
    log(`creating ${objects} VoiceConnectors`);
    let next = 0;
    await Promise.all(
      Array.from({ length: 32 }, async () => {
        while (next < objects) {
          const body = connector(next++, namespaces);
          await kube.custom.createNamespacedCustomObject({ group: 'chimevoice.io', version: 'v1alpha1', namespace: body.metadata.namespace, plural: 'voiceconnectors', body });
        }
      }),
    );
    const view = await watchReady(kube);
    watcher = view.watcher;
    const { ready, until } = view;
    const key = objectKey;

    log('starting the controller (--events-queue, resync 1h)');
    const spawnedAt = performance.now();
    controller = await startController({
      kubeconfig: cluster.kubeconfig,
      endpoint: emulator.url,
      resync: '1h',
      args: ['--concurrency', String(options.concurrency), '--events-queue', relay.through(queueUrl), '--events-sqs-endpoint', relay.endpoint, '--events-fallback-resync', '1h'],
      startTimeoutMs: 120_000,
      name: 'bench-events',
      compiled: options.controller === 'compiled',
    });
    const progress = setInterval(() => log(`${ready.size}/${objects} Ready`), 10_000);
    await until(() => ready.size >= objects, options.convergeTimeoutMs);
    clearInterval(progress);
    const convergeSeconds = (performance.now() - spawnedAt) / 1000;
    log(`${ready.size}/${objects} Ready after ${convergeSeconds.toFixed(1)} s`);
    await sleep(10_000);
    const driftedAtStart = watcher.list().filter((o) => condition(o, 'Drifted') === 'True').length;
    if (driftedAtStart > 0) log(`${driftedAtStart} objects Drifted before any change: their measures below would be void`);

    // A quiet minute: events of nothing, resync an hour away.
    emulator.resetCounters();
    await sleep(60_000);
    const quietReadsPerMinute = reads(emulator.counters());
    log(`quiet minute: ${quietReadsPerMinute} AWS reads`);

    // Out-of-band changes, one every 1.5 s, alternately on Report and Correct objects.
    emulator.resetCounters();
    const reportMs: number[] = [];
    const correctMs: number[] = [];
    const ids = new Map<string, string>();
    for (const o of watcher.list()) ids.set(key(o), (o.status?.atProvider as { voiceConnectorId?: string } | undefined)?.voiceConnectorId ?? '');
    const measures: Promise<void>[] = [];
    for (let k = 0; k < options.changes; k++) {
      const i = (k * 7919) % objects;
      if (condition(watcher.get(`bench-${i % namespaces}`, connector(i, namespaces).metadata.name), 'Drifted') === 'True') throw new Error(`vc ${i} is Drifted before its change`);
      const m = connector(i, namespaces);
      const id = ids.get(`${m.metadata.namespace}/${m.metadata.name}`)!;
      const started = performance.now();
      await someone.send(new UpdateVoiceConnectorCommand({ VoiceConnectorId: id, Name: m.metadata.name, RequireEncryption: true }));
      if (policyOf(i) === 'Report') {
        measures.push(
          until(() => condition(watcher!.get(m.metadata.namespace, m.metadata.name), 'Drifted') === 'True', 60_000).then((ok) => void reportMs.push(ok ? performance.now() - started : Number.NaN)),
        );
      } else {
        measures.push(
          (async () => {
            const end = started + 60_000;
            while (emulator.state.voiceConnectors[id]?.RequireEncryption !== false && performance.now() < end) await sleep(10);
            correctMs.push(performance.now() < end ? performance.now() - started : Number.NaN);
          })(),
        );
      }
      await sleep(1_500);
    }
    await Promise.all(measures);
    await sleep(5_000);
    const readsPerChange = reads(emulator.counters()) / options.changes;
    const lagCount = await metric(controller, 'chimevoice_event_lag_seconds_count');
    const lagSum = await metric(controller, 'chimevoice_event_lag_seconds_sum');
    log(`Report → Drifted p50 ${quantile(reportMs, 0.5).toFixed(0)} ms p99 ${quantile(reportMs, 0.99).toFixed(0)} ms; Correct → corrected p50 ${quantile(correctMs, 0.5).toFixed(0)} ms p99 ${quantile(correctMs, 0.99).toFixed(0)} ms; ${readsPerChange.toFixed(1)} reads per change`);

    // One full resync, as the controller runs it when the queue goes out (every object at once).
    emulator.resetCounters();
    const since = controller.logs.length;
    const fullStart = performance.now();
    await relay.cut();
    await controller.waitForLog((l) => l.msg === 'events queue unreadable: falling back to polling for drift until it is back', { since, timeoutMs: 120_000 });
    let last = -1;
    for (;;) {
      await sleep(3_000);
      const now = reads(emulator.counters());
      if (now === last && (await metric(controller, 'chimevoice_workqueue_depth')) === 0) break;
      last = now;
    }
    const fullResyncReads = reads(emulator.counters());
    const fullResyncSeconds = (performance.now() - fullStart) / 1000 - 3;
    log(`one full resync: ${fullResyncReads} AWS reads in about ${fullResyncSeconds.toFixed(0)} s`);
    await relay.restore();
    return {
      options,
      ready: ready.size,
      convergeSeconds,
      reportMs,
      correctMs,
      readsPerChange,
      quietReadsPerMinute,
      fullResyncReads,
      fullResyncSeconds,
      ...(lagCount > 0 ? { eventLagP50Ms: (1000 * lagSum) / lagCount } : {}),
    };
  } finally {
    await controller?.stop(30_000);
    await watcher?.stop();
    someone.destroy();
    await emulator.stop();
    await relay.close();
    await deleteTestQueue(sqs, queueUrl);
    sqs.destroy();
    await cluster.stop();
  }
}

/**
 * Polling finds a change after a uniform wait within the resync period, which the jitter stretches
 * by up to 10%: its p99 is 0.99 × 1.1 × the period. The period that gives the events' p99 is then
 * p99 / 1.089, and polling reads one full resync's worth each period.
 */
export function readsPerHour(run: EventsRun): { events: number; polling: number; pollingPeriodSeconds: number; p99Ms: number } {
  const p99Ms = Math.max(quantile(run.reportMs, 0.99), quantile(run.correctMs, 0.99));
  const pollingPeriodSeconds = p99Ms / 1000 / 1.089;
  const events = run.fullResyncReads + run.quietReadsPerMinute * 60 + run.readsPerChange * run.options.changesPerHour;
  const polling = (run.fullResyncReads * 3600) / pollingPeriodSeconds;
  return { events, polling, pollingPeriodSeconds, p99Ms };
}

export function printEvents(run: EventsRun): void {
  const o = run.options;
  const fmt = (n: number) => Math.round(n).toLocaleString('en-US');
  const h = readsPerHour(run);
  console.log(`${fmt(run.ready)}/${fmt(o.objects)} VoiceConnectors Ready (half driftPolicy Report, half Correct); --concurrency ${o.concurrency}, --resync 1h with --events-queue; ${o.changes} out-of-band changes; the controller ${o.controller === 'tsx' ? 'through tsx' : 'compiled'} on Node ${process.version}.\n`);
  console.log('| measure | value |\n| --- | ---: |');
  console.log(`| controller start to all Ready | ${run.convergeSeconds.toFixed(1)} s |`);
  console.log(`| change → Drifted in status (Report, ${run.reportMs.length} changes) | p50 ${fmt(quantile(run.reportMs, 0.5))} ms, p99 ${fmt(quantile(run.reportMs, 0.99))} ms |`);
  console.log(`| change → corrected in AWS (Correct, ${run.correctMs.length} changes) | p50 ${fmt(quantile(run.correctMs, 0.5))} ms, p99 ${fmt(quantile(run.correctMs, 0.99))} ms |`);
  if (run.eventLagP50Ms !== undefined) console.log(`| event lag, mean (eventTime → read from the queue) | ${fmt(run.eventLagP50Ms)} ms |`);
  console.log(`| AWS reads per out-of-band change | ${run.readsPerChange.toFixed(1)} |`);
  console.log(`| AWS reads in a quiet minute | ${fmt(run.quietReadsPerMinute)} |`);
  console.log(`| AWS reads of one full resync (measured: the fallback when the queue went out) | ${fmt(run.fullResyncReads)} in ${run.fullResyncSeconds.toFixed(0)} s |`);
  console.log(`| AWS reads per hour with events (one safety-net resync, quiet reads, ${o.changesPerHour} changes) | ${fmt(h.events)} |`);
  console.log(`| AWS reads per hour polling with the same p99 (${fmt(h.p99Ms)} ms: a ${h.pollingPeriodSeconds.toFixed(1)} s period) | ${fmt(h.polling)} (${(h.polling / h.events).toFixed(0)}× more) |`);
  console.log('');
}

export function eventsOptionsFromEnv(): EventsBenchOptions {
  const num = (name: string, fallback: number) => (process.env[name] ? Number(process.env[name]) : fallback);
  return {
    objects: num('CHIME_BENCH_OBJECTS', 10_000),
    namespaces: 10,
    changes: num('CHIME_BENCH_CHANGES', 100),
    concurrency: num('CHIME_BENCH_CONCURRENCY', 8),
    convergeTimeoutMs: num('CHIME_BENCH_CONVERGE_TIMEOUT', 900) * 1000,
    controller: process.env.CHIME_BENCH_CONTROLLER === 'tsx' ? 'tsx' : 'compiled',
    changesPerHour: num('CHIME_BENCH_CHANGES_PER_HOUR', 100),
  };
}

if (import.meta.url === `file://${process.argv[1]}`) printEvents(await benchEvents(eventsOptionsFromEnv()));
