/**
 * `npm run cluster` end to end, as a newcomer runs it: the script started in a process group of its
 * own (as a terminal starts it), its KUBECONFIG line awaited, the commands it prints run as printed
 * (every example Ready through `kubectl wait`, `kubectl chime reconcile`), then Ctrl-C (SIGINT to the
 * process group, as a terminal sends it): exit 0, no process it started left, its folder gone; a
 * second Ctrl-C kills at once; a controller that dies ends the session, saying so. It
 * starts its own control plane, since starting one is what it tests; the binaries are the cached
 * builds the other suites use.
 */
import { ChimeSDKVoiceClient, ListVoiceConnectorsCommand } from '@aws-sdk/client-chime-sdk-voice';
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { createServer, type Server } from 'node:net';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { REPO_ROOT } from '../helpers/cluster.js';
import { imageRuntime } from '../helpers/dockerfile.js';
import { exampleFiles, objectsOf } from '../e2e/helpers.js';

interface Started {
  child: ChildProcess;
  output: () => string;
  exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
}

/** The script as `npm run cluster` runs it, leading a process group of its own. */
function startScript(args: string[] = []): Started {
  const script = (JSON.parse(readFileSync(join(REPO_ROOT, 'package.json'), 'utf8')) as { scripts: Record<string, string> }).scripts.cluster;
  // npm run cluster is `node scripts/setup.mjs && <this>`; setup (npm ci when node_modules is stale) is no part of the test.
  const command = script.split('&&').pop()!.trim().split(/\s+/);
  expect(command.slice(0, 1)).toEqual(['node']);
  const child = spawn(process.execPath, [...command.slice(1), ...args], {
    cwd: REPO_ROOT,
    detached: true,
    stdio: ['ignore', 'pipe', 'pipe'],
    env: { ...process.env, NO_COLOR: '1' },
  });
  let out = '';
  child.stdout!.setEncoding('utf8').on('data', (c: string) => (out += c));
  child.stderr!.setEncoding('utf8').on('data', (c: string) => (out += c));
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) => child.on('exit', (code, signal) => resolve({ code, signal })));
  return { child, output: () => out, exited };
}

async function waitForOutput(started: Started, pattern: RegExp, timeoutMs: number): Promise<RegExpExecArray> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const m = pattern.exec(started.output());
    if (m) return m;
    if (started.child.exitCode !== null || Date.now() > deadline) throw new Error(`no ${pattern} in the output (exit ${started.child.exitCode}):\n${started.output()}`);
    await new Promise((r) => setTimeout(r, 200));
  }
}

interface ProcStat {
  pid: number;
  ppid: number;
  pgid: number;
  /** R, S, D, Z...: a zombie (Z) has exited and runs nothing; it waits for its parent (init, once orphaned) to reap it. */
  state: string;
  /** Start time in clock ticks since boot: with the pid, it names one process even if the pid is reused. */
  start: string;
  cmd: string;
}

function processes(): ProcStat[] {
  const out: ProcStat[] = [];
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const stat = readFileSync(`/proc/${entry}/stat`, 'utf8');
      // pid (comm) state ppid pgrp session ...; comm may hold spaces and parentheses.
      const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
      const cmd = readFileSync(`/proc/${entry}/cmdline`, 'utf8').replace(/\0/g, ' ').trim();
      out.push({ pid: Number(entry), state: fields[0], ppid: Number(fields[1]), pgid: Number(fields[2]), start: fields[19], cmd });
    } catch {
      // gone meanwhile
    }
  }
  return out;
}

/** The process and every process below it, now. */
function tree(root: number): ProcStat[] {
  const all = processes();
  const found = all.filter((p) => p.pid === root);
  for (let i = 0; i < found.length; i++) found.push(...all.filter((p) => p.ppid === found[i].pid));
  return found;
}

/** Which of these processes still run (same pid and start time), and what runs in their process groups. */
function survivors(started: ProcStat[]): ProcStat[] {
  const groups = new Set(started.map((p) => p.pgid));
  const ids = new Set(started.map((p) => `${p.pid}/${p.start}`));
  return processes().filter((p) => p.state !== 'Z' && (ids.has(`${p.pid}/${p.start}`) || groups.has(p.pgid)));
}

/**
 * What still runs of these after up to 2 s: a guard's watcher may be killed in its `sleep 0.1`
 * (scripts/lib/control-plane.ts), which then ends on its own within 0.1 s; nothing else may be left.
 */
async function remaining(started: ProcStat[]): Promise<string[]> {
  const deadline = Date.now() + 2_000;
  while (survivors(started).length > 0 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 100));
  return survivors(started).map((p) => `${p.pid} ${p.cmd}`);
}

/** Runs a printed command line through a shell, with the environment the script's export lines give. */
function sh(line: string, env: NodeJS.ProcessEnv, timeoutMs = 240_000): Promise<{ code: number | null; out: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn('bash', ['-c', line], { cwd: REPO_ROOT, env, stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    child.stdout.setEncoding('utf8').on('data', (c: string) => (out += c));
    child.stderr.setEncoding('utf8').on('data', (c: string) => (out += c));
    const timer = setTimeout(() => child.kill('SIGKILL'), timeoutMs);
    child.on('error', reject);
    child.on('close', (code) => {
      clearTimeout(timer);
      resolve({ code, out });
    });
  });
}

describe('npm run cluster', () => {
  let run: Started;
  let kubeconfig: string;
  let env: NodeJS.ProcessEnv;
  let hints: string[];
  let startedProcesses: ProcStat[] = [];

  beforeAll(async () => {
    run = startScript();
    // The first build of kube-apiserver, etcd and helm takes minutes; cached, the start takes seconds.
    kubeconfig = (await waitForOutput(run, /^ {2}export KUBECONFIG=(\S+)$/m, 20 * 60_000))[1];
    const path = (await waitForOutput(run, /^ {2}export PATH="([^:"]+):\$PATH"/m, 5_000))[1];
    await waitForOutput(run, /Ctrl-C stops everything/, 5_000);
    env = { ...process.env, KUBECONFIG: kubeconfig, PATH: `${path}:${process.env.PATH}` };
    const output = run.output();
    hints = output
      .slice(output.indexOf('Then try:'))
      .split('\n')
      .filter((l) => /^ {2}\S/.test(l))
      .map((l) => l.trim());
    startedProcesses = tree(run.child.pid!);
  }, 21 * 60_000);

  afterAll(async () => {
    // A failed test must not leave the cluster running.
    if (run?.child.exitCode === null) {
      for (const p of survivors(startedProcesses)) {
        try {
          process.kill(p.pid, 'SIGKILL');
        } catch {
          // gone
        }
      }
    }
  });

  it('runs etcd, kube-apiserver, the emulator and the compiled controller as the image runs it, with the chart ServiceAccount', async () => {
    const cmds = startedProcesses.map((p) => p.cmd);
    expect(cmds.some((c) => /\/etcd --name=/.test(c))).toBe(true);
    expect(cmds.some((c) => /\/kube-apiserver --etcd-servers=/.test(c))).toBe(true);
    expect(cmds.some((c) => /dist\/cli\/main\.js emulator .*--strict-regions/.test(c))).toBe(true);
    const controller = cmds.find((c) => /dist\/cli\/main\.js run /.test(c));
    // The Dockerfile ENTRYPOINT's node flags, in its order, right before the script.
    const flags = imageRuntime().nodeFlags;
    expect(flags.length).toBeGreaterThan(0);
    expect(controller).toContain(`${flags.join(' ')} ${join(REPO_ROOT, 'dist/cli/main.js')} run `);
    const controllerKubeconfig = /--kubeconfig (\S+)/.exec(controller!)![1];
    const whoami = await sh(`kubectl auth whoami --kubeconfig ${controllerKubeconfig} -o jsonpath='{.status.userInfo.username}'`, env);
    expect(whoami.out).toBe('system:serviceaccount:chime-system:chime-chime-voice-operator');
    // Every server is in a process group of its own, none in the script's: a Ctrl-C reaches the script alone.
    const servers = startedProcesses.filter((p) => !p.cmd.startsWith('bash') && /\/(etcd|kube-apiserver) |dist\/cli\/main\.js/.test(p.cmd));
    expect(servers.length).toBe(4);
    for (const s of servers) expect(s.pgid).not.toBe(run.child.pid);
  });

  it('the commands it prints work as printed: every example Ready, kubectl chime reconcile, the emulator with the credentials shown', { timeout: 300_000 }, async () => {
    const apply = hints.find((h) => h.startsWith('kubectl apply '));
    const wait = hints.find((h) => h.startsWith('kubectl wait '));
    const reconcile = hints.find((h) => h.startsWith('kubectl chime reconcile '));
    expect([apply, wait, reconcile].every(Boolean)).toBe(true);

    // The walk-through of docs/getting-started.md uses these very commands.
    const guide = readFileSync(join(REPO_ROOT, 'docs/getting-started.md'), 'utf8');
    const walkThrough = guide.slice(guide.indexOf('## 4. A local cluster'), guide.indexOf('## 5. '));
    for (const h of hints.filter((l) => l.startsWith('kubectl '))) expect(walkThrough).toContain(`\n${h}\n`);

    // Every example folder but the Argo CD Application (a kind this cluster does not have).
    const folders = readdirSync(join(REPO_ROOT, 'examples')).filter((d) => d !== 'argocd');
    for (const f of folders) expect(apply).toContain(`-f examples/${f}/`);
    const applied = await sh(apply!, env);
    expect(applied.code, applied.out).toBe(0);
    const waited = await sh(wait!, env);
    expect(waited.code, waited.out).toBe(0);
    const list = JSON.parse((await sh('kubectl get chime -A -o json', env)).out) as { items: Array<{ status?: { conditions?: Array<{ type: string; status: string }> } }> };
    expect(list.items.length).toBe(objectsOf(exampleFiles()).length);
    expect(list.items.filter((o) => o.status?.conditions?.find((c) => c.type === 'Ready')?.status !== 'True')).toEqual([]);

    const reconciled = await sh(reconcile!, env);
    expect(reconciled.code, reconciled.out).toBe(0);
    expect(reconciled.out).toMatch(/office-pbx-trunk: reconciled at .*: Ready/);

    // The AWS CLI line: its endpoint and credentials reach the account the controller wrote to.
    const aws = hints.find((h) => h.includes(' aws chime-sdk-voice '))!;
    const endpoint = /--endpoint-url (\S+)/.exec(aws)![1];
    const accessKeyId = /AWS_ACCESS_KEY_ID=(\S+)/.exec(aws)![1];
    const secretAccessKey = /AWS_SECRET_ACCESS_KEY=(\S+)/.exec(aws)![1];
    const region = /--region (\S+)/.exec(aws)![1];
    const client = new ChimeSDKVoiceClient({ endpoint, region, credentials: { accessKeyId, secretAccessKey } });
    const names = ((await client.send(new ListVoiceConnectorsCommand({}))).VoiceConnectors ?? []).map((v) => v.Name);
    client.destroy();
    expect(names.sort()).toEqual(['contact-center-east', 'office-pbx-trunk']);
  });

  it('Ctrl-C stops everything: exit 0, no process it started left, its folder removed', { timeout: 60_000 }, async () => {
    const dir = dirname(kubeconfig);
    expect(existsSync(dir)).toBe(true);
    startedProcesses = tree(run.child.pid!);
    expect(startedProcesses.filter((p) => !p.cmd.startsWith('bash') && /\/(etcd|kube-apiserver) |dist\/cli\/main\.js/.test(p.cmd))).toHaveLength(4);
    // As a terminal's Ctrl-C: SIGINT to the foreground process group.
    process.kill(-run.child.pid!, 'SIGINT');
    const { code, signal } = await run.exited;
    expect({ code, signal }, run.output()).toEqual({ code: 0, signal: null });
    expect(run.output()).toContain('nothing left running');
    expect(await remaining(startedProcesses)).toEqual([]);
    expect(existsSync(dir)).toBe(false);
  });
});

describe('npm run cluster, Ctrl-C twice', () => {
  it('the second Ctrl-C during the teardown kills everything at once: exit 130, nothing left, the folder removed', { timeout: 20 * 60_000 }, async () => {
    const run = startScript();
    const kubeconfig = (await waitForOutput(run, /^ {2}export KUBECONFIG=(\S+)$/m, 20 * 60_000))[1];
    await waitForOutput(run, /Ctrl-C stops everything/, 5_000);
    const started = tree(run.child.pid!);
    // A controller that hangs while it stops, the moment a user presses Ctrl-C again: stopped with
    // SIGSTOP it never ends on the first Ctrl-C's SIGTERM, so the teardown is surely still running
    // when the second comes (a teardown of a healthy controller can end first on a quick machine).
    const controller = started.find((p) => !p.cmd.startsWith('bash') && /dist\/cli\/main\.js run /.test(p.cmd))!;
    process.kill(controller.pid, 'SIGSTOP');
    process.kill(-run.child.pid!, 'SIGINT');
    await waitForOutput(run, /^SIGINT: stopping/m, 10_000);
    process.kill(-run.child.pid!, 'SIGINT');
    const { code } = await run.exited;
    expect(code, run.output()).toBe(130);
    expect(run.output()).toContain('stopping at once: SIGKILL to every process started');
    expect(run.output()).not.toContain('nothing left running');
    expect(await remaining(started)).toEqual([]);
    expect(existsSync(dirname(kubeconfig))).toBe(false);
  });
});

describe('npm run cluster, the controller killed', () => {
  it('a controller that dies ends the session: exit 1 naming it and its log, everything else stopped, the folder kept for its logs', { timeout: 20 * 60_000 }, async () => {
    const run = startScript();
    const kubeconfig = (await waitForOutput(run, /^ {2}export KUBECONFIG=(\S+)$/m, 20 * 60_000))[1];
    await waitForOutput(run, /Ctrl-C stops everything/, 5_000);
    const dir = dirname(kubeconfig);
    try {
      const started = tree(run.child.pid!);
      const controller = started.find((p) => !p.cmd.startsWith('bash') && /dist\/cli\/main\.js run /.test(p.cmd))!;
      process.kill(controller.pid, 'SIGKILL');
      const { code } = await run.exited;
      expect(code, run.output()).toBe(1);
      expect(run.output()).toContain(`cluster: the controller failed: exited with 137; last lines of ${dir}/controller.log`);
      expect(run.output()).toContain(`cluster: logs kept in ${dir}`);
      expect(await remaining(started)).toEqual([]);
      expect(readdirSync(dir)).toEqual(expect.arrayContaining(['controller.log', 'emulator.log', 'apiserver.log', 'etcd.log']));
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe('npm run cluster refuses a port in use', () => {
  let server: Server;
  afterAll(() => new Promise<void>((r) => (server ? server.close(() => r()) : r())));

  it('names the port and what wanted it, starts nothing and leaves no folder', { timeout: 20 * 60_000 }, async () => {
    server = createServer();
    const port = await new Promise<number>((resolve) => server.listen(0, '127.0.0.1', () => resolve((server.address() as { port: number }).port)));
    const before = new Set(readdirSync(tmpdir()).filter((n) => n.startsWith('chime-local-cluster-')));
    const run = startScript(['--apiserver-port', String(port)]);
    const { code } = await run.exited;
    expect(code, run.output()).toBe(1);
    expect(run.output()).toContain(`cluster: the control plane failed: port ${port} on 127.0.0.1 (for the API server) is in use`);
    expect(readdirSync(tmpdir()).filter((n) => n.startsWith('chime-local-cluster-') && !before.has(n))).toEqual([]);
  });
});
