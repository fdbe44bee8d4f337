// `npm run cluster`: a throwaway local Kubernetes control plane with the controller in it, to try
// the project as a cluster user would, without a cluster or an AWS account.
//
// It builds what is missing (dist/, kube-apiserver and etcd, helm), starts etcd and kube-apiserver
// on loopback (scripts/lib/control-plane.ts, the code the tests start them with), installs the
// chart (CRDs, RBAC, ServiceAccount), starts the Chime SDK Voice emulator and runs the compiled
// controller as the image runs it, with the chart's arguments and a token of the chart's own
// ServiceAccount, then prints what to type. Ctrl-C (or SIGTERM) stops everything, in order, and
// removes the temporary folder; a second Ctrl-C kills at once.
//
// A script of the repository rather than a command of the CLI: it needs the Go builds of
// kube-apiserver, etcd and helm and the chart's source, which are test tools of the repository and
// no part of the published package.
//
//   npm run cluster [-- --apiserver-port 6443] [-- --emulator-port 4566]
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { existsSync, mkdirSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { parseArgs } from 'node:util';
import { parseAllDocuments } from 'yaml';
import {
  assertPortFree,
  ensureClusterBinaries,
  forEachLine,
  freePort,
  httpGet,
  logTail,
  REPO_ROOT,
  startCluster,
  startProcess,
  stopProcess,
  waitFor,
  type BuildWatch,
  type Cluster,
  type Proc,
} from './lib/control-plane.js';
import { imageRuntime } from './lib/dockerfile.js';
import { CHART, ensureHelm, ok, runHelm } from './lib/helm.js';

const NAMESPACE = 'chime-system';
const RELEASE = 'chime';
/** Drift made behind the controller's back is found within this (the chart's default is 5m). */
const RESYNC = '30s';
/** The regions of examples/, for the hints. */
const HOME_REGION = 'us-east-1';
const READY_TIMEOUT_S = 90;

const usage = `usage: npm run cluster [-- --apiserver-port N] [-- --emulator-port N]

Starts a local Kubernetes API server (etcd and kube-apiserver built from source), installs the
chart, and runs the controller against the Chime SDK Voice emulator. Ctrl-C stops everything.

  --apiserver-port N   the API server's port on 127.0.0.1 (default: a free one)
  --emulator-port N    the emulator's port on 127.0.0.1 (default: a free one)
`;

function parsePort(name: string, value: string | undefined): number | undefined {
  if (value === undefined) return undefined;
  const n = Number(value);
  if (!/^\d+$/.test(value) || n < 1 || n > 65535) fail(`--${name} must be a port number (1 to 65535), not ${JSON.stringify(value)}`, 2);
  return n;
}

function fail(message: string, code = 1): never {
  process.stderr.write(`cluster: ${message}\n`);
  process.exit(code);
}

let options: { apiServerPort?: number; emulatorPort?: number };
try {
  const { values } = parseArgs({
    options: { 'apiserver-port': { type: 'string' }, 'emulator-port': { type: 'string' }, help: { type: 'boolean', short: 'h' } },
    strict: true,
  });
  if (values.help) {
    process.stdout.write(usage);
    process.exit(0);
  }
  options = { apiServerPort: parsePort('apiserver-port', values['apiserver-port']), emulatorPort: parsePort('emulator-port', values['emulator-port']) };
} catch (err) {
  fail(`${(err as Error).message}\n${usage}`, 2);
}

// --- output ----------------------------------------------------------------------------------

const tty = process.stdout.isTTY === true && !process.env.NO_COLOR;
const paint = (code: number, s: string) => (tty ? `\x1b[${code}m${s}\x1b[0m` : s);
const bold = (s: string) => paint(1, s);
const dim = (s: string) => paint(2, s);
const say = (line = '') => process.stdout.write(`${line}\n`);
const started = Date.now();
const elapsed = (since = started) => {
  const s = Math.round((Date.now() - since) / 1000);
  return s < 60 ? `${s} s` : `${Math.floor(s / 60)} min ${s % 60} s`;
};

/**
 * Runs one step, saying what it does. A step that takes long (the first build of kube-apiserver,
 * etcd and helm: minutes, during which `go build` prints nothing) says how long it has run every 15 s.
 */
async function step<T>(what: string, fn: (watch: BuildWatch) => Promise<T>): Promise<T> {
  const since = Date.now();
  say(`${dim('-')} ${what}`);
  const heartbeat = setInterval(() => say(dim(`  ... ${elapsed(since)}`)), 15_000);
  const watch: BuildWatch = {
    // The tools' own lines (why a build runs, what it built, what failed), not their "cached" notes.
    onOutput: (line) => {
      if (!/: cached: /.test(line)) say(dim(`  ${line}`));
    },
    onSpawn: (child) => (building = child),
  };
  try {
    return await fn(watch);
  } finally {
    clearInterval(heartbeat);
    building = undefined;
  }
}

// --- what runs -------------------------------------------------------------------------------

let building: ChildProcess | undefined;
let cluster: Cluster | undefined;
/** The control plane while it starts: a Ctrl-C then waits for it (seconds), to stop it and remove its folder. */
let controlPlane: Promise<Cluster> | undefined;
let emulator: Proc | undefined;
let controller: Proc | undefined;
let dir: string | undefined;
let stopping = false;

/** Stops what runs, the controller first (it still writes status while it stops), the servers last. */
async function teardown(keepDir: boolean): Promise<void> {
  if (building?.pid !== undefined) {
    try {
      process.kill(-building.pid, 'SIGTERM');
    } catch {
      // gone already
    }
  }
  if (!cluster && controlPlane) {
    cluster = await controlPlane.catch(() => undefined);
    dir ??= cluster?.dir;
  }
  await stopProcess(controller, 15_000);
  await stopProcess(emulator, 15_000);
  await cluster?.stop();
  if (dir && !keepDir) rmSync(dir, { recursive: true, force: true });
}

/** The second Ctrl-C: SIGKILL to every process group started, the folder removed, no waiting. */
function forceStop(): never {
  say('stopping at once: SIGKILL to every process started');
  const groups = [building?.pid, controller?.child.pid, emulator?.child.pid, ...(cluster?.processes() ?? []).map((p) => p.pid)];
  for (const pid of groups) {
    if (pid === undefined) continue;
    try {
      process.kill(-pid, 'SIGKILL');
    } catch {
      // gone already
    }
  }
  if (dir) rmSync(dir, { recursive: true, force: true });
  process.exit(130);
}

function onSignal(signal: NodeJS.Signals): void {
  if (stopping) forceStop();
  stopping = true;
  say();
  const running = [controller && 'the controller', emulator && 'the emulator', (cluster || controlPlane) && 'kube-apiserver and etcd', building && 'the build'].filter(Boolean);
  say(`${signal}: stopping ${running.length ? running.join(', ') : 'the start'} ${dim('(Ctrl-C again to kill at once)')}`);
  teardown(false)
    .then(() => {
      say(`stopped; ${dir ? `${dir} removed; ` : ''}nothing left running`);
      process.exit(0);
    })
    .catch((err: Error) => {
      process.stderr.write(`cluster: teardown failed: ${err.message}\n`);
      process.exit(1);
    });
}
process.on('SIGINT', onSignal);
process.on('SIGTERM', onSignal);

/** A start that fails: stop what started, keep the folder for its logs, say what failed and where. */
async function startFailed(what: string, err: unknown): Promise<never> {
  if (stopping) await new Promise(() => {}); // a signal's teardown owns the exit
  stopping = true;
  process.stderr.write(`cluster: ${what} failed: ${(err as Error).message}\n`);
  await teardown(true).catch(() => {});
  if (dir) process.stderr.write(`cluster: logs kept in ${dir}\n`);
  process.exit(1);
}

// --- the steps -------------------------------------------------------------------------------

function runNode(args: string[], watch: BuildWatch): Promise<void> {
  return new Promise((resolvePromise, reject) => {
    const child = spawn(process.execPath, args, { cwd: REPO_ROOT, stdio: ['ignore', 'inherit', 'pipe'], detached: true });
    watch.onSpawn?.(child);
    const lines: string[] = [];
    forEachLine(child.stderr!, (line) => {
      lines.push(line);
      watch.onOutput?.(line);
    });
    child.on('error', reject);
    child.on('close', (code, signal) => {
      if (code === 0) resolvePromise();
      else reject(new Error(`node ${args.join(' ')} ${signal ? `killed by ${signal}` : `exited with ${code}`}:\n${lines.slice(-20).join('\n')}`));
    });
  });
}

async function kubectl(args: string[]): Promise<string> {
  return (await cluster!.kubectl(args)).stdout;
}

interface Deployment {
  kind: string;
  spec: { template: { spec: { serviceAccountName: string; containers: Array<{ args: string[]; env?: Array<{ name: string; value?: string }> }> } } };
}

async function main(): Promise<void> {
  say(bold('chime-voice-operator: a local cluster'));
  await step('Building dist/ (npm run build)', (watch) => runNode(['scripts/build.mjs'], watch)).catch((e) => startFailed('the build of dist/ (npm run build)', e));
  await step('Building kube-apiserver and etcd (scripts/build-test-cluster.sh; minutes the first time, cached after)', (watch) => ensureClusterBinaries(watch)).catch((e) =>
    startFailed('the build of kube-apiserver and etcd', e),
  );
  const helmBin = await step('Building helm (scripts/build-helm.sh; minutes the first time, cached after)', (watch) => ensureHelm(watch)).catch((e) => startFailed('the build of helm', e));
  if (stopping) return;

  const emulatorPort = options.emulatorPort ?? (await freePort());
  if (options.emulatorPort !== undefined) await assertPortFree(options.emulatorPort, 'the emulator').catch((e) => startFailed('the emulator', e));

  const plane = await step('Starting etcd and kube-apiserver', () => {
    // keepDir: the folder is ours to remove (teardown), or to keep, with its logs, after a failure.
    controlPlane = startCluster({ dirPrefix: 'chime-local-cluster-', apiServerPort: options.apiServerPort, readyTimeoutMs: READY_TIMEOUT_S * 1000, keepDir: true });
    return controlPlane;
  }).catch((e) => startFailed('the control plane', e));
  if (stopping) return;
  cluster = plane;
  dir = cluster.dir;

  const image = imageRuntime();
  const main = join(REPO_ROOT, 'dist/cli/main.js');
  const emulatorUrl = `http://127.0.0.1:${emulatorPort}`;
  await step('Starting the Chime SDK Voice emulator', async () => {
    emulator = startProcess(
      'emulator',
      process.execPath,
      [...image.nodeFlags, main, 'emulator', '--port', String(emulatorPort), '--region', HOME_REGION, '--strict-regions'],
      join(cluster!.dir, 'emulator.log'),
      { ...process.env, ...image.env, NO_COLOR: '1' },
    );
    await waitFor(`the emulator on ${emulatorUrl}`, emulator, 30_000, async () => (await httpGet(`${emulatorUrl}/_emulator/clock`)).status === 200);
  }).catch((e) => startFailed('the emulator', e));

  const helmHome = join(cluster.dir, 'helm');
  const values = ['--set', `aws.region=${HOME_REGION}`, '--set', `aws.endpoint=${emulatorUrl}`, '--set', `controller.resync=${RESYNC}`];
  let deployment: Deployment | undefined;
  await step(`Installing the chart (${relative(REPO_ROOT, CHART)}) in ${NAMESPACE}: CRDs, RBAC, ServiceAccount`, async () => {
    ok(await runHelm(['install', RELEASE, CHART, '-n', NAMESPACE, '--create-namespace', ...values], { home: helmHome, kubeconfig: cluster!.kubeconfig }), 'helm install');
    await kubectl(['wait', '--for=condition=Established', 'crd', '--all', '--timeout=60s']);
    const manifest = ok(await runHelm(['get', 'manifest', RELEASE, '-n', NAMESPACE], { home: helmHome, kubeconfig: cluster!.kubeconfig }), 'helm get manifest').stdout;
    deployment = parseAllDocuments(manifest)
      .map((d) => d.toJS() as Deployment | null)
      .find((o): o is Deployment => o?.kind === 'Deployment');
    if (!deployment) throw new Error('the chart rendered no Deployment');
  }).catch((e) => startFailed(`the chart's install (helm ${helmBin})`, e));
  if (stopping || !deployment) return;

  const pod = deployment.spec.template.spec;
  const container = pod.containers[0];
  const metricsPort = await freePort();
  const metricsUrl = `http://127.0.0.1:${metricsPort}`;
  await step(`Starting the controller (dist/, as the image runs it) with the ServiceAccount ${NAMESPACE}/${pod.serviceAccountName}`, async () => {
    // No kubelet runs the Deployment's pod here: the controller runs beside the API server with
    // the pod's arguments, environment and identity (a token of its ServiceAccount), so it has
    // exactly the chart's RBAC. The token lasts a week: far longer than a try.
    const token = (await kubectl(['create', 'token', pod.serviceAccountName, '-n', NAMESPACE, '--duration=168h'])).trim();
    const controllerKubeconfig = join(cluster!.dir, 'controller.kubeconfig');
    writeFileSync(
      controllerKubeconfig,
      JSON.stringify({
        apiVersion: 'v1',
        kind: 'Config',
        clusters: [{ name: 'local', cluster: { server: cluster!.server, 'certificate-authority-data': Buffer.from(cluster!.caData).toString('base64') } }],
        users: [{ name: pod.serviceAccountName, user: { token } }],
        contexts: [{ name: 'controller', context: { cluster: 'local', user: pod.serviceAccountName } }],
        'current-context': 'controller',
      }),
      { mode: 0o600 },
    );
    const args = container.args.map((a) => (a.startsWith('--metrics-bind-address=') ? `--metrics-bind-address=127.0.0.1:${metricsPort}` : a));
    const podEnv = Object.fromEntries((container.env ?? []).filter((e) => e.value !== undefined).map((e) => [e.name, e.value as string]));
    // The user's AWS credentials stay out: with an endpoint and none, the controller uses the emulator's.
    const { AWS_ACCESS_KEY_ID: _k, AWS_SECRET_ACCESS_KEY: _s, AWS_SESSION_TOKEN: _t, AWS_PROFILE: _p, ...env } = process.env;
    controller = startProcess(
      'controller',
      process.execPath,
      [...image.nodeFlags, main, ...args, '--kubeconfig', controllerKubeconfig],
      join(cluster!.dir, 'controller.log'),
      { ...env, ...image.env, ...podEnv, POD_NAMESPACE: NAMESPACE },
    );
    await waitFor(`the controller's ${metricsUrl}/readyz`, controller, READY_TIMEOUT_S * 1000, async () => (await httpGet(`${metricsUrl}/readyz`)).status === 200);
  }).catch((e) => startFailed('the controller', e));
  if (stopping) return;

  // kubectl finds plugins on PATH: kubectl-chime, the package's second bin, for `kubectl chime`.
  const binDir = join(cluster.dir, 'bin');
  mkdirSync(binDir);
  symlinkSync(join(REPO_ROOT, 'bin/kubectl-chime.js'), join(binDir, 'kubectl-chime'));

  const kubeconfig = cluster.kubeconfig;
  const aws = `AWS_ACCESS_KEY_ID=emulator AWS_SECRET_ACCESS_KEY=emulator aws chime-sdk-voice --endpoint-url ${emulatorUrl} --region ${HOME_REGION}`;
  say();
  say(bold(`Ready in ${elapsed()}: Kubernetes ${cluster.version}, the chart in ${NAMESPACE}, the controller against the emulator at ${emulatorUrl}`));
  say();
  say('In another terminal:');
  say();
  say(`  export KUBECONFIG=${kubeconfig}`);
  say(`  export PATH="${binDir}:$PATH"   ${dim('# for kubectl chime')}`);
  say();
  say('Then try:');
  say();
  say(`  kubectl apply -f examples/account/ -f examples/call-analytics/ -f examples/ivr/ -f examples/sip-trunk-office-pbx/ -f examples/two-region-failover/`);
  say(`  kubectl wait --for=condition=Ready chime --all --timeout=3m`);
  say(`  kubectl get chime`);
  say(`  kubectl describe voiceconnector office-pbx-trunk`);
  say(`  kubectl chime reconcile vc/office-pbx-trunk --wait`);
  say(`  ${aws} list-voice-connectors`);
  say();
  say(dim(`The emulator takes any credentials; the ones above reach the account the controller writes to. Drift is looked for every ${RESYNC}.`));
  say(dim(`Logs: ${join(cluster.dir, 'controller.log')}, emulator.log, apiserver.log and etcd.log beside it. The chart's Deployment shows 0/1`));
  say(dim(`ready: no kubelet runs pods here; the controller runs beside the API server with the pod's arguments and ServiceAccount.`));
  say(dim('Walk-through: docs/getting-started.md#4-a-local-cluster. Ctrl-C stops everything and removes the folder.'));

  // Something that stops by itself (a crash, a kill from outside) ends the session, saying what.
  for (const p of [controller!, emulator!]) {
    void p.exited.then((code) => {
      if (stopping) return;
      void startFailed(`the ${p.name}`, new Error(`exited with ${code}; last lines of ${p.log}:\n${logTail(p.log, 15)}`));
    });
  }
  const servers = cluster.processes();
  const watchServers = setInterval(() => {
    if (stopping) return clearInterval(watchServers);
    const gone = servers.find((s) => !cluster!.processes().some((p) => p.pid === s.pid));
    if (!gone) return;
    clearInterval(watchServers);
    void startFailed(gone.name, new Error(`exited; last lines of ${gone.log}:\n${logTail(gone.log, 15)}`));
  }, 1_000);
}

if (!existsSync(join(REPO_ROOT, 'node_modules'))) fail('node_modules is missing: run npm ci first (npm run cluster does)');
// kubectl waits for the chart's CRDs here and is what the user types next: say it is missing before minutes of builds.
const kubectlBin = process.env.KUBECTL ?? 'kubectl';
if (spawnSync(kubectlBin, ['version', '--client'], { stdio: 'ignore' }).status !== 0) {
  fail(`${kubectlBin} is not on PATH (or does not run): install kubectl (https://kubernetes.io/docs/tasks/tools/), or name one in $KUBECTL`);
}
main().catch((e) => startFailed('the start', e));
