// `apply`, `plan` and `apply --watch` as a user runs them: child processes of the CLI against an
// emulator, with the exit codes and output a CI pipeline relies on.
import { spawn } from 'node:child_process';
import { cpSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { GetVoiceConnectorTerminationCommand, ListVoiceConnectorsCommand } from '@aws-sdk/client-chime-sdk-voice';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startEmulator, type Emulator } from '../../src/emulator/index.js';
import { voiceClient } from '../helpers/emulator.js';

interface Run {
  code: number | null;
  stdout: string;
  stderr: string;
}

function cli(args: string[], opts: { onStderr?: (text: string, child: ReturnType<typeof spawn>) => void; timeoutMs?: number } = {}): Promise<Run> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, ['--import', 'tsx', 'src/cli/main.ts', ...args], { env: { ...process.env, NO_COLOR: '1' } });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
    child.stderr.on('data', (d: Buffer) => {
      stderr += d.toString();
      opts.onStderr?.(stderr, child);
    });
    // A hung CLI fails the test with its output instead of a bare timeout.
    const timer = setTimeout(() => child.kill('SIGKILL'), opts.timeoutMs ?? 80_000);
    child.on('exit', (code) => {
      clearTimeout(timer);
      resolve({ code, stdout, stderr });
    });
  });
}

describe('apply and plan on the command line', () => {
  let emu: Emulator;
  let work: string;
  let statusFile: string;
  beforeAll(async () => {
    // Orders take 10 emulated seconds; a faster clock keeps the test short.
    emu = await startEmulator({ clockRate: 20 });
    work = mkdtempSync(path.join(tmpdir(), 'cvo-cli-'));
    cpSync('examples', path.join(work, 'examples'), { recursive: true });
    statusFile = path.join(work, 'status.json');
  });
  afterAll(async () => {
    await emu.stop();
  });

  const target = () => ['-f', path.join(work, 'examples'), '--endpoint', emu.url, '--status-file', statusFile];

  it('plan against an empty account exits 3 (changes pending) and lists the creates', async () => {
    const run = await cli(['plan', ...target()]);
    expect(run.code, run.stderr).toBe(3);
    expect(run.stdout).toMatch(/VoiceConnector default\/office-pbx-trunk/);
    expect(run.stdout).toMatch(/Plan: \d+ objects to change, \d+ AWS calls now, \d+ after AWS finishes the order\./);
    expect(emu.totalCalls((op) => !/^(Get|List|Search)/.test(op))).toBe(0);
  });

  it('apply converges, prints the status table and exits 0; plan then exits 0 with no changes', async () => {
    const run = await cli(['apply', ...target(), '--status-out', path.join(work, 'status.yaml')]);
    expect(run.code, run.stderr).toBe(0);
    expect(run.stdout).toMatch(/KIND\s+NAME\s+READY\s+DRIFTED\s+ID\s+MESSAGE/);
    expect(run.stdout).toMatch(/VoiceConnectorGroup\s+default\/contact-center\s+True/);
    expect(readFileSync(path.join(work, 'status.yaml'), 'utf8')).toMatch(/type: Ready\n\s+status: "True"/);
    const plan = await cli(['plan', ...target(), '--format', 'markdown']);
    expect(plan.code, plan.stderr).toBe(0);
    expect(plan.stdout).toContain('No changes: AWS matches every manifest.');
  });

  it('apply --watch applies an edited file, and stops cleanly on SIGINT', { timeout: 90_000 }, async () => {
    const file = path.join(work, 'examples', 'sip-trunk-office-pbx', 'voice-connector.yaml');
    let editedAt = -1;
    let stopped = false;
    const run = await cli(['apply', ...target(), '--watch', '--resync', '10m'], {
      onStderr: (text, child) => {
        if (editedAt < 0 && text.includes('watching')) {
          editedAt = text.length;
          writeFileSync(file, readFileSync(file, 'utf8').replace('cpsLimit: 5', 'cpsLimit: 7'));
        }
        // Only what the CLI printed after the edit counts: the first apply also printed updates.
        if (editedAt >= 0 && !stopped && /office-pbx-trunk: Ready \(Available\) — updated in AWS/.test(text.slice(editedAt))) {
          stopped = true;
          child.kill('SIGINT');
        }
      },
    });
    expect(run.code, run.stderr).toBe(0);
    expect(run.stderr).toContain('stopped');
    const vc = (await voiceClient(emu).send(new ListVoiceConnectorsCommand({}))).VoiceConnectors!.find((v) => v.Name === 'office-pbx-trunk')!;
    const termination = await voiceClient(emu).send(new GetVoiceConnectorTerminationCommand({ VoiceConnectorId: vc.VoiceConnectorId }));
    expect(termination.Termination?.CpsLimit).toBe(7);
  });

  it('apply --emulator runs on an embedded emulator with no account', async () => {
    const run = await cli(['apply', '-f', 'examples', '--emulator', '--status-file', path.join(work, 'unused.json')]);
    expect(run.code, run.stderr).toBe(0);
    expect(run.stderr).toMatch(/embedded Chime SDK Voice emulator at http:\/\/127\.0\.0\.1:\d+/);
  });
});
