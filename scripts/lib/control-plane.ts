/**
 * A control plane on loopback: a real etcd and a real kube-apiserver, built from source by
 * scripts/build-test-cluster.sh (cached in test/cluster/.cache/bin), the way controller-runtime's
 * envtest runs its control plane. No kubelet, no controller manager, no scheduler: the API server
 * alone, which is what a controller talks to. The tests start one per file (test/helpers/cluster.ts)
 * and `npm run cluster` (scripts/cluster.ts) starts one for a person to try the controller in; this
 * is the one copy of how both start, guard and stop the servers.
 *
 *   const cluster = await startCluster();
 *   await cluster.kubectl(['apply', '-f', 'crds/']);
 *   await cluster.restart();        // the API server only; etcd and its data stay
 *   await cluster.stop();
 *
 * Authentication is a static token in --token-auth-file for a user in system:masters; the
 * kubeconfig at cluster.kubeconfig carries it and the API server's CA. Everything lives in one
 * temporary folder (cluster.dir), removed on stop() unless `keepDir`. The API server's and etcd's
 * logs are apiserver.log and etcd.log there.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { generateKeyPairSync, randomBytes } from 'node:crypto';
import { closeSync, existsSync, mkdirSync, mkdtempSync, openSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { request as httpRequest } from 'node:http';
import { request as httpsRequest } from 'node:https';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

export const REPO_ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '../..');
const BUILD_SCRIPT = join(REPO_ROOT, 'scripts/build-test-cluster.sh');

export interface KubectlOptions {
  /** Written to kubectl's standard input (for `apply -f -`). */
  input?: string;
  /** Throw when kubectl exits non-zero (default true). With false, look at `code` yourself. */
  check?: boolean;
  /** Kill kubectl after this many milliseconds (default 60 s). */
  timeoutMs?: number;
}

export interface KubectlResult {
  code: number;
  stdout: string;
  stderr: string;
}

export interface Cluster {
  /** Path of a kubeconfig file for the admin user (token in system:masters). */
  kubeconfig: string;
  /** The API server's URL, https://127.0.0.1:<port>. It keeps its port across restart(). */
  server: string;
  /** The admin bearer token. */
  token: string;
  /** The API server's CA bundle (PEM), as in the kubeconfig. */
  caData: string;
  /** etcd's client URL, http://127.0.0.1:<port>. */
  etcdUrl: string;
  /** The cluster's temporary folder (data, certificates, logs, kubeconfig). */
  dir: string;
  /** The Kubernetes version of the API server, e.g. v1.33.13. */
  version: string;
  /** Runs the real kubectl with this cluster's kubeconfig. */
  kubectl(args: string[], options?: KubectlOptions): Promise<KubectlResult>;
  /** Stops the API server only (etcd and its data stay), e.g. to test a controller while it is down. */
  stopApiServer(): Promise<void>;
  /** Starts the API server again (same port, certificates and token) and waits for /readyz. */
  startApiServer(): Promise<void>;
  /** stopApiServer() then startApiServer(). */
  restart(): Promise<void>;
  /** Stops both processes and removes the folder. Safe to call twice. */
  stop(): Promise<void>;
  /** The servers running now: name, pid (of its guard, which leads the server's process group) and log file. */
  processes(): ProcessInfo[];
}

export interface ProcessInfo {
  name: string;
  pid: number;
  log: string;
}

export interface StartClusterOptions {
  /** Extra kube-apiserver flags, e.g. ['--feature-gates=...'] or ['--v=4']. */
  apiServerArgs?: string[];
  /** How long to wait for the API server's /readyz (default 90 s). */
  readyTimeoutMs?: number;
  /** The API server's port on 127.0.0.1 (default: a free one). A port in use fails the start at once, naming it. */
  apiServerPort?: number;
  /** Prefix of the temporary folder's name (default chime-test-cluster-). */
  dirPrefix?: string;
  /** Keep the folder (logs, data) after stop(). */
  keepDir?: boolean;
  /** The build of the binaries, when they are missing (see ensureClusterBinaries). */
  buildWatch?: BuildWatch;
}

// --- binaries --------------------------------------------------------------------------------

let binDirPromise: Promise<string> | undefined;

/** What a caller of a build script may ask for beyond its result. */
export interface BuildWatch {
  /** Each line the script writes to stderr (its progress); without it they go to this process's stderr. */
  onOutput?: (line: string) => void;
  /**
   * The script's process, as it starts. With this the script leads a process group of its own, and
   * the caller stops it (killProcessGroup) if it must: a signal to the script alone would leave its
   * `go build` running.
   */
  onSpawn?: (child: ChildProcess) => void;
}

/**
 * Runs a build script of scripts/ that prints `<marker>=<path>` last on success, and resolves with
 * that path once `exists(path)`; else fails naming the script and its exit code.
 */
export function runBuildScript(script: string, marker: string, exists: (path: string) => boolean, watch: BuildWatch = {}): Promise<string> {
  return new Promise<string>((resolvePromise, reject) => {
    const child = spawn('bash', [script], { cwd: REPO_ROOT, stdio: ['ignore', 'pipe', watch.onOutput ? 'pipe' : 'inherit'], detached: watch.onSpawn !== undefined });
    watch.onSpawn?.(child);
    let out = '';
    child.stdout!.setEncoding('utf8').on('data', (chunk: string) => (out += chunk));
    if (watch.onOutput) forEachLine(child.stderr!, watch.onOutput);
    child.on('error', reject);
    child.on('close', (code, signal) => {
      const path = new RegExp(`^${marker}=(.+)$`, 'm').exec(out)?.[1];
      if (code === 0 && path && exists(path)) {
        resolvePromise(path);
      } else {
        const name = relative(REPO_ROOT, script);
        reject(new Error(`${name} failed (${signal ? `killed by ${signal}` : `exit ${code}`})${watch.onOutput ? '' : '; see its output above'}`));
      }
    });
  });
}

/**
 * Runs scripts/build-test-cluster.sh, which returns at once when the binaries for the pinned
 * versions are cached, and builds them otherwise (5 to 8 minutes cold on 2 cores; seconds with a
 * warm Go build cache).
 */
export function ensureClusterBinaries(watch: BuildWatch = {}): Promise<string> {
  binDirPromise ??= runBuildScript(BUILD_SCRIPT, 'BIN_DIR', (dir) => existsSync(join(dir, 'kube-apiserver')) && existsSync(join(dir, 'etcd')), watch);
  binDirPromise.catch(() => (binDirPromise = undefined));
  return binDirPromise;
}

/** Calls `onLine` for each line of a stream, the last one too when it has no newline. */
export function forEachLine(stream: NodeJS.ReadableStream, onLine: (line: string) => void): void {
  let buffer = '';
  stream.setEncoding('utf8');
  stream.on('data', (chunk: string) => {
    buffer += chunk;
    let i: number;
    while ((i = buffer.indexOf('\n')) >= 0) {
      onLine(buffer.slice(0, i));
      buffer = buffer.slice(i + 1);
    }
  });
  stream.on('end', () => {
    if (buffer) onLine(buffer);
  });
}

// --- processes -------------------------------------------------------------------------------

/**
 * Every server runs under this small bash guard, which ties it to our end of a pipe: when its
 * standard input closes, it sends SIGTERM to the server, then SIGKILL after 10 s. The pipe closes
 * when stop() ends it and also when this Node process dies in any way (even SIGKILL, or a vitest
 * worker torn down), so no etcd or kube-apiserver outlives the test run.
 */
const GUARD = `
exec 3<&0
"$@" 3<&- </dev/null &
child=$!
(
  while read -r -u 3 _; do :; done
  kill -TERM "$child" 2>/dev/null
  for _ in $(seq 100); do kill -0 "$child" 2>/dev/null || exit 0; sleep 0.1; done
  kill -KILL "$child" 2>/dev/null
) &
watcher=$!
wait "$child"
status=$?
kill "$watcher" 2>/dev/null
exit "$status"
`;

/** A server under the guard. Its guard leads a process group of its own (see startProcess). */
export interface Proc {
  name: string;
  child: ChildProcess;
  log: string;
  exited: Promise<number | null>;
  exitCode: number | null | undefined;
}

const running = new Set<Proc>();
let exitHookInstalled = false;

function installExitHook(): void {
  if (exitHookInstalled) return;
  exitHookInstalled = true;
  // Closing the guards' pipes is enough (see GUARD); the OS does it anyway when we die.
  process.on('exit', () => {
    for (const p of running) p.child.stdin?.destroy();
  });
}

/**
 * Starts `bin args` under the guard, output appended to `log`. The guard leads a process group of
 * its own (detached), so that a Ctrl-C in the terminal reaches only the process that started it,
 * which then stops the servers in order (a controller before the API server it talks to) rather
 * than all at once; killProcessGroup() reaches the server through it.
 */
export function startProcess(name: string, bin: string, args: string[], log: string, env?: NodeJS.ProcessEnv): Proc {
  installExitHook();
  const fd = openSync(log, 'a');
  writeFileSync(fd, `\n==== ${new Date().toISOString()} ${bin} ${args.join(' ')}\n`);
  const child = spawn('bash', ['-c', GUARD, name, bin, ...args], { stdio: ['pipe', fd, fd], detached: true, ...(env ? { env } : {}) });
  closeSync(fd);
  const proc: Proc = { name, child, log, exitCode: undefined, exited: Promise.resolve(null) };
  proc.exited = new Promise((res) => {
    child.on('exit', (code, signal) => {
      proc.exitCode = code ?? (signal ? 128 : null);
      running.delete(proc);
      res(proc.exitCode);
    });
    child.on('error', () => {
      proc.exitCode = -1;
      running.delete(proc);
      res(-1);
    });
  });
  running.add(proc);
  return proc;
}

/** Closes the guard's pipe (SIGTERM to the server, SIGKILL 10 s later), and waits until it exited. */
export async function stopProcess(proc: Proc | undefined, timeoutMs = 20_000): Promise<void> {
  if (!proc || proc.exitCode !== undefined) return;
  proc.child.stdin?.end();
  const timer = setTimeout(() => killProcessGroup(proc), timeoutMs);
  await proc.exited;
  clearTimeout(timer);
}

/** SIGKILL to the guard's whole process group: the guard, its watcher and the server. */
export function killProcessGroup(proc: Proc): void {
  if (proc.child.pid === undefined) return;
  try {
    process.kill(-proc.child.pid, 'SIGKILL');
  } catch {
    // ESRCH: the group is gone already.
  }
}

export function logTail(file: string, lines = 30): string {
  try {
    return readFileSync(file, 'utf8').trimEnd().split('\n').slice(-lines).join('\n');
  } catch {
    return '(no log)';
  }
}

// --- helpers ---------------------------------------------------------------------------------

/** A free TCP port on 127.0.0.1 (the OS picks it; the small race until the server binds is accepted). */
export function freePort(): Promise<number> {
  return new Promise((res, rej) => {
    const server = createServer();
    server.unref();
    server.on('error', rej);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      const port = typeof address === 'object' && address ? address.port : 0;
      server.close(() => res(port));
    });
  });
}

interface HttpAnswer {
  status: number;
  body: string;
}

export function httpGet(url: string, headers: Record<string, string> = {}, ca?: string): Promise<HttpAnswer> {
  return new Promise((res, rej) => {
    const u = new URL(url);
    const options = {
      method: 'GET',
      headers,
      timeout: 5_000,
      // Until the API server has written its certificate there is no CA to check against.
      ...(u.protocol === 'https:' ? (ca ? { ca } : { rejectUnauthorized: false }) : {}),
    };
    const req = (u.protocol === 'https:' ? httpsRequest : httpRequest)(u, options, (resp) => {
      let body = '';
      resp.setEncoding('utf8').on('data', (c: string) => (body += c));
      resp.on('end', () => res({ status: resp.statusCode ?? 0, body }));
    });
    req.on('timeout', () => req.destroy(new Error(`timeout on ${url}`)));
    req.on('error', rej);
    req.end();
  });
}

/** Polls `probe` until it answers true; fails at once, with the log's last lines, if `proc` exits meanwhile. */
export async function waitFor(
  what: string,
  proc: Proc,
  timeoutMs: number,
  probe: () => Promise<boolean>,
): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  let lastError = '';
  while (Date.now() < deadline) {
    if (proc.exitCode !== undefined) {
      throw new Error(`${what}: ${proc.name} exited with ${proc.exitCode}; last lines of ${proc.log}:\n${logTail(proc.log)}`);
    }
    try {
      if (await probe()) return;
    } catch (e) {
      lastError = (e as Error).message;
    }
    await new Promise((r) => setTimeout(r, 250));
  }
  throw new Error(`${what}: not ready within ${Math.round(timeoutMs / 1000)} s (${lastError}); last lines of ${proc.log}:\n${logTail(proc.log)}`);
}

/** Runs kubectl with the given kubeconfig. */
export function runKubectl(kubeconfig: string, args: string[], options: KubectlOptions = {}): Promise<KubectlResult> {
  const { input, check = true, timeoutMs = 60_000 } = options;
  return new Promise((res, rej) => {
    const child = spawn(process.env.KUBECTL ?? 'kubectl', ['--kubeconfig', kubeconfig, ...args], {
      cwd: REPO_ROOT,
      env: { ...process.env, KUBECONFIG: kubeconfig },
      stdio: ['pipe', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout.setEncoding('utf8').on('data', (c: string) => (stdout += c));
    child.stderr.setEncoding('utf8').on('data', (c: string) => (stderr += c));
    const timer = setTimeout(() => child.kill('SIGKILL'), timeoutMs);
    child.on('error', (e) => {
      clearTimeout(timer);
      rej(e);
    });
    child.on('close', (code, signal) => {
      clearTimeout(timer);
      const result = { code: code ?? (signal ? 128 : -1), stdout, stderr };
      if (check && result.code !== 0) {
        rej(new Error(`kubectl ${args.join(' ')} exited with ${result.code}:\n${stderr}${stdout}`));
      } else {
        res(result);
      }
    });
    child.stdin.on('error', () => {}); // kubectl may exit before reading its input
    child.stdin.end(input ?? '');
  });
}

// --- the cluster -----------------------------------------------------------------------------

export async function startCluster(options: StartClusterOptions = {}): Promise<Cluster> {
  if (options.apiServerPort !== undefined) await assertPortFree(options.apiServerPort, 'the API server');
  const binDir = await ensureClusterBinaries(options.buildWatch);
  const readyTimeoutMs = options.readyTimeoutMs ?? 90_000;
  const dir = mkdtempSync(join(tmpdir(), options.dirPrefix ?? 'chime-test-cluster-'));
  const certDir = join(dir, 'certs');
  mkdirSync(certDir);

  const [etcdPort, peerPort, freeApiPort] = await distinctPorts(3, options.apiServerPort !== undefined ? [options.apiServerPort] : []);
  const apiPort = options.apiServerPort ?? freeApiPort;
  const etcdUrl = `http://127.0.0.1:${etcdPort}`;
  const server = `https://127.0.0.1:${apiPort}`;

  // The admin user: a static token in system:masters (token,user,uid,"group1,group2").
  const token = randomBytes(24).toString('hex');
  const tokenFile = join(dir, 'tokens.csv');
  writeFileSync(tokenFile, `${token},admin,admin,"system:masters"\n`, { mode: 0o600 });

  // The service account token signer: an RSA key pair, public key for checking.
  const { privateKey, publicKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
  const saKey = join(dir, 'sa.key');
  const saPub = join(dir, 'sa.pub');
  writeFileSync(saKey, privateKey.export({ type: 'pkcs8', format: 'pem' }), { mode: 0o600 });
  writeFileSync(saPub, publicKey.export({ type: 'spki', format: 'pem' }));

  let etcd: Proc | undefined;
  let apiServer: Proc | undefined;
  let stopped = false;

  const etcdArgs = [
    '--name=test',
    `--data-dir=${join(dir, 'etcd')}`,
    `--listen-client-urls=${etcdUrl}`,
    `--advertise-client-urls=${etcdUrl}`,
    `--listen-peer-urls=http://127.0.0.1:${peerPort}`,
    `--initial-advertise-peer-urls=http://127.0.0.1:${peerPort}`,
    `--initial-cluster=test=http://127.0.0.1:${peerPort}`,
    '--initial-cluster-state=new',
    // Throw-away data: no fsync (a big win on a shared disk), and no metrics listener.
    '--unsafe-no-fsync',
    '--log-level=warn',
  ];

  const apiServerArgs = [
    `--etcd-servers=${etcdUrl}`,
    '--bind-address=127.0.0.1',
    `--secure-port=${apiPort}`,
    // No --tls-cert-file: the API server makes a self-signed CA and serving certificate in
    // --cert-dir (apiserver.crt holds the certificate then its CA; SANs include the bind address
    // 127.0.0.1), and reuses them on restart, so the kubeconfig stays valid.
    `--cert-dir=${certDir}`,
    `--token-auth-file=${tokenFile}`,
    '--authorization-mode=RBAC',
    `--service-account-issuer=${server}`,
    `--service-account-key-file=${saPub}`,
    `--service-account-signing-key-file=${saKey}`,
    // Services need a range to allocate cluster IPs from; nothing routes to it (no kube-proxy).
    '--service-cluster-ip-range=10.0.0.0/24',
    // As envtest: no controller manager makes the default ServiceAccount, so the admission plugin
    // that requires it would refuse every Pod.
    '--disable-admission-plugins=ServiceAccount',
    // The advertise address. Left unset, the API server derives it from the bind address, and
    // since a loopback bind address is "not usable" for that, it picks the interface of the
    // default route: on a machine or network namespace with no default route it then refuses to
    // start ("Unable to find suitable network address ... no default routes found in
    // /proc/net/route"); on a machine with one it would publish that interface's address. So it
    // is always set, to loopback. A loopback advertise address, in turn, cannot go into the
    // `kubernetes` Service's Endpoints (they refuse 127.0.0.0/8: the API server logs "unable to
    // sync kubernetes service ... may not be in the loopback range" every 10 s), so the endpoint
    // reconciler is off: nothing here uses that Service (clients use the kubeconfig), and no
    // address outside loopback appears anywhere. Checked on this machine and in a network
    // namespace with only `lo` up.
    '--advertise-address=127.0.0.1',
    '--endpoint-reconciler-type=none',
    ...(options.apiServerArgs ?? []),
  ];

  const caFile = join(certDir, 'apiserver.crt');
  const kubeconfig = join(dir, 'kubeconfig');
  let caData = '';
  let version = '';

  async function startApiServer(): Promise<void> {
    if (stopped) throw new Error('the cluster was stopped');
    if (apiServer && apiServer.exitCode === undefined) return;
    apiServer = startProcess('kube-apiserver', join(binDir, 'kube-apiserver'), apiServerArgs, join(dir, 'apiserver.log'));
    const auth = { Authorization: `Bearer ${token}` };
    await waitFor('kube-apiserver /readyz', apiServer, readyTimeoutMs, async () => {
      if (!existsSync(caFile)) return false;
      return (await httpGet(`${server}/readyz`, auth, readFileSync(caFile, 'utf8'))).status === 200;
    });
  }

  async function stopApiServer(): Promise<void> {
    await stopProcess(apiServer);
  }

  const cluster: Cluster = {
    kubeconfig,
    server,
    token,
    etcdUrl,
    dir,
    get caData() {
      return caData;
    },
    get version() {
      return version;
    },
    kubectl: (args, opts) => runKubectl(kubeconfig, args, opts),
    stopApiServer,
    startApiServer,
    async restart() {
      await stopApiServer();
      await startApiServer();
    },
    async stop() {
      if (stopped) return;
      stopped = true;
      await stopProcess(apiServer);
      await stopProcess(etcd);
      if (!options.keepDir) rmSync(dir, { recursive: true, force: true });
    },
    processes() {
      return [etcd, apiServer]
        .filter((p): p is Proc => p !== undefined && p.exitCode === undefined && p.child.pid !== undefined)
        .map((p) => ({ name: p.name, pid: p.child.pid!, log: p.log }));
    },
  };

  try {
    etcd = startProcess('etcd', join(binDir, 'etcd'), etcdArgs, join(dir, 'etcd.log'));
    const etcdProc = etcd;
    await waitFor('etcd /health', etcdProc, 30_000, async () => {
      const answer = await httpGet(`${etcdUrl}/health`);
      return answer.status === 200 && JSON.parse(answer.body).health === 'true';
    });
    await startApiServer();
    caData = readFileSync(caFile, 'utf8');
    writeFileSync(kubeconfig, kubeconfigYaml(server, caData, token), { mode: 0o600 });
    version = JSON.parse((await httpGet(`${server}/version`, { Authorization: `Bearer ${token}` }, caData)).body).gitVersion;
  } catch (e) {
    // Keep the folder: its logs tell why.
    stopped = true;
    await stopProcess(apiServer);
    await stopProcess(etcd);
    throw new Error(`the cluster did not start (logs kept in ${dir}): ${(e as Error).message}`);
  }
  return cluster;
}

/** `n` free ports, none of them in `taken`. */
async function distinctPorts(n: number, taken: number[] = []): Promise<number[]> {
  const ports = new Set<number>();
  while (ports.size < n) {
    const port = await freePort();
    if (!taken.includes(port)) ports.add(port);
  }
  return [...ports];
}

/** Fails, naming the port and what wanted it, when something listens on 127.0.0.1:port already. */
export function assertPortFree(port: number, what: string): Promise<void> {
  return new Promise((res, rej) => {
    const server = createServer();
    server.unref();
    server.on('error', (e: NodeJS.ErrnoException) =>
      rej(new Error(e.code === 'EADDRINUSE' ? `port ${port} on 127.0.0.1 (for ${what}) is in use: stop what listens there or choose another port` : `cannot listen on 127.0.0.1:${port} (for ${what}): ${e.message}`)),
    );
    server.listen(port, '127.0.0.1', () => server.close(() => res()));
  });
}

function kubeconfigYaml(server: string, ca: string, token: string): string {
  // JSON is YAML, and kubectl reads either.
  const config = {
    apiVersion: 'v1',
    kind: 'Config',
    clusters: [{ name: 'chime-test', cluster: { server, 'certificate-authority-data': Buffer.from(ca).toString('base64') } }],
    users: [{ name: 'admin', user: { token } }],
    contexts: [{ name: 'chime-test', context: { cluster: 'chime-test', user: 'admin' } }],
    'current-context': 'chime-test',
    preferences: {},
  };
  return `${JSON.stringify(config, null, 2)}\n`;
}
