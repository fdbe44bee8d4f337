// The controller's image itself, built from the Dockerfile with podman by scripts/build-image.sh
// (cached: a run with nothing changed reuses the base image and podman's layers): it runs as the
// chart's securityContext runs it (uid 1000, read-only root filesystem, no capabilities), its CLI
// works inside it, it holds production dependencies only, and the chart's install runs it against a
// real API server and the emulator until every example is Ready.
import { execFileSync, spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { chmodSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseAllDocuments } from 'yaml';
import { API_GROUP } from '../../src/api/index.js';
import { startEmulator, type Emulator } from '../../src/emulator/index.js';
import { freePort, REPO_ROOT, startCluster, type Cluster } from '../helpers/cluster.js';
import { CHART, helm, objects, ok, type K8sObject } from './helpers.js';

// The flags this machine needs (scripts/build-image.sh says why): runc and cgroupfs, ulimits
// within the machine's hard limits.
const PODMAN = ['--runtime', 'runc', '--cgroup-manager', 'cgroupfs'];
const ULIMITS = ['--ulimit', 'nofile=1024:1024', '--ulimit', 'nproc=1024:1024'];
// As the chart's securityContext runs the container: the image's user, nothing writable but /tmp
// (podman's --read-only mounts a tmpfs there, as the chart mounts an emptyDir), no capabilities.
const AS_THE_CHART_RUNS_IT = ['--read-only', '--cap-drop', 'ALL', '--security-opt', 'no-new-privileges'];

const onPath = (bin: string) => spawnSync('sh', ['-c', `command -v ${bin}`]).status === 0;
// The image needs podman (and runc, debootstrap), which the build script installs with apt-get as
// root. Without podman and without the means to install it there is no container runtime at all on
// the machine, and this file has nothing to run; test/helm/dockerfile.test.ts still checks the
// Dockerfile and replays its build stage there.
const podmanAvailable = onPath('podman') || (process.getuid?.() === 0 && onPath('apt-get'));

function podman(args: string[], options: { check?: boolean } = {}): { code: number; stdout: string; stderr: string } {
  const r = spawnSync('podman', [...PODMAN, ...args], { encoding: 'utf8', maxBuffer: 64 * 1024 * 1024 });
  const result = { code: r.status ?? -1, stdout: r.stdout, stderr: r.stderr };
  if ((options.check ?? true) && result.code !== 0) throw new Error(`podman ${args.join(' ')} exited with ${result.code}:\n${r.stderr}${r.stdout}`);
  return result;
}

/** A short-lived container of the image, as the chart runs it. */
const runImage = (image: string, args: string[], extra: string[] = []) => podman(['run', '--rm', ...ULIMITS, ...AS_THE_CHART_RUNS_IT, ...extra, image, ...args], { check: false });

let image: string;
let baseImage: string;

describe.skipIf(!podmanAvailable)('the controller image built with podman', () => {
  beforeAll(() => {
    // Cold, this makes the base image and builds the controller's (a few minutes on 2 cores);
    // cached, it checks the base image's tag and replays podman's layer cache.
    const out = execFileSync('bash', [join(REPO_ROOT, 'scripts/build-image.sh')], { cwd: REPO_ROOT, encoding: 'utf8', stdio: ['ignore', 'pipe', 'inherit'] });
    image = /^IMAGE=(.+)$/m.exec(out)![1];
    baseImage = /^BASE_IMAGE=(.+)$/m.exec(execFileSync('bash', [join(REPO_ROOT, 'scripts/build-image.sh'), '--print-ref'], { encoding: 'utf8' }))![1];
  }, 40 * 60_000);

  it('is the Dockerfile built on the base image the script made, tagged as the chart installs it', () => {
    const pkg = JSON.parse(readFileSync(join(REPO_ROOT, 'package.json'), 'utf8')) as { version: string };
    const chart = readFileSync(join(CHART, 'Chart.yaml'), 'utf8');
    const values = readFileSync(join(CHART, 'values.yaml'), 'utf8');
    // The chart's default image: image.repository, and the appVersion as the tag.
    expect(image).toBe(`${/^\s+repository: (\S+)$/m.exec(values)![1]}:${/^appVersion: "?([^"\s]+)"?$/m.exec(chart)![1]}`);
    expect(image).toBe(`chime-voice-operator:${pkg.version}`);
    const config = JSON.parse(podman(['image', 'inspect', image]).stdout)[0] as { Config: { User: string; Entrypoint: string[]; Cmd: string[]; Env: string[] } };
    expect(config.Config.User).toBe('1000:1000');
    expect(config.Config.Entrypoint).toEqual(['node', '--max-semi-space-size=2', '--optimize-for-size', 'dist/cli/main.js']);
    expect(config.Config.Cmd).toEqual(['run']);
    expect(config.Config.Env).toEqual(expect.arrayContaining(['NODE_ENV=production', 'NODE_OPTIONS=--max-old-space-size=224']));
    // The Node.js release inside is the one scripts/with-node.sh pins, of the line the Dockerfile names.
    const pinned = /^PINNED=(\S+)$/m.exec(readFileSync(join(REPO_ROOT, 'scripts/with-node.sh'), 'utf8'))![1];
    const version = runImage(image, ['-p', 'process.version'], ['--entrypoint', 'node']);
    expect(version.stdout.trim()).toBe(`v${pinned}`);
    const nodeImage = /^ARG NODE_IMAGE=node:(\d+\.\d+)-bookworm-slim$/m.exec(readFileSync(join(REPO_ROOT, 'Dockerfile'), 'utf8'))![1];
    expect(pinned.startsWith(`${nodeImage}.`)).toBe(true);
    // Its lowest layers are the base image's.
    const layers = (ref: string) => (JSON.parse(podman(['image', 'inspect', ref]).stdout)[0] as { RootFS: { Layers: string[] } }).RootFS.Layers;
    const base = layers(baseImage);
    expect(layers(image).slice(0, base.length)).toEqual(base);
  });

  it('builds again from its caches: the base image by its key, every RUN step from podman layers', () => {
    const id = (ref: string) => podman(['image', 'inspect', '--format', '{{.Id}}', ref]).stdout.trim();
    const before = id(image);
    const r = spawnSync('bash', [join(REPO_ROOT, 'scripts/build-image.sh')], { cwd: REPO_ROOT, encoding: 'utf8' });
    expect(r.status, r.stderr).toBe(0);
    expect(r.stderr).toContain(`cached base: ${baseImage}`);
    expect(r.stderr).not.toContain('debootstrap');
    const lines = r.stderr.split('\n');
    const runSteps = lines.flatMap((l, i) => (/STEP \d+\/\d+: RUN /.test(l) ? [`${l} -> ${lines[i + 1]}`] : []));
    expect(runSteps.length).toBeGreaterThanOrEqual(3);
    expect(runSteps.filter((s) => !/ -> --> Using cache /.test(s))).toEqual([]);
    expect(id(image)).toBe(before);
  });

  it('runs as uid 1000 with a read-only root filesystem: only /tmp is writable', () => {
    const probe = `const fs = require('node:fs');
      const tryWrite = (p) => { try { fs.writeFileSync(p, 'x'); return 'written'; } catch (e) { return e.code; } };
      console.log(JSON.stringify({ uid: process.getuid(), gid: process.getgid(), cwd: process.cwd(), app: tryWrite('/app/x'), root: tryWrite('/x'), tmp: tryWrite('/tmp/x'), buildTrust: fs.existsSync('/usr/local/etc/npmrc') }));`;
    const r = runImage(image, ['-e', probe], ['--entrypoint', 'node']);
    expect(r.code, r.stderr).toBe(0);
    // buildTrust: the npmrc the build mounts for npm ci's CA bundle stayed out of every layer.
    expect(JSON.parse(r.stdout)).toEqual({ uid: 1000, gid: 1000, cwd: '/app', app: 'EROFS', root: 'EROFS', tmp: 'written', buildTrust: false });
  });

  it('--help and --version work inside it', () => {
    const help = runImage(image, ['--help']);
    expect(help.code, help.stderr).toBe(0);
    expect(help.stdout).toMatch(/^Usage: chime-voice-operator /);
    for (const cmd of ['run', 'plan', 'apply', 'destroy', 'validate']) expect(help.stdout).toMatch(new RegExp(`^\\s+${cmd}\\b`, 'm'));
    const version = runImage(image, ['--version']);
    expect(version.stdout.trim()).toBe((JSON.parse(readFileSync(join(REPO_ROOT, 'package.json'), 'utf8')) as { version: string }).version);
  });

  it('validate works inside it: the examples are valid, a bad manifest fails with its file:line', () => {
    const examples = runImage(image, ['validate', '-f', '/examples'], ['-v', `${join(REPO_ROOT, 'examples')}:/examples:ro`]);
    expect(examples.code, examples.stdout + examples.stderr).toBe(0);
    expect(examples.stdout).toMatch(/^\/examples: valid, .*\(\d+ objects/m);
    const bad = mkdtempSync(join(tmpdir(), 'chime-image-bad-'));
    try {
      chmodSync(bad, 0o755);
      writeFileSync(
        join(bad, 'connector.yaml'),
        `apiVersion: ${API_GROUP}/v1alpha1\nkind: VoiceConnector\nmetadata:\n  name: bad\nspec:\n  name: bad\n  region: us-east-1\n  requireEncryption: maybe\n`,
        { mode: 0o644 },
      );
      const r = runImage(image, ['validate', '-f', '/in'], ['-v', `${bad}:/in:ro`]);
      expect(r.code).toBe(1);
      expect(r.stdout).toContain('/in/connector.yaml:8:3: spec.requireEncryption: must be a boolean');
    } finally {
      rmSync(bad, { recursive: true, force: true });
    }
  });

  it('holds production dependencies only: no typescript, esbuild, tsx, vitest or eslint', () => {
    // Every package directory under /app/node_modules, nested ones included, listed from inside.
    const list = `const fs = require('node:fs'); const out = [];
      const walk = (dir) => { for (const e of fs.readdirSync(dir, { withFileTypes: true })) {
        if (!e.isDirectory() || e.name.startsWith('.')) continue;
        if (e.name.startsWith('@')) { for (const s of fs.readdirSync(dir + '/' + e.name)) visit(dir + '/' + e.name + '/' + s); } else visit(dir + '/' + e.name);
      } };
      const visit = (p) => { out.push(p.slice('/app/'.length)); if (fs.existsSync(p + '/node_modules')) walk(p + '/node_modules'); };
      walk('/app/node_modules'); console.log(JSON.stringify(out));`;
    const r = runImage(image, ['-e', list], ['--entrypoint', 'node']);
    expect(r.code, r.stderr).toBe(0);
    const installed = JSON.parse(r.stdout) as string[];
    const names = installed.map((p) => p.slice(p.lastIndexOf('node_modules/') + 'node_modules/'.length));
    const pkg = JSON.parse(readFileSync(join(REPO_ROOT, 'package.json'), 'utf8')) as { dependencies: Record<string, string> };
    expect(names).toEqual(expect.arrayContaining(Object.keys(pkg.dependencies)));
    expect(names.filter((n) => /^(typescript|tsx|esbuild|@esbuild\/.*|vitest|@vitest\/.*|eslint|typescript-eslint|dependency-cruiser)$/.test(n))).toEqual([]);
    // Nothing the lock file marks as a development dependency.
    const lock = JSON.parse(readFileSync(join(REPO_ROOT, 'package-lock.json'), 'utf8')) as { packages: Record<string, { dev?: boolean }> };
    expect(installed.filter((p) => lock.packages[p]?.dev === true)).toEqual([]);
    expect(installed.filter((p) => !lock.packages[p])).toEqual([]);
  });

  it('reports its size', () => {
    const size = (ref: string) => Number(podman(['image', 'inspect', '--format', '{{.Size}}', ref]).stdout.trim());
    const total = size(image);
    const base = size(baseImage);
    const app = runImage(image, ['-c', 'du -sk /app/node_modules /app/dist'], ['--entrypoint', 'sh']).stdout;
    console.log(`image ${image}: ${(total / 1e6).toFixed(1)} MB (base ${baseImage}: ${(base / 1e6).toFixed(1)} MB; added ${((total - base) / 1e6).toFixed(1)} MB)\n${app}`);
    expect(total).toBeGreaterThan(base);
    expect(app).toMatch(/\/app\/node_modules/);
  });
});

// The chart installed in the test API server (no kubelet: the Deployment starts no pod), and its
// container run by podman instead: the rendered args, POD_NAMESPACE, and a TokenRequest token of the
// chart's ServiceAccount with the API server's CA mounted where the in-cluster config reads them
// (KUBERNETES_SERVICE_HOST/PORT as the kubelet sets them). The host network stands in for the pod
// network: it reaches the API server and the emulator on loopback, so the probe server moves from
// the chart's :8080 to a free loopback port. The same proof as install.test.ts, with the artifact.
describe.skipIf(!podmanAvailable)('the chart installed, the controller run from the image', () => {
  const NS = 'chime-system';
  const RELEASE = 'chime';
  let cluster: Cluster;
  let emulator: Emulator;
  let container: ChildProcess;
  let containerName: string;
  let secretsDir: string;
  let metricsUrl: string;
  let startToReadyMs: number;
  const logLines: Array<Record<string, unknown>> = [];
  let stderr = '';
  const tail = () => `${logLines.slice(-25).map((l) => JSON.stringify(l)).join('\n')}\n${stderr.slice(-2000)}`;

  beforeAll(async () => {
    [cluster, emulator] = await Promise.all([startCluster(), startEmulator({ clockRate: 20 })]);
    if (!image) image = /^IMAGE=(.+)$/m.exec(execFileSync('bash', [join(REPO_ROOT, 'scripts/build-image.sh')], { cwd: REPO_ROOT, encoding: 'utf8', stdio: ['ignore', 'pipe', 'inherit'] }))![1];
    ok(await helm(['install', RELEASE, CHART, '-n', NS, '--create-namespace', '--set', `aws.endpoint=${emulator.url}`, '--set', 'controller.resync=30s'], { kubeconfig: cluster.kubeconfig }), 'helm install');
    await cluster.kubectl(['wait', '--for=condition=Established', 'crd', '--all', '--timeout=60s']);
    const deployment = objects(ok(await helm(['get', 'manifest', RELEASE, '-n', NS], { kubeconfig: cluster.kubeconfig }), 'helm get manifest').stdout).find((o) => o.kind === 'Deployment')!;
    const spec = deployment.spec.template.spec;
    expect(spec.containers[0].image).toBe(image);
    const port = await freePort();
    metricsUrl = `http://127.0.0.1:${port}`;
    const args = (spec.containers[0].args as string[]).map((a) => (a.startsWith('--metrics-bind-address=') ? `--metrics-bind-address=127.0.0.1:${port}` : a));

    // What the kubelet mounts for the ServiceAccount: a TokenRequest token, the CA, the namespace.
    const token = (await cluster.kubectl(['create', 'token', spec.serviceAccountName as string, '-n', NS, '--duration=1h'])).stdout.trim();
    secretsDir = mkdtempSync(join(tmpdir(), 'chime-image-sa-'));
    chmodSync(secretsDir, 0o755);
    writeFileSync(join(secretsDir, 'token'), token, { mode: 0o644 });
    writeFileSync(join(secretsDir, 'ca.crt'), cluster.caData, { mode: 0o644 });
    writeFileSync(join(secretsDir, 'namespace'), NS, { mode: 0o644 });
    const server = new URL(cluster.server);

    containerName = `chime-image-test-${process.pid}`;
    const started = Date.now();
    container = spawn(
      'podman',
      [
        ...PODMAN,
        'run', '--rm', '--name', containerName, '--network', 'host', ...ULIMITS, ...AS_THE_CHART_RUNS_IT,
        '-e', `POD_NAMESPACE=${NS}`, '-e', `KUBERNETES_SERVICE_HOST=${server.hostname}`, '-e', `KUBERNETES_SERVICE_PORT=${server.port}`,
        '-v', `${secretsDir}:/var/run/secrets/kubernetes.io/serviceaccount:ro`,
        image, ...args,
      ],
      { stdio: ['ignore', 'pipe', 'pipe'] },
    );
    let buf = '';
    container.stdout!.setEncoding('utf8').on('data', (c: string) => {
      buf += c;
      for (let i = buf.indexOf('\n'); i >= 0; i = buf.indexOf('\n')) {
        const line = buf.slice(0, i);
        buf = buf.slice(i + 1);
        try {
          logLines.push(JSON.parse(line) as Record<string, unknown>);
        } catch {
          logLines.push({ msg: line });
        }
      }
    });
    container.stderr!.setEncoding('utf8').on('data', (c: string) => (stderr += c));
    // Ready as the chart's readinessProbe sees it: /readyz answers 200.
    const deadline = Date.now() + 120_000;
    for (;;) {
      if (container.exitCode !== null) throw new Error(`the controller's container exited with ${container.exitCode}:\n${tail()}`);
      const ready = await fetch(`${metricsUrl}/readyz`).then((r) => r.status === 200, () => false);
      if (ready) break;
      if (Date.now() > deadline) throw new Error(`the controller's container was not ready within 120 s:\n${tail()}`);
      await new Promise((r) => setTimeout(r, 100));
    }
    startToReadyMs = Date.now() - started;
  }, 40 * 60_000);

  afterAll(async () => {
    if (container && container.exitCode === null) {
      const exited = new Promise((r) => container.once('exit', r));
      podman(['stop', '--time', '15', containerName], { check: false });
      await exited;
    }
    if (secretsDir) rmSync(secretsDir, { recursive: true, force: true });
    await emulator?.stop();
    await cluster?.stop();
  });

  it('starts from the in-cluster config as the chart ServiceAccount and becomes ready', async () => {
    console.log(`controller from ${image}: /readyz 200 ${startToReadyMs} ms after podman run`);
    const ready = await fetch(`${metricsUrl}/readyz`);
    expect(ready.status).toBe(200);
    // It created the digest key Secret with the chart's Role: it talked to the API server as the chart's ServiceAccount.
    const key = JSON.parse((await cluster.kubectl(['get', 'secret', 'chime-chime-voice-operator-digest-key', '-n', NS, '-o', 'json'])).stdout) as K8sObject;
    expect(Buffer.from(key.data.key as string, 'base64').length).toBe(32);
  });

  it('reconciles every example to Ready', { timeout: 300_000 }, async () => {
    let expected = 0;
    const exampleDirs = readdirSync(join(REPO_ROOT, 'examples'), { withFileTypes: true })
      .filter((d) => d.isDirectory() && d.name !== 'argocd')
      .map((d) => join(REPO_ROOT, 'examples', d.name));
    for (const dir of exampleDirs) {
      await cluster.kubectl(['apply', '-f', dir]);
      for (const f of readdirSync(dir).filter((n) => n.endsWith('.yaml'))) {
        for (const d of parseAllDocuments(readFileSync(join(dir, f), 'utf8'))) {
          if ((d.toJS() as K8sObject | null)?.apiVersion?.startsWith(`${API_GROUP}/`)) expected++;
        }
      }
    }
    const deadline = Date.now() + 240_000;
    let states: Array<[string, string]> = [];
    for (;;) {
      const list = JSON.parse((await cluster.kubectl(['get', 'chime', '-A', '-o', 'json'])).stdout) as { items: K8sObject[] };
      states = list.items.map((o) => {
        const ready = o.status?.conditions?.find((c: { type: string }) => c.type === 'Ready');
        return [`${o.kind}/${o.metadata.namespace}/${o.metadata.name}`, ready?.status === 'True' ? 'True' : `${ready?.status}: ${ready?.reason}: ${ready?.message}`];
      });
      if (states.length === expected && states.every(([, s]) => s === 'True')) break;
      if (Date.now() > deadline || container.exitCode !== null) throw new Error(`not Ready: ${JSON.stringify(Object.fromEntries(states))}\ncontroller:\n${tail()}`);
      await new Promise((r) => setTimeout(r, 1_000));
    }
    expect(states).toHaveLength(expected);
    expect(expected).toBeGreaterThan(5);
    const denied = logLines.filter((l) => l.status === 403 || /forbidden|HTTP-Code: 403/i.test(String(l.err ?? '')));
    expect(denied.map((l) => JSON.stringify(l))).toEqual([]);
  });
});
