/**
 * Two objects claiming one AWS resource (the same E.164, the same chimevoice.io/external-id, the
 * same name where the name is the marker): the later one (creationTimestamp, then name) is Stalled
 * with ClaimConflict naming the other, and writes nothing to AWS; deleting it leaves the resource.
 * Before, both PhoneNumbers became Ready and apply renamed the number back and forth.
 */
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeEach, describe, expect, it } from 'vitest';
import { CreateVoiceConnectorCommand, GetPhoneNumberCommand } from '@aws-sdk/client-chime-sdk-voice';
import { isReadOperation } from '../../src/aws/context.js';
import { emptyState } from '../../src/emulator/core/state.js';
import { conditionOf } from '../../src/reconcile/conditions.js';
import type { ManagedObject } from '../../src/reconcile/types.js';
import { formatProblem, validateDirectory } from '../../src/sources/validate.js';
import { engineHarness } from '../helpers/engine.js';
import { holdNumber, voiceClient, withEmulator } from '../helpers/emulator.js';

const emu = withEmulator({ strictRegions: true });
const E164 = '+12062010042';

beforeEach(() => {
  emu().resetState(emptyState());
  emu().setFaults({});
  holdNumber(emu(), E164);
  emu().resetCounters();
});

const writes = () => emu().totalCalls((op) => !isReadOperation(op));

function object(kind: string, name: string, spec: Record<string, unknown>, created: string, annotations?: Record<string, string>): ManagedObject {
  return { apiVersion: 'chimevoice.io/v1alpha1', kind, metadata: { name, namespace: 'default', creationTimestamp: created, ...(annotations ? { annotations } : {}) }, spec };
}

describe('identity claims (one AWS resource, one object)', () => {
  it('two PhoneNumbers claiming one number: the later is Stalled naming the earlier, and never renames it', async () => {
    // line-b sorts first by name but was created later: creationTimestamp decides.
    const a = object('PhoneNumber', 'line-b', { e164: E164, productType: 'VoiceConnector', name: 'Line A' }, '2024-01-01T00:00:00Z');
    const b = object('PhoneNumber', 'line-a', { e164: E164, productType: 'VoiceConnector', name: 'Line B' }, '2024-01-02T00:00:00Z');
    const h = engineHarness(emu(), { objects: [a, b] });
    for (let pass = 0; pass < 3; pass++) {
      const first = await h.reconcile(a);
      expect(first.phase).toBe('Ready');
      const before = writes();
      const second = await h.reconcile(b);
      expect(writes(), 'the refused object made no AWS write').toBe(before);
      expect(second.phase).toBe('Stalled');
      const ready = conditionOf(second.status, 'Ready');
      expect(ready?.reason).toBe('ClaimConflict');
      expect(ready?.message).toContain(`PhoneNumber default/line-a claims the number ${E164}, which PhoneNumber default/line-b already claims`);
    }
    const number = await voiceClient(emu()).send(new GetPhoneNumberCommand({ PhoneNumberId: E164 }));
    expect(number.PhoneNumber?.Name).toBe('Line A');
    // Deleting the refused object leaves the number, which the other object still manages.
    const before = writes();
    const gone = await h.delete(b);
    expect(gone.deleted).toBe(true);
    expect(conditionOf(gone.status, 'Ready')?.reason).toBe('ClaimConflict');
    expect(writes()).toBe(before);
    expect(emu().state.phoneNumbers[E164]?.Status).not.toBe('DeleteInProgress');
  });

  it('the refusal also holds in plan mode (no call is planned for the later object)', async () => {
    const a = object('PhoneNumber', 'x', { e164: E164, productType: 'VoiceConnector' }, '2024-01-01T00:00:00Z');
    const b = object('PhoneNumber', 'y', { e164: E164, productType: 'VoiceConnector' }, '2024-01-01T00:00:00Z');
    const h = engineHarness(emu(), { objects: [a, b], dryRun: true });
    const r = await h.reconcile(b);
    expect(r.actions).toEqual([]);
    expect(conditionOf(r.status, 'Ready')?.reason).toBe('ClaimConflict');
    // Same creation time: the name decides, so x keeps it.
    expect((await h.reconcile(a)).phase).not.toBe('Stalled');
  });

  it('two groups with one AWS name (the name is the marker): one group is created, the other Stalled', async () => {
    const spec = { name: 'failover', voiceConnectors: [] };
    const a = object('VoiceConnectorGroup', 'first', spec, '2024-01-01T00:00:00Z');
    const b = object('VoiceConnectorGroup', 'second', spec, '2024-01-02T00:00:00Z');
    const h = engineHarness(emu(), { objects: [a, b] });
    expect((await h.reconcile(b)).phase).toBe('Stalled');
    expect((await h.reconcile(a)).phase).toBe('Ready');
    expect(Object.values(emu().state.voiceConnectorGroups).map((g) => g.Name)).toEqual(['failover']);
    expect(conditionOf((await h.reconcile(b)).status, 'Ready')?.message).toContain('VoiceConnectorGroup default/first already claims');
  });

  it('two connectors adopting one id by annotation: the later one is Stalled', async () => {
    const out = await voiceClient(emu()).send(new CreateVoiceConnectorCommand({ Name: 'legacy', RequireEncryption: true, AwsRegion: 'us-east-1' }));
    const id = out.VoiceConnector!.VoiceConnectorId!;
    const ann = { 'chimevoice.io/external-id': id };
    const a = object('VoiceConnector', 'legacy-a', { region: 'us-east-1', requireEncryption: true }, '2024-01-01T00:00:00Z', ann);
    const b = object('VoiceConnector', 'legacy-b', { region: 'us-east-1', requireEncryption: false }, '2024-01-02T00:00:00Z', ann);
    const h = engineHarness(emu(), { objects: [a, b] });
    emu().resetCounters();
    const r = await h.reconcile(b);
    expect(r.phase).toBe('Stalled');
    expect(conditionOf(r.status, 'Ready')?.message).toContain(`claims the AWS resource ${id} (annotation chimevoice.io/external-id), which VoiceConnector default/legacy-a already claims`);
    expect(writes()).toBe(0);
  });
});

describe('validate refuses the same pairs in a folder, naming both places', () => {
  const root = mkdtempSync(path.join(tmpdir(), 'chime-claims-'));
  afterAll(() => rmSync(root, { recursive: true, force: true }));

  it('one number claimed twice, one group name used twice', async () => {
    mkdirSync(path.join(root, 'f'));
    const pn = (name: string, line: string) =>
      `apiVersion: chimevoice.io/v1alpha1\nkind: PhoneNumber\nmetadata:\n  name: ${name}\nspec:\n  e164: "${E164}"\n  productType: VoiceConnector\n  name: ${line}\n`;
    writeFileSync(path.join(root, 'f', 'a.yaml'), pn('line-a', 'Line A'));
    writeFileSync(path.join(root, 'f', 'b.yaml'), `${pn('line-b', 'Line B')}---\napiVersion: chimevoice.io/v1alpha1\nkind: VoiceConnectorGroup\nmetadata:\n  name: g1\nspec:\n  name: shared\n---\napiVersion: chimevoice.io/v1alpha1\nkind: VoiceConnectorGroup\nmetadata:\n  name: g2\nspec:\n  name: shared\n`);
    const dir = path.join(root, 'f');
    const r = await validateDirectory(dir);
    expect(r.problems.map((p) => formatProblem({ ...p, file: path.relative(dir, p.file) }))).toEqual([
      `b.yaml:6:3: spec.e164: PhoneNumber default/line-b claims the number ${E164}, which PhoneNumber default/line-a (at ${path.join(dir, 'a.yaml')}:6) already claims; two objects cannot manage one AWS resource, so this one changes nothing in AWS: remove the claim from one of them`,
      `b.yaml:22:3: spec.name: VoiceConnectorGroup default/g2 claims the Voice Connector group named "shared" (Voice Connector groups take no tags, so the name is what identifies one), which VoiceConnectorGroup default/g1 (at ${path.join(dir, 'b.yaml')}:15) already claims; two objects cannot manage one AWS resource, so this one changes nothing in AWS: remove the claim from one of them`,
    ]);
  });
});
