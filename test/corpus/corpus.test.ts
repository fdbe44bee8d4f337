/**
 * The bad-manifest corpus: hand-written cases in test/corpus/manifests/ (one file each, its header
 * naming the rule or model constraint it breaks and a fragment of the expected message) and the
 * cases generate.ts derives from the schema. Every case must be refused by `validate` with the file
 * and line named, and by `apply` before any AWS call; no case may crash or print a stack trace
 * (a sample goes through the real CLI, as a child process, for that).
 */
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeEach, describe, expect, it } from 'vitest';
import { AwsContext } from '../../src/aws/context.js';
import { emptyState } from '../../src/emulator/core/state.js';
import { handlers } from '../../src/kinds/index.js';
import { applyDirectory } from '../../src/sources/directory-mode.js';
import { StatusStore } from '../../src/sources/status-store.js';
import { formatProblem, hasErrors, validateDirectory, type Problem } from '../../src/sources/validate.js';
import { REPO_ROOT } from '../helpers/cluster.js';
import { testCredentials, withEmulator } from '../helpers/emulator.js';
import { generatedCases } from './generate.js';

const MANIFESTS = path.join(REPO_ROOT, 'test/corpus/manifests');
const emu = withEmulator();
const root = mkdtempSync(path.join(tmpdir(), 'chime-corpus-'));
afterAll(() => rmSync(root, { recursive: true, force: true }));
beforeEach(() => {
  emu().resetState(emptyState());
  emu().resetCounters();
});

interface Case {
  name: string;
  /** A folder holding only this case's file. */
  dir: string;
  file: string;
  rule: string;
  expect: string[];
  /** For generated cases: the spec path the error must be reported at. */
  path?: string;
}

/** The header of a hand-written case, read from its bytes (a UTF-16 case has NULs between the letters). */
function header(bytes: Buffer): { rule: string; expect: string[] } {
  const text = bytes.toString('latin1').replace(/\0/g, '');
  const rule = /# rule: (.+)$/m.exec(text)?.[1].trim();
  const expects = [...text.matchAll(/# expect: (.+)$/gm)].map((m) => m[1].trim());
  if (!rule || expects.length === 0) throw new Error('a corpus case needs "# rule:" and "# expect:" header lines');
  return { rule, expect: expects };
}

let n = 0;
function place(name: string, content: Buffer | string): { dir: string; file: string } {
  const dir = path.join(root, String(n++));
  mkdirSync(dir);
  const file = path.join(dir, name);
  writeFileSync(file, content);
  return { dir, file };
}

const handWritten: Case[] = readdirSync(MANIFESTS)
  .filter((f) => f.endsWith('.yaml'))
  .sort()
  .map((f) => {
    const bytes = readFileSync(path.join(MANIFESTS, f));
    return { name: f, ...place(f, bytes), ...header(bytes) };
  });

const generated: Case[] = generatedCases().map((c) => ({ name: c.name, ...place('generated.yaml', c.yaml), rule: c.rule, expect: [c.expect], path: c.path }));

const all = [...handWritten, ...generated];

function describeProblems(problems: Problem[]): string {
  return problems.map((p) => formatProblem(p)).join('\n');
}

describe('the bad-manifest corpus', () => {
  it('holds at least 120 cases, and at least 100 hand-written ones with their headers', () => {
    expect(all.length).toBeGreaterThanOrEqual(120);
    expect(handWritten.length).toBeGreaterThanOrEqual(100);
  });

  it.each(all.map((c) => [`${c.name} (${c.rule})`, c] as const))('%s: refused by validate at file:line, and by apply before any AWS call', async (_label, c) => {
    const v = await validateDirectory(c.dir);
    const errors = v.problems.filter((p) => p.severity === 'error');
    expect(hasErrors(v.problems), 'validate refuses it').toBe(true);
    for (const p of errors) {
      expect(p.file, formatProblem(p)).toBe(c.file);
      expect(p.line, formatProblem(p)).toBeGreaterThan(0);
      expect(formatProblem(p).length, 'an error echoes only a short cut of the input').toBeLessThan(1200);
    }
    for (const fragment of c.expect) {
      const at = errors.filter((p) => p.message.includes(fragment) && (c.path === undefined || p.path === c.path));
      expect(at.length, `an error${c.path ? ` at ${c.path}` : ''} containing ${JSON.stringify(fragment)} among:\n${describeProblems(errors)}`).toBeGreaterThan(0);
    }

    const aws = new AwsContext({ region: 'us-east-1', endpoint: emu().url, credentials: testCredentials, maxAttempts: 1 });
    const run = await applyDirectory({ dir: c.dir, aws, handlers, store: new StatusStore(undefined, emu().url), timeoutMs: 5_000 });
    expect(run.invalid, 'apply stops at validation').toBe(true);
    expect(run.reports).toEqual([]);
    expect(emu().counters(), 'no AWS call at all, so no write').toEqual({});
  });
});

describe('a sample through the real CLI: one line per problem, exit 1, no stack trace', () => {
  const sample = [
    'cps-limit-past-2-53.yaml',
    'encoding-latin1-tag.yaml',
    'encoding-utf16-no-bom.yaml',
    'yaml-deep-flow.yaml',
    'yaml-alias-bomb.yaml',
    'value-too-long.yaml',
    'pn-claimed-twice.yaml',
    'secret-bad-base64.yaml',
  ].map((f) => handWritten.find((c) => c.name === f)!);

  const cli = (args: string[]) => {
    const r = spawnSync(process.execPath, ['--import', 'tsx', path.join(REPO_ROOT, 'src/cli/main.ts'), ...args], {
      cwd: REPO_ROOT,
      encoding: 'utf8',
      timeout: 60_000,
      env: { ...process.env, AWS_ACCESS_KEY_ID: '', AWS_PROFILE: '', CHIME_VOICE_DEBUG: '' },
    });
    return { code: r.status, out: `${r.stdout}${r.stderr}` };
  };

  it.each(sample.map((c) => [c.name, c] as const))('%s: validate and apply --emulator exit 1 naming file:line', (_n, c) => {
    for (const args of [['validate', '-f', c.dir], ['apply', '-f', c.dir, '--emulator', '--status-file', path.join(c.dir, '..', `${path.basename(c.dir)}-status.json`)]]) {
      const r = cli(args);
      expect(r.code, r.out).toBe(1);
      expect(r.out, 'no stack trace').not.toMatch(/^\s+at .+[(:]\d+/m);
      expect(r.out).not.toMatch(/RangeError|TypeError|Maximum call stack/);
      expect(r.out).toContain(`${c.file}:`);
      for (const fragment of c.expect) expect(r.out).toContain(fragment);
      for (const line of r.out.split('\n')) expect(line.length).toBeLessThan(1200);
    }
  }, 120_000);
});
