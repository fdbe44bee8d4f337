// The Dockerfile, without a Docker engine (there is none on this machine, and no hadolint): its
// structure is parsed and checked (stages, a non-root numeric USER, exec-form ENTRYPOINT, only
// build outputs in the runtime stage), the production dependencies the deps stage installs are
// listed from the lock file, and the build stage's own commands are replayed in a scratch context
// made of exactly what its COPY lines bring in; the runtime stage's copies of the result must run.
// test/helm/image.test.ts builds the real image with podman where podman can be installed.
import { execFileSync } from 'node:child_process';
import { cpSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, symlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, join, relative } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { REPO_ROOT } from '../helpers/cluster.js';
import { imageRuntime, parseDockerfile, type Stage } from '../helpers/dockerfile.js';

const dockerfile = parseDockerfile(readFileSync(join(REPO_ROOT, 'Dockerfile'), 'utf8'));
const stage = (name: string) => {
  const s = dockerfile.stages.find((x) => x.name === name);
  if (!s) throw new Error(`no stage ${name}`);
  return s;
};
const scratch: string[] = [];
afterAll(() => {
  for (const d of scratch) rmSync(d, { recursive: true, force: true });
});

describe('Dockerfile', () => {
  it('has a build, a deps and a runtime stage, all on the pinned slim Node 24 image', () => {
    expect(dockerfile.stages.map((s) => s.name)).toEqual(['build', 'deps', 'runtime']);
    const image = dockerfile.args.find((a) => a.op === 'ARG' && a.args.startsWith('NODE_IMAGE='));
    expect(image?.args).toMatch(/^NODE_IMAGE=node:24\.\d+-bookworm-slim$/);
    for (const s of dockerfile.stages) expect(s.from).toBe('${NODE_IMAGE}');
  });

  it('installs with npm ci from the lock file: everything to build, production only to run', () => {
    const runs = (s: Stage) => s.body.filter((i) => i.op === 'RUN').map((i) => i.args);
    expect(runs(stage('build')).some((r) => /^npm ci\b/.test(r))).toBe(true);
    expect(runs(stage('deps')).some((r) => /^npm ci --omit=dev --ignore-scripts\b/.test(r))).toBe(true);
    expect(runs(stage('runtime'))).toEqual([]);
  });

  it('runs as a non-root numeric user, in exec form, with only build outputs in the image', () => {
    const rt = stage('runtime').body;
    const user = rt.filter((i) => i.op === 'USER');
    expect(user).toHaveLength(1);
    const [uid, gid] = user[0].args.split(':').map(Number);
    expect(uid).toBeGreaterThan(0);
    expect(gid).toBeGreaterThan(0);
    // The chart's pod securityContext runs as this user.
    const deployment = readFileSync(join(REPO_ROOT, 'charts/chime-voice-operator/templates/deployment.yaml'), 'utf8');
    expect(deployment).toContain(`runAsUser: ${uid}`);
    expect(rt.filter((i) => i.op === 'COPY').every((i) => i.args.startsWith('--from='))).toBe(true);
    const entry = rt.find((i) => i.op === 'ENTRYPOINT');
    expect(JSON.parse(entry!.args)).toEqual(['node', '--max-semi-space-size=2', '--optimize-for-size', 'dist/cli/main.js']);
    // The tests and benchmarks that run the compiled controller start it with the same flags.
    expect(imageRuntime().nodeFlags).toEqual(['--max-semi-space-size=2', '--optimize-for-size']);
    // The heap limit is an ENV, so that NODE_OPTIONS (the chart's controller.heapLimitMiB) can replace it.
    expect(imageRuntime().env.NODE_OPTIONS).toBe('--max-old-space-size=224');
    expect(JSON.parse(rt.find((i) => i.op === 'CMD')!.args)).toEqual(['run']);
    expect(rt.some((i) => i.op === 'ADD')).toBe(false);
  });

  // `npm ci --omit=dev` installs exactly the lock file's entries not marked dev (or optional-only
  // platform packages): what the image runs with. The compiler and the TypeScript runner stay out.
  it('runs with production dependencies only: no TypeScript, tsx or esbuild in the image', () => {
    const lock = JSON.parse(readFileSync(join(REPO_ROOT, 'package-lock.json'), 'utf8')) as { packages: Record<string, { dev?: boolean; devOptional?: boolean }> };
    const production = Object.entries(lock.packages)
      .filter(([path, p]) => path !== '' && !p.dev && !p.devOptional)
      .map(([path]) => path.slice(path.lastIndexOf('node_modules/') + 'node_modules/'.length));
    expect(production).toEqual(expect.arrayContaining(['@aws-sdk/client-chime-sdk-voice', '@kubernetes/client-node', 'ajv', 'yaml']));
    const tooling = production.filter((name) => /^(typescript|tsx|esbuild|@esbuild\/.*|vitest|eslint|get-tsconfig|@types\/.*)$/.test(name));
    // @types/* that runtime packages declare as dependencies are type files only, loaded by nothing.
    expect(tooling.filter((name) => !name.startsWith('@types/'))).toEqual([]);
  });

  it('keeps the build context small (.dockerignore) without leaving out what the build copies', () => {
    const ignored = readFileSync(join(REPO_ROOT, '.dockerignore'), 'utf8')
      .split('\n')
      .map((l) => l.trim())
      .filter((l) => l && !l.startsWith('#'));
    expect(ignored).toEqual(expect.arrayContaining(['.git', 'node_modules', '**/.cache', 'test']));
    const copied = dockerfile.stages.flatMap((s) => s.body.filter((i) => i.op === 'COPY' && !i.args.startsWith('--from=')).flatMap((i) => i.args.split(/\s+/).slice(0, -1)));
    for (const src of copied) expect(ignored, src).not.toContain(src);
  });

  // npm ci is replaced by a link to this checkout's node_modules (installed from the same lock file):
  // the registry is the one step not replayed. The runtime stage is replayed from its COPY lines.
  it('build stage: its commands, replayed on exactly what it copies, produce a CLI that runs in the runtime layout', { timeout: 180_000 }, () => {
    const root = mkdtempSync(join(tmpdir(), 'dockerfile-replay-'));
    scratch.push(root);
    const ctx = join(root, 'src-context');
    const app = join(root, 'app');
    const build = stage('build');
    expect(build.body.find((i) => i.op === 'WORKDIR')?.args).toBe('/src');
    for (const i of build.body) {
      if (i.op === 'COPY') {
        // WORKDIR is the context: `COPY a b ./` puts a and b in it, `COPY src ./src` names the target.
        const parts = i.args.split(/\s+/);
        const dest = parts[parts.length - 1];
        for (const p of parts.slice(0, -1)) cpSync(join(REPO_ROOT, p), dest.endsWith('/') ? join(ctx, dest, basename(p)) : join(ctx, dest), { recursive: true });
      } else if (i.op === 'RUN') {
        if (/^npm ci\b/.test(i.args)) {
          symlinkSync(join(REPO_ROOT, 'node_modules'), join(ctx, 'node_modules'));
          continue;
        }
        execFileSync('sh', ['-c', i.args], { cwd: ctx, stdio: 'pipe', timeout: 170_000 });
      }
    }
    // The runtime stage: node_modules from the deps stage, then its copies out of the build stage.
    mkdirSync(app);
    for (const i of stage('runtime').body.filter((x) => x.op === 'COPY')) {
      const [from, src, dest] = i.args.split(/\s+/);
      if (from === '--from=deps') {
        expect(src).toBe('/app/node_modules');
        symlinkSync(join(REPO_ROOT, 'node_modules'), join(app, 'node_modules'));
        continue;
      }
      expect(from).toBe('--from=build');
      const source = join(ctx, relative('/src', src));
      cpSync(source, dest.endsWith('/') ? join(app, dest, basename(source)) : join(app, dest), { recursive: true });
    }
    const entry = JSON.parse(stage('runtime').body.find((i) => i.op === 'ENTRYPOINT')!.args) as string[];
    const run = (...args: string[]) => execFileSync(entry[0], [...entry.slice(1), ...args], { cwd: app, encoding: 'utf8', stdio: 'pipe', timeout: 60_000 });
    expect(run('--version').trim()).toBe(JSON.parse(readFileSync(join(REPO_ROOT, 'package.json'), 'utf8')).version);
    expect(run('run', '--help')).toContain('--metrics-bind-address');
    // No TypeScript in the image: everything that runs is compiled.
    expect(readdirSync(join(app, 'dist'), { recursive: true }).filter((f) => String(f).endsWith('.ts'))).toEqual([]);
    // The emulator's API models were copied beside the compiled emulator: an --emulator plan starts it.
    const examples = join(root, 'examples');
    cpSync(join(REPO_ROOT, 'examples'), examples, { recursive: true });
    let plan: { status: number; out: string };
    try {
      plan = { status: 0, out: run('plan', '-f', examples, '--emulator', '--status-file', join(root, 'status.json')) };
    } catch (err) {
      const e = err as { status: number; stdout: string; stderr: string };
      plan = { status: e.status, out: e.stdout + e.stderr };
    }
    expect(plan.status, plan.out).toBe(3);
  });
});
