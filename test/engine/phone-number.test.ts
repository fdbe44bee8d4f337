/**
 * PhoneNumber against the emulator through the real SDK (PN1-PN8): order through choose-record-
 * order, claims and porting orders, the documents and country rules, moves, product type changes,
 * calling names and their cooldown, deletion and the deletion queue, drift, steady state, and the
 * money-safety test that stops the engine after every API call and restarts it.
 */
import { beforeEach, describe, expect, it } from 'vitest';
import {
  AssociatePhoneNumbersWithVoiceConnectorCommand,
  CreatePhoneNumberOrderCommand,
  CreateVoiceConnectorCommand,
  CreateVoiceConnectorGroupCommand,
  DeletePhoneNumberCommand,
  DisassociatePhoneNumbersFromVoiceConnectorCommand,
  GetPhoneNumberCommand,
  ListPhoneNumbersCommand,
  UpdatePhoneNumberCommand,
} from '@aws-sdk/client-chime-sdk-voice';
import { emptyState } from '../../src/emulator/core/state.js';
import { seedPortingOrder } from '../../src/emulator/services/index.js';
import { ORDER_PROCESSING_MS } from '../../src/emulator/services/phone-numbers.js';
import { handlers as allHandlers } from '../../src/kinds/index.js';
import { createPhoneNumberHandler } from '../../src/kinds/phone-number/index.js';
import { conditionOf } from '../../src/reconcile/conditions.js';
import { anyKind, type AnyKindHandler, type ManagedObject, type ReconcileResult } from '../../src/reconcile/types.js';
import { keyOf, keyString } from '../../src/reconcile/types.js';
import { engineHarness, type EngineHarness } from '../helpers/engine.js';
import { voiceClient, withEmulator } from '../helpers/emulator.js';

const emu = withEmulator({ strictRegions: true });
const client = () => voiceClient(emu());
const NOW = '2024-01-01T00:00:00Z';
const HOUR = 3_600_000;
const DAY = 24 * HOUR;

beforeEach(() => {
  emu().resetState(emptyState());
  emu().setFaults({});
  emu().resetCounters();
});

/** Every kind, with the PhoneNumber handler reading the emulated clock (PN6 cooldowns in emulated days). */
const handlers = (): ReadonlyMap<string, AnyKindHandler> =>
  new Map<string, AnyKindHandler>([...allHandlers, ['PhoneNumber', anyKind(createPhoneNumberHandler({ now: () => emu().clock.now() }))]]);
const harness = (objects: ManagedObject[] = [], dryRun = false) => engineHarness(emu(), { handlers: handlers(), objects, dryRun });

function pn(spec: Record<string, unknown>, name = 'main'): ManagedObject {
  return { apiVersion: 'chimevoice.io/v1alpha1', kind: 'PhoneNumber', metadata: { name, namespace: 'default' }, spec };
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

async function awsConnector(name: string): Promise<string> {
  return (await client().send(new CreateVoiceConnectorCommand({ Name: name, RequireEncryption: true, AwsRegion: 'us-east-1' }))).VoiceConnector!.VoiceConnectorId!;
}

async function awsGroup(name: string, connectorId: string): Promise<string> {
  const out = await client().send(new CreateVoiceConnectorGroupCommand({ Name: name, VoiceConnectorItems: [{ VoiceConnectorId: connectorId, Priority: 1 }] }));
  return out.VoiceConnectorGroup!.VoiceConnectorGroupId!;
}

/** Connectors office-trunk and backup-trunk and group contact-center in AWS, described by Ready objects. */
async function topology(h: EngineHarness) {
  const office = await awsConnector('office-trunk');
  const backup = await awsConnector('backup-trunk');
  const group = await awsGroup('contact-center', backup);
  h.world.put(ready('VoiceConnector', 'office-trunk', { voiceConnectorId: office }));
  h.world.put(ready('VoiceConnector', 'backup-trunk', { voiceConnectorId: backup }));
  h.world.put(ready('VoiceConnectorGroup', 'contact-center', { voiceConnectorGroupId: group }));
  emu().resetCounters();
  return { office, backup, group };
}

const calls = (op: string, outcome = 'ok') => emu().counters()[op]?.[outcome] ?? 0;
const allCalls = () => Object.fromEntries(Object.entries(emu().counters()).map(([op, o]) => [op, Object.values(o).reduce((a, b) => a + b, 0)]));
function mutatingCalls(): Record<string, number> {
  return Object.fromEntries(Object.entries(allCalls()).filter(([op]) => !op.startsWith('Get') && !op.startsWith('List')));
}
const awsNumbers = async () => (await client().send(new ListPhoneNumbersCommand({}))).PhoneNumbers ?? [];
const awsNumber = async (id: string) => (await client().send(new GetPhoneNumberCommand({ PhoneNumberId: id }))).PhoneNumber!;
const marked = async (marker: string) => (await awsNumbers()).filter((n) => n.Name === marker || n.Name?.endsWith(` ${marker}`));
const at = (h: EngineHarness, name = 'main') => h.get('PhoneNumber', name).status?.atProvider ?? {};

/** Reconciles until Ready or Stalled, moving the emulated clock by each requeue (orders, cooldowns). */
async function settle(h: EngineHarness, obj: ManagedObject | string, maxPasses = 12): Promise<ReconcileResult[]> {
  const results: ReconcileResult[] = [];
  for (let i = 0; i < maxPasses; i++) {
    const r = await h.reconcile(obj);
    results.push(r);
    if (r.phase === 'Ready' || r.phase === 'Stalled') return results;
    if (r.requeueAfterMs) emu().clock.advance(r.requeueAfterMs);
    obj = typeof obj === 'string' ? obj : `${obj.kind}/${obj.metadata.name}`;
  }
  throw new Error(`not settled after ${maxPasses} passes: ${results.map((r) => `${r.phase}/${conditionOf(r.status, 'Ready')?.reason}`).join(', ')}`);
}

const seattle = { order: { areaCode: '206' }, productType: 'VoiceConnector' };

describe('PN1 ordering: choose, record, order, wait by requeueing', () => {
  it('PN1: records the chosen number in status before ordering it, orders exactly that number, waits for the order by requeueing', async () => {
    const h = harness();
    const first = await h.reconcile(pn({ ...seattle, name: 'Front desk' }));
    expect(first.phase).toBe('Progressing');
    expect(conditionOf(first.status, 'Ready')?.reason).toBe('NumberChosen');
    expect(first.requeueAfterMs).toBe(0);
    const chosen = at(h).e164 as string;
    expect(chosen).toMatch(/^\+1206\d{7}$/);
    expect(calls('CreatePhoneNumberOrder')).toBe(0);

    const second = await h.reconcile('PhoneNumber/main');
    expect(calls('CreatePhoneNumberOrder')).toBe(1);
    expect(second.actions.map((a) => a.action.description)).toEqual([
      `Order a new local number in area code 206: ${chosen}, named "Front desk chimevoice.default.main" (its ownership marker)`,
    ]);
    expect(second.phase).toBe('Progressing');
    expect(conditionOf(second.status, 'Ready')?.reason).toBe('OrderProcessing');
    expect(at(h)).toMatchObject({ e164: chosen, phoneNumberId: chosen, numberStatus: 'AcquireInProgress', orderStatus: 'Processing', orderType: 'New' });
    expect(second.requeueAfterMs).toBeGreaterThan(0);

    // Still processing: no second order, no update, just a look.
    emu().resetCounters();
    const third = await h.reconcile('PhoneNumber/main');
    expect(third.phase).toBe('Progressing');
    expect(mutatingCalls()).toEqual({});

    emu().clock.advance(ORDER_PROCESSING_MS);
    const done = await h.reconcile('PhoneNumber/main');
    expect(done.phase).toBe('Ready');
    expect(at(h)).toMatchObject({ e164: chosen, numberStatus: 'Unassigned', orderStatus: 'Successful', orderedNumberStatus: 'Acquired', productType: 'VoiceConnector', numberType: 'Local', country: 'US' });
    expect(at(h).capabilities).toMatchObject({ inboundCall: true, outboundCall: true });
    expect((await awsNumber(chosen)).Name).toBe('Front desk chimevoice.default.main');
    expect(calls('CreatePhoneNumberOrder')).toBe(0);
  });

  it('PN1: plan shows the order in words, with the number, and writes nothing', async () => {
    const h = harness([], true);
    const r = await h.reconcile(pn({ order: { state: 'WA', city: 'Seattle' }, productType: 'VoiceConnector' }));
    expect(r.phase).toBe('Planned');
    expect(r.actions).toHaveLength(1);
    expect(r.actions[0].action.description).toMatch(/^Order a new local number in Seattle, WA: \+1206\d{7}, named "chimevoice\.default\.main"/);
    expect(mutatingCalls()).toEqual({ SearchAvailablePhoneNumbers: 1 });
    expect(await awsNumbers()).toEqual([]);
  });

  it('PN1: a chosen number taken meanwhile is chosen again, never ordered twice', async () => {
    const h = harness();
    await h.reconcile(pn(seattle));
    const chosen = at(h).e164 as string;
    // Someone else orders the chosen number between the two passes.
    await client().send(new CreatePhoneNumberOrderCommand({ ProductType: 'VoiceConnector', E164PhoneNumbers: [chosen], Name: 'someone else' }));
    emu().resetCounters();
    const again = await h.reconcile('PhoneNumber/main');
    expect(conditionOf(again.status, 'Ready')?.reason).toBe('NumberChosen');
    expect(calls('CreatePhoneNumberOrder')).toBe(0);
    const second = at(h).e164 as string;
    expect(second).not.toBe(chosen);
    expect(at(h).orderMessage).toContain('was taken by another order');
    await settle(h, 'PhoneNumber/main');
    expect(calls('CreatePhoneNumberOrder')).toBe(1);
    expect((await marked('chimevoice.default.main')).map((n) => n.E164PhoneNumber)).toEqual([second]);
  });

  it('PN1: a Failed order is reported with the per-number reason and another number is chosen; one order in flight at a time', async () => {
    const h = harness();
    // Status records a number that is not in the pool: its order fails when processing ends.
    h.world.put({ ...pn(seattle), status: { atProvider: { e164: '+12065550199' } } });
    const ordered = await h.reconcile('PhoneNumber/main');
    expect(calls('CreatePhoneNumberOrder')).toBe(1);
    expect(ordered.phase).toBe('Progressing');
    expect(conditionOf(ordered.status, 'Ready')?.reason).toBe('OrderProcessing');
    // While the order processes, no other order.
    const waiting = await h.reconcile('PhoneNumber/main');
    expect(conditionOf(waiting.status, 'Ready')?.reason).toBe('OrderProcessing');
    expect(calls('CreatePhoneNumberOrder')).toBe(1);
    emu().clock.advance(ORDER_PROCESSING_MS);
    const failed = await h.reconcile('PhoneNumber/main');
    expect(conditionOf(failed.status, 'Ready')?.reason).toBe('NumberChosen');
    expect(at(h).orderMessage).toMatch(/order .* ended Failed: AWS reports \+12065550199 Failed/);
    expect(at(h).e164).not.toBe('+12065550199');
    await settle(h, 'PhoneNumber/main');
    expect(calls('CreatePhoneNumberOrder')).toBe(2);
    expect(await marked('chimevoice.default.main')).toHaveLength(1);
  });

  it('PN1: under driftPolicy Report a number not yet ordered is still ordered (Report leaves existing numbers alone)', async () => {
    const h = harness();
    const r = await settle(h, pn({ ...seattle, driftPolicy: 'Report' }));
    expect(r.at(-1)!.phase).toBe('Ready');
    expect(calls('CreatePhoneNumberOrder')).toBe(1);
  });

  it('PN1: two objects with the same search get two different numbers', async () => {
    const h = harness();
    await h.reconcile(pn(seattle, 'a'));
    await h.reconcile(pn(seattle, 'b'));
    expect(at(h, 'a').e164).not.toBe(at(h, 'b').e164);
    await settle(h, 'PhoneNumber/a');
    await settle(h, 'PhoneNumber/b');
    expect(calls('CreatePhoneNumberOrder')).toBe(2);
  });
});

describe('PN1 claims and porting orders', () => {
  it('PN1: a claimed number being ported in shows its porting order status until the port completes', async () => {
    const h = harness();
    seedPortingOrder(emu().state, emu().clock.now(), { numbers: ['+13125550100'], productType: 'VoiceConnector', stepMs: DAY });
    const submitted = await h.reconcile(pn({ e164: '+13125550100', productType: 'VoiceConnector' }));
    expect(submitted.phase).toBe('Progressing');
    expect(conditionOf(submitted.status, 'Ready')?.reason).toBe('PortingInProgress');
    expect(at(h)).toMatchObject({ orderType: 'Porting', orderStatus: 'Submitted', numberStatus: 'PortinInProgress' });
    emu().clock.advance(DAY);
    const docs = await h.reconcile('PhoneNumber/main');
    expect(at(h).orderStatus).toBe('PendingDocuments');
    expect(conditionOf(docs.status, 'Ready')?.message).toContain('waiting for documents');
    emu().clock.advance(DAY);
    await h.reconcile('PhoneNumber/main');
    expect(at(h).orderStatus).toBe('FOC');
    expect(at(h).focDate).toBeDefined();
    emu().clock.advance(DAY);
    const done = await h.reconcile('PhoneNumber/main');
    expect(done.phase).toBe('Ready');
    expect(at(h)).toMatchObject({ orderStatus: 'Successful', numberStatus: 'Unassigned' });
    expect(calls('CreatePhoneNumberOrder')).toBe(0);
  });

  it('PN1: a cancelled port leaves the claim Stalled with the porting order named', async () => {
    const h = harness();
    seedPortingOrder(emu().state, emu().clock.now(), { numbers: ['+13125550101'], productType: 'VoiceConnector', stepMs: HOUR, outcome: 'Cancelled' });
    await h.reconcile(pn({ e164: '+13125550101', productType: 'VoiceConnector' }));
    emu().clock.advance(4 * HOUR);
    const r = await h.reconcile('PhoneNumber/main');
    expect(r.phase).toBe('Stalled');
    expect(conditionOf(r.status, 'Ready')?.reason).toBe('PortingCancelled');
    expect(at(h).orderStatus).toBe('Cancelled');
  });

  it('PN1: a claim of a number not in the inventory is Stalled and orders nothing', async () => {
    const h = harness();
    const r = await h.reconcile(pn({ e164: '+12065550123', productType: 'VoiceConnector' }));
    expect(r.phase).toBe('Stalled');
    expect(conditionOf(r.status, 'Ready')?.reason).toBe('NotInInventory');
    expect(mutatingCalls()).toEqual({});
  });
});

describe('PN2, PN3: refused before any call', () => {
  it('PN2: a non-US order or claim with product type VoiceConnector is an invalid spec, with no call', async () => {
    const h = harness();
    const order = await h.reconcile(pn({ order: { country: 'GB', numberType: 'Local' }, productType: 'VoiceConnector' }, 'gb'));
    expect(order.phase).toBe('Stalled');
    expect(conditionOf(order.status, 'Ready')).toMatchObject({ reason: 'InvalidSpec' });
    expect(conditionOf(order.status, 'Ready')?.message).toContain('PN2');
    // A Canadian number shares +1 with the US: its digits tell.
    const claim = await h.reconcile(pn({ e164: '+14162300100', productType: 'VoiceConnector' }, 'toronto'));
    expect(conditionOf(claim.status, 'Ready')?.reason).toBe('InvalidSpec');
    expect(allCalls()).toEqual({});
  });

  it('PN2: a non-US number ordered as SipMediaApplicationDialIn works', async () => {
    const h = harness();
    const results = await settle(h, pn({ order: { country: 'GB', numberType: 'Local' }, productType: 'SipMediaApplicationDialIn' }, 'london'));
    expect(results.at(-1)!.phase).toBe('Ready');
    expect(at(h, 'london')).toMatchObject({ country: 'GB', productType: 'SipMediaApplicationDialIn' });
    expect(results[1].actions[0].action.description).toMatch(/^Order a new the United Kingdom local number for SIP media application dial-in: \+44/);
  });

  it('PN3: an order in a country that needs documents is Stalled with the documents that country asks for, and no order', async () => {
    const h = harness();
    const r = await h.reconcile(pn({ order: { country: 'DE', numberType: 'Local' }, productType: 'SipMediaApplicationDialIn' }));
    expect(r.phase).toBe('Stalled');
    const ready = conditionOf(r.status, 'Ready')!;
    expect(ready.reason).toBe('DocumentsRequired');
    expect(ready.message).toContain('Germany (DE) requires identity documents for local numbers');
    expect(ready.message).toContain('copy of business registration, or copy of ID for an individual');
    expect(ready.message).toContain('No order was placed');
    expect(allCalls()).toEqual({ ListPhoneNumbers: 1 });
    // The object never got a number: deleting it finishes, it does not stall on the same reason.
    const gone = await h.delete('PhoneNumber/main');
    expect(gone.phase).toBe('Deleted');
    expect(mutatingCalls()).toEqual({});
  });

  it('PN3: plan mode shows no order for such a country', async () => {
    const h = harness([], true);
    const r = await h.reconcile(pn({ order: { country: 'CH', numberType: 'TollFree' }, productType: 'SipMediaApplicationDialIn' }));
    expect(r.actions).toEqual([]);
    expect(mutatingCalls()).toEqual({});
  });
});

describe('PN4 assignment and moves', () => {
  it('PN4: assigns the new number, then moves it to a group with ONE force-associate, never unassign then assign', async () => {
    const h = harness();
    const { office, group } = await topology(h);
    await settle(h, pn({ ...seattle, assignment: { voiceConnectorRef: { name: 'office-trunk' } } }));
    const e164 = at(h).e164 as string;
    expect(at(h).associations).toEqual([expect.objectContaining({ name: 'VoiceConnectorId', value: office })]);
    expect(at(h).numberStatus).toBe('Assigned');

    emu().resetCounters();
    const moved = await h.reconcile(pn({ ...seattle, assignment: { voiceConnectorGroupRef: { name: 'contact-center' } } }));
    expect(moved.phase).toBe('Ready');
    expect(moved.actions.map((a) => a.action.description)).toEqual([
      `Move ${e164} from voice connector office-trunk to voice connector group contact-center in one step (force-associate: no moment without routing, PN4)`,
    ]);
    expect(moved.actions[0].action.input).toMatchObject({ VoiceConnectorGroupId: group, ForceAssociate: true });
    expect(mutatingCalls()).toEqual({ AssociatePhoneNumbersWithVoiceConnectorGroup: 1 });
    expect((await awsNumber(e164)).Associations).toEqual([expect.objectContaining({ Name: 'VoiceConnectorGroupId', Value: group })]);
  });

  it('PN4: the number is ordered while its connector is not Ready yet, and assigned once it is', async () => {
    const h = harness();
    const id = await awsConnector('later');
    h.world.put({ ...ready('VoiceConnector', 'later', {}), status: { conditions: [{ type: 'Ready', status: 'False', reason: 'Progressing', message: '', lastTransitionTime: NOW }] } });
    const results = await settle(h, pn({ ...seattle, assignment: { voiceConnectorRef: { name: 'later' } } }), 3).catch(() => undefined);
    expect(results).toBeUndefined();
    expect(conditionOf(h.get('PhoneNumber', 'main').status, 'Ready')?.reason).toBe('AssignmentWaiting');
    expect(at(h).numberStatus).toBe('Unassigned');
    h.world.put(ready('VoiceConnector', 'later', { voiceConnectorId: id }));
    await settle(h, 'PhoneNumber/main');
    expect(at(h).associations).toEqual([expect.objectContaining({ value: id })]);
  });

  it('PN4/API4: a per-number error in a 200 association answer surfaces in this object status', async () => {
    const h = harness();
    await topology(h);
    await settle(h, pn(seattle));
    const e164 = at(h).e164 as string;
    // Behind the engine's back, between its observation and its call, the number changes product type.
    const send = h.aws.send.bind(h.aws);
    h.aws.send = (async (service: any, operation: string, input: any) => {
      if (operation.startsWith('Associate')) emu().state.phoneNumbers[e164].ProductType = 'SipMediaApplicationDialIn';
      return send(service, operation, input);
    }) as typeof h.aws.send;
    const r = await h.reconcile(pn({ ...seattle, assignment: { voiceConnectorRef: { name: 'office-trunk' } } }));
    expect(r.phase).toBe('Stalled');
    const cond = conditionOf(r.status, 'Ready')!;
    expect(cond.reason).toBe('AssignmentFailed');
    expect(cond.message).toContain(`AWS did not assign ${e164} to voice connector office-trunk: BadRequest`);
    expect(cond.message).toContain('only VoiceConnector numbers can be associated');
  });

  it('PN4: a number that is a SIP rule trigger is not force-associated away from it', async () => {
    const h = harness();
    await topology(h);
    await settle(h, pn(seattle));
    const e164 = at(h).e164 as string;
    emu().state.phoneNumbers[e164].Associations = [{ Name: 'SipRuleId', Value: 'rule-1', AssociatedTimestamp: NOW }];
    emu().resetCounters();
    const r = await h.reconcile(pn({ ...seattle, assignment: { voiceConnectorRef: { name: 'office-trunk' } } }));
    expect(r.phase).toBe('Stalled');
    expect(conditionOf(r.status, 'Ready')).toMatchObject({ reason: 'AssignmentBlocked' });
    expect(conditionOf(r.status, 'Ready')?.message).toContain('SIP rule rule-1');
    expect(mutatingCalls()).toEqual({});
  });
});

describe('PN5 product type changes', () => {
  it('PN5: an assigned number changes product type by unassign then change, shown so in plan', async () => {
    const h = harness();
    await topology(h);
    await settle(h, pn({ ...seattle, assignment: { voiceConnectorRef: { name: 'office-trunk' } } }));
    const e164 = at(h).e164 as string;
    const spec = { order: { areaCode: '206' }, productType: 'SipMediaApplicationDialIn' };

    const planned = await engineHarness(emu(), { handlers: handlers(), dryRun: true, objects: [...h.world.all()] }).reconcile(pn(spec));
    expect(planned.actions.map((a) => a.action.description)).toEqual([
      `Unassign ${e164} from voice connector office-trunk (step 1 of 2 of the product type change of ${e164} to SipMediaApplicationDialIn (PN5))`,
      `Change the product type of ${e164} from VoiceConnector to SipMediaApplicationDialIn (step 2 of 2; AWS allows it only while the number is unassigned)`,
    ]);

    emu().resetCounters();
    const r = await h.reconcile(pn(spec));
    expect(r.phase).toBe('Ready');
    expect(r.actions.map((a) => a.action.operation)).toEqual(['DisassociatePhoneNumbersFromVoiceConnector', 'UpdatePhoneNumber']);
    expect(await awsNumber(e164)).toMatchObject({ ProductType: 'SipMediaApplicationDialIn', Status: 'Unassigned' });

    // And back: change, then assign.
    const back = await h.reconcile(pn({ ...seattle, assignment: { voiceConnectorGroupRef: { name: 'contact-center' } } }));
    expect(back.phase).toBe('Ready');
    expect(back.actions.map((a) => a.action.operation)).toEqual(['UpdatePhoneNumber', 'AssociatePhoneNumbersWithVoiceConnectorGroup']);
    expect(back.actions[1].action.description).toBe(`Assign ${e164} to voice connector group contact-center (step 2 of 2 of the product type change of ${e164} to VoiceConnector (PN5))`);
  });
});

describe('PN6 calling names', () => {
  it('PN6: sets the calling name, reports the 72-hour update, and holds a change inside the 7-day cooldown until it is possible', async () => {
    const h = harness();
    await settle(h, pn({ ...seattle, callingName: 'ACME Front' }));
    const e164 = at(h).e164 as string;
    expect(at(h)).toMatchObject({ callingName: 'ACME Front', callingNameStatus: 'UpdateInProgress' });
    expect(conditionOf(h.get('PhoneNumber', 'main').status, 'CallingNamePending')?.reason).toBe('UpdateInProgress');
    const after = Date.parse(at(h).callingNameChangeableAfter as string);
    expect(after - emu().clock.now().getTime()).toBeGreaterThan(7 * DAY - HOUR);

    emu().clock.advance(72 * HOUR);
    const applied = await h.reconcile('PhoneNumber/main');
    expect(applied.phase).toBe('Ready');
    expect(at(h).callingNameStatus).toBe('UpdateSucceeded');
    expect(conditionOf(applied.status, 'CallingNamePending')).toBeUndefined();

    emu().resetCounters();
    const held = await h.reconcile(pn({ ...seattle, callingName: 'ACME Sales' }));
    expect(held.phase).toBe('Progressing');
    const cond = conditionOf(held.status, 'Ready')!;
    expect(cond.reason).toBe('CallingNameCooldown');
    expect(cond.message).toContain(at(h).callingNameChangeableAfter as string);
    expect(mutatingCalls()).toEqual({});
    expect(held.requeueAfterMs).toBeGreaterThan(3 * DAY);
    expect(held.requeueAfterMs).toBeLessThan(4 * DAY + HOUR);

    // A restart without status keeps the cooldown: it comes from AWS data, not memory.
    const fresh = harness();
    const restarted = await fresh.reconcile(pn({ ...seattle, callingName: 'ACME Sales' }));
    expect(conditionOf(restarted.status, 'Ready')?.reason).toBe('CallingNameCooldown');
    expect(mutatingCalls()).toEqual({});

    emu().clock.advance(held.requeueAfterMs!);
    const changed = await h.reconcile('PhoneNumber/main');
    expect(changed.actions.map((a) => a.action.operation)).toEqual(['UpdatePhoneNumber']);
    expect(calls('UpdatePhoneNumber')).toBe(1);
    expect((await awsNumber(e164)).CallingName).toBe('ACME Sales');
  });

  it('PN6: a calling name on a toll-free number or with bad characters is an invalid spec, with no call', async () => {
    const h = harness();
    const tollFree = await h.reconcile(pn({ order: { tollFreePrefix: '800' }, productType: 'VoiceConnector', callingName: 'ACME' }, 'tf'));
    expect(conditionOf(tollFree.status, 'Ready')).toMatchObject({ reason: 'InvalidSpec' });
    expect(conditionOf(tollFree.status, 'Ready')?.message).toContain('toll-free');
    const bad = await h.reconcile(pn({ ...seattle, callingName: 'ACME & Co' }, 'bad'));
    expect(conditionOf(bad.status, 'Ready')).toMatchObject({ reason: 'InvalidSpec' });
    expect(allCalls()).toEqual({});
  });
});

describe('PN7 deletion and the deletion queue', () => {
  it('PN7: deletion under Delete unassigns the number this project assigned, then deletes it', async () => {
    const h = harness();
    const { office } = await topology(h);
    const obj = pn({ ...seattle, assignment: { voiceConnectorRef: { name: 'office-trunk' } } });
    await settle(h, obj);
    const e164 = at(h).e164 as string;
    const r = await h.delete('PhoneNumber/main');
    expect(r.phase).toBe('Deleted');
    expect(r.actions.map((a) => a.action.operation)).toEqual(['DisassociatePhoneNumbersFromVoiceConnector', 'DeletePhoneNumber']);
    expect(r.actions[0].action.input).toMatchObject({ VoiceConnectorId: office });
    expect((await awsNumber(e164)).Status).toBe('DeleteInProgress');
  });

  it('PN7: under Retain the number stays, assigned', async () => {
    const h = harness();
    await topology(h);
    await settle(h, pn({ ...seattle, assignment: { voiceConnectorRef: { name: 'office-trunk' } }, deletionPolicy: 'Retain' }));
    const e164 = at(h).e164 as string;
    emu().resetCounters();
    const r = await h.delete('PhoneNumber/main');
    expect(r.phase).toBe('Deleted');
    expect(mutatingCalls()).toEqual({});
    expect((await awsNumber(e164)).Status).toBe('Assigned');
  });

  it('PN7: a number used by something the spec does not assign it to blocks deletion, named, managed false', async () => {
    const h = harness();
    await topology(h);
    const stranger = await awsConnector('stranger');
    await settle(h, pn(seattle));
    const e164 = at(h).e164 as string;
    await client().send(new AssociatePhoneNumbersWithVoiceConnectorCommand({ VoiceConnectorId: stranger, E164PhoneNumbers: [e164] }));
    emu().resetCounters();
    const r = await h.delete('PhoneNumber/main');
    expect(r.phase).toBe('Stalled');
    expect(conditionOf(r.status, 'Ready')?.reason).toBe('DeletionBlocked');
    expect(conditionOf(r.status, 'Ready')?.message).toContain(`${e164} is used by voice connector ${stranger}`);
    expect(mutatingCalls()).toEqual({});
  });

  it('PN7: a claimed number is deleted under deletionPolicy Delete (the explicit request to release a number this project did not order)', async () => {
    const h = harness();
    seedPortingOrder(emu().state, emu().clock.now(), { numbers: ['+13125550102'], productType: 'VoiceConnector', stepMs: 0 });
    await settle(h, pn({ e164: '+13125550102', productType: 'VoiceConnector', deletionPolicy: 'Delete' }));
    const r = await h.delete('PhoneNumber/main');
    expect(r.actions.map((a) => a.action.operation)).toEqual(['DeletePhoneNumber']);
    expect((await awsNumber('+13125550102')).Status).toBe('DeleteInProgress');
  });

  it('PN7: an object asking again for its number in the deletion queue restores it, never orders anew (status dropped)', async () => {
    const h = harness();
    await settle(h, pn({ ...seattle, callingName: 'ACME' }));
    const e164 = at(h).e164 as string;
    await h.delete('PhoneNumber/main');
    emu().clock.advance(3 * DAY);
    emu().resetCounters();
    const fresh = harness();
    const r = await settle(fresh, pn({ ...seattle, callingName: 'ACME' }));
    expect(r.at(-1)!.phase).toBe('Ready');
    expect(r[0].actions.map((a) => a.action.operation)).toEqual(['RestorePhoneNumber']);
    expect(calls('CreatePhoneNumberOrder')).toBe(0);
    expect(calls('SearchAvailablePhoneNumbers')).toBe(0);
    expect(await awsNumber(e164)).toMatchObject({ Status: 'Unassigned' });
  });

  it('PN7: a claim of a number in the deletion queue restores it', async () => {
    const h = harness();
    await settle(h, pn(seattle, 'orig'));
    const e164 = at(h, 'orig').e164 as string;
    await client().send(new DeletePhoneNumberCommand({ PhoneNumberId: e164 }));
    const r = await h.reconcile(pn({ e164, productType: 'VoiceConnector' }, 'claim'));
    expect(r.phase).toBe('Ready');
    expect(r.actions.map((a) => a.action.operation)).toEqual(['RestorePhoneNumber']);
  });

  it('PN7: after the 7-day deletion queue the number is gone and an order object orders a new one', async () => {
    const h = harness();
    await settle(h, pn(seattle));
    await h.delete('PhoneNumber/main');
    emu().clock.advance(7 * DAY + HOUR);
    emu().resetCounters();
    const fresh = harness();
    const r = await settle(fresh, pn(seattle));
    expect(r.at(-1)!.phase).toBe('Ready');
    expect(calls('RestorePhoneNumber')).toBe(0);
    expect(calls('CreatePhoneNumberOrder')).toBe(1);
  });
});

describe('drift and steady state', () => {
  it('a first convergence is progress: the order, then the calling name and the assignment once it completes, as Normal Events (Created, Updated, Assigned), never DriftDetected', async () => {
    const h = harness();
    await topology(h);
    // As the controller does: the spec changed on the first pass only; later passes see the same generation.
    let r = await h.reconcile(pn({ ...seattle, callingName: 'Front Desk', assignment: { voiceConnectorRef: { name: 'office-trunk' } } }));
    const events = [...r.events];
    for (let pass = 0; pass < 12 && r.phase !== 'Ready'; pass++) {
      if (r.requeueAfterMs) emu().clock.advance(r.requeueAfterMs);
      r = await h.reconcile('PhoneNumber/main', { specChanged: false });
      events.push(...r.events);
    }
    expect(r.phase).toBe('Ready');
    expect(calls('UpdatePhoneNumber') + calls('BatchUpdatePhoneNumber')).toBeGreaterThan(0);
    expect(events.filter((e) => e.type === 'Warning')).toEqual([]);
    expect(events.map((e) => e.reason)).toEqual(['Created', 'Updated', 'Assigned']);
    expect(events.find((e) => e.reason === 'Assigned')?.message).toContain('office-trunk');
  });

  it('drift: a rename and an unassignment behind the engine are reported by path and corrected under Correct', async () => {
    const h = harness();
    const { office } = await topology(h);
    const spec = { ...seattle, name: 'Front desk', assignment: { voiceConnectorRef: { name: 'office-trunk' } } };
    await settle(h, pn(spec));
    const e164 = at(h).e164 as string;
    await client().send(new UpdatePhoneNumberCommand({ PhoneNumberId: e164, Name: 'renamed' }));
    await client().send(new DisassociatePhoneNumbersFromVoiceConnectorCommand({ VoiceConnectorId: office, E164PhoneNumbers: [e164] }));
    const r = await h.reconcile('PhoneNumber/main', { specChanged: false });
    expect(r.phase).toBe('Ready');
    expect(r.events.find((e) => e.reason === 'DriftDetected')?.message.split(' [DriftDetected]. Next: ')[0]).toBe('AWS differs from the spec at name, assignment');
    expect(r.events.map((e) => e.reason)).toContain('DriftCorrected');
    expect(r.actions.flatMap((a) => a.action.fixes ?? []).sort()).toEqual(['assignment', 'name']);
    expect(await awsNumber(e164)).toMatchObject({ Name: 'Front desk chimevoice.default.main', Status: 'Assigned' });
  });

  it('drift: under Report the difference is listed and left alone; the Drifted condition says so', async () => {
    const h = harness();
    await settle(h, pn({ ...seattle, name: 'Front desk', driftPolicy: 'Report' }));
    const e164 = at(h).e164 as string;
    await client().send(new UpdatePhoneNumberCommand({ PhoneNumberId: e164, Name: 'renamed' }));
    emu().resetCounters();
    const r = await h.reconcile('PhoneNumber/main', { specChanged: false });
    expect(r.status.drift).toEqual([{ path: 'name', desired: 'Front desk chimevoice.default.main', actual: 'renamed' }]);
    expect(conditionOf(r.status, 'Drifted')).toMatchObject({ status: 'True', reason: 'DriftReported' });
    expect(mutatingCalls()).toEqual({});
    expect((await awsNumber(e164)).Name).toBe('renamed');
  });

  it('drift: a renamed number is still found by the id and order cached in status, and its marker restored', async () => {
    const h = harness();
    await settle(h, pn(seattle));
    const e164 = at(h).e164 as string;
    await client().send(new UpdatePhoneNumberCommand({ PhoneNumberId: e164, Name: 'renamed' }));
    await h.reconcile('PhoneNumber/main');
    expect((await awsNumber(e164)).Name).toBe('chimevoice.default.main');
    expect(calls('CreatePhoneNumberOrder')).toBe(1);
  });

  it('a changed area code is a replacement, never a second order', async () => {
    const h = harness();
    await settle(h, pn(seattle));
    emu().resetCounters();
    const r = await h.reconcile(pn({ order: { areaCode: '425' }, productType: 'VoiceConnector' }));
    expect(r.phase).toBe('Stalled');
    expect(conditionOf(r.status, 'Ready')?.reason).toBe('ReplacementRequired');
    expect(mutatingCalls()).toEqual({});
  });

  it('steady state: the second reconcile of an unchanged number makes zero mutating calls and one listing', async () => {
    const h = harness();
    await topology(h);
    const spec = { ...seattle, name: 'Front desk', callingName: 'ACME', assignment: { voiceConnectorRef: { name: 'office-trunk' } } };
    emu().resetCounters();
    await settle(h, pn(spec));
    const create = allCalls();
    emu().clock.advance(72 * HOUR);
    await h.reconcile('PhoneNumber/main');
    emu().resetCounters();
    const r = await h.reconcile('PhoneNumber/main');
    expect(r.phase).toBe('Ready');
    expect(r.actions).toEqual([]);
    expect(allCalls()).toEqual({ ListPhoneNumbers: 1 });
    // The figures of an order-and-assign, for the report.
    expect(create).toMatchObject({ SearchAvailablePhoneNumbers: 1, CreatePhoneNumberOrder: 1, UpdatePhoneNumber: 1, AssociatePhoneNumbersWithVoiceConnector: 1 });
    console.info('order-and-assign calls', JSON.stringify(create));
  });
});

describe('money safety: stopped after every API call and restarted', () => {
  class Crash extends Error {}

  /** Runs passes until Ready; with `crashAfter`, the process dies right after that many API calls (status of the pass not written). */
  async function run(h: EngineHarness, obj: ManagedObject, crashAfter?: number): Promise<'crashed' | 'ready'> {
    let count = 0;
    let crashed = false;
    const send = h.aws.send.bind(h.aws);
    h.aws.send = (async (service: any, operation: string, input: any) => {
      if (crashed) throw new Crash('process is gone');
      const out = await send(service, operation, input);
      count++;
      if (crashAfter !== undefined && count === crashAfter) {
        crashed = true;
        throw new Crash(`stopped after call ${count} (${operation})`);
      }
      return out;
    }) as typeof h.aws.send;
    h.world.put({ ...obj, status: h.world.get(keyOf(obj))?.status });
    for (let pass = 0; pass < 100; pass++) {
      h.aws.inventory.invalidate();
      const r = await h.engine.reconcile(h.world.get(keyOf(obj))!, h.world, true);
      if (crashed) return 'crashed';
      h.world.setStatus(keyOf(obj), r.status);
      // The pass's status supersedes what the engine made durable during it.
      h.durable.delete(keyString(keyOf(obj)));
      if (r.phase === 'Ready') return 'ready';
      if (r.phase === 'Stalled') throw new Error(`stalled: ${conditionOf(r.status, 'Ready')?.message}`);
      if (r.requeueAfterMs) emu().clock.advance(r.requeueAfterMs);
    }
    throw new Error('not Ready after 100 passes');
  }

  async function total(): Promise<number> {
    emu().resetState(emptyState());
    const h = harness();
    const { office } = await topology(h);
    await run(h, pn({ ...seattle, callingName: 'ACME', assignment: { voiceConnectorRef: { name: 'office-trunk' } } }));
    expect(office).toBeTruthy();
    return Object.values(emu().counters()).reduce((a, o) => a + Object.values(o).reduce((x, y) => x + y, 0), 0);
  }

  for (const mode of ['kept', 'dropped', 'durable'] as const) {
    const keepStatus = mode !== 'dropped';
    const title = {
      kept: 'status kept',
      dropped: 'status dropped (directory mode without its status file)',
      durable: 'listings lagging 2 minutes (API5) and the status a durable store kept mid-pass (the create-pending record)',
    }[mode];
    it(`money safety (PN1): exactly one number is ever ordered whatever call the engine dies after, ${title}`, async () => {
      emu().setFaults({});
      const n = await total();
      if (mode === 'durable') emu().setFaults({ listingLagMs: 120_000 });
      expect(n).toBeGreaterThan(5);
      const crashes: string[] = [];
      const spec = { ...seattle, callingName: 'ACME', assignment: { voiceConnectorRef: { name: 'office-trunk' } } };
      for (let crashAfter = 1; crashAfter <= n; crashAfter++) {
        emu().resetState(emptyState());
        const first = harness();
        const { office } = await topology(first);
        const outcome = await run(first, pn(spec), crashAfter);
        crashes.push(outcome);
        // Restart: a new process, with the status the last finished pass wrote, or with none.
        const kept = first.world.all().map((o) => (mode === 'durable' ? { ...o, status: first.durable.get(keyString(keyOf(o))) ?? o.status } : o));
        const second = harness(keepStatus ? kept : first.world.all().filter((o) => o.kind !== 'PhoneNumber'));
        if (outcome === 'crashed') await run(second, pn(spec));
        // Let the listings catch up before counting what AWS holds.
        if (mode === 'durable') emu().clock.advance(121_000);
        const mine = await marked('chimevoice.default.main');
        expect({ crashAfter, ordered: calls('CreatePhoneNumberOrder'), numbers: mine.length }).toEqual({ crashAfter, ordered: 1, numbers: 1 });
        expect(mine[0]).toMatchObject({ Status: 'Assigned', CallingName: 'ACME', Associations: [expect.objectContaining({ Value: office })] });
        expect(await awsNumbers()).toHaveLength(1);
      }
      // Every call of the sequence was a crash point, and the last run needed no restart.
      expect(crashes.filter((c) => c === 'crashed').length).toBe(n);
    }, 120_000);
  }
});
