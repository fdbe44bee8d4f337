/**
 * Directory mode end to end against the emulator, through the real SDK clients: examples/ converges
 * to Ready, a second apply makes zero mutating calls, plan shows drift and pending calls without
 * writing, bad manifests change nothing in AWS, and destroy removes what apply created.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { cpSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PutVoiceConnectorTerminationCommand, ListVoiceConnectorsCommand, GetVoiceConnectorTerminationCommand, GetPhoneNumberCommand } from '@aws-sdk/client-chime-sdk-voice';
import { AwsContext, isReadOperation } from '../../src/aws/context.js';
import { startEmulator, type Emulator } from '../../src/emulator/index.js';
import { handlers } from '../../src/kinds/index.js';
import { applyDirectory, destroyDirectory, planDirectory, type DirectoryRunOptions } from '../../src/sources/directory-mode.js';
import { StatusStore } from '../../src/sources/status-store.js';
import { testCredentials, voiceClient } from '../helpers/emulator.js';

const isRead = isReadOperation;

describe('directory mode', () => {
  let emu: Emulator;
  let aws: AwsContext;
  let statusFile: string;
  const options = (dir: string): DirectoryRunOptions => ({
    dir,
    aws,
    handlers,
    store: new StatusStore(statusFile, 'test'),
    maxWaitMs: 100,
    timeoutMs: 60_000,
  });

  beforeEach(async () => {
    emu = await startEmulator();
    aws = new AwsContext({ region: 'us-east-1', endpoint: emu.url, credentials: testCredentials, maxAttempts: 1 });
    statusFile = join(mkdtempSync(join(tmpdir(), 'cvo-status-')), 'status.json');
  });
  afterEach(async () => {
    aws.destroy();
    await emu.stop();
  });

  it('applies examples/ to Ready, and the second apply makes zero mutating calls', async () => {
    const first = await applyDirectory(options('examples'));
    expect(first.invalid).toBe(false);
    const notReady = first.reports.filter((r) => r.result.phase !== 'Ready').map((r) => `${r.key.kind}/${r.key.name}: ${r.result.phase} ${r.result.status.conditions?.[0]?.message}`);
    expect(notReady).toEqual([]);
    expect(first.reports.length).toBeGreaterThanOrEqual(5);
    emu.resetCounters();
    const second = await applyDirectory(options('examples'));
    expect(second.reports.every((r) => r.result.phase === 'Ready')).toBe(true);
    const mutating = Object.keys(emu.counters()).filter((op) => !isRead(op));
    expect(mutating).toEqual([]);
    expect(second.reports.flatMap((r) => r.result.events)).toEqual([]);
  });

  it('a second apply from a new process without the status file still creates nothing twice', async () => {
    await applyDirectory(options('examples'));
    const before = (await voiceClient(emu).send(new ListVoiceConnectorsCommand({}))).VoiceConnectors!.length;
    statusFile = join(mkdtempSync(join(tmpdir(), 'cvo-status-')), 'status.json');
    emu.resetCounters();
    const again = await applyDirectory(options('examples'));
    expect(again.reports.every((r) => r.result.phase === 'Ready')).toBe(true);
    const after = (await voiceClient(emu).send(new ListVoiceConnectorsCommand({}))).VoiceConnectors!.length;
    expect(after).toBe(before);
    // Without the cached password hashes, the credentials are put once more; nothing is created.
    const creates = Object.keys(emu.counters()).filter((op) => op.startsWith('Create'));
    expect(creates).toEqual([]);
  });

  it('plan shows drift made behind its back and the calls that would fix it, and writes nothing', async () => {
    await applyDirectory(options('examples'));
    const vc = (await voiceClient(emu).send(new ListVoiceConnectorsCommand({}))).VoiceConnectors!.find((v) => v.Name === 'office-pbx-trunk')!;
    const current = await voiceClient(emu).send(new GetVoiceConnectorTerminationCommand({ VoiceConnectorId: vc.VoiceConnectorId }));
    await voiceClient(emu).send(
      new PutVoiceConnectorTerminationCommand({ VoiceConnectorId: vc.VoiceConnectorId, Termination: { ...current.Termination, CpsLimit: 9 } }),
    );
    emu.resetCounters();
    const plan = await planDirectory(options('examples'));
    const trunk = plan.reports.find((r) => r.key.name === 'office-pbx-trunk')!;
    expect(trunk.result.drift.map((d) => d.path)).toContain('termination.cpsLimit');
    expect(trunk.result.actions.map((a) => a.action.operation)).toContain('PutVoiceConnectorTermination');
    expect(Object.keys(emu.counters()).filter((op) => !isRead(op))).toEqual([]);
    const others = plan.reports.filter((r) => r.key.name !== 'office-pbx-trunk');
    expect(others.every((r) => r.result.actions.length === 0)).toBe(true);
  });

  it('plans the creation of everything, dependents included, against an empty account', async () => {
    const plan = await planDirectory(options('examples'));
    expect(plan.invalid).toBe(false);
    const group = plan.reports.find((r) => r.key.kind === 'VoiceConnectorGroup')!;
    expect(group.result.actions.map((a) => a.action.operation)).toEqual(['CreateVoiceConnectorGroup']);
    expect(emu.totalCalls((op) => !isRead(op))).toBe(0);
  });

  it('plan of examples/ against an empty account lists every kind of write apply then makes, those waiting for an order marked', async () => {
    emu.clock.setRate(100);
    const plan = await planDirectory(options('examples'));
    expect(emu.totalCalls((op) => !isRead(op))).toBe(0);
    const actions = plan.reports.flatMap((r) => r.result.actions.map((a) => a.action));
    const line = plan.reports.find((r) => r.key.name === 'office-main-line')!.result.actions.map((a) => [a.action.operation, a.action.after?.awaits]);
    expect(line).toEqual([
      ['CreatePhoneNumberOrder', undefined],
      ['UpdatePhoneNumber', 'the order completes'],
      ['AssociatePhoneNumbersWithVoiceConnector', 'the order completes'],
    ]);
    await applyDirectory(options('examples'));
    // Sets, not counts: apply merges the numbers of one connector into one association call.
    const made = Object.keys(emu.counters()).filter((op) => !isRead(op)).sort();
    expect(made).toEqual([...new Set(actions.map((a) => a.operation))].sort());
  });

  it('refuses a folder with a bad manifest whole, with file and line, and calls AWS not at all', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'cvo-bad-'));
    cpSync('examples', dir, { recursive: true });
    const file = join(dir, 'sip-trunk-office-pbx', 'voice-connector.yaml');
    writeFileSync(file, readFileSync(file, 'utf8').replace('52.94.133.0/28', '10.0.0.0/8'));
    const run = await applyDirectory(options(dir));
    expect(run.invalid).toBe(true);
    const problem = run.problems.find((p) => p.severity === 'error')!;
    expect(problem.file).toBe(file);
    expect(problem.path).toBe('spec.termination.cidrAllowedList[0]');
    expect(problem.message).toMatch(/publicly routable|private/);
    expect(emu.totalCalls()).toBe(0);
  });

  it('destroy deletes what apply created, dependents first, and keeps Retain numbers, reporting what they block (PN7, VC8, G3)', async () => {
    await applyDirectory(options('examples'));
    const run = await destroyDirectory(options('examples'));
    const phase = (name: string) => run.reports.find((r) => r.key.name === name)!.result;
    // The examples' numbers are deletionPolicy Retain: they stay in the account, still assigned.
    expect(phase('office-main-line').deleted).toBe(true);
    expect(phase('office-main-line').status.conditions?.[0]?.reason).toBe('Retained');
    // So the trunk and the group cannot go (VC8, G3): Stalled, naming the number, nothing forced.
    expect(phase('office-pbx-trunk').phase).toBe('Stalled');
    expect(phase('office-pbx-trunk').status.conditions?.find((c) => c.type === 'Stalled')?.message).toMatch(/phone number \+1206\d{7} is associated/);
    expect(phase('contact-center').phase).toBe('Stalled');
    // Everything that nothing blocks is gone, dependents before what they depend on.
    for (const name of ['ivr-main-number', 'ivr-east', 'ivr-west', 'contact-center-speakers', 'account']) expect(phase(name).deleted, name).toBe(true);
    const order = run.reports.map((r) => r.key.name);
    expect(order.indexOf('ivr-main-number')).toBeLessThan(order.indexOf('ivr-east'));
    const left = (await voiceClient(emu).send(new ListVoiceConnectorsCommand({}))).VoiceConnectors!.map((v) => v.Name).sort();
    expect(left).toEqual(['contact-center-east', 'contact-center-west', 'office-pbx-trunk']);
  });

  describe('prune and destroy share one deletion path', () => {
    const TRUNK = `apiVersion: chimevoice.io/v1alpha1
kind: VoiceConnector
metadata: {name: trunk, namespace: default}
spec: {name: trunk, region: us-east-1, requireEncryption: true}
`;
    const number = (policy: 'Delete' | 'Retain') => `apiVersion: chimevoice.io/v1alpha1
kind: PhoneNumber
metadata: {name: front-desk, namespace: default}
spec:
  order: {country: US, areaCode: "206"}
  productType: VoiceConnector
  assignment: {voiceConnectorRef: {name: trunk}}
  deletionPolicy: ${policy}
`;
    /** A connector and a number the project ordered and assigned to it, applied; then the number's manifest removed. */
    async function appliedThenRemoved(policy: 'Delete' | 'Retain') {
      emu.clock.setRate(100);
      const dir = mkdtempSync(join(tmpdir(), 'cvo-prune-'));
      mkdirSync(join(dir, 'm'));
      writeFileSync(join(dir, 'm', 'trunk.yaml'), TRUNK);
      writeFileSync(join(dir, 'm', 'number.yaml'), number(policy));
      const first = await applyDirectory(options(join(dir, 'm')));
      expect(first.reports.map((r) => `${r.key.name}: ${r.result.phase}`)).toEqual(['trunk: Ready', 'front-desk: Ready']);
      const e164 = first.reports.find((r) => r.key.name === 'front-desk')!.result.status.atProvider!.e164 as string;
      rmSync(join(dir, 'm', 'number.yaml'));
      emu.resetCounters();
      return { dir: join(dir, 'm'), e164 };
    }
    const awsNumber = async (e164: string) => (await voiceClient(emu).send(new GetPhoneNumberCommand({ PhoneNumberId: e164 }))).PhoneNumber!;

    it('apply --prune unassigns a number the project assigned itself and releases it (deletion queue), as destroy does', async () => {
      const { dir, e164 } = await appliedThenRemoved('Delete');
      const run = await applyDirectory({ ...options(dir), prune: true });
      const pruned = run.reports.find((r) => r.key.name === 'front-desk')!.result;
      expect(pruned.status.conditions?.find((c) => c.type === 'Ready')?.message).not.toMatch(/does not manage/);
      expect(pruned.deleted).toBe(true);
      expect(pruned.actions.map((a) => a.action.operation)).toEqual(['DisassociatePhoneNumbersFromVoiceConnector', 'DeletePhoneNumber']);
      const n = await awsNumber(e164);
      expect(n.Status).toBe('DeleteInProgress');
      expect(n.Associations ?? []).toEqual([]);
      expect(run.reports.find((r) => r.key.name === 'trunk')!.result.phase).toBe('Ready');
      // Gone from the status file: a second prune has nothing to do.
      emu.resetCounters();
      const again = await applyDirectory({ ...options(dir), prune: true });
      expect(again.reports.map((r) => r.key.name)).toEqual(['trunk']);
      expect(Object.keys(emu.counters()).filter((op) => !isRead(op))).toEqual([]);
    });

    it('apply --prune under deletionPolicy Retain leaves the number in AWS, still assigned', async () => {
      const { dir, e164 } = await appliedThenRemoved('Retain');
      const run = await applyDirectory({ ...options(dir), prune: true });
      const pruned = run.reports.find((r) => r.key.name === 'front-desk')!.result;
      expect(pruned.deleted).toBe(true);
      expect(pruned.status.conditions?.[0]?.reason).toBe('Retained');
      const n = await awsNumber(e164);
      expect(n.Status).toBe('Assigned');
      expect(Object.keys(emu.counters()).filter((op) => !isRead(op))).toEqual([]);
    });

    it('plan --prune previews the deletions apply --prune makes, writing nothing and keeping the status file', async () => {
      const { dir } = await appliedThenRemoved('Delete');
      const before = readFileSync(statusFile, 'utf8');
      const plan = await planDirectory({ ...options(dir), prune: true });
      expect(Object.keys(emu.counters()).filter((op) => !isRead(op))).toEqual([]);
      expect(readFileSync(statusFile, 'utf8')).toBe(before);
      expect(plan.reports.map((r) => r.key.name)).toEqual(['trunk']);
      const preview = plan.deletions!.map((r) => [r.key.name, r.result.phase, r.result.actions.map((a) => a.action.operation)]);
      expect(preview).toEqual([['front-desk', 'Planned', ['DisassociatePhoneNumbersFromVoiceConnector', 'DeletePhoneNumber']]]);
      // What the preview lists is what apply --prune sends.
      await applyDirectory({ ...options(dir), prune: true });
      expect(Object.keys(emu.counters()).filter((op) => !isRead(op)).sort()).toEqual(['DeletePhoneNumber', 'DisassociatePhoneNumbersFromVoiceConnector']);
    });
  });

  it('destroy dry run lists exactly the calls destroy then makes, the ones waiting for other deletions marked, and writes nothing', async () => {
    emu.clock.setRate(100);
    await applyDirectory(options('examples'));
    emu.resetCounters();
    const preview = await destroyDirectory({ ...options('examples'), dryRun: true });
    expect(emu.totalCalls((op) => !isRead(op))).toBe(0);
    const phase = (name: string) => preview.reports.find((r) => r.key.name === name)!.result;
    expect(phase('office-main-line').status.conditions?.[0]?.reason).toBe('Retained');
    expect(phase('office-pbx-trunk').phase).toBe('Stalled');
    expect(phase('ivr-east').phase).toBe('Planned');
    expect(phase('ivr-east').actions[0].action.after?.awaits).toMatch(/SipRule default\/ivr-main-number/);
    const planned = preview.reports.flatMap((r) => r.result.actions.map((a) => a.action.operation)).sort();
    await destroyDirectory(options('examples'));
    const made = Object.entries(emu.counters())
      .filter(([op]) => !isRead(op))
      .flatMap(([op, outcomes]) => Array<string>(Object.values(outcomes).reduce((a, b) => a + b, 0)).fill(op))
      .sort();
    expect(made).toEqual(planned);
  });
});
