/**
 * The real helm CLI for the chart tests (scripts/lib/helm.ts, shared with `npm run cluster`),
 * Prometheus's promtool for the alert tests (built by scripts/build-promtool.sh), and the chart's
 * rendered objects read as data.
 */
import { existsSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseAllDocuments } from 'yaml';
import { REPO_ROOT, runBuildScript } from '../../scripts/lib/control-plane.js';
import { runHelm, runTool, type HelmResult } from '../../scripts/lib/helm.js';

export { CHART, ensureHelm, ok } from '../../scripts/lib/helm.js';
export type { HelmResult } from '../../scripts/lib/helm.js';

let promtoolPromise: Promise<string> | undefined;

/** Runs scripts/build-promtool.sh: at once when promtool is cached, about 25 minutes on 2 shared cores when not. */
export function ensurePromtool(): Promise<string> {
  promtoolPromise ??= runBuildScript(join(REPO_ROOT, 'scripts/build-promtool.sh'), 'PROMTOOL', existsSync);
  promtoolPromise.catch(() => (promtoolPromise = undefined));
  return promtoolPromise;
}

/** Runs promtool in `cwd` (where its rule and test files are). Never throws on a non-zero exit: look at `code`. */
export async function promtool(args: string[], cwd: string): Promise<HelmResult> {
  const bin = await ensurePromtool();
  return runTool(bin, args, { env: { PATH: process.env.PATH ?? '', HOME: cwd }, cwd });
}

// The tests' own helm home, so that nothing of the machine's (repositories, plugins) changes what they see.
const HELM_HOME = mkdtempSync(join(tmpdir(), 'chime-helm-home-'));

/** Runs helm; with `kubeconfig`, against that cluster. Never throws on a non-zero exit: look at `code`. */
export function helm(args: string[], options: { kubeconfig?: string; input?: string; timeoutMs?: number } = {}): Promise<HelmResult> {
  return runHelm(args, { ...options, home: HELM_HOME });
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
