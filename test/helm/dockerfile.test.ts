// The Dockerfile, without a Docker engine (there is none on this machine, and no hadolint): its
// structure is parsed and checked (stages, a non-root numeric USER, exec-form ENTRYPOINT, only
// build outputs in the runtime stage), and the build stage's own commands are replayed in a
// scratch context made of exactly what its COPY lines bring in; the result must run.
import { execFileSync } from 'node:child_process';
import { cpSync, existsSync, mkdtempSync, readFileSync, rmSync, symlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { REPO_ROOT } from '../helpers/cluster.js';

interface Instruction {
  op: string;
  args: string;
}
interface Stage {
  from: string;
  name?: string;
  body: Instruction[];
}

/** Instructions of a Dockerfile: comments dropped, backslash continuations joined. */
function parseDockerfile(text: string): { args: Instruction[]; stages: Stage[] } {
  const logical: string[] = [];
  let current = '';
  for (const raw of text.split('\n')) {
    const line = raw.trim();
    if (line.startsWith('#') || (line === '' && current === '')) continue;
    if (line.endsWith('\\')) current += `${line.slice(0, -1)} `;
    else {
      logical.push(current + line);
      current = '';
    }
  }
  const args: Instruction[] = [];
  const stages: Stage[] = [];
  for (const l of logical.filter((x) => x !== '')) {
    const m = /^(\S+)\s+(.*)$/.exec(l);
    if (!m) throw new Error(`not an instruction: ${l}`);
    const ins = { op: m[1].toUpperCase(), args: m[2].trim() };
    if (ins.op === 'FROM') {
      const f = /^(\S+)(?:\s+AS\s+(\S+))?$/i.exec(ins.args);
      stages.push({ from: f![1], name: f![2], body: [] });
    } else if (stages.length === 0) args.push(ins);
    else stages[stages.length - 1].body.push(ins);
  }
  return { args, stages };
}

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
  it('has a build, a deps and a runtime stage, all on the pinned slim Node 20 image', () => {
    expect(dockerfile.stages.map((s) => s.name)).toEqual(['build', 'deps', 'runtime']);
    expect(dockerfile.args).toContainEqual({ op: 'ARG', args: 'NODE_IMAGE=node:20.19-bookworm-slim' });
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
    expect(JSON.parse(entry!.args)).toEqual(['node', 'src/cli/main.js']);
    expect(JSON.parse(rt.find((i) => i.op === 'CMD')!.args)).toEqual(['run']);
    expect(rt.some((i) => i.op === 'ADD')).toBe(false);
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
  // the registry is the one step not replayed.
  it('build stage: its commands, replayed on exactly what it copies, produce a CLI that runs', { timeout: 180_000 }, () => {
    const root = mkdtempSync(join(tmpdir(), 'dockerfile-replay-'));
    scratch.push(root);
    const ctx = join(root, 'src-context');
    const out = join(root, 'out');
    const build = stage('build').body;
    for (const i of build) {
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
        execFileSync('sh', ['-c', i.args.replaceAll('/out', out)], { cwd: ctx, stdio: 'pipe', timeout: 170_000 });
      }
    }
    expect(existsSync(join(out, 'src/cli/main.js'))).toBe(true);
    expect(existsSync(join(out, 'package.json'))).toBe(true);
    // The runtime stage: /out plus node_modules.
    symlinkSync(join(REPO_ROOT, 'node_modules'), join(out, 'node_modules'));
    const version = execFileSync('node', ['src/cli/main.js', '--version'], { cwd: out, encoding: 'utf8' }).trim();
    expect(version).toBe(JSON.parse(readFileSync(join(REPO_ROOT, 'package.json'), 'utf8')).version);
    const help = execFileSync('node', ['src/cli/main.js', 'run', '--help'], { cwd: out, encoding: 'utf8' });
    expect(help).toContain('--metrics-bind-address');
  });
});
