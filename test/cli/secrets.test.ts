// Termination passwords on the command line, as a user meets them: a changed Secret shows in
// `plan` (text and Markdown), the status file and `--status-out` as "password changed", never as
// the password, a plain hash or an encoding of it; the digest key file beside the status file is
// the owner's alone and never printed; a change is sent once, and a lost key costs one more write.
import { spawn } from 'node:child_process';
import { chmodSync, mkdirSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startEmulator, type Emulator } from '../../src/emulator/index.js';
import { assertNoSecretLeak } from '../helpers/secrets.js';

interface Run {
  code: number | null;
  stdout: string;
  stderr: string;
}

function cli(args: string[]): Promise<Run> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, ['--import', 'tsx', 'src/cli/main.ts', ...args], { env: { ...process.env, NO_COLOR: '1' } });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    const timer = setTimeout(() => child.kill('SIGKILL'), 80_000);
    child.on('exit', (code) => {
      clearTimeout(timer);
      resolve({ code, stdout, stderr });
    });
  });
}

// A short password is the case that matters: its plain SHA-256 is found by a dictionary in seconds.
const FIRST = 'hunter22';
const SECOND = 'Tr0mb0ne!x';

const connector = `apiVersion: chimevoice.io/v1alpha1
kind: VoiceConnector
metadata:
  name: trunk
  namespace: default
spec:
  termination:
    callingRegions: [US]
    cidrAllowedList: [52.94.133.0/28]
    credentials:
      - username: office-pbx
        passwordSecretRef: {name: sip, key: password}
`;
const secret = (password: string) => `apiVersion: v1
kind: Secret
metadata:
  name: sip
  namespace: default
stringData:
  password: ${JSON.stringify(password)}
`;

describe('termination passwords in directory mode', () => {
  let emu: Emulator;
  let work: string;
  let manifests: string;
  let statusFile: string;
  let keyFile: string;
  /** Everything every command printed or wrote, searched for leaks at the end of each test. */
  const seen: string[] = [];
  beforeAll(async () => {
    emu = await startEmulator();
    work = mkdtempSync(path.join(tmpdir(), 'cvo-secrets-'));
    manifests = path.join(work, 'manifests');
    mkdirSync(manifests);
    writeFileSync(path.join(manifests, 'connector.yaml'), connector);
    writeFileSync(path.join(manifests, 'secret.yaml'), secret(FIRST));
    statusFile = path.join(work, 'state', 'status.json');
    keyFile = path.join(work, 'state', 'digest.key');
  });
  afterAll(async () => {
    await emu.stop();
  });

  const target = () => ['-f', manifests, '--endpoint', emu.url, '--status-file', statusFile];
  const run = async (args: string[]) => {
    const r = await cli(args);
    seen.push(r.stdout, r.stderr);
    return r;
  };
  const putCredentials = () => emu.totalCalls((op) => op === 'PutVoiceConnectorTerminationCredentials');
  const writes = () => emu.totalCalls((op) => !/^(Get|List|Search)/.test(op));
  const keyHex = () => readFileSync(keyFile, 'utf8').trim();
  /** The key, in every form it could be printed in. */
  const keyForms = () => [keyHex(), Buffer.from(keyHex(), 'hex').toString('base64').replace(/=+$/, '')];

  it('apply creates the digest key beside the status file, mode 0600, and status keeps only a keyed digest', async () => {
    const r = await run(['apply', ...target()]);
    expect(r.code, r.stderr).toBe(0);
    expect(statSync(keyFile).mode & 0o777).toBe(0o600);
    expect(keyHex()).toMatch(/^[0-9a-f]{64}$/);
    const status = readFileSync(statusFile, 'utf8');
    seen.push(status);
    expect(status).toMatch(/"passwordHash": "hmac-sha256:[0-9a-f]{16}:[0-9a-f]{64}"/);
    assertNoSecretLeak(status, [FIRST], 'the status file');
  });

  it('a changed Secret: plan (text and Markdown) says "password changed" and shows no value, digest or encoding of either password', async () => {
    writeFileSync(path.join(manifests, 'secret.yaml'), secret(SECOND));
    emu.resetCounters();
    const text = await run(['plan', ...target()]);
    expect(text.code, text.stderr).toBe(3);
    expect(text.stdout).toContain('~ termination.credentials[office-pbx].password: password changed');
    expect(text.stdout).toMatch(/PutVoiceConnectorTerminationCredentials .*"Password":"\(sensitive\)"/);
    const markdown = await run(['plan', ...target(), '--format', 'markdown']);
    expect(markdown.code, markdown.stderr).toBe(3);
    expect(markdown.stdout).toContain('drift `termination.credentials[office-pbx].password`: password changed');
    for (const r of [text, markdown]) assertNoSecretLeak(r.stdout + r.stderr, [FIRST, SECOND], 'plan output');
    expect(writes()).toBe(0);
  });

  it('apply sends the new password exactly once; the status file and --status-out carry no trace of it; the next apply writes nothing', async () => {
    emu.resetCounters();
    const statusOut = path.join(work, 'status.yaml');
    const r = await run(['apply', ...target(), '--status-out', statusOut]);
    expect(r.code, r.stderr).toBe(0);
    expect(putCredentials()).toBe(1);
    expect(writes()).toBe(1);
    for (const [where, text] of [['the status file', readFileSync(statusFile, 'utf8')], ['--status-out', readFileSync(statusOut, 'utf8')], ['apply output', r.stdout + r.stderr]]) {
      seen.push(text);
      assertNoSecretLeak(text, [FIRST, SECOND], where);
    }
    emu.resetCounters();
    const again = await run(['apply', ...target()]);
    expect(again.code, again.stderr).toBe(0);
    expect(writes()).toBe(0);
  });

  it('a lost key file: a new one is made, the password is sent once more, then nothing is written', async () => {
    const before = keyHex();
    rmSync(keyFile);
    emu.resetCounters();
    const plan = await run(['plan', ...target()]);
    expect(plan.code, plan.stderr).toBe(3);
    expect(plan.stdout).toContain('termination.credentials[office-pbx].password: password not known to be in AWS');
    emu.resetCounters();
    const r = await run(['apply', ...target()]);
    expect(r.code, r.stderr).toBe(0);
    expect(putCredentials()).toBe(1);
    expect(keyHex()).not.toBe(before);
    expect(statSync(keyFile).mode & 0o777).toBe(0o600);
    emu.resetCounters();
    const steady = await run(['apply', ...target()]);
    expect(steady.code, steady.stderr).toBe(0);
    expect(writes()).toBe(0);
    const quiet = await run(['plan', ...target()]);
    expect(quiet.code, quiet.stdout).toBe(0);
  });

  it('a key file others can read is refused before any AWS call, in one line that says what to do', async () => {
    chmodSync(keyFile, 0o644);
    emu.resetCounters();
    const r = await run(['apply', ...target()]);
    chmodSync(keyFile, 0o600);
    expect(r.code).toBe(1);
    expect(r.stderr.trim().split('\n')).toEqual([expect.stringMatching(/digest key .*digest\.key is readable by others \(mode 0644\): run chmod 600/)]);
    expect(emu.totalCalls()).toBe(0);
  });

  it('nothing any command printed or wrote holds the key, nor either password in any form', () => {
    const all = seen.join('\n');
    for (const form of keyForms()) expect(all).not.toContain(form);
    assertNoSecretLeak(all, [FIRST, SECOND], 'the outputs of every command');
  });
});
