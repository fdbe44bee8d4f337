// Start only what a command needs: the compiled CLI's `--help`, a usage error and `validate` must not
// load the AWS SDK, the Kubernetes client, the controller's logging and metrics, the emulator or
// ajv's schema compiler (validators are generated ahead of time, src/api/generated). A loader hook
// (import-recorder/) writes down every module the process resolves; the test reads the list.
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { REPO_ROOT } from '../helpers/cluster.js';
import { BIN, ensureBuilt, userEnv } from './build.js';

const REGISTER = join(REPO_ROOT, 'test/package/import-recorder/register.mjs');
const scratch = mkdtempSync(join(tmpdir(), 'startup-imports-'));
afterAll(() => rmSync(scratch, { recursive: true, force: true }));
beforeAll(() => ensureBuilt(), 5 * 60_000);

/** What a command must not load, by the path of the module as resolved. */
const HEAVY: Record<string, RegExp> = {
  'the AWS SDK': /\/node_modules\/@aws-sdk\//,
  'the Kubernetes client': /\/node_modules\/@kubernetes\/client-node\//,
  pino: /\/node_modules\/pino\//,
  'prom-client': /\/node_modules\/prom-client\//,
  'the emulator': /\/dist\/emulator\//,
  "ajv's schema compiler": /\/node_modules\/ajv\/dist\/(ajv|core|compile\/index)\.js$/,
};

let runs = 0;
/** Every module URL `node <args>` resolved, and how it ended. */
function resolvedBy(args: string[]): { urls: string[]; status: number | null; output: string } {
  const record = join(scratch, `imports-${++runs}.txt`);
  const r = spawnSync(process.execPath, ['--import', pathToFileURL(REGISTER).href, ...args], {
    cwd: REPO_ROOT,
    encoding: 'utf8',
    env: userEnv({ RECORD_IMPORTS_TO: record }),
    timeout: 60_000,
  });
  let urls: string[] = [];
  try {
    urls = readFileSync(record, 'utf8').split('\n').filter(Boolean);
  } catch {
    // No file: nothing was resolved, which the assertions below report.
  }
  return { urls, status: r.status, output: `${r.stdout}${r.stderr}` };
}

function heavyIn(urls: string[]): string[] {
  return Object.entries(HEAVY)
    .filter(([, re]) => urls.some((u) => re.test(u)))
    .map(([what]) => `${what}: ${urls.find((u) => HEAVY[what].test(u))}`);
}

describe('what a command loads', () => {
  it('the recorder sees the AWS SDK and the Kubernetes client when the controller side is imported (the check below can fail)', () => {
    const r = resolvedBy(['-e', `await import(${JSON.stringify(pathToFileURL(join(REPO_ROOT, 'dist/aws/context.js')).href)}); await import('@kubernetes/client-node');`, '--input-type=module']);
    expect(r.status, r.output).toBe(0);
    expect(heavyIn(r.urls).map((h) => h.split(':')[0])).toEqual(expect.arrayContaining(['the AWS SDK', 'the Kubernetes client']));
  });

  it('--help loads commander and none of the heavy modules', () => {
    const r = resolvedBy([BIN, '--help']);
    expect(r.status, r.output).toBe(0);
    expect(r.output).toContain('Usage: chime-voice-operator');
    expect(r.urls.some((u) => u.endsWith('/dist/cli/main.js'))).toBe(true);
    expect(heavyIn(r.urls)).toEqual([]);
    // Nor the schemas, the kinds or the YAML loader: help is commander's text (main.js names the
    // digest key error, a small node:crypto module, to print it).
    expect(r.urls.filter((u) => /\/node_modules\/(@sinclair\/typebox|ajv|libphonenumber-js|yaml)\//.test(u) || /\/dist\/(api|kinds|sources|aws)\//.test(u))).toEqual([]);
  });

  it('a command’s own --help and a usage error load none of the heavy modules', () => {
    for (const args of [['plan', '--help'], ['run', '--help'], ['apply']]) {
      const r = resolvedBy([BIN, ...args]);
      expect(r.status, `${args.join(' ')}: ${r.output}`).toBe(args[0] === 'apply' ? 2 : 0);
      expect(heavyIn(r.urls), args.join(' ')).toEqual([]);
    }
  });

  it('as kubectl chime, plan --help (whose plan reads the cluster by default) and routes --help load none of the heavy modules', () => {
    const plugin = join(REPO_ROOT, 'bin/kubectl-chime.js');
    for (const args of [['plan', '--help'], ['routes', '--help']]) {
      const r = resolvedBy([plugin, ...args]);
      expect(r.status, `${args.join(' ')}: ${r.output}`).toBe(0);
      expect(r.output).toContain(`Usage: kubectl chime ${args[0]}`);
      expect(heavyIn(r.urls), args.join(' ')).toEqual([]);
    }
    expect(resolvedBy([plugin, 'plan', '--help']).output).toMatch(/The\s+default\s+as\s+kubectl\s+chime\./);
  });

  it('rendering a plan (text, Markdown, JSON) loads no AWS SDK: the renderers live apart from the commands that ask AWS', () => {
    const output = pathToFileURL(join(REPO_ROOT, 'dist/cli/plan-output.js')).href;
    const run = JSON.stringify({ problems: [], invalid: false, reports: [] });
    const r = resolvedBy([
      '--input-type=module',
      '-e',
      `const p = await import(${JSON.stringify(output)}); const run = ${run}; const v = p.planVerdict(run); process.stdout.write(p.planText(run, v, (_c, t) => t) + p.planMarkdown(run, v) + p.planJson(run, v));`,
    ]);
    expect(r.status, r.output).toBe(0);
    expect(r.output).toContain('No changes: AWS matches every manifest.');
    expect(heavyIn(r.urls)).toEqual([]);
  });

  it('routes --help, and routes of manifests, load neither the AWS SDK nor the Kubernetes client', () => {
    const help = resolvedBy([BIN, 'routes', '--help']);
    expect(help.status, help.output).toBe(0);
    expect(help.output).toContain('Usage: chime-voice-operator routes');
    expect(heavyIn(help.urls)).toEqual([]);
    // Only the option list (routes/options.js): not the command, the model or the renderers.
    expect(help.urls.filter((u) => /\/dist\/(domain|cli)\/routes\//.test(u) && !u.endsWith('/dist/cli/routes/options.js'))).toEqual([]);
    const drawn = resolvedBy([BIN, 'routes', '-f', join(REPO_ROOT, 'examples'), '-o', 'mermaid']);
    expect(drawn.status, drawn.output).toBe(0);
    expect(drawn.output).toContain('flowchart LR');
    expect(drawn.urls.some((u) => u.endsWith('/dist/cli/routes/command.js'))).toBe(true);
    expect(heavyIn(drawn.urls)).toEqual([]);
  });

  it('validate -f examples checks every manifest without the AWS SDK, the Kubernetes client or compiling a schema', () => {
    const r = resolvedBy([BIN, 'validate', '-f', join(REPO_ROOT, 'examples')]);
    expect(r.status, r.output).toBe(0);
    expect(r.output).toMatch(/examples: valid/);
    expect(r.urls.some((u) => u.endsWith('/dist/sources/validate.js'))).toBe(true);
    expect(heavyIn(r.urls)).toEqual([]);
  });

  it('validate reports schema, CEL and format errors through the generated validators', () => {
    const dir = join(scratch, 'bad');
    const file = join(dir, 'bad.yaml');
    mkdirSync(dir, { recursive: true });
    const yaml = [
      'apiVersion: chimevoice.io/v1alpha1',
      'kind: VoiceConnector',
      'metadata: {name: bad}',
      'spec:',
      '  region: us-east-1',
      '  requireEncryption: "yes"',
      '  termination:',
      '    cidrAllowedList: [10.0.0.0/8, 54.240.196.0/24, 54.240.196.0/24]',
      '',
    ].join('\n');
    writeFileSync(file, yaml);
    const r = resolvedBy([BIN, 'validate', '-f', dir]);
    expect(r.status, r.output).toBe(1);
    expect(r.output).toContain('spec.requireEncryption: must be a boolean');
    expect(r.output).toMatch(/10\.0\.0\.0\/8 is not publicly routable/);
    expect(r.output).toMatch(/cidrAllowedList\[2\]: duplicate entry/);
    expect(heavyIn(r.urls)).toEqual([]);
  });
});
