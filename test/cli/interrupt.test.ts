// One Ctrl-C stops apply (and apply --watch, what `npm start` runs) promptly and cleanly at any
// moment: during start-up, in the middle of the first pass, and while watching. The 20 s bound
// is a hang check (the bug was a wait for a second Ctrl-C), not a performance assertion.
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startEmulator, type Emulator } from '../../src/emulator/index.js';
import { lastLine, runCli, type CliRun } from '../helpers/cli.js';

const HANG = 20_000;
const work = mkdtempSync(path.join(tmpdir(), 'cvo-interrupt-'));
let n = 0;
const statusFile = () => ['--status-file', path.join(work, `status-${n++}.json`)];

/** Runs the CLI and sends one SIGINT as soon as the output matches `when`. */
async function interruptWhen(args: string[], when: RegExp): Promise<CliRun & { signalled: boolean }> {
  let signalled = false;
  const run = await runCli(args, {
    timeoutMs: 60_000 + HANG,
    onOutput: (text, child) => {
      if (!signalled && when.test(text)) {
        signalled = true;
        child.kill('SIGINT');
        // From here on, the process has HANG ms to exit on its own.
        setTimeout(() => child.kill('SIGKILL'), HANG).unref();
      }
    },
  });
  return { ...run, signalled };
}

describe('Ctrl-C', () => {
  let emu: Emulator;
  beforeAll(async () => {
    // Every call takes 150 ms: the first pass over examples/ lasts many seconds, so that a signal
    // sent after its first result lands in the middle of it.
    emu = await startEmulator({ clockRate: 20, faults: { latencyMs: { '*': 150 } } });
  });
  afterAll(async () => {
    await emu.stop();
  });

  it('during the first pass of apply --watch: stops without a half table, exit 0', { timeout: 90_000 }, async () => {
    const run = await interruptWhen(['apply', '-f', 'examples', '--endpoint', emu.url, '--watch', ...statusFile()], /✓ /);
    expect(run.signalled).toBe(true);
    expect(run.code, `${run.stderr}\n(killed after the hang bound)`).toBe(0);
    expect(run.stderr).toContain('SIGINT: stopping');
    expect(lastLine(run.stderr)).toMatch(/^interrupted: \d+ objects? not applied: /);
    // The status table of a pass cut short is not printed as if it were a result.
    expect(run.stdout).not.toContain('KIND');
  });

  it('during the first pass of apply: exit 130 and the objects not applied', { timeout: 90_000 }, async () => {
    const run = await interruptWhen(['apply', '-f', 'examples', '--endpoint', emu.url, ...statusFile()], /✓ /);
    expect(run.code, run.stderr).toBe(130);
    expect(lastLine(run.stderr)).toMatch(/^interrupted: \d+ objects? not applied: /);
    expect(run.stdout).toBe('');
  });

  it('while apply --watch is watching: "stopped", exit 0', { timeout: 120_000 }, async () => {
    const run = await interruptWhen(['apply', '-f', 'examples', '--endpoint', emu.url, '--watch', ...statusFile()], /watching examples/);
    expect(run.code, run.stderr).toBe(0);
    expect(lastLine(run.stderr)).toBe('stopped');
  });

  it('right at start-up of npm start (apply --emulator --watch): exit promptly and cleanly', { timeout: 90_000 }, async () => {
    const run = await interruptWhen(['apply', '-f', 'examples', '--emulator', '--watch', ...statusFile()], /embedded Chime SDK Voice emulator at/);
    expect(run.code, run.stderr).toBe(0);
    expect(lastLine(run.stderr)).toMatch(/^(interrupted: \d+ objects? not applied|stopped)/);
  });

  it('during plan: exit 130, and no plan is printed as if complete', { timeout: 90_000 }, async () => {
    // plan prints nothing until it is done: the signal goes once the emulator has answered a few of its calls.
    const before = emu.totalCalls();
    let poll: NodeJS.Timeout | undefined;
    const run = await runCli(['plan', '-f', 'examples', '--endpoint', emu.url, ...statusFile()], {
      timeoutMs: 60_000,
      onSpawn: (child) => {
        poll = setInterval(() => {
          if (emu.totalCalls() < before + 3) return;
          clearInterval(poll);
          child.kill('SIGINT');
        }, 20);
      },
    });
    clearInterval(poll);
    expect(run.code, run.stderr).toBe(130);
    expect(lastLine(run.stderr)).toMatch(/^interrupted: \d+ objects? not planned: /);
    expect(run.stdout).not.toMatch(/No changes|Plan:/);
  });
});
