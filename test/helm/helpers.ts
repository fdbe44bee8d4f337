/**
 * The real helm CLI for the chart tests, built from source by scripts/build-helm.sh (cached in
 * test/helm/tool/.cache/bin) the way startCluster() gets its kube-apiserver and etcd.
 */
import { spawn } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseAllDocuments } from 'yaml';
import { REPO_ROOT } from '../helpers/cluster.js';

export const CHART = join(REPO_ROOT, 'charts/chime-voice-operator');
const BUILD_SCRIPT = join(REPO_ROOT, 'scripts/build-helm.sh');

let helmPromise: Promise<string> | undefined;

/** Runs scripts/build-helm.sh: at once when helm is cached, a few minutes on 2 cores when not. */
export function ensureHelm(): Promise<string> {
  helmPromise ??= new Promise<string>((resolve, reject) => {
    const child = spawn('bash', [BUILD_SCRIPT], { cwd: REPO_ROOT, stdio: ['ignore', 'pipe', 'inherit'] });
    let out = '';
    child.stdout.setEncoding('utf8').on('data', (c: string) => (out += c));
    child.on('error', reject);
    child.on('close', (code) => {
      const helm = /^HELM=(.+)$/m.exec(out)?.[1];
      if (code === 0 && helm && existsSync(helm)) resolve(helm);
      else reject(new Error(`scripts/build-helm.sh failed (exit ${code}); see its output above`));
    });
  });
  helmPromise.catch(() => (helmPromise = undefined));
  return helmPromise;
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
  return new Promise((resolve, reject) => {
    const child = spawn(bin, [...args, ...(options.kubeconfig ? ['--kubeconfig', options.kubeconfig] : [])], {
      cwd: REPO_ROOT,
      env: {
        PATH: process.env.PATH ?? '',
        HOME: HELM_HOME,
        HELM_CACHE_HOME: join(HELM_HOME, 'cache'),
        HELM_CONFIG_HOME: join(HELM_HOME, 'config'),
        HELM_DATA_HOME: join(HELM_HOME, 'data'),
      },
      stdio: ['pipe', 'pipe', 'pipe'],
    });
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

/** Fails with helm's own output when it exited non-zero. */
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
