// The package as users get it: the compiled bin of this checkout, the file list `npm pack` ships
// (package.json `files`), and the packed tarball installed into an empty folder with npm, its
// command run from there. npm installs the tarball's dependencies through the configured registry
// (its cache first), exactly as a user's `npm install chime-voice-operator` would.
import { spawnSync, type SpawnSyncReturns } from 'node:child_process';
import { cpSync, existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { REPO_ROOT } from '../helpers/cluster.js';
import { BIN, ensureBuilt, userEnv } from './build.js';

const scratch: string[] = [];
const tempDir = (prefix: string) => {
  const d = mkdtempSync(join(tmpdir(), prefix));
  scratch.push(d);
  return d;
};
afterAll(() => {
  for (const d of scratch) rmSync(d, { recursive: true, force: true });
});

const pkg = JSON.parse(readFileSync(join(REPO_ROOT, 'package.json'), 'utf8')) as { name: string; version: string; engines: { node: string } };
const said = (r: SpawnSyncReturns<string>) => `exit ${r.status ?? r.signal}\n${r.stdout}${r.stderr}`;

/** A copy of examples/ with one broken manifest, to see validate name the file and line. */
function examplesCopy(): { ok: string; broken: string } {
  const ok = join(tempDir('examples-'), 'examples');
  cpSync(join(REPO_ROOT, 'examples'), ok, { recursive: true });
  const broken = join(tempDir('examples-broken-'), 'examples');
  cpSync(ok, broken, { recursive: true });
  writeFileSync(
    join(broken, 'zz-broken.yaml'),
    ['apiVersion: chimevoice.io/v1alpha1', 'kind: VoiceConnector', 'metadata:', '  name: broken', 'spec:', '  region: us-east-1', '  requireEncryption: "yes"', ''].join('\n'),
  );
  return { ok, broken };
}

beforeAll(() => ensureBuilt(), 5 * 60_000);

describe('the compiled CLI (bin/chime-voice-operator.js)', () => {
  const run = (args: string[], cwd = REPO_ROOT) => spawnSync(process.execPath, [BIN, ...args], { cwd, encoding: 'utf8', env: userEnv(), timeout: 60_000 });

  it('runs dist/, not the TypeScript sources', () => {
    const bin = readFileSync(BIN, 'utf8');
    expect(bin).toContain('../dist/cli/main.js');
    expect(bin).not.toMatch(/tsx|\.ts['"]/);
  });

  it('prints its help and version', () => {
    const help = run(['--help']);
    expect(help.status, said(help)).toBe(0);
    for (const command of ['validate', 'plan', 'apply', 'destroy', 'emulator', 'run']) expect(help.stdout).toMatch(new RegExp(`^  ${command}\\b`, 'm'));
    expect(run(['--version']).stdout.trim()).toBe(pkg.version);
  });

  it('validates a copy of examples/, and names file and line of an error', () => {
    const { ok, broken } = examplesCopy();
    const good = run(['validate', '-f', ok]);
    expect(good.status, said(good)).toBe(0);
    expect(good.stdout + good.stderr).toMatch(/valid/);
    const bad = run(['validate', '-f', broken]);
    expect(bad.status, said(bad)).toBe(1);
    expect(bad.stdout + bad.stderr).toMatch(/zz-broken\.yaml:7:\d+/);
  });
});

describe('npm pack', () => {
  let tarball: string;
  let files: string[];

  beforeAll(() => {
    const dest = tempDir('pack-');
    // prepack runs `npm run build`: the tarball can never hold a dist/ older than the sources.
    const r = spawnSync('npm', ['pack', '--json', '--pack-destination', dest], { cwd: REPO_ROOT, encoding: 'utf8', env: userEnv(), timeout: 5 * 60_000 });
    if (r.status !== 0) throw new Error(`npm pack failed: ${said(r)}`);
    const [packed] = JSON.parse(r.stdout.slice(r.stdout.indexOf('['))) as { filename: string; files: { path: string }[] }[];
    tarball = join(dest, packed.filename);
    files = packed.files.map((f) => f.path).sort();
  }, 5 * 60_000);

  it('ships the compiled CLI with what it reads at run time, and the docs and manifests a user reads', () => {
    const compiled = (readdirSync(join(REPO_ROOT, 'src'), { recursive: true }) as string[])
      .filter((f) => /\.(ts|json)$/.test(f))
      .map((f) => `dist/${f.replace(/\.ts$/, '.js')}`);
    expect(files).toEqual(expect.arrayContaining([...compiled, 'bin/chime-voice-operator.js', 'bin/kubectl-chime.js', 'package.json', 'README.md', 'docs/getting-started.md', 'docs/reference/voice-connector.md', 'crds/voiceconnectors.chimevoice.io.yaml', 'charts/chime-voice-operator/Chart.yaml', 'iam/policy.json', 'argocd/argocd-cm.yaml', 'argocd/health/chimevoice.io/VoiceConnector/health.lua']));
    expect(files.filter((f) => f.startsWith('examples/')).length).toBeGreaterThan(5);
  });

  it('ships no tests, benchmarks, sources, build inputs or CI files', () => {
    const allowed = /^(bin\/(chime-voice-operator|kubectl-chime)\.js|package\.json|README\.md|(dist|docs|examples|crds|charts|iam)\/.+|argocd\/argocd-cm\.yaml|argocd\/health\/.+\/health\.lua)$/;
    expect(files.filter((f) => !allowed.test(f))).toEqual([]);
    expect(files.filter((f) => /(^|\/)(test|bench|src|scripts|testdata)\/|\.test\.|_test\.yaml$|\.ts$|^dist\/\.build-key$/.test(f))).toEqual([]);
  });

  it('installs into an empty folder; its chime-voice-operator command prints help and validates', { timeout: 10 * 60_000 }, () => {
    const dir = tempDir('install-');
    writeFileSync(join(dir, 'package.json'), JSON.stringify({ name: 'user-project', private: true }));
    const install = spawnSync('npm', ['install', tarball, '--no-audit', '--no-fund', '--prefer-offline'], { cwd: dir, encoding: 'utf8', env: userEnv(), timeout: 9 * 60_000 });
    expect(install.status, said(install)).toBe(0);

    const cmd = join(dir, 'node_modules/.bin/chime-voice-operator');
    // Run as a user runs it: the bin link, its `#!/usr/bin/env node` line, from their project.
    const run = (args: string[]) => spawnSync(cmd, args, { cwd: dir, encoding: 'utf8', env: userEnv(), timeout: 60_000 });
    const help = run(['--help']);
    expect(help.status, said(help)).toBe(0);
    expect(help.stdout).toContain('Usage: chime-voice-operator');
    expect(run(['--version']).stdout.trim()).toBe(pkg.version);

    const { ok, broken } = examplesCopy();
    const good = run(['validate', '-f', ok]);
    expect(good.status, said(good)).toBe(0);
    const bad = run(['validate', '-f', broken]);
    expect(bad.status, said(bad)).toBe(1);
    expect(bad.stdout + bad.stderr).toMatch(/zz-broken\.yaml:7:\d+/);

    // A production install: the compiler and the TypeScript runner are not among its dependencies.
    const installed = readdirSync(join(dir, 'node_modules'));
    for (const tool of ['typescript', 'tsx', 'esbuild', '@esbuild', 'vitest']) expect(installed).not.toContain(tool);
    expect(existsSync(join(dir, 'node_modules', pkg.name, 'dist/emulator/model/chime-sdk-voice-2022-08-03.json'))).toBe(true);

    // package.json `overrides` bind this repository only, never a project that installs the package:
    // there @kubernetes/client-node gets the undici 8 it asks for, which needs Node 22.19 (`run`
    // cannot even load it on Node 20). `engines` says so; if the client ever loads on an older Node,
    // this fails and `engines` can be widened.
    const [major, minor] = process.versions.node.split('.').map(Number);
    const supported = major > 22 || (major === 22 && minor >= 19);
    expect(pkg.engines.node).toBe('>=22.19');
    const load = spawnSync(process.execPath, ['--input-type=module', '-e', "await import('@kubernetes/client-node')"], { cwd: join(dir, 'node_modules', pkg.name), encoding: 'utf8', env: userEnv(), timeout: 60_000 });
    expect(load.status === 0, `Node ${process.version}: ${said(load)}`).toBe(supported);
  });
});
