// `npm run build` (scripts/build.mjs) on a scratch copy of the sources, so that sources can be edited
// and deleted without touching the checkout: what it writes, that it is cheap when nothing changed,
// and that a change rebuilds without leaving stale modules behind.
import { spawnSync } from 'node:child_process';
import { appendFileSync, cpSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, symlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { REPO_ROOT } from '../helpers/cluster.js';

let root: string;
const build = (...args: string[]) => spawnSync(process.execPath, [join(root, 'scripts/build.mjs'), ...args], { cwd: root, encoding: 'utf8', timeout: 5 * 60_000 });
const filesUnder = (dir: string): string[] => (readdirSync(dir, { recursive: true, withFileTypes: true }) as { isFile(): boolean; name: string; parentPath: string }[]).filter((e) => e.isFile()).map((e) => relative(dir, join(e.parentPath, e.name))).sort();

beforeAll(() => {
  root = mkdtempSync(join(tmpdir(), 'build-'));
  for (const p of ['src', 'tsconfig.json', 'tsconfig.build.json', 'package.json']) cpSync(join(REPO_ROOT, p), join(root, p), { recursive: true });
  mkdirSync(join(root, 'scripts'));
  cpSync(join(REPO_ROOT, 'scripts/build.mjs'), join(root, 'scripts/build.mjs'));
  symlinkSync(join(REPO_ROOT, 'node_modules'), join(root, 'node_modules'));
  // A module the third test deletes.
  cpSync(join(root, 'src/telemetry/logger.ts'), join(root, 'src/telemetry/build-test-extra.ts'));
});
afterAll(() => rmSync(root, { recursive: true, force: true }));

describe('npm run build', () => {
  it('compiles every module of src/ into dist/ and copies every other file the code reads at run time', { timeout: 300_000 }, () => {
    expect(build('--check').status).toBe(1);
    const r = build();
    expect(r.status, r.stderr).toBe(0);
    // Type declarations (.d.cts, beside the generated validators) are for the compiler only and stay behind.
    const sources = filesUnder(join(root, 'src')).filter((f) => !f.endsWith('.d.cts'));
    const expected = sources.map((f) => f.replace(/\.ts$/, '.js'));
    expect(filesUnder(join(root, 'dist'))).toEqual([...expected, '.build-key'].sort());
    for (const asset of sources.filter((f) => !f.endsWith('.ts'))) expect(readFileSync(join(root, 'dist', asset))).toEqual(readFileSync(join(root, 'src', asset)));
    expect(sources.filter((f) => !f.endsWith('.ts'))).toContain('emulator/model/chime-sdk-voice-2022-08-03.json');
    // The CLI reads ../../package.json from dist/cli/, as from src/cli/: the package root in both.
    const v = spawnSync(process.execPath, [join(root, 'dist/cli/main.js'), '--version'], { encoding: 'utf8' });
    expect(v.stdout.trim()).toBe(JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')).version);
    expect(build('--check').status).toBe(0);
  });

  it('does nothing when no source changed: dist/ is left as it is and tsc is not started', () => {
    const before = statSync(join(root, 'dist/cli/main.js')).mtimeMs;
    const r = build();
    expect(r.status).toBe(0);
    expect(r.stderr).toBe('');
    expect(statSync(join(root, 'dist/cli/main.js')).mtimeMs).toBe(before);
  });

  it('rebuilds after a change, and a deleted source leaves no module behind', { timeout: 300_000 }, () => {
    expect(existsSync(join(root, 'dist/telemetry/build-test-extra.js'))).toBe(true);
    appendFileSync(join(root, 'src/cli/program.ts'), '\nexport const BUILD_TEST_MARKER = 42;\n');
    rmSync(join(root, 'src/telemetry/build-test-extra.ts'));
    expect(build('--check').status).toBe(1);
    const r = build();
    expect(r.status, r.stderr).toBe(0);
    expect(r.stderr).toContain('sources changed');
    expect(readFileSync(join(root, 'dist/cli/program.js'), 'utf8')).toContain('BUILD_TEST_MARKER = 42');
    expect(existsSync(join(root, 'dist/telemetry/build-test-extra.js'))).toBe(false);
  });

  it('a failed compile leaves the last good dist/ in place and says so', { timeout: 300_000 }, () => {
    const good = readFileSync(join(root, 'dist/cli/program.js'), 'utf8');
    appendFileSync(join(root, 'src/cli/program.ts'), '\nexport const broken: number = "not a number";\n');
    const r = build();
    expect(r.status).toBe(1);
    expect(r.stdout + r.stderr).toContain('TS2322');
    expect(r.stderr).toContain('dist/ is unchanged');
    expect(readFileSync(join(root, 'dist/cli/program.js'), 'utf8')).toBe(good);
    expect(build('--check').status).toBe(1);
  });
});
