// What `plan` and `destroy` show before anything is written, as a user runs them: writes that wait
// for AWS marked in the plan, `plan --prune` and `destroy --dry-run` previews, and destroy's
// confirmation: asked on a terminal (a pseudo-terminal from util-linux `script`), skipped with
// --auto-approve (or Terraform's -auto-approve), refused without a terminal.
import { spawn } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { GetPhoneNumberCommand, ListPhoneNumbersCommand, ListVoiceConnectorsCommand } from '@aws-sdk/client-chime-sdk-voice';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { isReadOperation } from '../../src/aws/context.js';
import { startEmulator, type Emulator } from '../../src/emulator/index.js';
import { voiceClient } from '../helpers/emulator.js';

interface Run {
  code: number | null;
  stdout: string;
  stderr: string;
}

const CLI = [process.execPath, '--import', 'tsx', 'src/cli/main.ts'];

/** The CLI as a child process; `tty` runs it under `script`, on a pseudo-terminal, and types `answer` at the prompt. */
function cli(args: string[], opts: { tty?: boolean; answer?: string } = {}): Promise<Run> {
  return new Promise((resolve) => {
    const child = opts.tty
      ? spawn('script', ['-qec', [...CLI, ...args].join(' '), '/dev/null'], { env: { ...process.env, NO_COLOR: '1' } })
      : spawn(CLI[0], [...CLI.slice(1), ...args], { env: { ...process.env, NO_COLOR: '1' }, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    let answered = false;
    child.stdout!.on('data', (d: Buffer) => {
      stdout += d.toString();
      if (opts.answer !== undefined && !answered && stdout.includes("Only 'yes' will be accepted:")) {
        answered = true;
        child.stdin!.end(`${opts.answer}\n`);
      }
    });
    // `script` waits for its input to end before it exits: with nothing to type, end it at once (the child keeps its terminal).
    if (opts.tty && opts.answer === undefined) child.stdin!.end();
    child.stderr!.on('data', (d: Buffer) => (stderr += d.toString()));
    const timer = setTimeout(() => child.kill('SIGKILL'), 80_000);
    child.on('exit', (code) => {
      clearTimeout(timer);
      resolve({ code, stdout, stderr });
    });
  });
}

const TRUNK = `apiVersion: chimevoice.io/v1alpha1
kind: VoiceConnector
metadata: {name: trunk, namespace: default}
spec: {name: trunk, region: us-east-1, requireEncryption: true}
`;
const FRONT_DESK = `apiVersion: chimevoice.io/v1alpha1
kind: PhoneNumber
metadata: {name: front-desk, namespace: default}
spec:
  order: {country: US, areaCode: "206"}
  productType: VoiceConnector
  callingName: Front desk
  assignment: {voiceConnectorRef: {name: trunk}}
`;
const SPARE = `apiVersion: chimevoice.io/v1alpha1
kind: PhoneNumber
metadata: {name: spare, namespace: default}
spec:
  order: {country: US, areaCode: "425"}
  productType: VoiceConnector
  deletionPolicy: Retain
`;

describe('plan and destroy show every write before it is made', () => {
  let emu: Emulator;
  let dir: string;
  let statusFile: string;
  beforeAll(async () => {
    emu = await startEmulator({ clockRate: 100 });
    const work = mkdtempSync(path.join(tmpdir(), 'cvo-destroy-'));
    dir = path.join(work, 'm');
    statusFile = path.join(work, 'status.json');
    mkdirSync(dir);
    writeFileSync(path.join(dir, 'trunk.yaml'), TRUNK);
    writeFileSync(path.join(dir, 'front-desk.yaml'), FRONT_DESK);
    writeFileSync(path.join(dir, 'spare.yaml'), SPARE);
  });
  afterAll(async () => {
    await emu.stop();
  });

  const target = (f = dir) => ['-f', f, '--endpoint', emu.url, '--status-file', statusFile];
  const writes = () => emu.totalCalls((op) => !isReadOperation(op));
  const connectors = async () => (await voiceClient(emu).send(new ListVoiceConnectorsCommand({}))).VoiceConnectors ?? [];

  it('plan lists the writes that wait for an order, marked, and counts them apart', async () => {
    const run = await cli(['plan', ...target()]);
    expect(run.code, run.stderr).toBe(3);
    expect(run.stdout).toMatch(/\+ \(after the order completes\) Set the outbound calling name \(caller id name\) of \+1206\d{7} to "Front desk"/);
    expect(run.stdout).toMatch(/\+ \(after the order completes\) Assign \+1206\d{7} to voice connector trunk\n/);
    expect(run.stdout).toContain('Plan: 3 objects to change, 3 AWS calls now, 2 after AWS finishes the order.');
    const md = await cli(['plan', ...target(), '--format', 'markdown']);
    expect(md.stdout).toMatch(/_\(after the order completes\)_ Assign \+1206\d{7} to voice connector trunk/);
    expect(md.stdout).toContain('3 objects to change, 3 AWS calls now, 2 after AWS finishes the order.');
    expect(writes()).toBe(0);
  });

  it('plan --prune previews what apply --prune deletes; apply --prune unassigns and releases the number', async () => {
    const applied = await cli(['apply', ...target()]);
    expect(applied.code, applied.stdout + applied.stderr).toBe(0);
    rmSync(path.join(dir, 'front-desk.yaml'));
    emu.resetCounters();
    const plain = await cli(['plan', ...target()]);
    expect(plain.code, plain.stdout).toBe(0);
    const plan = await cli(['plan', ...target(), '--prune']);
    expect(plan.code, plan.stderr).toBe(3);
    expect(plan.stdout).toMatch(/To prune .*\n {2}PhoneNumber default\/front-desk\n {4}- Unassign \+1206\d{7} from voice connector trunk before deleting it \(PN7\)/);
    expect(plan.stdout).toMatch(/- Delete \+1206\d{7}: it goes to the deletion queue/);
    expect(plan.stdout).toContain('Plan: 0 objects to change, 0 AWS calls; prune: 1 object to delete (2 AWS calls).');
    const md = await cli(['plan', ...target(), '--prune', '--format', 'markdown']);
    expect(md.stdout).toMatch(/\| Object to prune \| Deletion \|\n\| --- \| --- \|\n\| `PhoneNumber default\/front-desk` \| Unassign/);
    expect(writes()).toBe(0);

    const prune = await cli(['apply', ...target(), '--prune']);
    expect(prune.code, prune.stdout + prune.stderr).toBe(0);
    expect(prune.stdout).toMatch(/PhoneNumber\s+default\/front-desk\s+Deleted/);
    const e164 = /Unassign (\+1206\d{7})/.exec(plan.stdout)![1];
    const n = (await voiceClient(emu).send(new GetPhoneNumberCommand({ PhoneNumberId: e164 }))).PhoneNumber!;
    expect([n.Status, n.Associations ?? []]).toEqual(['DeleteInProgress', []]);
    writeFileSync(path.join(dir, 'front-desk.yaml'), FRONT_DESK);
    const again = await cli(['apply', ...target()]);
    expect(again.code, again.stdout + again.stderr).toBe(0);
  });

  it('destroy without a terminal and without --auto-approve refuses with exit 2 and one line, before any AWS call', async () => {
    emu.resetCounters();
    const run = await cli(['destroy', ...target()]);
    expect(run.code).toBe(2);
    expect(run.stderr.trim().split('\n')).toEqual([
      'destroy: stdin is not a terminal, so the deletions cannot be confirmed; pass --auto-approve to destroy without asking (or --dry-run to see them)',
    ]);
    expect(emu.totalCalls()).toBe(0);
  });

  it('destroy --dry-run lists the deletions, Retain as left in AWS, and changes nothing (exit 3)', async () => {
    emu.resetCounters();
    const run = await cli(['destroy', ...target(), '--dry-run']);
    expect(run.code, run.stderr).toBe(3);
    expect(run.stdout).toContain('PhoneNumber default/spare: left in AWS (deletionPolicy Retain)');
    expect(run.stdout).toMatch(/PhoneNumber default\/front-desk\n {2}- Unassign .*\n.*\n {2}- Delete \+1206/);
    expect(run.stdout).toMatch(/VoiceConnector default\/trunk\n {2}- \(after phone number \+1206\d{7} \(PhoneNumber default\/front-desk\) to leave Voice Connector \w+\) delete Voice Connector/);
    expect(run.stdout).toContain('Destroy: 2 objects to delete (2 AWS calls now, 1 after the deletions they wait for), 1 left in AWS (deletionPolicy Retain).');
    expect(writes()).toBe(0);
  });

  it('destroy on a terminal shows the deletions and asks; anything but yes deletes nothing', async () => {
    emu.resetCounters();
    const run = await cli(['destroy', ...target()], { tty: true, answer: 'no' });
    expect(run.code, run.stdout).toBe(1);
    expect(run.stdout).toContain('PhoneNumber default/spare: left in AWS (deletionPolicy Retain)');
    expect(run.stdout).toContain("Do you really want to destroy? Only 'yes' will be accepted:");
    expect(run.stdout).toContain('destroy cancelled: nothing was deleted');
    expect(writes()).toBe(0);
  });

  it('destroy on a terminal answered yes deletes, dependents first, and keeps Retain', async () => {
    const run = await cli(['destroy', ...target()], { tty: true, answer: 'yes' });
    expect(run.code, run.stdout).toBe(0);
    expect(run.stdout).toMatch(/VoiceConnector\s+default\/trunk\s+Deleted/);
    expect(await connectors()).toEqual([]);
    const numbers = (await voiceClient(emu).send(new ListPhoneNumbersCommand({}))).PhoneNumbers ?? [];
    expect(numbers.filter((n) => n.Status !== 'DeleteInProgress').map((n) => n.E164PhoneNumber)).toEqual([expect.stringMatching(/^\+1425/)]);
  });

  it('destroy on a terminal with nothing left to delete in AWS does not ask', async () => {
    emu.resetCounters();
    const run = await cli(['destroy', ...target()], { tty: true });
    expect(run.code, run.stdout).toBe(0);
    expect(run.stdout).toContain('Destroy: 0 objects to delete (0 AWS calls), 1 left in AWS (deletionPolicy Retain), 2 already gone.');
    expect(run.stdout).not.toContain('Do you really want to destroy?');
    expect(writes()).toBe(0);
  });

  it("destroy -auto-approve (Terraform's spelling) and --auto-approve delete without asking", async () => {
    for (const flag of ['-auto-approve', '--auto-approve']) {
      const applied = await cli(['apply', ...target(path.join(dir, 'trunk.yaml'))]);
      expect(applied.code, applied.stdout + applied.stderr).toBe(0);
      expect(await connectors()).toHaveLength(1);
      const run = await cli(['destroy', ...target(path.join(dir, 'trunk.yaml')), flag]);
      expect(run.code, run.stdout + run.stderr).toBe(0);
      expect(run.stdout).not.toContain('Do you really want to destroy?');
      expect(await connectors()).toEqual([]);
    }
  });
});
