/**
 * The informer (src/runtime/informer.ts) against the real kube-apiserver of the test cluster:
 * watches that outlive the server's timeout and the client's inactivity timeout keep delivering
 * events; a 410 Gone makes it relist; an API server that goes away makes it retry with backoff and
 * carry on when it is back.
 *
 * ConfigMaps stand in for our kinds: the informer is generic over a collection path, and core
 * objects spare this file the CRDs.
 */
import { Writable } from 'node:stream';
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { Informer, type InformerEvent, type KubeObject } from '../../src/runtime/informer.js';
import { KubeClient, loadKubeConfig } from '../../src/runtime/kube.js';
import { Watch } from '@kubernetes/client-node';
import { createLogger } from '../../src/telemetry/logger.js';
import { startCluster, type Cluster } from '../helpers/cluster.js';

let cluster: Cluster;
let kube: KubeClient;
const NS = 'informer-test';

beforeAll(async () => {
  cluster = await startCluster();
  kube = new KubeClient(loadKubeConfig(cluster.kubeconfig));
  await kube.core.createNamespace({ body: { metadata: { name: NS } } });
}, 20 * 60_000); // a cold build of the cluster binaries included

afterAll(async () => {
  await cluster?.stop();
});

const informers: Array<Informer<KubeObject>> = [];
afterEach(async () => {
  vi.restoreAllMocks();
  await Promise.all(informers.splice(0).map((i) => i.stop()));
});

interface Seen {
  event: InformerEvent;
  name: string;
  data?: Record<string, string>;
}

/** An informer over the test namespace's ConfigMaps, with its events, its log lines and its list calls. */
function configMapInformer(options: {
  watchTimeoutSeconds?: number;
  inactivityTimeoutMs?: number;
  relistIntervalMs?: number;
  /** Replaces the list's resourceVersion on the first call (to start the watch from a stale one). */
  firstListResourceVersion?: string;
}) {
  const events: Seen[] = [];
  const logs: Array<Record<string, unknown>> = [];
  let lists = 0;
  const sink = new Writable({
    write(chunk: Buffer, _enc, done) {
      for (const line of chunk.toString('utf8').split('\n')) if (line) logs.push(JSON.parse(line) as Record<string, unknown>);
      done();
    },
  });
  const informer = new Informer<KubeObject & { data?: Record<string, string> }>({
    name: 'configmaps',
    kubeConfig: kube.config,
    path: `/api/v1/namespaces/${NS}/configmaps`,
    list: async () => {
      lists++;
      const res = await kube.core.listNamespacedConfigMap({ namespace: NS });
      const rv = lists === 1 && options.firstListResourceVersion ? options.firstListResourceVersion : res.metadata?.resourceVersion;
      return { items: res.items as Array<KubeObject & { data?: Record<string, string> }>, metadata: { resourceVersion: rv } };
    },
    onEvent: (event, obj) => events.push({ event, name: obj.metadata.name, data: obj.data }),
    log: createLogger('debug', sink),
    watchTimeoutSeconds: options.watchTimeoutSeconds,
    inactivityTimeoutMs: options.inactivityTimeoutMs,
    relistIntervalMs: options.relistIntervalMs,
  });
  informers.push(informer as Informer<KubeObject>);
  return { informer, events, logs, lists: () => lists };
}

async function until<T>(what: string, probe: () => T | undefined | false, timeoutMs = 30_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const v = probe();
    if (v !== undefined && v !== false) return v;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

async function createConfigMap(name: string, data: Record<string, string>) {
  await kube.core.createNamespacedConfigMap({ namespace: NS, body: { metadata: { name }, data } });
}

async function replaceConfigMap(name: string, data: Record<string, string>) {
  const cm = await kube.core.readNamespacedConfigMap({ namespace: NS, name });
  await kube.core.replaceNamespacedConfigMap({ namespace: NS, name, body: { ...cm, data } });
}

describe('informer on a real API server', () => {
  it('keeps delivering events on a watch that outlives the server-side timeout', async () => {
    const watchCalls = vi.spyOn(Watch.prototype, 'watch');
    // The server ends each watch after 2 s; the client's inactivity timeout is far away.
    const { informer, events, lists } = configMapInformer({ watchTimeoutSeconds: 2, inactivityTimeoutMs: 60_000 });
    informer.start();
    await informer.synced;
    await sleep(7_000);
    // Each ended watch was followed by a new one from the same resourceVersion, with no relist.
    expect(watchCalls.mock.calls.length).toBeGreaterThanOrEqual(3);
    expect(lists()).toBe(1);
    await createConfigMap('after-server-timeout', { v: '1' });
    await until('the add', () => events.find((e) => e.event === 'add' && e.name === 'after-server-timeout'), 10_000);
    await sleep(2_500); // past one more server timeout
    await replaceConfigMap('after-server-timeout', { v: '2' });
    await until('the update', () => events.find((e) => e.event === 'update' && e.name === 'after-server-timeout' && e.data?.v === '2'), 10_000);
    expect(informer.get(NS, 'after-server-timeout')).toMatchObject({ data: { v: '2' } });
  }, 60_000);

  it("keeps delivering events on a watch that outlives the client's inactivity timeout", async () => {
    const watchCalls = vi.spyOn(Watch.prototype, 'watch');
    // Nothing changes, so a watch sees no data and the client aborts it after 1.5 s; the server would wait 5 minutes.
    const { informer, events, lists, logs } = configMapInformer({ watchTimeoutSeconds: 300, inactivityTimeoutMs: 1_500 });
    informer.start();
    await informer.synced;
    await sleep(6_000);
    expect(watchCalls.mock.calls.length).toBeGreaterThanOrEqual(3);
    expect(lists()).toBe(1);
    // An inactivity timeout is a normal end of a watch, not a failure.
    expect(logs.filter((l) => l.msg === 'list/watch failed; retrying')).toEqual([]);
    await createConfigMap('after-inactivity', { v: '1' });
    await until('the add', () => events.find((e) => e.event === 'add' && e.name === 'after-inactivity'), 10_000);
    await sleep(2_000);
    await replaceConfigMap('after-inactivity', { v: '2' });
    await until('the update', () => events.find((e) => e.event === 'update' && e.name === 'after-inactivity' && e.data?.v === '2'), 10_000);
  }, 60_000);

  it('relists when the watch answers 410 Gone', async () => {
    // A real 410 from the API server: the first list hands the watch resourceVersion 1, far older
    // than anything the API server's watch cache holds (it starts at the revision etcd had when
    // the API server started), which is what a watch resuming after a long outage or an etcd
    // compaction meets. The informer must list again and carry on from the new list.
    await createConfigMap('before-gone', { v: '1' });
    const { informer, events, lists, logs } = configMapInformer({ firstListResourceVersion: '1' });
    informer.start();
    await informer.synced;
    await until('the 410 log line', () => logs.find((l) => l.msg === 'watch answered 410 Gone: relisting'), 15_000);
    await until('a second list', () => lists() >= 2, 15_000);
    // The first list already delivered the object; the relist found it unchanged and said nothing.
    expect(events.filter((e) => e.name === 'before-gone')).toEqual([{ event: 'add', name: 'before-gone', data: { v: '1' } }]);
    await createConfigMap('after-gone', { v: '1' });
    await until('the add after the relist', () => events.find((e) => e.event === 'add' && e.name === 'after-gone'), 10_000);
  }, 60_000);

  it('retries with backoff while the API server is down, and resumes when it is back', async () => {
    const { informer, events, logs } = configMapInformer({ watchTimeoutSeconds: 300, inactivityTimeoutMs: 60_000 });
    informer.start();
    await informer.synced;
    await createConfigMap('before-outage', { v: '1' });
    await until('the add before the outage', () => events.find((e) => e.name === 'before-outage'), 10_000);

    await cluster.stopApiServer();
    try {
      await until('three failed attempts', () => logs.filter((l) => l.msg === 'list/watch failed; retrying').length >= 3, 30_000);
    } finally {
      await cluster.startApiServer();
    }
    const retries = logs.filter((l) => l.msg === 'list/watch failed; retrying').map((l) => l.retryInMs as number);
    // Exponential: the third delay's floor (2 s) is above the first one's ceiling (1 s), jitter or not.
    expect(retries[2]).toBeGreaterThan(retries[0]);
    // The cache survived the outage: an informer never empties it for a failed connection.
    expect(informer.get(NS, 'before-outage')).toBeDefined();

    // Edits need the API server: made right after it is back, they reach the informer.
    await replaceConfigMap('before-outage', { v: '2' });
    await createConfigMap('after-outage', { v: '1' });
    await until('the update after the outage', () => events.find((e) => e.event === 'update' && e.name === 'before-outage' && e.data?.v === '2'), 40_000);
    await until('the add after the outage', () => events.find((e) => e.event === 'add' && e.name === 'after-outage'), 40_000);
  }, 120_000);
});
