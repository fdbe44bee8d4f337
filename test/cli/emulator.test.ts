// The `emulator` command as a user runs it: a child process on a free port, called through the
// real v3 client, stopped with SIGINT, its state file written on the way out.
import { spawn, type ChildProcessWithoutNullStreams } from 'node:child_process';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { ChimeSDKVoiceClient, CreateVoiceConnectorCommand, GetGlobalSettingsCommand, ListVoiceConnectorsCommand } from '@aws-sdk/client-chime-sdk-voice';
import { afterEach, describe, expect, it } from 'vitest';

const credentials = { accessKeyId: 'AKIDEXAMPLE', secretAccessKey: 'secret' };

interface Running {
  child: ChildProcessWithoutNullStreams;
  url: string;
  output: () => string;
  exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
}

const started: Running[] = [];

afterEach(() => {
  for (const r of started.splice(0)) if (r.child.exitCode === null) r.child.kill('SIGKILL');
});

/** Runs the CLI under node directly (not npx), so that the signal reaches the CLI process itself. */
async function startCli(...args: string[]): Promise<Running> {
  const child = spawn(process.execPath, ['--import', 'tsx', 'src/cli/main.ts', 'emulator', ...args], { env: { ...process.env, NO_COLOR: '1' } });
  let out = '';
  child.stdout.on('data', (d: Buffer) => (out += d.toString()));
  child.stderr.on('data', (d: Buffer) => (out += d.toString()));
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) => child.on('exit', (code, signal) => resolve({ code, signal })));
  const url = await new Promise<string>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`emulator did not start:\n${out}`)), 30_000);
    const check = () => {
      const m = /listening on (http:\/\/\S+)/.exec(out);
      if (m) {
        clearTimeout(timer);
        resolve(m[1]);
      }
    };
    child.stdout.on('data', check);
    void exited.then(() => reject(new Error(`emulator exited:\n${out}`)));
  });
  const running = { child, url, output: () => out, exited };
  started.push(running);
  return running;
}

describe('chime-voice-operator emulator', () => {
  it('serves the real SDK client on a free port and stops on SIGINT, writing its state', async () => {
    const dir = await mkdtemp(path.join(tmpdir(), 'cvo-emulator-'));
    try {
      const stateFile = path.join(dir, 'state.json');
      const emu = await startCli('--port', '0', '--state', stateFile, '--account-id', '111122223333', '--region', 'us-west-2');
      expect(emu.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
      const client = new ChimeSDKVoiceClient({ endpoint: emu.url, region: 'us-west-2', credentials, maxAttempts: 1 });
      try {
        const settings = await client.send(new GetGlobalSettingsCommand({}));
        expect(settings.$metadata.httpStatusCode).toBe(200);
        await client.send(new CreateVoiceConnectorCommand({ Name: 'cli-test', RequireEncryption: true, AwsRegion: 'us-west-2' }));
        const list = await client.send(new ListVoiceConnectorsCommand({}));
        expect(list.VoiceConnectors?.map((v) => v.Name)).toEqual(['cli-test']);
      } finally {
        client.destroy();
      }
      emu.child.kill('SIGINT');
      expect(await emu.exited).toEqual({ code: 0, signal: null });
      expect(emu.output()).toContain('SIGINT: stopping the emulator');
      expect(emu.output()).toContain('emulator stopped');
      expect(await readFile(stateFile, 'utf8')).toContain('cli-test');

      // The state survives a restart; SIGTERM stops it as cleanly.
      const again = await startCli('--state', stateFile, '--account-id', '111122223333', '--region', 'us-west-2');
      const client2 = new ChimeSDKVoiceClient({ endpoint: again.url, region: 'us-west-2', credentials, maxAttempts: 1 });
      try {
        const list = await client2.send(new ListVoiceConnectorsCommand({}));
        expect(list.VoiceConnectors?.map((v) => v.Name)).toEqual(['cli-test']);
      } finally {
        client2.destroy();
      }
      again.child.kill('SIGTERM');
      expect(await again.exited).toEqual({ code: 0, signal: null });
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });

  it('refuses a bad account id with exit code 2', async () => {
    const child = spawn(process.execPath, ['--import', 'tsx', 'src/cli/main.ts', 'emulator', '--account-id', '12'], { env: { ...process.env, NO_COLOR: '1' } });
    let err = '';
    child.stderr.on('data', (d: Buffer) => (err += d.toString()));
    const code = await new Promise<number | null>((resolve) => child.on('exit', (c) => resolve(c)));
    expect(code).toBe(2);
    expect(err).toContain('account id must be 12 digits');
  });
});
