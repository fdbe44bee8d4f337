/** Table tests of the PhoneNumber plan, delete plan, readiness and status: every field and transition. */
import { describe, expect, it } from 'vitest';
import type { PnDesired } from '../../src/kinds/phone-number/desired.js';
import { diffPhoneNumber } from '../../src/kinds/phone-number/diff.js';
import { phoneNumberAtProvider, phoneNumberReadiness } from '../../src/kinds/phone-number/index.js';
import type { PnAssociation, PnNumber, PnObserved } from '../../src/kinds/phone-number/observe.js';
import { planPhoneNumber, planPhoneNumberDelete } from '../../src/kinds/phone-number/plan.js';
import { describeAction, runnableNow } from '../../src/reconcile/executor.js';
import { MemoryWorld } from '../../src/reconcile/world.js';
import type { PhoneNumberSpec } from '../../src/api/kinds/phone-number.js';
import type { PnCache } from '../../src/kinds/phone-number/cache.js';
import type { ManagedObject } from '../../src/reconcile/types.js';

const E164 = '+12062300100';
const NOW = Date.parse('2024-03-01T00:00:00Z');

function desired(over: Partial<PnDesired> = {}): PnDesired {
  return {
    namespace: 'default',
    objectName: 'main',
    mode: 'order',
    order: { country: 'US', numberType: 'Local', areaCode: '206' },
    productType: 'VoiceConnector',
    marker: 'chimevoice.default.main',
    awsName: 'chimevoice.default.main',
    recorded: {},
    preview: false,
    ...over,
  };
}

function number(over: Partial<PnNumber> = {}): PnNumber {
  return { phoneNumberId: E164, e164: E164, country: 'US', type: 'Local', productType: 'VoiceConnector', status: 'Unassigned', name: 'chimevoice.default.main', associations: [], ...over };
}

const present = (n: Partial<PnNumber> = {}, extra: Partial<Extract<PnObserved, { phase: 'present' }>> = {}): PnObserved => ({ phase: 'present', number: number(n), nowMs: NOW, ...extra });
const office: PnAssociation = { name: 'VoiceConnectorId', value: 'vc1', label: 'voice connector office-trunk' };
const backup: PnAssociation = { name: 'VoiceConnectorId', value: 'vc2', label: 'voice connector backup-trunk' };
const toOffice = { name: 'VoiceConnectorId' as const, value: 'vc1', label: 'voice connector office-trunk' };
const toGroup = { name: 'VoiceConnectorGroupId' as const, value: 'g1', label: 'voice connector group contact-center' };
const rule: PnAssociation = { name: 'SipRuleId', value: 'r1', label: 'SIP rule inbound', managedBy: 'SipRule/default/inbound' };

const plan = (d: PnDesired, o: PnObserved | undefined) => planPhoneNumber(d, o, o ? diffPhoneNumber(d, o).filter((x) => !x.requiresReplacement) : []);
const ops = (d: PnDesired, o: PnObserved | undefined) => plan(d, o).map((a) => a.operation);
const words = (d: PnDesired, o: PnObserved | undefined) => plan(d, o).map((a) => a.description);

describe('PN1: ordering', () => {
  it('orders only a number recorded in status, with the marker in the order call, and captures the order id', () => {
    const actions = plan(desired({ recorded: { e164: E164 } }), undefined);
    expect(actions).toEqual([
      {
        service: 'voice',
        operation: 'CreatePhoneNumberOrder',
        input: { ProductType: 'VoiceConnector', E164PhoneNumbers: [E164], Name: 'chimevoice.default.main' },
        description: `Order a new local number in area code 206: ${E164}, named "chimevoice.default.main" (its ownership marker)`,
        captures: { OrderId: 'PhoneNumberOrder.PhoneNumberOrderId' },
      },
    ]);
  });
  it('nothing recorded: nothing ordered (observe chooses first)', () => {
    expect(plan(desired(), undefined)).toEqual([]);
  });
  it('the create path lists every write up to Ready: the order now, then the calling name and the assignment once the order completes', () => {
    const d = desired({ recorded: { e164: E164 }, awsName: 'Front desk chimevoice.default.main', callingName: 'ACME', assignment: toOffice });
    const actions = plan(d, undefined);
    expect(actions.map((a) => [a.operation, a.after?.awaits])).toEqual([
      ['CreatePhoneNumberOrder', undefined],
      ['UpdatePhoneNumber', 'the order completes'],
      ['AssociatePhoneNumbersWithVoiceConnector', 'the order completes'],
    ]);
    // The name goes with the order; the id is known only once the order completes.
    expect(actions[1].input).toEqual({ PhoneNumberId: `(the id of ${E164}, known once the order completes)`, CallingName: 'ACME' });
    expect(runnableNow(actions).map((a) => a.operation)).toEqual(['CreatePhoneNumberOrder']);
    expect(describeAction(actions[2])).toBe(`(after the order completes) Assign ${E164} to voice connector office-trunk`);
  });
  it('a claim never orders', () => {
    expect(plan(desired({ mode: 'claim', e164: E164, order: undefined, marker: undefined, recorded: { e164: E164 } }), undefined)).toEqual([]);
  });
  it('a number chosen in this pass: apply orders nothing (status first); plan mode shows the order', () => {
    const chosen: PnObserved = { phase: 'chosen', e164: E164, nowMs: NOW };
    expect(plan(desired(), chosen)).toEqual([]);
    expect(words(desired({ preview: true }), chosen)).toEqual([
      `Order a new local number in area code 206: ${E164}, named "chimevoice.default.main" (its ownership marker); chosen from the search now, recorded in status before the order is placed`,
    ]);
    expect(ops(desired({ preview: true, callingName: 'ACME', assignment: toGroup }), chosen)).toEqual([
      'CreatePhoneNumberOrder',
      'UpdatePhoneNumber',
      'AssociatePhoneNumbersWithVoiceConnectorGroup',
    ]);
  });
  it('toll-free, city and SIP media application orders read as such', () => {
    expect(words(desired({ recorded: { e164: '+18002010100' }, order: { country: 'US', numberType: 'TollFree', tollFreePrefix: '800' } }), undefined)[0]).toMatch(
      /^Order a new toll-free number with prefix 800: \+18002010100/,
    );
    expect(words(desired({ recorded: { e164: E164 }, order: { country: 'US', numberType: 'Local', state: 'WA', city: 'Seattle' } }), undefined)[0]).toMatch(
      /^Order a new local number in Seattle, WA: /,
    );
    expect(
      words(desired({ productType: 'SipMediaApplicationDialIn', recorded: { e164: '+442071830100' }, order: { country: 'GB', numberType: 'Local' } }), undefined)[0],
    ).toMatch(/^Order a new the United Kingdom local number for SIP media application dial-in: \+442071830100/);
  });
  it('while an order or a port is in flight: only the writes that wait for it, marked as waiting; a cancelled port or a missing claim: nothing', () => {
    expect(plan(desired(), { phase: 'ordering', e164: E164, order: { orderId: 'o1', status: 'Processing' }, nowMs: NOW })).toEqual([]);
    const waiting = plan(desired({ callingName: 'ACME', assignment: toOffice }), { phase: 'ordering', e164: E164, order: { orderId: 'o1', status: 'Processing' }, nowMs: NOW });
    expect(waiting.map((a) => [a.operation, a.after])).toEqual([
      ['UpdatePhoneNumber', { awaits: 'order o1 completes' }],
      ['AssociatePhoneNumbersWithVoiceConnector', { awaits: 'order o1 completes' }],
    ]);
    expect(runnableNow(waiting)).toEqual([]);
    expect(plan(desired({ callingName: 'ACME' }), present({ status: 'AcquireInProgress', orderId: 'o2' })).map((a) => [a.operation, a.input, a.after])).toEqual([
      ['UpdatePhoneNumber', { PhoneNumberId: E164, CallingName: 'ACME' }, { awaits: 'order o2 completes' }],
    ]);
    expect(plan(desired({ mode: 'claim', callingName: 'ACME' }), present({ status: 'PortinInProgress' })).map((a) => [a.operation, a.after])).toEqual([
      ['UpdatePhoneNumber', { awaits: `the port of ${E164} completes` }],
    ]);
    expect(plan(desired({ mode: 'claim', callingName: 'ACME' }), present({ status: 'PortinCancelRequested' }))).toEqual([]);
    expect(plan(desired({ mode: 'claim' }), { phase: 'missing', e164: E164, nowMs: NOW })).toEqual([]);
  });
});

describe('fields', () => {
  it('name: one UpdatePhoneNumber with the name only, keeping the marker', () => {
    const actions = plan(desired({ awsName: 'Front desk chimevoice.default.main' }), present());
    expect(actions.map((a) => [a.operation, a.input, a.fixes])).toEqual([['UpdatePhoneNumber', { PhoneNumberId: E164, Name: 'Front desk chimevoice.default.main' }, ['name']]]);
    expect(actions[0].description).toBe(`Rename ${E164} to "Front desk chimevoice.default.main" (the last word, chimevoice.default.main, is this object's ownership marker)`);
  });
  it('name equal or not managed: nothing', () => {
    expect(plan(desired(), present())).toEqual([]);
    expect(plan(desired({ mode: 'claim', awsName: undefined, marker: undefined }), present({ name: 'x' }))).toEqual([]);
  });
  it('callingName: set, clear, equal, omitted', () => {
    expect(plan(desired({ callingName: 'ACME' }), present()).map((a) => a.input)).toEqual([{ PhoneNumberId: E164, CallingName: 'ACME' }]);
    expect(words(desired({ callingName: '' }), present({ callingName: 'ACME' }))).toEqual([`Remove the outbound calling name of ${E164} (PN6)`]);
    expect(plan(desired({ callingName: 'ACME' }), present({ callingName: 'ACME' }))).toEqual([]);
    expect(plan(desired(), present({ callingName: 'ACME' }))).toEqual([]);
  });
  it('several fields: one call per detail (AWS changes one detail per UpdatePhoneNumber)', () => {
    expect(ops(desired({ awsName: 'A chimevoice.default.main', callingName: 'ACME', assignment: toOffice }), present())).toEqual([
      'UpdatePhoneNumber',
      'UpdatePhoneNumber',
      'AssociatePhoneNumbersWithVoiceConnector',
    ]);
  });
});

describe('PN4: assignment', () => {
  it('assigns an unassigned number, force-associate, capturing per-number errors', () => {
    const [a] = plan(desired({ assignment: toOffice }), present());
    expect(a).toMatchObject({
      operation: 'AssociatePhoneNumbersWithVoiceConnector',
      input: { VoiceConnectorId: 'vc1', E164PhoneNumbers: [E164], ForceAssociate: true },
      description: `Assign ${E164} to voice connector office-trunk`,
      captures: { AssociationErrors: 'PhoneNumberErrors' },
    });
  });
  it('moves connector to connector and connector to group in ONE force-associate, never unassign then assign', () => {
    expect(words(desired({ assignment: toOffice }), present({ associations: [backup], status: 'Assigned' }))).toEqual([
      `Move ${E164} from voice connector backup-trunk to voice connector office-trunk in one step (force-associate: no moment without routing, PN4)`,
    ]);
    const toG = plan(desired({ assignment: toGroup }), present({ associations: [office], status: 'Assigned' }));
    expect(toG.map((a) => [a.operation, a.input])).toEqual([['AssociatePhoneNumbersWithVoiceConnectorGroup', { VoiceConnectorGroupId: 'g1', E164PhoneNumbers: [E164], ForceAssociate: true }]]);
    expect(toG[0].description).toContain('from voice connector office-trunk to voice connector group contact-center in one step (force-associate');
  });
  it('equal or not managed: nothing', () => {
    expect(plan(desired({ assignment: toOffice }), present({ associations: [office], status: 'Assigned' }))).toEqual([]);
    expect(plan(desired(), present({ associations: [office], status: 'Assigned' }))).toEqual([]);
  });
  it('a SIP rule trigger is held, not forced away; readiness says why', () => {
    const o = present({ associations: [rule], status: 'Assigned' });
    expect(plan(desired({ assignment: toOffice }), o)).toEqual([]);
    expect(phoneNumberReadiness(o, desired({ assignment: toOffice }))).toMatchObject({ ready: false, stalled: true, reason: 'AssignmentBlocked' });
  });
  it('per-number errors of the association call surface as AssignmentFailed with AWS message', () => {
    const o = present({}, { associationErrors: [{ code: 'Conflict', message: 'already associated' }] });
    expect(phoneNumberReadiness(o, desired({ assignment: toOffice }))).toMatchObject({
      ready: false,
      stalled: true,
      reason: 'AssignmentFailed',
      message: `AWS did not assign ${E164} to voice connector office-trunk: Conflict: already associated`,
    });
  });
  it('a reference not Ready: the number is otherwise managed, readiness waits', () => {
    expect(phoneNumberReadiness(present(), desired({ assignmentWaiting: 'VoiceConnector x is not Ready yet' }))).toMatchObject({ ready: false, reason: 'AssignmentWaiting' });
  });
});

describe('PN5: product type', () => {
  it('assigned number to SipMediaApplicationDialIn: unassign, then change', () => {
    const actions = plan(desired({ productType: 'SipMediaApplicationDialIn' }), present({ associations: [office], status: 'Assigned' }));
    expect(actions.map((a) => [a.operation, a.input])).toEqual([
      ['DisassociatePhoneNumbersFromVoiceConnector', { VoiceConnectorId: 'vc1', E164PhoneNumbers: [E164] }],
      ['UpdatePhoneNumber', { PhoneNumberId: E164, ProductType: 'SipMediaApplicationDialIn' }],
    ]);
  });
  it('unassign, change, reassign when the assignment stays (in words)', () => {
    // An assignment the new product type keeps: the full three-step sequence.
    const o = present({ productType: 'SipMediaApplicationDialIn', associations: [{ ...office, name: 'VoiceConnectorGroupId', value: 'g1', label: 'voice connector group contact-center' }], status: 'Assigned' });
    expect(words(desired({ assignment: toGroup }), o)).toEqual([
      `Unassign ${E164} from voice connector group contact-center (step 1 of 3 of the product type change of ${E164} to VoiceConnector (PN5))`,
      `Change the product type of ${E164} from SipMediaApplicationDialIn to VoiceConnector (step 2 of 3; AWS allows it only while the number is unassigned)`,
      `Reassign ${E164} to voice connector group contact-center (step 3 of 3 of the product type change of ${E164} to VoiceConnector (PN5))`,
    ]);
  });
  it('unassigned number: the change alone; to VoiceConnector with an assignment: change then assign', () => {
    expect(words(desired({ productType: 'SipMediaApplicationDialIn' }), present())).toEqual([`Change the product type of ${E164} from VoiceConnector to SipMediaApplicationDialIn`]);
    expect(ops(desired({ assignment: toOffice }), present({ productType: 'SipMediaApplicationDialIn' }))).toEqual(['UpdatePhoneNumber', 'AssociatePhoneNumbersWithVoiceConnector']);
  });
  it('a SIP rule trigger blocks the change: held and Stalled, named', () => {
    const o = present({ productType: 'SipMediaApplicationDialIn', associations: [rule], status: 'Assigned' });
    expect(plan(desired(), o)).toEqual([]);
    const r = phoneNumberReadiness(o, desired());
    expect(r).toMatchObject({ ready: false, stalled: true, reason: 'ProductTypeChangeBlocked' });
    expect(r.ready === false && r.message).toContain('SIP rule inbound');
  });
});

describe('PN6: calling name cooldown', () => {
  const after = new Date(NOW + 2 * 86_400_000).toISOString();
  it('inside the cooldown: not attempted; readiness gives the time and requeues for it', () => {
    const o = present({ callingName: 'OLD' }, { callingNameChangeableAfter: after });
    expect(plan(desired({ callingName: 'NEW' }), o)).toEqual([]);
    expect(phoneNumberReadiness(o, desired({ callingName: 'NEW' }))).toEqual({
      ready: false,
      reason: 'CallingNameCooldown',
      message: `the calling name of ${E164} changes at most once in 7 days (PN6); changing it to "NEW" is possible from ${after} and is made then`,
      requeueAfterMs: 2 * 86_400_000 + 1_000,
    });
  });
  it('the other fields still go ahead during the cooldown', () => {
    const o = present({ callingName: 'OLD' }, { callingNameChangeableAfter: after });
    expect(ops(desired({ callingName: 'NEW', assignment: toOffice }), o)).toEqual(['AssociatePhoneNumbersWithVoiceConnector']);
  });
  it('after the cooldown: changed', () => {
    const o = present({ callingName: 'OLD' }, { callingNameChangeableAfter: new Date(NOW - 1).toISOString() });
    expect(ops(desired({ callingName: 'NEW' }), o)).toEqual(['UpdatePhoneNumber']);
    expect(phoneNumberReadiness(o, desired({ callingName: 'OLD' }))).toEqual({ ready: true });
  });
});

describe('PN7: restore and delete', () => {
  it('a number in the deletion queue is restored first, then brought in line', () => {
    expect(ops(desired({ callingName: 'ACME', assignment: toOffice }), present({ status: 'DeleteInProgress', deletionTimestamp: '2024-02-28T00:00:00.000Z' }))).toEqual([
      'RestorePhoneNumber',
      'UpdatePhoneNumber',
      'AssociatePhoneNumbersWithVoiceConnector',
    ]);
    expect(words(desired(), present({ status: 'DeleteInProgress', deletionTimestamp: '2024-02-28T00:00:00.000Z' }))[0]).toBe(
      `Restore ${E164} from the deletion queue (deleted 2024-02-28T00:00:00.000Z; restorable for 7 days) instead of ordering a new number (PN7)`,
    );
  });

  const world = new MemoryWorld();
  const obj = { metadata: { name: 'main' } } as ManagedObject<PhoneNumberSpec, PnCache>;
  const del = (d: PnDesired, o: PnObserved) => planPhoneNumberDelete(d, o, world, obj);

  it('unassigns what the spec assigned, then deletes', () => {
    const p = del(desired({ assignment: toOffice }), present({ associations: [office], status: 'Assigned' }));
    expect(p.blockers).toEqual([]);
    expect(p.actions.map((a) => [a.operation, a.input])).toEqual([
      ['DisassociatePhoneNumbersFromVoiceConnector', { VoiceConnectorId: 'vc1', E164PhoneNumbers: [E164] }],
      ['DeletePhoneNumber', { PhoneNumberId: E164 }],
    ]);
  });
  it('an unassigned number (a claim too) is deleted', () => {
    expect(del(desired({ mode: 'claim', e164: E164 }), present()).actions.map((a) => a.operation)).toEqual(['DeletePhoneNumber']);
  });
  it('an association the spec does not name blocks, managed false, named', () => {
    const p = del(desired({ assignment: toOffice }), present({ associations: [backup], status: 'Assigned' }));
    expect(p.actions).toEqual([]);
    expect(p.blockers).toEqual([{ managed: false, message: `${E164} is used by voice connector backup-trunk, which this PhoneNumber's spec does not assign it to; remove that use before the number can be deleted` }]);
  });
  it('a SIP rule of this project is waited for; a foreign one blocks', () => {
    expect(del(desired(), present({ associations: [rule], status: 'Assigned' })).blockers).toEqual([{ managed: true, message: `SIP rule inbound (SipRule/default/inbound) to stop using ${E164} as its trigger` }]);
    expect(del(desired(), present({ associations: [{ name: 'SipRuleId', value: 'r9', label: 'SIP rule r9' }], status: 'Assigned' })).blockers[0]).toMatchObject({ managed: false });
  });
  it('already in the deletion queue, or never ordered: nothing to do', () => {
    expect(del(desired(), present({ status: 'DeleteInProgress' }))).toEqual({ actions: [], blockers: [] });
    expect(del(desired(), { phase: 'chosen', e164: E164, nowMs: NOW })).toEqual({ actions: [], blockers: [] });
  });
  it('an order in flight is waited for; a port in progress is reported', () => {
    expect(del(desired(), present({ status: 'AcquireInProgress', orderId: 'o1' })).blockers).toEqual([{ managed: true, message: `order o1 for ${E164} to complete before the number can be deleted` }]);
    expect(del(desired(), { phase: 'ordering', e164: E164, order: { orderId: 'o1' }, nowMs: NOW }).blockers[0]).toMatchObject({ managed: true });
    expect(del(desired({ mode: 'claim' }), present({ status: 'PortinInProgress' })).blockers[0]).toMatchObject({ managed: false });
  });
});

describe('readiness and status', () => {
  it('chosen: not ready, requeued at once, status holds the number', () => {
    const o: PnObserved = { phase: 'chosen', e164: E164, nowMs: NOW, note: '+12062300101, chosen earlier, was taken by another order' };
    expect(phoneNumberReadiness(o, desired())).toMatchObject({ ready: false, reason: 'NumberChosen', requeueAfterMs: 0 });
    expect(phoneNumberAtProvider(o)).toEqual({ e164: E164, orderMessage: `+12062300101, chosen earlier, was taken by another order; chose ${E164} instead` });
  });
  it('blocked (PN3 documents, country not offered, no number): no action, readiness says why, deletion finishes', () => {
    const o: PnObserved = { phase: 'blocked', reason: 'DocumentsRequired', message: 'Germany (DE) requires identity documents', stalled: true, requeueAfterMs: 3_600_000, nowMs: NOW };
    expect(plan(desired({ preview: true }), o)).toEqual([]);
    expect(phoneNumberReadiness(o, desired())).toEqual({ ready: false, stalled: true, reason: 'DocumentsRequired', message: 'Germany (DE) requires identity documents', requeueAfterMs: 3_600_000 });
    expect(planPhoneNumberDelete(desired(), o, new MemoryWorld(), {} as ManagedObject<PhoneNumberSpec, PnCache>)).toEqual({ actions: [], blockers: [] });
  });
  it('order processing and porting: progressing with the order status', () => {
    expect(phoneNumberReadiness(present({ status: 'AcquireInProgress' }, { order: { orderId: 'o1', status: 'Processing' } }), desired())).toMatchObject({ ready: false, reason: 'OrderProcessing' });
    const porting = present({ status: 'PortinInProgress' }, { order: { orderId: 'p1', orderType: 'Porting', status: 'PendingDocuments', message: 'porting order p1 is PendingDocuments' } });
    expect(phoneNumberReadiness(porting, desired({ mode: 'claim' }))).toMatchObject({ ready: false, reason: 'PortingInProgress', message: 'porting order p1 is PendingDocuments' });
    expect(phoneNumberAtProvider(porting)).toMatchObject({ orderId: 'p1', orderType: 'Porting', orderStatus: 'PendingDocuments', numberStatus: 'PortinInProgress' });
  });
  it('present: identity, capabilities, associations, calling name and cooldown in status', () => {
    const o = present(
      { arn: 'arn:x', capabilities: { InboundCall: true, OutboundSMS: false }, associations: [office], status: 'Assigned', callingName: 'ACME', callingNameStatus: 'UpdateInProgress' },
      { callingNameChangeableAfter: '2024-03-08T00:00:00.000Z', order: { orderId: 'o1', orderType: 'New', status: 'Successful', numberStatus: 'Acquired' } },
    );
    expect(phoneNumberAtProvider(o)).toEqual({
      e164: E164,
      phoneNumberId: E164,
      arn: 'arn:x',
      country: 'US',
      numberType: 'Local',
      productType: 'VoiceConnector',
      numberStatus: 'Assigned',
      orderId: 'o1',
      orderType: 'New',
      orderStatus: 'Successful',
      orderedNumberStatus: 'Acquired',
      capabilities: { inboundCall: true, outboundSMS: false },
      associations: [{ name: 'VoiceConnectorId', value: 'vc1' }],
      callingName: 'ACME',
      callingNameStatus: 'UpdateInProgress',
      callingNameChangeableAfter: '2024-03-08T00:00:00.000Z',
    });
  });
});
