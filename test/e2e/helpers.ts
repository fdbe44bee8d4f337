/**
 * Shared helpers of the end-to-end tests: the controller as its own process (`chime-voice-operator
 * run`), its pino log lines, the real kubectl against the test cluster (conditions, Events, object
 * dumps), and the emulator's call counters.
 *
 *   const cluster = await startCluster();
 *   const emulator = await startEmulator({ clockRate: 50 });
 *   await applyCrds(cluster);
 *   const controller = await startController({ kubeconfig: cluster.kubeconfig, endpoint: emulator.url });
 *   await cluster.kubectl(['apply', '-f', 'examples/ivr/']);
 *   await waitForCondition(cluster, 'siprule/ivr-main-number', 'Ready');
 *   await controller.stop();
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parse, parseDocument } from 'yaml';
import { REPO_ROOT, type Cluster } from '../helpers/cluster.js';
import { imageRuntime } from '../helpers/dockerfile.js';
import { ensureBuilt, userEnv } from '../package/build.js';
import { isReadOperation } from '../../src/aws/context.js';

export { REPO_ROOT };

// --- polling ---------------------------------------------------------------------------------

export const sleep = (ms: number) => new Promise<void>((r) => setTimeout(r, ms));

/**
 * Polls `probe` until it returns something other than undefined/false, and returns that. On timeout
 * throws with `what` and the last value or error, so a failure says what was awaited.
 */
export async function eventually<T>(
  what: string,
  probe: () => Promise<T | undefined | false> | T | undefined | false,
  { timeoutMs = 60_000, intervalMs = 250 }: { timeoutMs?: number; intervalMs?: number } = {},
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  let last: unknown;
  for (;;) {
    try {
      const v = await probe();
      if (v !== undefined && v !== false) return v;
      last = v;
    } catch (err) {
      last = (err as Error).message;
    }
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what} (last: ${JSON.stringify(last)})`);
    await sleep(intervalMs);
  }
}

// --- the controller process ------------------------------------------------------------------

/** One pino line of the controller (msg, level, and whatever the line carries). */
export interface LogLine {
  level: number;
  time: string;
  msg: string;
  kind?: string;
  namespace?: string;
  name?: string;
  [key: string]: unknown;
}

export interface StartControllerOptions {
  kubeconfig: string;
  /** The emulator's URL (--endpoint). */
  endpoint: string;
  /** --resync (default 20s). */
  resync?: string;
  /** More flags, e.g. ['--leader-elect', '--concurrency', '8']. */
  args?: string[];
  env?: Record<string, string>;
  /** Resolve start once a log line matches (default: the `controller running` line). */
  readyWhen?: (line: LogLine) => boolean;
  /** How long to wait for that line (default 60 s: tsx compiles the sources on a cold start). */
  startTimeoutMs?: number;
  /** A label for this process in logs and errors, e.g. 'replica-a'. */
  name?: string;
  /**
   * Run the compiled dist/cli/main.js (as the package and the image do; build it first) instead of
   * the TypeScript sources through tsx. The benchmarks compare the two.
   */
  compiled?: boolean;
  /** Node.js flags after the image's (or tsx's), before the script: a benchmark trying a V8 flag. */
  nodeFlags?: string[];
}

export interface ControllerProcess {
  readonly name: string;
  readonly child: ChildProcess;
  readonly pid: number;
  /** Every parsed log line so far. */
  readonly logs: LogLine[];
  /** Lines of stdout that were not JSON, and all of stderr. */
  readonly rawOutput: string[];
  /** The file the controller's stdout and stderr are copied to (for a failed test's post-mortem). */
  readonly logFile: string;
  /** The /metrics, /healthz, /readyz base URL from the `controller running` line, if any. */
  metricsUrl: string | undefined;
  /** The exit code (or 128 + signal number as a shell does), once it exited. */
  readonly exitCode: number | null | undefined;
  readonly exited: Promise<number | null>;
  /** Resolves with the first log line (from `since`, an index into logs) that matches. */
  waitForLog(predicate: (line: LogLine) => boolean, options?: { timeoutMs?: number; since?: number }): Promise<LogLine>;
  /** SIGTERM (a clean stop: work in flight finishes), then SIGKILL after `timeoutMs`. */
  stop(timeoutMs?: number): Promise<number | null>;
  /** SIGKILL at once, as a node dying would. */
  kill(): Promise<number | null>;
  /** The last lines of output, for error messages. */
  tail(lines?: number): string;
}

const running = new Set<ChildProcess>();
let exitHookInstalled = false;

const SIGNALS: Record<string, number> = { SIGHUP: 1, SIGINT: 2, SIGKILL: 9, SIGTERM: 15 };

/**
 * Starts `node --import tsx src/cli/main.ts run` (or, with `compiled`, `node dist/cli/main.js run`)
 * as a child process, the controller as users run it. Its stdin is a pipe from this process;
 * test/e2e/child-guard.mjs, preloaded, stops it when that pipe closes, so no controller outlives
 * the test process.
 */
export async function startController(options: StartControllerOptions): Promise<ControllerProcess> {
  if (!exitHookInstalled) {
    exitHookInstalled = true;
    process.on('exit', () => {
      for (const c of running) c.kill('SIGKILL');
    });
  }
  const name = options.name ?? 'controller';
  // Compiled, it starts as the image starts it: the ENTRYPOINT's node flags and the runtime stage's ENV.
  const image = options.compiled ? imageRuntime() : undefined;
  const args = [
    ...(image ? image.nodeFlags : ['--import', 'tsx']),
    ...(options.nodeFlags ?? []),
    '--import',
    join(REPO_ROOT, 'test/e2e/child-guard.mjs'),
    join(REPO_ROOT, options.compiled ? 'dist/cli/main.js' : 'src/cli/main.ts'),
    'run',
    '--kubeconfig',
    options.kubeconfig,
    '--endpoint',
    options.endpoint,
    '--metrics-bind-address',
    '127.0.0.1:0',
    '--resync',
    options.resync ?? '20s',
    ...(options.args ?? []),
  ];
  const child = spawn(process.execPath, args, {
    cwd: REPO_ROOT,
    stdio: ['pipe', 'pipe', 'pipe'],
    env: { ...process.env, ...image?.env, AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true', ...options.env },
  });
  running.add(child);
  const logFile = join(mkdtempSync(join(tmpdir(), `chime-e2e-${name}-`)), 'controller.log');
  writeFileSync(logFile, `${process.execPath} ${args.join(' ')}\n`);
  const logs: LogLine[] = [];
  const rawOutput: string[] = [];
  const waiters = new Set<{ predicate: (l: LogLine) => boolean; resolve: (l: LogLine) => void }>();
  const onLine = (line: string, stream: 'stdout' | 'stderr') => {
    if (!line) return;
    writeFileSync(logFile, `${line}\n`, { flag: 'a' });
    let parsed: LogLine | undefined;
    if (stream === 'stdout' && line.startsWith('{')) {
      try {
        parsed = JSON.parse(line) as LogLine;
      } catch {
        parsed = undefined;
      }
    }
    if (!parsed) {
      rawOutput.push(line);
      return;
    }
    logs.push(parsed);
    for (const w of [...waiters]) {
      if (w.predicate(parsed)) {
        waiters.delete(w);
        w.resolve(parsed);
      }
    }
  };
  for (const [stream, readable] of [
    ['stdout', child.stdout],
    ['stderr', child.stderr],
  ] as const) {
    let buffer = '';
    readable.setEncoding('utf8').on('data', (chunk: string) => {
      buffer += chunk;
      let i: number;
      while ((i = buffer.indexOf('\n')) >= 0) {
        onLine(buffer.slice(0, i), stream);
        buffer = buffer.slice(i + 1);
      }
    });
    readable.on('end', () => onLine(buffer, stream));
  }
  let exitCode: number | null | undefined;
  const exited = new Promise<number | null>((resolve) => {
    child.on('exit', (code, signal) => {
      exitCode = code ?? (signal ? 128 + (SIGNALS[signal] ?? 0) : null);
      running.delete(child);
      resolve(exitCode);
    });
    child.on('error', () => {
      exitCode = -1;
      running.delete(child);
      resolve(-1);
    });
  });
  child.stdin.on('error', () => {});

  const tail = (n = 40) => [...readFileSync(logFile, 'utf8').trimEnd().split('\n')].slice(-n).join('\n');

  const waitForLog: ControllerProcess['waitForLog'] = (predicate, { timeoutMs = 60_000, since = 0 } = {}) => {
    const found = logs.slice(since).find(predicate);
    if (found) return Promise.resolve(found);
    return new Promise<LogLine>((resolve, reject) => {
      const waiter = {
        predicate,
        resolve: (l: LogLine) => {
          clearTimeout(timer);
          resolve(l);
        },
      };
      const timer = setTimeout(() => {
        waiters.delete(waiter);
        reject(new Error(`${name}: no matching log line within ${timeoutMs} ms; last output (${logFile}):\n${tail()}`));
      }, timeoutMs);
      waiters.add(waiter);
      void exited.then((code) => {
        if (!waiters.has(waiter)) return;
        waiters.delete(waiter);
        clearTimeout(timer);
        reject(new Error(`${name} exited with ${code} before the awaited log line; last output (${logFile}):\n${tail()}`));
      });
    });
  };

  const proc: ControllerProcess = {
    name,
    child,
    pid: child.pid ?? -1,
    logs,
    rawOutput,
    logFile,
    metricsUrl: undefined,
    get exitCode() {
      return exitCode;
    },
    exited,
    waitForLog,
    async stop(timeoutMs = 20_000) {
      if (exitCode !== undefined) return exitCode;
      child.kill('SIGTERM');
      const timer = setTimeout(() => child.kill('SIGKILL'), timeoutMs);
      const code = await exited;
      clearTimeout(timer);
      return code;
    },
    async kill() {
      if (exitCode !== undefined) return exitCode;
      child.kill('SIGKILL');
      return exited;
    },
    tail,
  };
  const ready = await waitForLog(options.readyWhen ?? ((l) => l.msg === 'controller running'), { timeoutMs: options.startTimeoutMs ?? 60_000 });
  const running_ = logs.find((l) => l.msg === 'controller running') ?? ready;
  if (typeof running_.metrics === 'string') proc.metricsUrl = running_.metrics;
  return proc;
}

// --- kubectl ---------------------------------------------------------------------------------

/** Applies crds/ (server-side, as Argo CD and Helm would) and waits until every CRD is Established. */
export async function applyCrds(cluster: Cluster): Promise<void> {
  await cluster.kubectl(['apply', '--server-side', '--field-manager=chime-e2e', '-f', 'crds/']);
  const names = readdirSync(join(REPO_ROOT, 'crds'))
    .filter((f) => f.endsWith('.yaml'))
    .map((f) => `crd/${f.replace(/\.yaml$/, '')}`);
  await cluster.kubectl(['wait', '--for=condition=established', '--timeout=60s', ...names]);
}

/** Every manifest under examples/ except the Argo CD Application (examples/argocd/). */
export function exampleFiles(): string[] {
  const out: string[] = [];
  for (const dir of readdirSync(join(REPO_ROOT, 'examples')).sort()) {
    if (dir === 'argocd') continue;
    for (const f of readdirSync(join(REPO_ROOT, 'examples', dir)).sort()) if (f.endsWith('.yaml')) out.push(`examples/${dir}/${f}`);
  }
  return out;
}

/** The chimevoice.io objects (not Secrets) of a set of manifest files, as `kind/name` for kubectl. */
export function objectsOf(files: string[]): Array<{ kind: string; name: string; namespace: string; ref: string }> {
  const out: Array<{ kind: string; name: string; namespace: string; ref: string }> = [];
  for (const f of files) {
    for (const doc of readFileSync(join(REPO_ROOT, f), 'utf8').split(/^---\s*$/m)) {
      const obj = parse(doc) as { apiVersion?: string; kind: string; metadata: { name: string; namespace?: string } } | null;
      if (!obj?.apiVersion?.startsWith('chimevoice.io/')) continue;
      out.push({ kind: obj.kind, name: obj.metadata.name, namespace: obj.metadata.namespace ?? 'default', ref: `${obj.kind.toLowerCase()}.chimevoice.io/${obj.metadata.name}` });
    }
  }
  return out;
}

/**
 * `kubectl wait --for=condition=<type>[=<status>]` on one or more objects (`kind/name`). A failure
 * includes each object's conditions, so it says why.
 */
export async function waitForCondition(
  cluster: Cluster,
  refs: string | string[],
  condition: string,
  { status = 'True', namespace = 'default', timeoutMs = 90_000 }: { status?: string; namespace?: string; timeoutMs?: number } = {},
): Promise<void> {
  const list = Array.isArray(refs) ? refs : [refs];
  const forArg = status === 'True' ? `--for=condition=${condition}` : `--for=condition=${condition}=${status}`;
  const r = await cluster.kubectl(['wait', '-n', namespace, forArg, `--timeout=${Math.round(timeoutMs / 1000)}s`, ...list], {
    check: false,
    timeoutMs: timeoutMs + 15_000,
  });
  if (r.code === 0) return;
  const details: string[] = [];
  for (const ref of list) {
    const got = await cluster.kubectl(['get', '-n', namespace, ref, '-o', 'jsonpath={.status.conditions}'], { check: false });
    details.push(`${ref}: ${got.stdout || got.stderr}`);
  }
  throw new Error(`kubectl wait ${forArg} failed: ${r.stderr.trim()}\n${details.join('\n')}`);
}

/** An object as JSON (undefined when it does not exist). */
export async function getObject(cluster: Cluster, ref: string, namespace = 'default'): Promise<any> {
  const r = await cluster.kubectl(['get', '-n', namespace, ref, '-o', 'json'], { check: false });
  if (r.code !== 0) {
    if (/NotFound/.test(r.stderr)) return undefined;
    throw new Error(`kubectl get ${ref}: ${r.stderr}`);
  }
  return JSON.parse(r.stdout);
}

/** A condition of an object, e.g. condition(obj, 'Drifted'). */
export function conditionOf(obj: any, type: string): { type: string; status: string; reason?: string; message?: string; observedGeneration?: number } | undefined {
  return obj?.status?.conditions?.find((c: { type: string }) => c.type === type);
}

/** Waits until the object is gone (its finalizer removed and the API server deleted it). */
export async function waitForGone(cluster: Cluster, ref: string, { namespace = 'default', timeoutMs = 60_000 } = {}): Promise<void> {
  const r = await cluster.kubectl(['wait', '-n', namespace, '--for=delete', `--timeout=${Math.round(timeoutMs / 1000)}s`, ref], {
    check: false,
    timeoutMs: timeoutMs + 15_000,
  });
  if (r.code === 0 || /NotFound/.test(r.stderr)) return;
  const obj = await getObject(cluster, ref, namespace);
  throw new Error(`${ref} still exists after ${timeoutMs} ms: ${r.stderr.trim()}\nstatus: ${JSON.stringify(obj?.status?.conditions)}`);
}

export interface KubeEvent {
  reason: string;
  message: string;
  type: string;
  count: number;
  kind: string;
  name: string;
  source?: string;
}

/** The Events of an object: `kubectl get events --field-selector involvedObject.name=<name>`. */
export async function eventsOf(cluster: Cluster, name: string, { namespace = 'default', kind }: { namespace?: string; kind?: string } = {}): Promise<KubeEvent[]> {
  const selector = [`involvedObject.name=${name}`, ...(kind ? [`involvedObject.kind=${kind}`] : [])].join(',');
  const { stdout } = await cluster.kubectl(['get', 'events', '-n', namespace, '--field-selector', selector, '-o', 'json']);
  return (JSON.parse(stdout).items as any[])
    .sort((a, b) => String(a.firstTimestamp ?? a.eventTime).localeCompare(String(b.firstTimestamp ?? b.eventTime)))
    .map((e) => ({
      reason: e.reason,
      message: e.message,
      type: e.type,
      count: e.count ?? 1,
      kind: e.involvedObject?.kind,
      name: e.involvedObject?.name,
      source: e.source?.component ?? e.reportingComponent,
    }));
}

/** Waits for an Event with this reason on the object, and returns it. */
export function waitForEvent(cluster: Cluster, name: string, reason: string, options: { namespace?: string; kind?: string; timeoutMs?: number } = {}): Promise<KubeEvent> {
  return eventually(
    `an Event ${reason} on ${name}`,
    async () => (await eventsOf(cluster, name, options)).find((e) => e.reason === reason),
    { timeoutMs: options.timeoutMs ?? 60_000, intervalMs: 500 },
  );
}

/**
 * `kubectl get <ref> -o yaml`, with metadata.managedFields stripped (they change with every
 * write and say nothing about the object), for test/e2e/testdata and the Argo CD testdata.
 */
export async function objectYaml(cluster: Cluster, ref: string, namespace = 'default'): Promise<string> {
  const { stdout } = await cluster.kubectl(['get', '-n', namespace, ref, '-o', 'yaml']);
  // Edited as a document so that every other line stays as kubectl printed it (quoted timestamps,
  // unindented sequences): Go YAML decoders read unquoted timestamps as times.
  const doc = parseDocument(stdout);
  doc.deleteIn(['metadata', 'managedFields']);
  return doc.toString({ indentSeq: false, lineWidth: 0 });
}

/**
 * Writes a dump to test/e2e/testdata/<file>, with a header saying where it comes from, when
 * CHIME_E2E_WRITE_TESTDATA=1 (ids and timestamps differ on every run, so an ordinary run leaves
 * the committed dumps alone). Returns the object.
 */
export function saveTestdata(file: string, yaml: string, what: string): any {
  if (process.env.CHIME_E2E_WRITE_TESTDATA === '1') {
    const header = `# ${what}\n# Captured by the end-to-end tests (test/e2e/) from a real kube-apiserver: kubectl get -o yaml, managedFields stripped.\n`;
    writeFileSync(join(REPO_ROOT, 'test/e2e/testdata', file), header + yaml);
  }
  return parse(yaml);
}

/** kubectl apply of an object given as a JS value. */
export async function applyObject(cluster: Cluster, obj: unknown, extraArgs: string[] = []) {
  return cluster.kubectl(['apply', ...extraArgs, '-f', '-'], { input: JSON.stringify(obj) });
}

// --- the emulator ----------------------------------------------------------------------------

/** Operations that change AWS: all but the reads. */
export function isMutating(operation: string): boolean {
  return !isReadOperation(operation);
}

/** The mutating calls in a counter table, by operation (successful or not). */
export function mutatingCalls(counters: Record<string, Record<string, number>>): Record<string, number> {
  const out: Record<string, number> = {};
  for (const [op, outcomes] of Object.entries(counters)) {
    if (!isMutating(op)) continue;
    const n = Object.values(outcomes).reduce((a, b) => a + b, 0);
    if (n > 0) out[op] = n;
  }
  return out;
}

export interface CommandRun {
  code: number | null;
  stdout: string;
  stderr: string;
}

/** Runs a command from the repository's root to its end (killed after `timeoutMs`), its output captured. */
export function run(command: string, args: string[], env: NodeJS.ProcessEnv, timeoutMs = 120_000): Promise<CommandRun> {
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, { cwd: REPO_ROOT, env });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d) => (stdout += d));
    child.stderr.on('data', (d) => (stderr += d));
    const timer = setTimeout(() => child.kill('SIGKILL'), timeoutMs);
    child.on('error', reject);
    child.on('close', (code) => {
      clearTimeout(timer);
      resolve({ code, stdout, stderr });
    });
  });
}

/**
 * kubectl as a user has it after installing the package: npm's bin link of package.json "bin"
 * (kubectl-chime → bin/kubectl-chime.js) in a folder on PATH, the compiled CLI built, and the
 * cluster as the current context. Returns the kubectl to run and its environment.
 */
export function kubectlWithPlugin(scratch: string, kubeconfig: string): { kubectl: string; env: NodeJS.ProcessEnv; binDir: string } {
  ensureBuilt();
  const binDir = join(scratch, 'bin');
  mkdirSync(binDir, { recursive: true });
  symlinkSync(join(REPO_ROOT, 'bin/kubectl-chime.js'), join(binDir, 'kubectl-chime'));
  const env = userEnv({ KUBECONFIG: kubeconfig });
  env.PATH = `${binDir}:${env.PATH}`;
  return { kubectl: process.env.KUBECTL ?? 'kubectl', env, binDir };
}
