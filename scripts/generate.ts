// Generates files from the single schema source (src/api).
//   tsx scripts/generate.ts            write every target's files
//   tsx scripts/generate.ts --check    exit 1, naming each file, when anything on disk differs
//   tsx scripts/generate.ts --target crds
// A target owns a directory and a file-name pattern: files there that it no longer produces are
// stale and reported (or removed on write). New targets (the Helm chart's CRD templates, ...) are
// one more entry in TARGETS.
import { existsSync, mkdirSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join, relative, resolve, sep } from 'node:path';
import { fileURLToPath } from 'node:url';
import { allCrdFiles } from '../src/api/crd.js';
import { validatorFiles } from './api/validators.js';
import { DOC_TARGETS } from './docs/targets.js';
import { configMapFile, healthFiles } from './argocd/render.js';
import { CHART_DIR, crdTemplateFiles, kindRulesTemplate } from './helm/render.js';
import { helmDocFile } from './helm/values-doc.js';
import { iamDocFile, policyFiles } from './iam/policy.js';

export interface GeneratedFile {
  /** Path relative to the target's directory. */
  file: string;
  content: string;
}

export interface GeneratorTarget {
  name: string;
  /** Directory, relative to the repository root. */
  dir: string;
  /** Which existing files in dir this target owns (to find stale ones). */
  owns: (file: string) => boolean;
  /** Look for stale files in subdirectories too; `owns` then gets paths relative to dir. */
  recursive?: boolean;
  render: () => GeneratedFile[];
}

export const TARGETS: GeneratorTarget[] = [
  {
    name: 'crds',
    dir: 'crds',
    owns: (f) => f.endsWith('.chimevoice.io.yaml'),
    render: () => allCrdFiles(),
  },
  {
    // The ajv validators of every kind, as standalone code (see scripts/api/validators.ts).
    name: 'validators',
    dir: 'src/api/generated',
    owns: (f) => /\.(cjs|d\.cts)$/.test(f),
    render: () => validatorFiles(),
  },
  {
    name: 'argocd-health',
    dir: 'argocd/health',
    owns: (f) => f.endsWith('/health.lua'),
    recursive: true,
    render: () => healthFiles(),
  },
  {
    name: 'argocd-cm',
    dir: 'argocd',
    owns: (f) => f === 'argocd-cm.yaml',
    render: () => [configMapFile()],
  },
  {
    // The chart's CRDs: the objects of crds/ as templates behind crds.enabled (and crds.keep).
    name: 'helm-crds',
    dir: `${CHART_DIR}/templates/crds`,
    owns: (f) => f.endsWith('.chimevoice.io.yaml'),
    render: () => crdTemplateFiles(),
  },
  {
    // The chart's RBAC rules for every kind (its status and finalizers), Secrets and Events.
    name: 'helm-rbac',
    dir: `${CHART_DIR}/templates`,
    owns: (f) => f === '_kind-rules.tpl',
    render: () => [{ file: '_kind-rules.tpl', content: kindRulesTemplate() }],
  },
  {
    // The values table of docs/helm.md, from the chart's values.schema.json.
    name: 'helm-docs',
    dir: 'docs',
    owns: (f) => f === 'helm.md',
    render: () => [helmDocFile(ROOT)],
  },
  {
    // The IAM policy: an action for every AWS operation the code can call (scripts/iam/scan.ts).
    name: 'iam',
    dir: 'iam',
    owns: (f) => f.endsWith('.json'),
    render: () => policyFiles(ROOT),
  },
  {
    name: 'iam-docs',
    dir: 'docs',
    owns: (f) => f === 'iam.md',
    render: () => [iamDocFile(ROOT)],
  },
  ...DOC_TARGETS,
];

/** The files of dir a target may own: its entries, or every path under it when recursive. */
function listDir(dir: string, recursive: boolean | undefined): string[] {
  return recursive ? readdirSync(dir, { recursive: true, encoding: 'utf8' }).map((f) => f.split(sep).join('/')) : readdirSync(dir);
}

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..');

export interface Difference {
  path: string;
  problem: 'missing' | 'differs' | 'stale';
}

/** Compare what the targets render with the files on disk. */
export function diffTargets(targets: GeneratorTarget[], root = ROOT): Difference[] {
  const out: Difference[] = [];
  for (const t of targets) {
    const dir = join(root, t.dir);
    const files = t.render();
    for (const f of files) {
      const p = join(dir, f.file);
      if (!existsSync(p)) out.push({ path: relative(root, p), problem: 'missing' });
      else if (readFileSync(p, 'utf8') !== f.content) out.push({ path: relative(root, p), problem: 'differs' });
    }
    const produced = new Set(files.map((f) => f.file));
    if (existsSync(dir)) {
      for (const f of listDir(dir, t.recursive)) if (t.owns(f) && !produced.has(f)) out.push({ path: relative(root, join(dir, f)), problem: 'stale' });
    }
  }
  return out;
}

export function writeTargets(targets: GeneratorTarget[], root = ROOT): string[] {
  const written: string[] = [];
  for (const t of targets) {
    const dir = join(root, t.dir);
    mkdirSync(dir, { recursive: true });
    const files = t.render();
    for (const f of files) {
      const p = join(dir, f.file);
      mkdirSync(dirname(p), { recursive: true });
      if (!existsSync(p) || readFileSync(p, 'utf8') !== f.content) {
        writeFileSync(p, f.content);
        written.push(relative(root, p));
      }
    }
    const produced = new Set(files.map((f) => f.file));
    for (const f of listDir(dir, t.recursive)) {
      if (t.owns(f) && !produced.has(f)) {
        rmSync(join(dir, f));
        written.push(`${relative(root, join(dir, f))} (removed)`);
      }
    }
  }
  return written;
}

function main(argv: string[]): number {
  const check = argv.includes('--check');
  const ti = argv.indexOf('--target');
  const wanted = ti >= 0 ? argv[ti + 1] : undefined;
  const targets = wanted ? TARGETS.filter((t) => t.name === wanted) : TARGETS;
  if (targets.length === 0) {
    console.error(`unknown target ${wanted}; targets: ${TARGETS.map((t) => t.name).join(', ')}`);
    return 2;
  }
  if (check) {
    const diffs = diffTargets(targets);
    for (const d of diffs) console.error(`${d.path}: ${d.problem === 'stale' ? 'no longer generated' : d.problem}`);
    if (diffs.length > 0) {
      console.error('generated files are out of date; run `npm run generate`');
      return 1;
    }
    return 0;
  }
  for (const p of writeTargets(targets)) console.log(`wrote ${p}`);
  return 0;
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  process.exitCode = main(process.argv.slice(2));
}
