// The documentation's commands, run as a reader runs them, so that they cannot rot.
// Runnable blocks (see doc-commands.ts for the marker convention) run in a temporary folder holding
// a copy of examples/ and the files the document asks to save, one folder per document, the
// documents in parallel. Two substitutions make them runnable here: `npx chime-voice-operator` (and
// `npm run cli --`) run this checkout's bin/chime-voice-operator.js (the compiled CLI, built first
// when the sources changed), and the emulator's documented port 4566 becomes a free port.
// Every other command line of every ```sh block is checked against the CLI's own definition:
// the command and each flag must exist.
import { spawn } from 'node:child_process';
import { cpSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import type { Command } from 'commander';
import { beforeAll, describe, expect, it } from 'vitest';
import { buildProgram } from '../../src/cli/program.js';
import { ensureBuilt } from '../package/build.js';
import { ROOT, allDocCommands, extractFiles, words, type DocCommand } from './doc-commands.js';

const BIN = join(ROOT, 'bin/chime-voice-operator.js');
const DOC_PORT = '4566';

async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
  });
}

function rewrite(command: string, port: number): string {
  return command
    .replace(/\bnpx chime-voice-operator\b/g, `node ${JSON.stringify(BIN)}`)
    .replace(/\bnpm run cli --(?=\s)/g, `node ${JSON.stringify(BIN)}`)
    .replace(new RegExp(`(--port |127\\.0\\.0\\.1:|localhost:)${DOC_PORT}\\b`, 'g'), `$1${port}`);
}

/** The environment of a reader without AWS credentials: nothing may reach a real account. */
function cleanEnv(): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = {};
  for (const [k, v] of Object.entries(process.env)) if (!k.startsWith('AWS_') && k !== 'KUBECONFIG') env[k] = v;
  return { ...env, NO_COLOR: '1', AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true' };
}

const where = (c: DocCommand) => `${c.file}:${c.line}: ${c.command}`;

interface Background {
  cmd: DocCommand;
  exited: Promise<number | null>;
  output: () => string;
  pid: number;
}

function startBackground(c: DocCommand, line: string, cwd: string): Promise<Background> {
  // detached: a process group of its own, so that SIGINT reaches the node process under bash.
  const child = spawn('bash', ['-c', line], { cwd, env: cleanEnv(), detached: true });
  let out = '';
  child.stdout.on('data', (d: Buffer) => (out += d.toString()));
  child.stderr.on('data', (d: Buffer) => (out += d.toString()));
  const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`${where(c)}: did not say it was listening within 30 s:\n${out}`)), 30_000);
    const ready = () => {
      if (/listening|running|ready/i.test(out)) {
        clearTimeout(timer);
        resolve({ cmd: c, exited, output: () => out, pid: child.pid! });
      }
    };
    child.stdout.on('data', ready);
    child.stderr.on('data', ready);
    void exited.then((code) => {
      clearTimeout(timer);
      reject(new Error(`${where(c)}: exited with ${code} before it was ready:\n${out}`));
    });
  });
}

/** Runs one command line to its end (asynchronously, so that the documents really run in parallel). */
function run(line: string, cwd: string): Promise<{ code: number | string; output: string }> {
  return new Promise((resolve) => {
    const child = spawn('bash', ['-c', line], { cwd, env: cleanEnv() });
    let output = '';
    child.stdout.on('data', (d: Buffer) => (output += d.toString()));
    child.stderr.on('data', (d: Buffer) => (output += d.toString()));
    const timer = setTimeout(() => child.kill('SIGKILL'), 90_000);
    child.on('close', (code, signal) => {
      clearTimeout(timer);
      resolve({ code: code ?? String(signal), output });
    });
  });
}

async function runDocument(file: string, commands: DocCommand[]): Promise<string[]> {
  const dir = mkdtempSync(join(tmpdir(), 'cvo-docs-'));
  const failures: string[] = [];
  const background: Background[] = [];
  try {
    cpSync(join(ROOT, 'examples'), join(dir, 'examples'), { recursive: true });
    for (const f of extractFiles(file, readFileSync(join(ROOT, file), 'utf8'))) {
      mkdirSync(dirname(join(dir, f.path)), { recursive: true });
      writeFileSync(join(dir, f.path), f.content);
    }
    const port = await freePort();
    for (const c of commands) {
      const line = rewrite(c.command, port);
      if (c.mode === 'background') {
        background.push(await startBackground(c, line, dir));
        continue;
      }
      const r = await run(line, dir);
      if (r.code !== c.expectedExit) {
        failures.push(`${where(c)}\n  exit code ${r.code}, the docs say ${c.expectedExit}\n${r.output.replace(/^/gm, '  | ')}`);
      }
    }
  } finally {
    for (const b of background) {
      try {
        process.kill(-b.pid, 'SIGINT');
      } catch {
        // already gone: its exit code tells
      }
      const code = await Promise.race([b.exited, new Promise<string>((r) => setTimeout(() => r('timeout'), 15_000))]);
      if (code !== 0) {
        failures.push(`${where(b.cmd)}\n  on SIGINT: ${code === 'timeout' ? 'did not stop within 15 s' : `exit code ${code}`}\n${b.output().replace(/^/gm, '  | ')}`);
        if (code === 'timeout') process.kill(-b.pid, 'SIGKILL');
      }
    }
    rmSync(dir, { recursive: true, force: true });
  }
  return failures;
}

const commands = allDocCommands();
const runnable = commands.filter((c) => c.mode !== undefined);
const byFile = new Map<string, DocCommand[]>();
for (const c of runnable) byFile.set(c.file, [...(byFile.get(c.file) ?? []), c]);

describe.concurrent('runnable commands of the docs', () => {
  beforeAll(() => ensureBuilt(), 5 * 60_000);

  it('there are some (the marker convention still matches the docs)', () => {
    expect(runnable.length).toBeGreaterThan(5);
  });
  for (const [file, list] of byFile) {
    it(`${file}: ${list.length} commands exit as documented`, async () => {
      const failures = await runDocument(file, list);
      expect(failures, failures.join('\n\n')).toEqual([]);
    }, 180_000);
  }
});

// ---- Every command shown is a real one ---------------------------------------------------------------

function optionNames(cmd: Command): Set<string> {
  const names = new Set<string>(['-h', '--help']);
  for (const o of cmd.options) {
    if (o.long) names.add(o.long);
    if (o.short) names.add(o.short);
  }
  return names;
}

/** Problems of one `chime-voice-operator ...` invocation: unknown command or flags. */
function cliProblems(argv: string[], program: Command): string[] {
  const global = optionNames(program);
  for (const v of ['-V', '--version', '--no-color']) global.add(v);
  const rest = argv.filter((w) => !global.has(w));
  const name = rest[0];
  if (!name) return [];
  const sub = program.commands.find((c) => c.name() === name);
  if (!sub) return [`unknown command "${name}"`];
  const known = optionNames(sub);
  return rest
    .slice(1)
    .filter((w) => w.startsWith('-'))
    .map((w) => w.split('=')[0])
    .filter((w) => !known.has(w) && !global.has(w))
    .map((w) => `"${name}" has no option ${w}`);
}

describe('every command the docs show', () => {
  const program = buildProgram();
  const scripts = Object.keys((JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as { scripts: Record<string, string> }).scripts);

  it('names a real chime-voice-operator command and real flags', () => {
    const problems: string[] = [];
    for (const c of commands) {
      const w = words(c.command);
      for (let i = 0; i < w.length; i++) {
        let argv: string[] | undefined;
        if (w[i] === 'chime-voice-operator' || w[i].endsWith('bin/chime-voice-operator.js')) argv = w.slice(i + 1);
        else if (w[i] === 'npm' && w[i + 1] === 'run' && w[i + 2] === 'cli' && w[i + 3] === '--') argv = w.slice(i + 4);
        if (argv) for (const p of cliProblems(argv, program)) problems.push(`${where(c)}: ${p}`);
      }
    }
    expect(problems).toEqual([]);
  });

  it('names real npm scripts', () => {
    const problems: string[] = [];
    for (const c of commands) {
      const w = words(c.command);
      if (w[0] !== 'npm') continue;
      const script = w[1] === 'run' ? w[2] : w[1] === 'start' || w[1] === 'test' ? w[1] : undefined;
      if (script && !scripts.includes(script)) problems.push(`${where(c)}: no npm script "${script}"`);
    }
    expect(problems).toEqual([]);
  });

  it('the flag check catches a made-up flag', () => {
    expect(cliProblems(['plan', '-f', 'x', '--emulator'], program)).toEqual([]);
    expect(cliProblems(['plan', '--no-such-flag'], program)).toEqual(['"plan" has no option --no-such-flag']);
    expect(cliProblems(['deploy'], program)).toEqual(['unknown command "deploy"']);
  });
});
