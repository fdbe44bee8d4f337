/**
 * VoiceConnectorGroup against the emulator through the real SDK (G1-G3): create, update, drift,
 * deletion order, the account limit, references that are not Ready, crash safety, steady state.
 */
import { describe, expect, it } from 'vitest';
import {
  AssociatePhoneNumbersWithVoiceConnectorGroupCommand,
  CreatePhoneNumberOrderCommand,
  CreateVoiceConnectorCommand,
  CreateVoiceConnectorGroupCommand,
  DisassociatePhoneNumbersFromVoiceConnectorGroupCommand,
  GetVoiceConnectorGroupCommand,
  ListVoiceConnectorGroupsCommand,
  SearchAvailablePhoneNumbersCommand,
  UpdateVoiceConnectorGroupCommand,
} from '@aws-sdk/client-chime-sdk-voice';
import { emptyState } from '../../src/emulator/core/state.js';
import { ORDER_PROCESSING_MS } from '../../src/emulator/services/phone-numbers.js';
import { conditionOf } from '../../src/reconcile/conditions.js';
import type { ManagedObject } from '../../src/reconcile/types.js';
import { engineHarness, type EngineHarness } from '../helpers/engine.js';
import { crashAfterEachCall } from '../helpers/crash.js';
import { engineSuite } from '../helpers/suite.js';
import { voiceClient } from '../helpers/emulator.js';

const { emu, mutatingCalls, callsByOperation } = engineSuite();
const client = () => voiceClient(emu());
const NOW = '2024-01-01T00:00:00Z';

async function awsConnector(name: string): Promise<string> {
  const out = await client().send(new CreateVoiceConnectorCommand({ Name: name, RequireEncryption: true, AwsRegion: 'us-east-1' }));
  return out.VoiceConnector!.VoiceConnectorId!;
}

/** A VoiceConnector object as its own handler leaves it: Ready, with its id in status (or not Ready yet). */
function connectorObject(name: string, id: string | undefined, ready = true): ManagedObject {
  return {
    apiVersion: 'chimevoice.io/v1alpha1',
    kind: 'VoiceConnector',
    metadata: { name, namespace: 'default' },
    spec: { region: 'us-east-1', requireEncryption: true },
    status: {
      conditions: [{ type: 'Ready', status: ready ? 'True' : 'False', reason: ready ? 'Available' : 'Progressing', message: '', lastTransitionTime: NOW }],
      ...(id ? { atProvider: { voiceConnectorId: id } } : {}),
    },
  };
}

function group(spec: Record<string, unknown>, name = 'edge', metadata: Partial<ManagedObject['metadata']> = {}): ManagedObject {
  return { apiVersion: 'chimevoice.io/v1alpha1', kind: 'VoiceConnectorGroup', metadata: { name, namespace: 'default', ...metadata }, spec };
}

const awsGroups = async () => (await client().send(new ListVoiceConnectorGroupsCommand({}))).VoiceConnectorGroups ?? [];
const awsGroup = async (id: string) => (await client().send(new GetVoiceConnectorGroupCommand({ VoiceConnectorGroupId: id }))).VoiceConnectorGroup!;
const sortedItems = (items: Array<{ VoiceConnectorId?: string; Priority?: number }> | undefined) =>
  [...(items ?? [])].map((i) => ({ VoiceConnectorId: i.VoiceConnectorId, Priority: i.Priority })).sort((a, b) => (a.VoiceConnectorId! < b.VoiceConnectorId! ? -1 : 1));

/** Two connectors in AWS, one of them described by a Ready VoiceConnector object of the world. */
async function setup(h: EngineHarness) {
  const east = await awsConnector('east');
  const west = await awsConnector('west');
  h.world.put(connectorObject('east', east));
  emu().resetCounters();
  return { east, west };
}

describe('VoiceConnectorGroup create, update and steady state (G2)', () => {
  it('G2: creates a group with connectors by reference and by id, priorities and call distribution; the second reconcile makes zero mutating calls', async () => {
    const h = engineHarness(emu());
    const { east, west } = await setup(h);
    const obj = group({
      name: 'edge-failover',
      voiceConnectors: [
        { voiceConnectorRef: { name: 'east' }, priority: 1 },
        { voiceConnectorId: west, priority: 2 },
      ],
      callDistributionType: 'PriorityWeightedDistribution',
    });
    const r = await h.reconcile(obj);
    expect(r.phase).toBe('Ready');
    expect(r.events.map((e) => e.reason)).toEqual(['Created']);
    // The create: one listing, the create, one listing to read it back.
    expect(callsByOperation()).toEqual({ ListVoiceConnectorGroups: 1, CreateVoiceConnectorGroup: 1 });
    const id = r.status.atProvider!.voiceConnectorGroupId as string;
    expect(r.status.atProvider!.arn).toMatch(/vcg\//);
    const g = await awsGroup(id);
    expect(g.Name).toBe('edge-failover');
    expect(g.CallDistributionType).toBe('PriorityWeightedDistribution');
    expect(sortedItems(g.VoiceConnectorItems)).toEqual(sortedItems([{ VoiceConnectorId: east, Priority: 1 }, { VoiceConnectorId: west, Priority: 2 }]));

    emu().resetCounters();
    const again = await h.reconcile(obj, { specChanged: false });
    expect(again.phase).toBe('Ready');
    expect(again.actions).toEqual([]);
    expect(mutatingCalls()).toEqual({});
    expect(callsByOperation()).toEqual({ ListVoiceConnectorGroups: 1 });
    expect(await awsGroups()).toHaveLength(1);
  });

  it('G2: a group whose spec names no connectors is created empty; the AWS name defaults to metadata.name', async () => {
    const h = engineHarness(emu());
    const r = await h.reconcile(group({}, 'bare'));
    expect(r.phase).toBe('Ready');
    const g = await awsGroup(r.status.atProvider!.voiceConnectorGroupId as string);
    expect(g.Name).toBe('bare');
    expect(g.VoiceConnectorItems).toEqual([]);
  });

  it('G2: updates each setting in place: priorities, members, name, call distribution', async () => {
    const h = engineHarness(emu());
    const { east, west } = await setup(h);
    const base = { voiceConnectors: [{ voiceConnectorRef: { name: 'east' }, priority: 1 }], callDistributionType: 'PriorityWeightedDistribution' };
    const id = (await h.reconcile(group(base))).status.atProvider!.voiceConnectorGroupId as string;

    const steps: Array<[Record<string, unknown>, (g: Awaited<ReturnType<typeof awsGroup>>) => void]> = [
      [{ ...base, voiceConnectors: [{ voiceConnectorRef: { name: 'east' }, priority: 5 }] }, (g) => expect(sortedItems(g.VoiceConnectorItems)).toEqual([{ VoiceConnectorId: east, Priority: 5 }])],
      [
        { ...base, voiceConnectors: [{ voiceConnectorRef: { name: 'east' }, priority: 2 }, { voiceConnectorId: west, priority: 1 }] },
        (g) => expect(sortedItems(g.VoiceConnectorItems)).toEqual(sortedItems([{ VoiceConnectorId: east, Priority: 2 }, { VoiceConnectorId: west, Priority: 1 }])),
      ],
      [{ ...base, voiceConnectors: [{ voiceConnectorId: west, priority: 1 }] }, (g) => expect(sortedItems(g.VoiceConnectorItems)).toEqual([{ VoiceConnectorId: west, Priority: 1 }])],
      [{ ...base, voiceConnectors: [{ voiceConnectorId: west, priority: 1 }], name: 'renamed' }, (g) => expect(g.Name).toBe('renamed')],
      [{ voiceConnectors: [{ voiceConnectorId: west, priority: 1 }], name: 'renamed', callDistributionType: 'LoadBalancedDistribution' }, (g) => expect(g.CallDistributionType).toBe('LoadBalancedDistribution')],
    ];
    for (const [spec, check] of steps) {
      emu().resetCounters();
      const r = await h.reconcile(group(spec));
      expect(r.phase).toBe('Ready');
      expect(r.events.map((e) => e.reason)).toEqual(['Updated']);
      expect(mutatingCalls()).toEqual({ UpdateVoiceConnectorGroup: 1 });
      // One listing, before the update: its answer is the group as stored, so it is not listed again.
      expect(emu().counters()).toEqual({ ListVoiceConnectorGroups: { ok: 1 }, UpdateVoiceConnectorGroup: { ok: 1 } });
      check(await awsGroup(id));
      emu().resetCounters();
      expect((await h.reconcile(group(spec), { specChanged: false })).actions).toEqual([]);
      expect(mutatingCalls()).toEqual({});
    }
    expect(await awsGroups()).toHaveLength(1);
  });

  it('leaves the call distribution alone when the spec omits it (no perpetual diff)', async () => {
    const h = engineHarness(emu());
    const { west } = await setup(h);
    const id = (
      await client().send(
        new CreateVoiceConnectorGroupCommand({ Name: 'edge', VoiceConnectorItems: [{ VoiceConnectorId: west, Priority: 1 }], CallDistributionType: 'LoadBalancedDistribution' }),
      )
    ).VoiceConnectorGroup!.VoiceConnectorGroupId!;
    emu().resetCounters();
    const r = await h.reconcile(group({ voiceConnectors: [{ voiceConnectorId: west, priority: 1 }] }, 'adopted', { annotations: { 'chimevoice.io/external-id': id } }));
    // Adopted by annotation: renamed to the object's name, distribution kept.
    expect(r.phase).toBe('Ready');
    expect(mutatingCalls()).toEqual({ UpdateVoiceConnectorGroup: 1 });
    expect(await awsGroup(id)).toMatchObject({ Name: 'adopted', CallDistributionType: 'LoadBalancedDistribution' });
    emu().resetCounters();
    await h.reconcile('VoiceConnectorGroup/adopted', { specChanged: false });
    expect(mutatingCalls()).toEqual({});
  });

  it('takes a resource named by the external-id annotation instead of creating one', async () => {
    const h = engineHarness(emu());
    const id = (await client().send(new CreateVoiceConnectorGroupCommand({ Name: 'legacy', VoiceConnectorItems: [] }))).VoiceConnectorGroup!.VoiceConnectorGroupId!;
    emu().resetCounters();
    const r = await h.reconcile(group({ name: 'legacy' }, 'legacy-group', { annotations: { 'chimevoice.io/external-id': id } }));
    expect(r.phase).toBe('Ready');
    expect(r.status.atProvider!.voiceConnectorGroupId as string).toBe(id);
    expect(mutatingCalls()).toEqual({});
  });
});

describe('VoiceConnectorGroup drift (G2)', () => {
  async function driftedGroup(driftPolicy: 'Correct' | 'Report') {
    const h = engineHarness(emu());
    const { east, west } = await setup(h);
    const obj = group({ voiceConnectors: [{ voiceConnectorRef: { name: 'east' }, priority: 1 }], callDistributionType: 'PriorityWeightedDistribution', driftPolicy });
    const id = (await h.reconcile(obj)).status.atProvider!.voiceConnectorGroupId as string;
    // Behind the engine's back: another connector at priority 1, the original moved to 3.
    await client().send(
      new UpdateVoiceConnectorGroupCommand({
        VoiceConnectorGroupId: id,
        Name: 'edge',
        VoiceConnectorItems: [
          { VoiceConnectorId: west, Priority: 1 },
          { VoiceConnectorId: east, Priority: 3 },
        ],
        CallDistributionType: 'LoadBalancedDistribution',
      }),
    );
    emu().resetCounters();
    const r = await h.reconcile(obj, { specChanged: false });
    return { h, r, id, east, west, obj };
  }

  it('G2: drift of the items and distribution is found with its paths and corrected under Correct', async () => {
    const { r, id, east, h, obj } = await driftedGroup('Correct');
    expect(r.phase).toBe('Ready');
    expect(r.events.map((e) => e.reason)).toEqual(['DriftDetected', 'DriftCorrected']);
    expect(r.events[0].message).toContain('voiceConnectors, callDistributionType');
    expect(mutatingCalls()).toEqual({ UpdateVoiceConnectorGroup: 1 });
    const g = await awsGroup(id);
    expect(sortedItems(g.VoiceConnectorItems)).toEqual([{ VoiceConnectorId: east, Priority: 1 }]);
    expect(g.CallDistributionType).toBe('PriorityWeightedDistribution');
    expect(r.status.drift).toEqual([]);
    expect(conditionOf(r.status, 'Drifted')?.status).toBe('False');
    emu().resetCounters();
    await h.reconcile(obj, { specChanged: false });
    expect(mutatingCalls()).toEqual({});
  });

  it('G2: drift is reported in status, and left as is, under Report', async () => {
    const { r, id, east, west } = await driftedGroup('Report');
    expect(r.phase).toBe('Ready');
    expect(mutatingCalls()).toEqual({});
    expect(r.status.drift!.map((d) => d.path)).toEqual(['voiceConnectors', 'callDistributionType']);
    const byId = (a: { voiceConnectorId: string }, b: { voiceConnectorId: string }) => (a.voiceConnectorId < b.voiceConnectorId ? -1 : 1);
    expect(JSON.parse(r.status.drift![0].actual!).sort(byId)).toEqual(
      [
        { voiceConnectorId: west, priority: 1 },
        { voiceConnectorId: east, priority: 3 },
      ].sort(byId),
    );
    expect(r.status.drift![1]).toEqual({ path: 'callDistributionType', desired: 'PriorityWeightedDistribution', actual: 'LoadBalancedDistribution' });
    const drifted = conditionOf(r.status, 'Drifted')!;
    expect(drifted).toMatchObject({ status: 'True', reason: 'DriftReported' });
    expect(drifted.message).toContain('driftPolicy Report');
    expect(r.events.map((e) => e.reason)).toEqual(['DriftDetected']);
    expect((await awsGroup(id)).CallDistributionType).toBe('LoadBalancedDistribution');
  });
});

describe('VoiceConnectorGroup deletion (G3)', () => {
  it('G3: under Delete, the group\'s own connectors are removed first, then the group is deleted', async () => {
    const h = engineHarness(emu());
    const { west } = await setup(h);
    const obj = group({ voiceConnectors: [{ voiceConnectorRef: { name: 'east' }, priority: 1 }, { voiceConnectorId: west, priority: 2 }], deletionPolicy: 'Delete' });
    await h.reconcile(obj);
    emu().resetCounters();
    const r = await h.delete(obj);
    expect(r.phase).toBe('Deleted');
    expect(r.deleted).toBe(true);
    expect(r.actions.map((a) => a.action.operation)).toEqual(['UpdateVoiceConnectorGroup', 'DeleteVoiceConnectorGroup']);
    expect(r.actions.every((a) => a.ok)).toBe(true);
    expect(await awsGroups()).toEqual([]);
  });

  it('under Retain, the group stays in AWS', async () => {
    const h = engineHarness(emu());
    await setup(h);
    const obj = group({ voiceConnectors: [{ voiceConnectorRef: { name: 'east' }, priority: 1 }], deletionPolicy: 'Retain' });
    await h.reconcile(obj);
    emu().resetCounters();
    const r = await h.delete(obj);
    expect(r).toMatchObject({ phase: 'Deleted', deleted: true });
    expect(mutatingCalls()).toEqual({});
    expect(await awsGroups()).toHaveLength(1);
  });

  it('deleting a group that is already gone from AWS finishes without calls that change anything', async () => {
    const h = engineHarness(emu());
    const obj = group({});
    await h.reconcile(obj);
    emu().resetState(emptyState());
    emu().resetCounters();
    expect(await h.delete(obj)).toMatchObject({ phase: 'Deleted', deleted: true });
    expect(mutatingCalls()).toEqual({});
  });

  async function numberOnGroup(groupId: string): Promise<string> {
    const [number] = (await client().send(new SearchAvailablePhoneNumbersCommand({ AreaCode: '206', MaxResults: 1 }))).E164PhoneNumbers!;
    await client().send(new CreatePhoneNumberOrderCommand({ ProductType: 'VoiceConnector', E164PhoneNumbers: [number] }));
    emu().clock.advance(ORDER_PROCESSING_MS);
    const out = await client().send(new AssociatePhoneNumbersWithVoiceConnectorGroupCommand({ VoiceConnectorGroupId: groupId, E164PhoneNumbers: [number] }));
    expect(out.PhoneNumberErrors ?? []).toEqual([]);
    return number;
  }

  it('G3: a number associated outside the project blocks deletion (Stalled, the number named); once disassociated, the delete proceeds', async () => {
    const h = engineHarness(emu());
    await setup(h);
    const obj = group({ voiceConnectors: [{ voiceConnectorRef: { name: 'east' }, priority: 1 }] });
    const id = (await h.reconcile(obj)).status.atProvider!.voiceConnectorGroupId as string;
    const number = await numberOnGroup(id);

    emu().resetCounters();
    const blocked = await h.delete(obj);
    expect(blocked.phase).toBe('Stalled');
    expect(blocked.deleted).toBeUndefined();
    const stalled = conditionOf(blocked.status, 'Stalled')!;
    expect(stalled.reason).toBe('DeletionBlocked');
    expect(stalled.message).toContain(number);
    expect(blocked.events[0]).toMatchObject({ type: 'Warning', reason: 'Blocked' });
    // Nothing was changed: the group keeps its connectors while it cannot be deleted.
    expect(mutatingCalls()).toEqual({});
    expect((await awsGroup(id)).VoiceConnectorItems).toHaveLength(1);

    await client().send(new DisassociatePhoneNumbersFromVoiceConnectorGroupCommand({ VoiceConnectorGroupId: id, E164PhoneNumbers: [number] }));
    emu().resetCounters();
    const done = await h.delete(obj);
    expect(done).toMatchObject({ phase: 'Deleted', deleted: true });
    expect(mutatingCalls()).toEqual({ UpdateVoiceConnectorGroup: 1, DeleteVoiceConnectorGroup: 1 });
    expect(await awsGroups()).toEqual([]);
  });

  it('G3: a number a PhoneNumber object manages makes the deletion wait for it, not stall', async () => {
    const h = engineHarness(emu());
    const obj = group({});
    const id = (await h.reconcile(obj)).status.atProvider!.voiceConnectorGroupId as string;
    const number = await numberOnGroup(id);
    h.world.put({
      apiVersion: 'chimevoice.io/v1alpha1',
      kind: 'PhoneNumber',
      metadata: { name: 'main-line', namespace: 'telephony' },
      spec: { e164: number, productType: 'VoiceConnector' },
      status: { atProvider: { e164: number } },
    });
    emu().resetCounters();
    const r = await h.delete(obj);
    expect(r.phase).toBe('DeleteBlocked');
    expect(conditionOf(r.status, 'Reconciling')).toMatchObject({ reason: 'DeletionWaiting', message: expect.stringContaining('PhoneNumber telephony/main-line') });
    expect(r.requeueAfterMs).toBeGreaterThan(0);
    expect(mutatingCalls()).toEqual({});
  });
});

describe('VoiceConnectorGroup account limit (G1)', () => {
  it('G1: a 4th group is Stalled with AWS\'s ResourceLimitExceeded message, with no retry loop', async () => {
    for (const name of ['a', 'b', 'c']) await client().send(new CreateVoiceConnectorGroupCommand({ Name: name }));
    const h = engineHarness(emu());
    emu().resetCounters();
    const r = await h.reconcile(group({}, 'fourth'));
    expect(r.phase).toBe('Stalled');
    expect(r.requeueAfterMs).toBeUndefined();
    const stalled = conditionOf(r.status, 'Stalled')!;
    expect(stalled.reason).toBe('AwsLimitExceeded');
    expect(stalled.message).toMatch(/ResourceLimitExceededException: .*3 voice connector groups/);
    expect(conditionOf(r.status, 'Ready')?.status).toBe('False');
    expect(conditionOf(r.status, 'Reconciling')).toBeUndefined();
    expect(emu().counters().CreateVoiceConnectorGroup).toEqual({ ResourceLimitExceededException: 1 });
    expect(await awsGroups()).toHaveLength(3);
  });
});

describe('VoiceConnectorGroup references', () => {
  it('waits for a referenced connector that is not Ready (ReferenceNotReady), and becomes Ready once it is', async () => {
    const h = engineHarness(emu());
    const east = await awsConnector('east');
    h.world.put(connectorObject('east', undefined, false));
    emu().resetCounters();
    const obj = group({ voiceConnectors: [{ voiceConnectorRef: { name: 'east' }, priority: 1 }] });
    const waiting = await h.reconcile(obj);
    expect(waiting.phase).toBe('Waiting');
    expect(waiting.requeueAfterMs).toBeGreaterThan(0);
    expect(conditionOf(waiting.status, 'Reconciling')).toMatchObject({ status: 'True', reason: 'ReferenceNotReady', message: expect.stringContaining('VoiceConnector east') });
    expect(conditionOf(waiting.status, 'Stalled')).toBeUndefined();
    // A wait reads nothing and writes nothing.
    expect(emu().counters()).toEqual({});

    h.world.put(connectorObject('east', east, true));
    const ready = await h.reconcile(obj);
    expect(ready.phase).toBe('Ready');
    expect(sortedItems((await awsGroup(ready.status.atProvider!.voiceConnectorGroupId as string)).VoiceConnectorItems)).toEqual([{ VoiceConnectorId: east, Priority: 1 }]);
  });

  it('waits for a reference to a VoiceConnector object that does not exist (ReferenceNotFound)', async () => {
    const h = engineHarness(emu());
    const r = await h.reconcile(group({ voiceConnectors: [{ voiceConnectorRef: { name: 'nowhere' }, priority: 1 }] }));
    expect(r.phase).toBe('Waiting');
    expect(conditionOf(r.status, 'Reconciling')?.reason).toBe('ReferenceNotFound');
  });

  it('a connector named both by reference and by id is an invalid spec, found before any call', async () => {
    const h = engineHarness(emu());
    const { east } = await setup(h);
    const r = await h.reconcile(group({ voiceConnectors: [{ voiceConnectorRef: { name: 'east' }, priority: 1 }, { voiceConnectorId: east, priority: 2 }] }));
    expect(r.phase).toBe('Stalled');
    expect(conditionOf(r.status, 'Stalled')).toMatchObject({ reason: 'InvalidSpec', message: expect.stringContaining('only once') });
    expect(emu().counters()).toEqual({});
  });
});

describe('VoiceConnectorGroup crash safety', () => {
  it('a restart without status after each API call of a create finds the group instead of creating a second one', async () => {
    // Count the calls of a clean create first.
    const probe = engineHarness(emu());
    const { west } = await setup(probe);
    const spec = { voiceConnectors: [{ voiceConnectorId: west, priority: 1 }], callDistributionType: 'LoadBalancedDistribution' };
    await probe.reconcile(group(spec));
    const total = Object.values(emu().counters()).reduce((sum, o) => sum + Object.values(o).reduce((a, b) => a + b, 0), 0);
    expect(total).toBe(2);

    await crashAfterEachCall({
      emu,
      calls: total,
      round: async () => {
        const w = await awsConnector('west');
        const s = { voiceConnectors: [{ voiceConnectorId: w, priority: 1 }], callDistributionType: 'LoadBalancedDistribution' };
        return { dying: engineHarness(emu()), restart: () => engineHarness(emu()), object: () => group(s) };
      },
      noun: 'groups',
      list: awsGroups,
      check: (r, one) => expect(r.status.atProvider!.voiceConnectorGroupId as string).toBe(one.VoiceConnectorGroupId),
    });
  });
});

describe('VoiceConnectorGroup name as the ownership marker', () => {
  it('a second object with the same AWS name is refused (ClaimConflict), the first keeps the group', async () => {
    const h = engineHarness(emu());
    const first = group({ name: 'shared' }, 'first', { creationTimestamp: '2024-01-01T00:00:00Z' });
    const second = group({ name: 'shared', callDistributionType: 'LoadBalancedDistribution' }, 'second', { namespace: 'other', creationTimestamp: '2024-02-01T00:00:00Z' });
    h.world.put(second);
    expect((await h.reconcile(first)).phase).toBe('Ready');
    emu().resetCounters();
    const r = await h.reconcile(second);
    expect(r.phase).toBe('Stalled');
    expect(conditionOf(r.status, 'Stalled')).toMatchObject({ reason: 'ClaimConflict', message: expect.stringContaining('VoiceConnectorGroup default/first') });
    expect(emu().counters()).toEqual({});
    expect(await awsGroups()).toHaveLength(1);
    expect((await h.reconcile(first, { specChanged: false })).phase).toBe('Ready');
  });
});

describe('VoiceConnectorGroup with the VoiceConnector kind', () => {
  it('G2: a group waits for a connector reconciled by its own kind, then holds it; deleting the group first leaves the connector deletable', async () => {
    const h = engineHarness(emu());
    const vc: ManagedObject = { apiVersion: 'chimevoice.io/v1alpha1', kind: 'VoiceConnector', metadata: { name: 'east', namespace: 'default' }, spec: { region: 'us-east-1', requireEncryption: true } };
    const obj = group({ voiceConnectors: [{ voiceConnectorRef: { name: 'east' }, priority: 1 }] });
    h.world.put(vc);
    expect((await h.reconcile(obj)).phase).toBe('Waiting');
    const c = await h.reconcile(vc);
    expect(c.phase).toBe('Ready');
    const r = await h.reconcile(obj);
    expect(r.phase).toBe('Ready');
    expect((await awsGroup(r.status.atProvider!.voiceConnectorGroupId as string)).VoiceConnectorItems).toEqual([{ VoiceConnectorId: c.status.atProvider!.voiceConnectorId, Priority: 1 }]);
    expect(await h.delete(obj)).toMatchObject({ deleted: true });
    expect(await h.delete(vc)).toMatchObject({ deleted: true });
  });
});
