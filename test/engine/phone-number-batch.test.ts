/**
 * Batching of phone numbers against the emulator through the real SDK (issue 4, "batch where AWS
 * allows it"): many objects reconciled as one step send their numbers in one association call per
 * connector and at most 100 numbers, their names in BatchUpdatePhoneNumber, and a per-number error
 * (API4) lands in the status of exactly the object whose number it names. Directory mode and its
 * resync do the same through the numbers benchmark, with a resync that lists and writes nothing.
 */
import { beforeEach, describe, expect, it } from 'vitest';
import { CreateVoiceConnectorCommand, CreateVoiceConnectorGroupCommand, ListPhoneNumbersCommand } from '@aws-sdk/client-chime-sdk-voice';
import { emptyState } from '../../src/emulator/core/state.js';
import { conditionOf } from '../../src/reconcile/conditions.js';
import { Engine } from '../../src/reconcile/engine.js';
import { handlers } from '../../src/kinds/index.js';
import type { ManagedObject, ReconcileResult } from '../../src/reconcile/types.js';
import { benchNumbers, seedNumbers } from '../../bench/numbers.js';
import { engineHarness, type EngineHarness } from '../helpers/engine.js';
import { WorkQueue } from '../../src/reconcile/workqueue.js';
import { DEFAULT_WORKERS } from '../../src/runtime/controller.js';
import { voiceClient, withEmulator } from '../helpers/emulator.js';

const emu = withEmulator({ strictRegions: true });
const client = () => voiceClient(emu());
const NOW = '2024-01-01T00:00:00Z';

beforeEach(() => {
  emu().resetState(emptyState());
  emu().setFaults({});
  emu().resetCounters();
});

const calls = (op: string) => Object.values(emu().counters()[op] ?? {}).reduce((a, b) => a + b, 0);
const writes = () => Object.entries(emu().counters()).filter(([op]) => !/^(Get|List|Search)/.test(op)).map(([op]) => op);

function claim(i: number, e164: string, spec: Record<string, unknown>): ManagedObject {
  return { apiVersion: 'chimevoice.io/v1alpha1', kind: 'PhoneNumber', metadata: { name: `line-${i}`, namespace: 'default' }, spec: { e164, productType: 'VoiceConnector', ...spec } };
}

function ready(kind: string, name: string, atProvider: Record<string, unknown>): ManagedObject {
  return {
    apiVersion: 'chimevoice.io/v1alpha1',
    kind,
    metadata: { name, namespace: 'default' },
    spec: {},
    status: { conditions: [{ type: 'Ready', status: 'True', reason: 'Available', message: '', lastTransitionTime: NOW }], atProvider },
  };
}

/** Connector office-trunk and group contact-center in AWS, described by Ready objects of the harness's world. */
async function topology(h: EngineHarness) {
  const office = (await client().send(new CreateVoiceConnectorCommand({ Name: 'office-trunk', RequireEncryption: true, AwsRegion: 'us-east-1' }))).VoiceConnector!.VoiceConnectorId!;
  const group = (await client().send(new CreateVoiceConnectorGroupCommand({ Name: 'contact-center', VoiceConnectorItems: [{ VoiceConnectorId: office, Priority: 1 }] }))).VoiceConnectorGroup!
    .VoiceConnectorGroupId!;
  h.world.put(ready('VoiceConnector', 'office-trunk', { voiceConnectorId: office }));
  h.world.put(ready('VoiceConnectorGroup', 'contact-center', { voiceConnectorGroupId: group }));
  emu().resetCounters();
  return { office, group };
}

/** Reconciles the objects as one step, storing each status in the world (as a source does). */
async function step(h: EngineHarness, objects: ManagedObject[]): Promise<ReconcileResult[]> {
  for (const o of objects) h.world.put({ ...o, status: h.world.get({ kind: o.kind, namespace: 'default', name: o.metadata.name })?.status });
  h.aws.inventory.invalidate();
  const results = await h.engine.reconcileMany(
    objects.map((o) => ({ obj: h.get(o.kind, o.metadata.name), specChanged: true })),
    h.world,
  );
  results.forEach((r, k) => h.world.setStatus({ kind: objects[k].kind, namespace: 'default', name: objects[k].metadata.name }, r.status));
  return results;
}

describe('batching (issue 4): many numbers, few calls', () => {
  it('50 numbers assigned to one connector and named: ONE association call and ONE BatchUpdatePhoneNumber; each object Ready with its own status', async () => {
    const h = engineHarness(emu());
    const { office } = await topology(h);
    const numbers = seedNumbers(emu(), 50);
    const objects = numbers.map((e164, i) => claim(i, e164, { name: `Line ${i}`, assignment: { voiceConnectorRef: { name: 'office-trunk' } } }));
    const results = await step(h, objects);

    expect(results.map((r) => r.phase)).toEqual(numbers.map(() => 'Ready'));
    expect(calls('AssociatePhoneNumbersWithVoiceConnector')).toBe(1);
    expect(calls('BatchUpdatePhoneNumber')).toBe(1);
    expect(calls('UpdatePhoneNumber')).toBe(0);
    // One listing before the writes, whatever the number of objects; none after: the answers of the
    // association and update calls tell what they did (a listing may lag them).
    expect(calls('ListPhoneNumbers')).toBe(1);
    expect(results[7].actions.map((a) => [a.action.operation, a.ok, a.batched])).toEqual([
      ['UpdatePhoneNumber', true, { operation: 'BatchUpdatePhoneNumber', actions: 50 }],
      ['AssociatePhoneNumbersWithVoiceConnector', true, { operation: 'AssociatePhoneNumbersWithVoiceConnector', actions: 50 }],
    ]);
    const listed = (await client().send(new ListPhoneNumbersCommand({ FilterName: 'VoiceConnectorId', FilterValue: office, MaxResults: 100 }))).PhoneNumbers ?? [];
    expect(listed.map((n) => n.E164PhoneNumber).sort()).toEqual([...numbers].sort());
    expect(listed.find((n) => n.E164PhoneNumber === numbers[7])?.Name).toBe('Line 7');
    // status.assignedTo: the Assigned-To printer column.
    expect(h.get('PhoneNumber', 'line-7').status?.assignedTo).toBe('VoiceConnector/office-trunk');

    emu().resetCounters();
    const again = await step(h, objects);
    expect(again.every((r) => r.phase === 'Ready' && r.actions.length === 0)).toBe(true);
    expect(writes()).toEqual([]);
    expect(emu().counters()).toEqual({ ListPhoneNumbers: { ok: 1 } });
    // The status the answers gave is the one the listing gives, but for the association's timestamp, which no answer tells.
    const withoutTimestamps = (at: Record<string, any>) => ({ ...at, associations: at.associations.map(({ associatedTimestamp: _t, ...a }: Record<string, unknown>) => a) });
    expect(withoutTimestamps(again[7].status.atProvider!)).toEqual(results[7].status.atProvider);
    expect(again[7].status.assignedTo).toBe(results[7].status.assignedTo);
  });

  it('250 numbers to one connector: at most one association call per 100 numbers', async () => {
    const h = engineHarness(emu());
    await topology(h);
    const numbers = seedNumbers(emu(), 250);
    const results = await step(h, numbers.map((e164, i) => claim(i, e164, { assignment: { voiceConnectorRef: { name: 'office-trunk' } } })));
    expect(results.every((r) => r.phase === 'Ready')).toBe(true);
    expect(calls('AssociatePhoneNumbersWithVoiceConnector')).toBe(3);
  });

  it('numbers split between a connector and a group: one call per target; moves keep ForceAssociate (PN4)', async () => {
    const h = engineHarness(emu());
    await topology(h);
    const numbers = seedNumbers(emu(), 20);
    const target = (i: number) => (i % 2 === 0 ? { voiceConnectorRef: { name: 'office-trunk' } } : { voiceConnectorGroupRef: { name: 'contact-center' } });
    await step(h, numbers.map((e164, i) => claim(i, e164, { assignment: target(i) })));
    expect([calls('AssociatePhoneNumbersWithVoiceConnector'), calls('AssociatePhoneNumbersWithVoiceConnectorGroup')]).toEqual([1, 1]);
    // Every number moves to the other target: still one force-associate per target, no disassociation.
    emu().resetCounters();
    const moved = await step(h, numbers.map((e164, i) => claim(i, e164, { assignment: target(i + 1) })));
    expect(moved.every((r) => r.phase === 'Ready')).toBe(true);
    expect(writes().sort()).toEqual(['AssociatePhoneNumbersWithVoiceConnector', 'AssociatePhoneNumbersWithVoiceConnectorGroup']);
    expect([calls('AssociatePhoneNumbersWithVoiceConnector'), calls('AssociatePhoneNumbersWithVoiceConnectorGroup')]).toEqual([1, 1]);
    expect(h.get('PhoneNumber', 'line-0').status?.assignedTo).toBe('VoiceConnectorGroup/contact-center');
  });

  it('API4: a per-number error of a merged association call is in the status of exactly the object of that number', async () => {
    const h = engineHarness(emu());
    await topology(h);
    const numbers = seedNumbers(emu(), 10);
    const bad = numbers[6];
    // Between observation and call, behind the engine's back, one number changes product type.
    const send = h.aws.send.bind(h.aws);
    h.aws.send = (async (service: any, operation: string, input: any) => {
      if (operation.startsWith('Associate')) emu().state.phoneNumbers[bad].ProductType = 'SipMediaApplicationDialIn';
      return send(service, operation, input);
    }) as typeof h.aws.send;
    const results = await step(h, numbers.map((e164, i) => claim(i, e164, { assignment: { voiceConnectorRef: { name: 'office-trunk' } } })));

    expect(calls('AssociatePhoneNumbersWithVoiceConnector')).toBe(1);
    expect(results.map((r) => r.phase)).toEqual(numbers.map((_, i) => (i === 6 ? 'Stalled' : 'Ready')));
    const cond = conditionOf(results[6].status, 'Ready')!;
    expect(cond.reason).toBe('AssignmentFailed');
    expect(cond.message).toContain(`AWS did not assign ${bad} to voice connector office-trunk: BadRequest`);
    for (const [i, r] of results.entries()) {
      if (i === 6) continue;
      expect(JSON.stringify(r.status)).not.toContain(bad);
      expect(conditionOf(r.status, 'Ready')?.reason).toBe('Available');
    }
  });

  it('API4: a per-number error of a merged BatchUpdatePhoneNumber fails only that object (as UpdatePhoneNumber would)', async () => {
    const h = engineHarness(emu());
    await topology(h);
    const numbers = seedNumbers(emu(), 5);
    // Between observation and call, someone changes the third number's calling name: AWS refuses another change (PN6), for that number only.
    const send = h.aws.send.bind(h.aws);
    h.aws.send = (async (service: any, operation: string, input: any) => {
      if (operation === 'BatchUpdatePhoneNumber')
        Object.assign(emu().state.phoneNumbers[numbers[2]], { CallingName: 'OLD', CallingNameStatus: 'UpdateInProgress', _callingNameAppliesAt: '2999-01-01T00:00:00Z' });
      return send(service, operation, input);
    }) as typeof h.aws.send;
    const results = await step(h, numbers.map((e164, i) => claim(i, e164, { callingName: `Line ${i}` })));
    expect(calls('BatchUpdatePhoneNumber')).toBe(1);
    expect(results.map((r) => r.phase)).toEqual(['Ready', 'Ready', 'Error', 'Ready', 'Ready']);
    expect(conditionOf(results[2].status, 'Ready')).toMatchObject({ reason: 'AwsConflict' });
    expect(conditionOf(results[2].status, 'Ready')?.message).toContain(numbers[2]);
    expect(results[2].actions).toMatchObject([{ ok: false, batched: { operation: 'BatchUpdatePhoneNumber' } }]);
    expect(emu().state.phoneNumbers[numbers[3]].CallingName).toBe('Line 3');
    expect(emu().state.phoneNumbers[numbers[2]].CallingName).toBe('OLD');
  });
});

describe('directory mode and its resync (the numbers benchmark, smaller)', () => {
  it('240 claims over 2 connectors: association calls per 100 numbers, batch updates; the resync lists pages and writes nothing', async () => {
    const [first, resync] = await benchNumbers(240, 2);
    expect(first.ready).toBe(242);
    // 120 numbers per connector: 2 calls each.
    expect(first.calls.AssociatePhoneNumbersWithVoiceConnector?.ok).toBe(4);
    expect(first.calls.UpdatePhoneNumber).toBeUndefined();
    // 240 names and 60 calling names: 3 + 1 BatchUpdatePhoneNumber calls.
    expect(first.calls.BatchUpdatePhoneNumber?.ok).toBe(4);
    expect(resync.ready).toBe(242);
    expect(resync.mutating).toBe(0);
    expect(resync.calls.ListPhoneNumbers?.ok).toBe(3);
    expect(resync.calls.GetPhoneNumber).toBeUndefined();
  }, 120_000);
});

describe("the controller's work queue at its defaults: due keys reconciled as one batch", () => {
  it('1,000 numbers to 10 new connectors, keys added as at start-up: the connectors first, then at most 10 association calls', async () => {
    const h = engineHarness(emu());
    // As the controller wires them: its default workers, each taking every due key; the engine at its default concurrency.
    const engine = new Engine({ aws: h.aws, handlers, secrets: { get: () => undefined }, secretDigest: h.secretDigest, now: () => emu().clock.now() });
    const numbers = seedNumbers(emu(), 1_000);
    const trunks: ManagedObject[] = Array.from({ length: 10 }, (_, t) => ({
      apiVersion: 'chimevoice.io/v1alpha1',
      kind: 'VoiceConnector',
      metadata: { name: `trunk-${t}`, namespace: 'default' },
      spec: { region: 'us-east-1', requireEncryption: true },
    }));
    const lines = numbers.map((e164, i) => claim(i, e164, { name: `Line ${i}`, assignment: { voiceConnectorRef: { name: `trunk-${i % 10}` } } }));
    for (const o of [...lines, ...trunks]) h.world.put(o);
    const phases = new Map<string, string>();
    let settled!: () => void;
    const allDone = new Promise<void>((resolve) => (settled = resolve));
    const byKey = (key: string) => {
      const [kind, , name] = key.split('/');
      return h.get(kind, name);
    };
    const queue = new WorkQueue({
      concurrency: DEFAULT_WORKERS,
      process: () => Promise.reject(new Error('the controller hands over batches')),
      processBatch: async (keys) => {
        const results = await engine.reconcileLevels(keys.map((key) => ({ obj: byKey(key), specChanged: true })), h.world);
        const reconciled = results.map((r) => r!);
        reconciled.forEach((r, k) => {
          h.world.setStatus(r.key, r.status);
          phases.set(keys[k], r.phase);
        });
        if ([...phases.values()].filter((p) => p === 'Ready').length === 1_010) settled();
        return reconciled.map((r) => (r.phase === 'Ready' ? {} : { requeueAfterMs: 10 }));
      },
    });
    queue.start();
    // Numbers first: the batch orders them by dependency level, not by arrival.
    for (const o of [...lines, ...trunks]) queue.add(`${o.kind}/default/${o.metadata.name}`);
    await allDone;
    await queue.stop();

    expect([...phases.values()].every((p) => p === 'Ready')).toBe(true);
    expect(calls('CreateVoiceConnector')).toBe(10);
    expect(calls('AssociatePhoneNumbersWithVoiceConnector')).toBeLessThanOrEqual(10);
    expect(calls('UpdatePhoneNumber')).toBe(0);
    for (const t of [0, 9]) {
      const id = h.get('VoiceConnector', `trunk-${t}`).status!.atProvider!.voiceConnectorId;
      expect(Object.values(emu().state.phoneNumbers).filter((n: any) => n.Associations?.some((a: any) => a.Value === id))).toHaveLength(100);
    }
  }, 120_000);

  it('a batch of one connector and its number: the connector level first, the number assigned in the same batch', async () => {
    const h = engineHarness(emu());
    const extra = seedNumbers(emu(), 1, 10)[0];
    const trunk: ManagedObject = { apiVersion: 'chimevoice.io/v1alpha1', kind: 'VoiceConnector', metadata: { name: 'new-trunk', namespace: 'default' }, spec: { region: 'us-east-1', requireEncryption: true } };
    const line = claim(10, extra, { assignment: { voiceConnectorRef: { name: 'new-trunk' } } });
    h.world.put(line);
    h.world.put(trunk);
    const [numberResult, trunkResult] = (await h.engine.reconcileLevels(
      [
        { obj: h.get('PhoneNumber', 'line-10'), specChanged: true },
        { obj: h.get('VoiceConnector', 'new-trunk'), specChanged: true },
      ],
      h.world,
    )) as ReconcileResult[];
    expect(trunkResult.phase).toBe('Ready');
    expect(numberResult.phase).toBe('Ready');
    expect(numberResult.status.assignedTo).toBe('VoiceConnector/new-trunk');
  });
});
