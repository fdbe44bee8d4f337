/**
 * The real helm CLI for the chart tests, built from source by scripts/build-helm.sh (cached in
 * test/helm/tool/.cache/bin) the way startCluster() gets its kube-apiserver and etcd; and
 * Prometheus's promtool for the alert tests, built by scripts/build-promtool.sh.
 */
import { spawn } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseAllDocuments } from 'yaml';
import { REPO_ROOT } from '../helpers/cluster.js';

export const CHART = join(REPO_ROOT, 'charts/chime-voice-operator');

let helmPromise: Promise<string> | undefined;
let promtoolPromise: Promise<string> | undefined;

/** Runs a build script that prints `<NAME>=<path of the binary>` last, and resolves to that path. */
function buildTool(script: string, name: string): Promise<string> {
  return new Promise<string>((resolve, reject) => {
    const child = spawn('bash', [join(REPO_ROOT, script)], { cwd: REPO_ROOT, stdio: ['ignore', 'pipe', 'inherit'] });
    let out = '';
    child.stdout.setEncoding('utf8').on('data', (c: string) => (out += c));
    child.on('error', reject);
    child.on('close', (code) => {
      const bin = new RegExp(`^${name}=(.+)$`, 'm').exec(out)?.[1];
      if (code === 0 && bin && existsSync(bin)) resolve(bin);
      else reject(new Error(`${script} failed (exit ${code}); see its output above`));
    });
  });
}

/** Runs scripts/build-helm.sh: at once when helm is cached, a few minutes on 2 cores when not. */
export function ensureHelm(): Promise<string> {
  helmPromise ??= buildTool('scripts/build-helm.sh', 'HELM');
  helmPromise.catch(() => (helmPromise = undefined));
  return helmPromise;
}

/** Runs scripts/build-promtool.sh: at once when promtool is cached, about 25 minutes on 2 shared cores when not. */
export function ensurePromtool(): Promise<string> {
  promtoolPromise ??= buildTool('scripts/build-promtool.sh', 'PROMTOOL');
  promtoolPromise.catch(() => (promtoolPromise = undefined));
  return promtoolPromise;
}

export interface HelmResult {
  code: number;
  stdout: string;
  stderr: string;
}

// Helm keeps a cache, config and data folder per user; the tests get their own, so that nothing of
// the machine's (repositories, plugins) changes what they see.
const HELM_HOME = mkdtempSync(join(tmpdir(), 'chime-helm-home-'));
for (const d of ['cache', 'config', 'data']) mkdirSync(join(HELM_HOME, d), { recursive: true });

/** Runs helm; with `kubeconfig`, against that cluster. Never throws on a non-zero exit: look at `code`. */
export async function helm(args: string[], options: { kubeconfig?: string; input?: string; timeoutMs?: number } = {}): Promise<HelmResult> {
  const bin = await ensureHelm();
  return run(bin, [...args, ...(options.kubeconfig ? ['--kubeconfig', options.kubeconfig] : [])], {
    env: {
      PATH: process.env.PATH ?? '',
      HOME: HELM_HOME,
      HELM_CACHE_HOME: join(HELM_HOME, 'cache'),
      HELM_CONFIG_HOME: join(HELM_HOME, 'config'),
      HELM_DATA_HOME: join(HELM_HOME, 'data'),
    },
    cwd: REPO_ROOT,
    ...(options.input !== undefined ? { input: options.input } : {}),
    ...(options.timeoutMs !== undefined ? { timeoutMs: options.timeoutMs } : {}),
  });
}

/** Runs promtool in `cwd` (where its rule and test files are). Never throws on a non-zero exit: look at `code`. */
export async function promtool(args: string[], cwd: string): Promise<HelmResult> {
  const bin = await ensurePromtool();
  return run(bin, args, { env: { PATH: process.env.PATH ?? '', HOME: cwd }, cwd });
}

function run(bin: string, args: string[], options: { env: NodeJS.ProcessEnv; cwd: string; input?: string; timeoutMs?: number }): Promise<HelmResult> {
  return new Promise((resolve, reject) => {
    const child = spawn(bin, args, { cwd: options.cwd, env: options.env, stdio: ['pipe', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.setEncoding('utf8').on('data', (c: string) => (stdout += c));
    child.stderr.setEncoding('utf8').on('data', (c: string) => (stderr += c));
    const timer = setTimeout(() => child.kill('SIGKILL'), options.timeoutMs ?? 120_000);
    child.on('error', (e) => {
      clearTimeout(timer);
      reject(e);
    });
    child.on('close', (code, signal) => {
      clearTimeout(timer);
      resolve({ code: code ?? (signal ? 128 : -1), stdout, stderr });
    });
    child.stdin.on('error', () => {});
    child.stdin.end(options.input ?? '');
  });
}

/** Fails with the tool's own output when it exited non-zero. */
export function ok(r: HelmResult, what: string): HelmResult {
  if (r.code !== 0) throw new Error(`${what} exited with ${r.code}:\n${r.stderr}${r.stdout}`);
  return r;
}

export interface K8sObject {
  apiVersion: string;
  kind: string;
  metadata: { name: string; namespace?: string; labels?: Record<string, string>; annotations?: Record<string, string>; finalizers?: string[] };
  [key: string]: any;
}

/** The objects of a multi-document YAML stream (helm template's output), empty documents dropped. */
export function objects(yaml: string): K8sObject[] {
  return parseAllDocuments(yaml)
    .map((d) => {
      if (d.errors.length > 0) throw new Error(`not YAML: ${d.errors[0].message}`);
      return d.toJS() as K8sObject | null;
    })
    .filter((o): o is K8sObject => o !== null && typeof o === 'object');
}
