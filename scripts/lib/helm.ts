/**
 * The real helm CLI, built from source by scripts/build-helm.sh (cached in
 * test/helm/tool/.cache/bin) the way the control plane gets its kube-apiserver and etcd. Used by
 * the chart tests (test/helm/helpers.ts) and by `npm run cluster` to install the chart.
 */
import { spawn } from 'node:child_process';
import { existsSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { REPO_ROOT, runBuildScript, type BuildWatch } from './control-plane.js';

export const CHART = join(REPO_ROOT, 'charts/chime-voice-operator');
const BUILD_SCRIPT = join(REPO_ROOT, 'scripts/build-helm.sh');

let helmPromise: Promise<string> | undefined;

/** Runs scripts/build-helm.sh: at once when helm is cached, a few minutes on 2 cores when not. */
export function ensureHelm(watch: BuildWatch = {}): Promise<string> {
  helmPromise ??= runBuildScript(BUILD_SCRIPT, 'HELM', existsSync, watch);
  helmPromise.catch(() => (helmPromise = undefined));
  return helmPromise;
}

export interface HelmResult {
  code: number;
  stdout: string;
  stderr: string;
}

export interface HelmOptions {
  /**
   * Helm's home: its cache, config and data folders are made under it. Helm keeps them per user;
   * a folder of the caller's own keeps the machine's repositories and plugins out of what it sees.
   */
  home: string;
  /** Against this cluster. */
  kubeconfig?: string;
  input?: string;
  timeoutMs?: number;
}

/** Runs helm. Never throws on a non-zero exit: look at `code` (or use ok()). */
export async function runHelm(args: string[], options: HelmOptions): Promise<HelmResult> {
  const bin = await ensureHelm();
  const { home } = options;
  for (const d of ['cache', 'config', 'data']) mkdirSync(join(home, d), { recursive: true });
  return runTool(bin, [...args, ...(options.kubeconfig ? ['--kubeconfig', options.kubeconfig] : [])], {
    cwd: REPO_ROOT,
    env: {
      PATH: process.env.PATH ?? '',
      HOME: home,
      HELM_CACHE_HOME: join(home, 'cache'),
      HELM_CONFIG_HOME: join(home, 'config'),
      HELM_DATA_HOME: join(home, 'data'),
    },
    input: options.input,
    timeoutMs: options.timeoutMs,
  });
}

/** Runs a built tool (helm, promtool) with its output captured. Never throws on a non-zero exit. */
export function runTool(bin: string, args: string[], options: { cwd: string; env: NodeJS.ProcessEnv; input?: string; timeoutMs?: number }): Promise<HelmResult> {
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
