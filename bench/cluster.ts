/**
 * The controller at scale in a cluster: N VoiceConnectors (10,000 by default) in the test
 * cluster's real kube-apiserver, `chime-voice-operator run` as its own process against the
 * in-process emulator. Reports the time to converge them all, the controller's memory and CPU at
 * steady state, the AWS calls of one steady-state resync period, and the time from `kubectl apply`
 * of a single change to Ready under that load.
 *
 * Bounded: every phase has a deadline, and a phase that does not finish in time is reported with
 * what it reached. Loopback only. Knobs (environment): CHIME_BENCH_OBJECTS, CHIME_BENCH_RESYNC
 * (seconds), CHIME_BENCH_CONCURRENCY, CHIME_BENCH_CONVERGE_TIMEOUT (seconds), CHIME_BENCH_CONTROLLER
 * (`compiled`, the default: dist/ as the package and the image run it, built first; `tsx`: the
 * TypeScript sources, as every release before `npm run build` ran them), CHIME_BENCH_CONTROLLER_NODE_OPTIONS
 * (the controller's NODE_OPTIONS, replacing the image's) and CHIME_BENCH_CONTROLLER_NODE_FLAGS (node
 * flags after the image's ENTRYPOINT flags, e.g. V8 flags NODE_OPTIONS refuses).
 */
import { execFileSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { readFileSync, readlinkSync } from 'node:fs';
import { Informer } from '../src/runtime/informer.js';
import { KubeClient, loadKubeConfig } from '../src/runtime/kube.js';
import { isReadOperation } from '../src/aws/context.js';
import { startEmulator, type CallCounters } from '../src/emulator/index.js';
import type { ManagedObject } from '../src/reconcile/types.js';
import { startCluster } from '../test/helpers/cluster.js';
import { isReady, watchReady } from './ready-watch.js';
import { applyCrds, startController, type ControllerProcess } from '../test/e2e/helpers.js';

export interface ClusterBenchOptions {
  objects: number;
  namespaces: number;
  /** --resync of the controller, seconds; the steady-state window is one such period. */
  resyncSeconds: number;
  /** --concurrency of the controller. */
  concurrency: number;
  convergeTimeoutMs: number;
  /** Single changes applied under load. */
  changes: number;
  /** The controller runs dist/ (compiled) or src/ through tsx. */
  controller: 'compiled' | 'tsx';
}

export interface ClusterRun {
  options: ClusterBenchOptions;
  createSeconds: number;
  createdPerSecond: number;
  /** From spawning the controller to its caches being synced ('controller running'). */
  startSeconds: number;
  /** Controller start to the first object Ready, and to half of them (NaN when never reached). */
  firstReadySeconds: number;
  halfReadySeconds: number;
  convergeSeconds: number;
  /** Objects Ready at their current generation when convergence ended (or timed out). */
  ready: number;
  convergeCalls: CallCounters;
  convergeCpuSeconds: number;
  /** Every 10 s while converging: objects Ready and the controller's RSS. */
  progress: Array<{ seconds: number; ready: number; rssMiB: number }>;
  peakRssMiB: number;
  steady: {
    windowSeconds: number;
    calls: CallCounters;
    total: number;
    mutating: number;
    statusWrites: number;
    cpuSeconds: number;
    rssMiB: number;
    heapUsedMiB: number;
    /** Where the steady-state RSS is, from /proc/<pid>/smaps and the controller's own metrics. */
    memory: MemoryBreakdown;
  };
  /** kubectl apply of one change → the object Ready at the new generation, ms. */
  changeMs: number[];
}

const sum = (c: CallCounters, keep: (op: string) => boolean = () => true) =>
  Object.entries(c)
    .filter(([op]) => keep(op))
    .reduce((n, [, outcomes]) => n + Object.values(outcomes).reduce((a, b) => a + b, 0), 0);
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const log = (msg: string) => process.stderr.write(`[bench cluster ${new Date().toISOString().slice(11, 19)}] ${msg}\n`);

function procStatus(pid: number): { rssMiB: number; peakRssMiB: number } {
  const text = readFileSync(`/proc/${pid}/status`, 'utf8');
  const kib = (field: string) => Number(new RegExp(`^${field}:\\s+(\\d+) kB`, 'm').exec(text)?.[1] ?? 0);
  return { rssMiB: kib('VmRSS') / 1024, peakRssMiB: kib('VmHWM') / 1024 };
}

export interface MemoryBreakdown {
  /** RSS by kind of mapping, MiB: the node binary, other files (shared libraries), the brk heap (glibc's main arena), thread stacks, other anonymous mappings (V8's heap pages, other malloc arenas, mmap'd native buffers). */
  rss: { nodeBinary: number; otherFiles: number; brkHeap: number; stacks: number; anonymous: number };
  /** Anonymous mappings by size of mapping: V8 reserves its heap in 256 KiB pages (larger for big objects), glibc's thread arenas in 64 MiB regions. */
  anonymousBySize: Array<{ size: string; mappings: number; rssMiB: number }>;
  threads: number;
  /** V8's heap by space, MiB committed (size) and used, from nodejs_heap_space_size_*_bytes. */
  heapSpaces: Array<{ space: string; totalMiB: number; usedMiB: number }>;
  heapTotalMiB: number;
  heapUsedMiB: number;
  externalMiB: number;
}

/** Sums of /proc/<pid>/smaps by kind of mapping, and V8's own accounting from the metrics. */
async function memoryBreakdown(controller: ControllerProcess): Promise<MemoryBreakdown> {
  const exe = readlinkSync(`/proc/${controller.pid}/exe`);
  const rss = { nodeBinary: 0, otherFiles: 0, brkHeap: 0, stacks: 0, anonymous: 0 };
  const bySize = new Map<string, { mappings: number; rssMiB: number }>();
  // A mapping's header line ('start-end perms offset dev inode [path]'), then 'Rss:    N kB' among its fields.
  let current: { path: string; bytes: number } | undefined;
  const close = (rssKiB: number) => {
    if (!current) return;
    const mib = rssKiB / 1024;
    const { path, bytes } = current;
    if (path === exe) rss.nodeBinary += mib;
    else if (path === '[heap]') rss.brkHeap += mib;
    else if (path.startsWith('[stack')) rss.stacks += mib;
    else if (path.startsWith('/')) rss.otherFiles += mib;
    else {
      rss.anonymous += mib;
      const size = bytes >= 64 * 2 ** 20 ? '>= 64 MiB' : bytes >= 8 * 2 ** 20 ? '8 to 64 MiB' : bytes >= 2 ** 20 ? '1 to 8 MiB' : bytes > 256 * 1024 ? '256 KiB to 1 MiB' : '<= 256 KiB';
      const row = bySize.get(size) ?? { mappings: 0, rssMiB: 0 };
      row.mappings++;
      row.rssMiB += mib;
      bySize.set(size, row);
    }
  };
  for (const line of readFileSync(`/proc/${controller.pid}/smaps`, 'utf8').split('\n')) {
    const header = /^([0-9a-f]+)-([0-9a-f]+) \S+ \S+ \S+ \S+\s*(.*)$/.exec(line);
    if (header) current = { path: header[3], bytes: parseInt(header[2], 16) - parseInt(header[1], 16) };
    else if (line.startsWith('Rss:')) close(Number(/(\d+)/.exec(line)![1]));
  }
  // Threads of the main stack show as [stack]; other threads' stacks are anonymous mappings of 8 MiB plus a guard page.
  const status = readFileSync(`/proc/${controller.pid}/status`, 'utf8');
  const text = await (await fetch(`${controller.metricsUrl}/metrics`)).text();
  const spaces = new Map<string, { totalMiB: number; usedMiB: number }>();
  for (const m of text.matchAll(/^nodejs_heap_space_size_(total|used)_bytes\{space="([^"]+)"\} (\S+)$/gm)) {
    const row = spaces.get(m[2]) ?? { totalMiB: 0, usedMiB: 0 };
    row[m[1] === 'total' ? 'totalMiB' : 'usedMiB'] = Number(m[3]) / 2 ** 20;
    spaces.set(m[2], row);
  }
  const value = (name: string) => Number(new RegExp(`^${name} (\\S+)$`, 'm').exec(text)?.[1] ?? Number.NaN) / 2 ** 20;
  return {
    rss,
    anonymousBySize: [...bySize].map(([size, row]) => ({ size, ...row })),
    threads: Number(/^Threads:\s+(\d+)/m.exec(status)?.[1] ?? 0),
    heapSpaces: [...spaces].map(([space, row]) => ({ space, ...row })),
    heapTotalMiB: value('nodejs_heap_size_total_bytes'),
    heapUsedMiB: value('nodejs_heap_size_used_bytes'),
    externalMiB: value('nodejs_external_memory_bytes'),
  };
}

/** A metric's value summed over its labels, from the controller's /metrics. */
async function metric(controller: ControllerProcess, name: string): Promise<number> {
  const text = await (await fetch(`${controller.metricsUrl}/metrics`)).text();
  return text
    .split('\n')
    .filter((l) => l.startsWith(`${name} `) || l.startsWith(`${name}{`))
    .reduce((n, l) => n + Number(l.slice(l.lastIndexOf(' ') + 1)), 0);
}

function connector(i: number, namespaces: number, requireEncryption = false) {
  return {
    apiVersion: 'chimevoice.io/v1alpha1',
    kind: 'VoiceConnector',
    metadata: { name: `vc-${String(i).padStart(5, '0')}`, namespace: `bench-${i % namespaces}` },
    spec: { region: i % 2 === 0 ? 'us-east-1' : 'us-west-2', requireEncryption, tags: { bench: 'cluster' } },
  };
}


export async function benchCluster(options: ClusterBenchOptions): Promise<ClusterRun> {
  const { objects, namespaces } = options;
  if (options.controller === 'compiled') execFileSync(process.execPath, [fileURLToPath(new URL('../scripts/build.mjs', import.meta.url))], { stdio: 'inherit' });
  const cluster = await startCluster();
  // Regions as AWS has them: each region's endpoint lists that region's connectors only. The
  // objects are spread over two regions, and the controller lists each; without this every
  // endpoint answered with all connectors, so a period's two listings counted every page twice.
  const emulator = await startEmulator({ strictRegions: true });
  let controller: ControllerProcess | undefined;
  let watcher: Informer<ManagedObject> | undefined;
  try {
    await applyCrds(cluster);
    const kube = new KubeClient(loadKubeConfig(cluster.kubeconfig));
    for (let n = 0; n < namespaces; n++) await kube.core.createNamespace({ body: { metadata: { name: `bench-${n}` } } });

    // The objects, straight through the API with 32 requests in flight: kubectl creates one at a
    // time, which would make this phase several times longer than the controller's.
    log(`creating ${objects} VoiceConnectors in ${namespaces} namespaces`);
    const createStart = performance.now();
    let next = 0;
    await Promise.all(
      Array.from({ length: 32 }, async () => {
        while (next < objects) {
          const body = connector(next++, namespaces);
          await kube.custom.createNamespacedCustomObject({ group: 'chimevoice.io', version: 'v1alpha1', namespace: body.metadata.namespace, plural: 'voiceconnectors', body });
        }
      }),
    );
    const createSeconds = (performance.now() - createStart) / 1000;
    log(`created in ${createSeconds.toFixed(1)} s`);

    // The bench's own view of readiness: an informer counting objects Ready at their generation.
    const view = await watchReady(kube);
    watcher = view.watcher;
    const { ready, until } = view;

    log('starting the controller');
    const spawnedAt = performance.now();
    // How soon a user watching `kubectl get -w` sees the first objects turn Ready (statuses written per object, not per batch).
    const readyAfter = (count: number) =>
      until(() => ready.size >= count, options.convergeTimeoutMs).then((ok) => (ok ? (performance.now() - spawnedAt) / 1000 : Number.NaN));
    const firstReady = readyAfter(1);
    const halfReady = readyAfter(Math.ceil(objects / 2));
    controller = await startController({
      kubeconfig: cluster.kubeconfig,
      endpoint: emulator.url,
      resync: `${options.resyncSeconds}s`,
      // Info, as in production: a line per reconcile is part of the cost.
      args: ['--concurrency', String(options.concurrency)],
      startTimeoutMs: 120_000,
      name: 'bench-controller',
      compiled: options.controller === 'compiled',
      // Node.js options of the controller alone (not this process, which hosts the emulator), e.g. a heap limit.
      ...(process.env.CHIME_BENCH_CONTROLLER_NODE_OPTIONS ? { env: { NODE_OPTIONS: process.env.CHIME_BENCH_CONTROLLER_NODE_OPTIONS } } : {}),
      // Node.js flags of the controller alone, after the image's: V8 flags that NODE_OPTIONS does not take.
      ...(process.env.CHIME_BENCH_CONTROLLER_NODE_FLAGS ? { nodeFlags: process.env.CHIME_BENCH_CONTROLLER_NODE_FLAGS.split(/\s+/).filter(Boolean) } : {}),
    });
    const startSeconds = (performance.now() - spawnedAt) / 1000;
    const progress: ClusterRun['progress'] = [];
    const converge = setInterval(() => {
      const { rssMiB } = procStatus(controller!.pid);
      progress.push({ seconds: Math.round((performance.now() - spawnedAt) / 1000), ready: ready.size, rssMiB });
      log(`${ready.size}/${objects} Ready; controller RSS ${rssMiB.toFixed(0)} MiB; emulator calls ${emulator.totalCalls()}`);
    }, 10_000);
    const converged = await until(() => ready.size >= objects, options.convergeTimeoutMs);
    clearInterval(converge);
    const convergeSeconds = (performance.now() - spawnedAt) / 1000;
    const [firstReadySeconds, halfReadySeconds] = converged ? await Promise.all([firstReady, halfReady]) : [Number.NaN, Number.NaN];
    const convergeCalls = emulator.counters();
    const convergeCpuSeconds = await metric(controller, 'process_cpu_seconds_total');
    log(`${converged ? 'converged' : 'gave up converging'}: ${ready.size}/${objects} Ready after ${convergeSeconds.toFixed(1)} s`);

    // Steady state: one resync period, every object looked at once more in AWS.
    emulator.resetCounters();
    const windowMs = options.resyncSeconds * 1000;
    const cpuBefore = await metric(controller, 'process_cpu_seconds_total');
    const writesBefore = view.statusWrites();
    log(`steady state: watching one resync period (${options.resyncSeconds} s)`);
    const logsBefore = controller.logs.length;
    await sleep(windowMs);
    // Which objects made the controller list again within the period (each costs a full listing).
    const expiries = controller.logs.slice(logsBefore).filter((l) => l.msg === 'listings older than 5 s forgotten for an object in progress');
    log(`steady state: listings forgotten early ${expiries.length} times${expiries.length > 0 ? `: ${expiries.slice(0, 5).map((l) => `${String(l.namespace)}/${String(l.name)} (${String(l.why)})`).join('; ')}` : ''}`);
    const steadyCalls = emulator.counters();
    const cpuSeconds = (await metric(controller, 'process_cpu_seconds_total')) - cpuBefore;
    const { rssMiB, peakRssMiB } = procStatus(controller.pid);
    const heapUsedMiB = (await metric(controller, 'nodejs_heap_size_used_bytes')) / 2 ** 20;
    const memory = await memoryBreakdown(controller);

    // Single changes under that load (the resync goes on): kubectl apply → Ready at the new generation.
    const changeMs: number[] = [];
    for (let k = 0; k < options.changes; k++) {
      const i = k * 7;
      // Objects were created with requireEncryption false: true is a spec change (a new generation).
      const manifest = connector(i, namespaces, true);
      const name = manifest.metadata.name;
      const ns = manifest.metadata.namespace;
      const before = watcher.get(ns, name)?.metadata.generation ?? 0;
      const started = performance.now();
      await cluster.kubectl(['apply', '-f', '-'], { input: JSON.stringify(manifest) });
      const ok = await until(() => {
        const o = watcher!.get(ns, name);
        return !!o && (o.metadata.generation ?? 0) > before && isReady(o);
      }, 120_000);
      changeMs.push(ok ? performance.now() - started : Number.NaN);
      await sleep(2_000);
    }
    log(`single changes: ${changeMs.map((ms) => Math.round(ms)).join(', ')} ms`);

    return {
      options,
      createSeconds,
      createdPerSecond: objects / createSeconds,
      startSeconds,
      firstReadySeconds,
      halfReadySeconds,
      convergeSeconds,
      ready: ready.size,
      convergeCalls,
      convergeCpuSeconds,
      progress,
      peakRssMiB,
      steady: {
        windowSeconds: options.resyncSeconds,
        calls: steadyCalls,
        total: sum(steadyCalls),
        mutating: sum(steadyCalls, (op) => !isReadOperation(op)),
        statusWrites: view.statusWrites() - writesBefore,
        cpuSeconds,
        rssMiB,
        heapUsedMiB,
        memory,
      },
      changeMs,
    };
  } finally {
    await controller?.stop(30_000);
    await watcher?.stop();
    await emulator.stop();
    await cluster.stop();
  }

}

export function printCluster(run: ClusterRun): void {
  const o = run.options;
  const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
  const fmt = (n: number) => n.toLocaleString('en-US');
  console.log(`${fmt(run.ready)}/${fmt(o.objects)} VoiceConnectors Ready; ${o.namespaces} namespaces; --concurrency ${o.concurrency}, --resync ${o.resyncSeconds}s; the controller ${o.controller === 'tsx' ? 'through tsx' : 'compiled'} on Node ${process.version}.\n`);
  if (run.ready < o.objects) {
    console.log(`Did not converge within ${o.convergeTimeoutMs / 1000} s: the steady-state rows below still include convergence work.\n`);
  }
  console.log('| measure | value |\n| --- | ---: |');
  console.log(`| objects created through the API (32 in flight) | ${run.createSeconds.toFixed(1)} s (${Math.round(run.createdPerSecond)}/s) |`);
  console.log(`| controller start to caches synced | ${run.startSeconds.toFixed(1)} s |`);
  console.log(`| controller start to the first Ready | ${run.firstReadySeconds.toFixed(1)} s |`);
  console.log(`| controller start to half Ready | ${run.halfReadySeconds.toFixed(1)} s |`);
  console.log(`| controller start to ${run.ready < o.objects ? `${fmt(run.ready)} Ready (timed out)` : 'all Ready'} | ${run.convergeSeconds.toFixed(1)} s |`);
  console.log(`| AWS calls to converge | ${fmt(sum(run.convergeCalls))} (${fmt(sum(run.convergeCalls, (op) => !isReadOperation(op)))} writes) |`);
  console.log(`| controller CPU to converge | ${run.convergeCpuSeconds.toFixed(1)} s |`);
  console.log(`| controller peak RSS | ${run.peakRssMiB.toFixed(0)} MiB |`);
  console.log(`| steady state: RSS / JS heap used | ${run.steady.rssMiB.toFixed(0)} MiB / ${run.steady.heapUsedMiB.toFixed(0)} MiB |`);
  console.log(`| steady state: CPU over one resync period | ${run.steady.cpuSeconds.toFixed(1)} s in ${run.steady.windowSeconds} s (${((100 * run.steady.cpuSeconds) / run.steady.windowSeconds).toFixed(0)}% of a core) |`);
  console.log(`| steady state: AWS calls in one resync period | ${fmt(run.steady.total)} (${fmt(run.steady.mutating)} writes) |`);
  console.log(`| steady state: status writes in one resync period | ${fmt(run.steady.statusWrites)} |`);
  console.log(`| kubectl apply of one change to Ready (${run.changeMs.length} changes) | median ${Math.round(median(run.changeMs))} ms, max ${Math.round(Math.max(...run.changeMs))} ms |`);
  console.log('');
  const m = run.steady.memory;
  const mib = (n: number) => n.toFixed(1);
  console.log(`Steady-state RSS by mapping (/proc/<pid>/smaps; ${m.threads} threads):\n`);
  console.log('| part | RSS MiB |\n| --- | ---: |');
  console.log(`| node binary (code, read-only data) | ${mib(m.rss.nodeBinary)} |`);
  console.log(`| other files (shared libraries) | ${mib(m.rss.otherFiles)} |`);
  console.log(`| brk heap (glibc's main arena) | ${mib(m.rss.brkHeap)} |`);
  console.log(`| main thread stack | ${mib(m.rss.stacks)} |`);
  console.log(`| anonymous mappings (V8 heap, thread arenas and stacks, native buffers) | ${mib(m.rss.anonymous)} |`);
  for (const row of m.anonymousBySize) console.log(`| - of which mappings of ${row.size} (${row.mappings}) | ${mib(row.rssMiB)} |`);
  console.log('');
  console.log(`V8's heap at steady state: ${mib(m.heapTotalMiB)} MiB committed, ${mib(m.heapUsedMiB)} MiB used; external (ArrayBuffers, native strings) ${mib(m.externalMiB)} MiB:\n`);
  console.log('| space | committed MiB | used MiB |\n| --- | ---: | ---: |');
  for (const s of m.heapSpaces.filter((x) => x.totalMiB > 0)) console.log(`| ${s.space} | ${mib(s.totalMiB)} | ${mib(s.usedMiB)} |`);
  console.log('');
  console.log('Converging, every 10 s since the controller started:\n');
  console.log(`| seconds | ${run.progress.map((p) => p.seconds).join(' | ')} |`);
  console.log(`| --- | ${run.progress.map(() => '---:').join(' | ')} |`);
  console.log(`| Ready | ${run.progress.map((p) => fmt(p.ready)).join(' | ')} |`);
  console.log(`| RSS MiB | ${run.progress.map((p) => p.rssMiB.toFixed(0)).join(' | ')} |`);
  console.log('');
  console.log('AWS calls to converge, by operation:\n');
  console.log('| operation | calls |\n| --- | ---: |');
  for (const [op, outcomes] of Object.entries(run.convergeCalls).sort()) {
    console.log(`| ${op} | ${Object.entries(outcomes).map(([k, n]) => (k === 'ok' ? fmt(n) : `${fmt(n)} ${k}`)).join(', ')} |`);
  }
  console.log('');
  console.log('AWS calls of one steady-state resync period, by operation:\n');
  console.log('| operation | calls |\n| --- | ---: |');
  for (const [op, outcomes] of Object.entries(run.steady.calls).sort()) {
    console.log(`| ${op} | ${Object.entries(outcomes).map(([k, n]) => (k === 'ok' ? fmt(n) : `${fmt(n)} ${k}`)).join(', ')} |`);
  }
  console.log('');
}

export function clusterOptionsFromEnv(): ClusterBenchOptions {
  const num = (name: string, fallback: number) => (process.env[name] ? Number(process.env[name]) : fallback);
  return {
    objects: num('CHIME_BENCH_OBJECTS', 10_000),
    namespaces: 10,
    resyncSeconds: num('CHIME_BENCH_RESYNC', 120),
    concurrency: num('CHIME_BENCH_CONCURRENCY', 8),
    convergeTimeoutMs: num('CHIME_BENCH_CONVERGE_TIMEOUT', 480) * 1000,
    changes: 5,
    controller: process.env.CHIME_BENCH_CONTROLLER === 'tsx' ? 'tsx' : 'compiled',
  };
}

if (import.meta.url === `file://${process.argv[1]}`) printCluster(await benchCluster(clusterOptionsFromEnv()));
