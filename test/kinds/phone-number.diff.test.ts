/** Table tests of the PhoneNumber diff and desired state: every field differs, equal, and omitted (not managed). */
import { describe, expect, it } from 'vitest';
import { phoneNumberDesired, type PnDesired } from '../../src/kinds/phone-number/desired.js';
import { diffPhoneNumber } from '../../src/kinds/phone-number/diff.js';
import type { PnNumber, PnObserved } from '../../src/kinds/phone-number/observe.js';
import { callingNameChangeableAfter } from '../../src/kinds/phone-number/observe.js';
import { ReferenceNotReadyError } from '../../src/reconcile/errors.js';
import type { DesiredContext, ManagedObject } from '../../src/reconcile/types.js';

const E164 = '+12062300100';

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
  return {
    phoneNumberId: E164,
    e164: E164,
    country: 'US',
    type: 'Local',
    productType: 'VoiceConnector',
    status: 'Unassigned',
    name: 'chimevoice.default.main',
    associations: [],
    ...over,
  };
}

const present = (n: Partial<PnNumber> = {}): PnObserved => ({ phase: 'present', number: number(n), nowMs: 0 });
const paths = (d: PnDesired, o: PnObserved) => diffPhoneNumber(d, o).map((x) => x.path);
const office = { name: 'VoiceConnectorId' as const, value: 'vc1', label: 'voice connector office-trunk' };

describe('PhoneNumber diff, field by field', () => {
  const cases: Array<[string, Partial<PnDesired>, Partial<PnNumber>, string[]]> = [
    ['productType differs', { productType: 'SipMediaApplicationDialIn' }, {}, ['productType']],
    ['productType equal', {}, {}, []],
    ['name differs (the marker is part of it)', { awsName: 'Front desk chimevoice.default.main' }, {}, ['name']],
    ['name equal', { awsName: 'Front desk chimevoice.default.main' }, { name: 'Front desk chimevoice.default.main' }, []],
    ['name omitted on a claim: not compared', { mode: 'claim', e164: E164, awsName: undefined, marker: undefined, order: undefined }, { name: 'anything' }, []],
    ['name cleared on a claim equals no name in AWS', { mode: 'claim', e164: E164, awsName: '', marker: undefined, order: undefined }, { name: undefined }, []],
    ['marker removed behind our back', {}, { name: 'renamed' }, ['name']],
    ['callingName differs', { callingName: 'ACME' }, { callingName: 'OTHER' }, ['callingName']],
    ['callingName equal', { callingName: 'ACME' }, { callingName: 'ACME' }, []],
    ['callingName omitted: AWS default not drift', {}, { callingName: 'DEFAULT NAME' }, []],
    ['callingName cleared equals none', { callingName: '' }, { callingName: undefined }, []],
    ['callingName set, AWS has none', { callingName: 'ACME' }, {}, ['callingName']],
    ['assignment differs (other connector)', { assignment: office }, { associations: [{ name: 'VoiceConnectorId', value: 'vc2', label: 'voice connector vc2' }] }, ['assignment']],
    ['assignment differs (group instead)', { assignment: { name: 'VoiceConnectorGroupId', value: 'g1', label: 'voice connector group cc' } }, { associations: [{ ...office }] }, ['assignment']],
    ['assignment differs (unassigned)', { assignment: office }, {}, ['assignment']],
    ['assignment equal', { assignment: office }, { associations: [{ ...office }] }, []],
    ['assignment omitted: an assignment made elsewhere is not drift', {}, { associations: [{ ...office }] }, []],
    ['a SIP rule trigger is not an assignment', {}, { associations: [{ name: 'SipRuleId', value: 'r1', label: 'SIP rule r1' }] }, []],
  ];
  it.each(cases)('%s', (_label, d, n, expected) => {
    expect(paths(desired(d), present(n)).sort()).toEqual([...expected].sort());
  });

  it('order criteria the number no longer fits need a replacement, never an order', () => {
    const diffs = diffPhoneNumber(desired({ order: { country: 'US', numberType: 'Local', areaCode: '425' } }), present());
    expect(diffs).toEqual([{ path: 'order.areaCode', desired: '425', actual: '206', requiresReplacement: true }]);
    const tf = diffPhoneNumber(desired({ order: { country: 'US', numberType: 'TollFree', tollFreePrefix: '800' } }), present());
    expect(tf.map((x) => [x.path, x.requiresReplacement])).toEqual([
      ['order.numberType', true],
      ['order.tollFreePrefix', true],
    ]);
    const country = diffPhoneNumber(desired({ productType: 'SipMediaApplicationDialIn', order: { country: 'GB', numberType: 'Local' } }), present({ productType: 'SipMediaApplicationDialIn' }));
    expect(country.map((x) => x.path)).toEqual(['order.country']);
  });

  it('nothing is compared before the number exists (chosen, ordering, missing)', () => {
    expect(diffPhoneNumber(desired({ callingName: 'ACME' }), { phase: 'chosen', e164: E164, nowMs: 0 })).toEqual([]);
    expect(diffPhoneNumber(desired(), { phase: 'ordering', e164: E164, order: { orderId: 'o1' }, nowMs: 0 })).toEqual([]);
    expect(diffPhoneNumber(desired({ mode: 'claim', e164: E164 }), { phase: 'missing', e164: E164, nowMs: 0 })).toEqual([]);
  });
});

describe('PhoneNumber desired state', () => {
  const ctx = (atProvider: Record<string, Record<string, unknown> | undefined> = {}, lenient = false): DesiredContext => ({
    lenient,
    resolve: (kind, name) => {
      const at = atProvider[`${kind}/${name}`];
      if (!at) throw new ReferenceNotReadyError(`${kind} ${name} is not Ready yet`, 'ReferenceNotReady');
      return at;
    },
    secret: () => '', digestSecret: () => '',
  });
  const obj = (spec: Record<string, unknown>, status?: Record<string, unknown>): ManagedObject => ({
    apiVersion: 'chimevoice.io/v1alpha1',
    kind: 'PhoneNumber',
    metadata: { name: 'main', namespace: 'voice' },
    spec,
    ...(status ? { status: { atProvider: status } } : {}),
  });

  it('PN1: the marker is a single name token of namespace and name; the spec name comes first, so both round-trip', () => {
    const d = phoneNumberDesired(obj({ order: { areaCode: '206' }, productType: 'VoiceConnector', name: 'Front desk' }) as any, ctx());
    expect(d.marker).toBe('chimevoice.voice.main');
    expect(d.awsName).toBe('Front desk chimevoice.voice.main');
    expect(d.order).toEqual({ country: 'US', numberType: 'Local', areaCode: '206' });
    expect(new RegExp('^$|^[a-zA-Z0-9,._-]+(\\s+[a-zA-Z0-9,._-]+)*$').test(d.awsName!)).toBe(true);
  });

  it('PN1: the status cache carries the chosen number into the create path', () => {
    const d = phoneNumberDesired(obj({ order: { tollFreePrefix: '800' }, productType: 'VoiceConnector' }, { e164: '+18002010100' }) as any, ctx());
    expect(d.recorded).toEqual({ e164: '+18002010100' });
    expect(d.order?.numberType).toBe('TollFree');
  });

  it('PN8: a name that with the marker exceeds 256 characters is refused', () => {
    expect(() => phoneNumberDesired(obj({ order: { areaCode: '206' }, productType: 'VoiceConnector', name: 'x'.repeat(250) }) as any, ctx())).toThrow(/256/);
  });

  it('PN2: non-US orders and claims with VoiceConnector are refused, SipMediaApplicationDialIn is fine', () => {
    expect(() => phoneNumberDesired(obj({ order: { country: 'GB', numberType: 'Local' }, productType: 'VoiceConnector' }) as any, ctx())).toThrow(/PN2/);
    expect(() => phoneNumberDesired(obj({ e164: '+14162300100', productType: 'VoiceConnector' }) as any, ctx())).toThrow(/CA number.*PN2/);
    expect(phoneNumberDesired(obj({ e164: '+14162300100', productType: 'SipMediaApplicationDialIn' }) as any, ctx()).mode).toBe('claim');
  });

  it('PN6: calling names: pattern, and never on toll-free numbers (order or claim)', () => {
    expect(() => phoneNumberDesired(obj({ order: { areaCode: '206' }, productType: 'VoiceConnector', callingName: 'A' }) as any, ctx())).toThrow(/2 to 15/);
    expect(() => phoneNumberDesired(obj({ order: { areaCode: '206' }, productType: 'VoiceConnector', callingName: 'ACME & CO' }) as any, ctx())).toThrow(/2 to 15/);
    expect(() => phoneNumberDesired(obj({ order: { tollFreePrefix: '888' }, productType: 'VoiceConnector', callingName: 'ACME' }) as any, ctx())).toThrow(/toll-free/);
    expect(() => phoneNumberDesired(obj({ e164: '+18882010100', productType: 'VoiceConnector', callingName: 'ACME' }) as any, ctx())).toThrow(/toll-free/);
    expect(phoneNumberDesired(obj({ e164: '+18882010100', productType: 'VoiceConnector', callingName: '' }) as any, ctx()).callingName).toBe('');
  });

  it('PN4: the assignment resolves to an id; a reference not Ready yet lets the number be ordered meanwhile', () => {
    const spec = { order: { areaCode: '206' }, productType: 'VoiceConnector', assignment: { voiceConnectorGroupRef: { name: 'cc' } } };
    expect(phoneNumberDesired(obj(spec) as any, ctx({ 'VoiceConnectorGroup/cc': { voiceConnectorGroupId: 'g1' } })).assignment).toEqual({
      name: 'VoiceConnectorGroupId',
      value: 'g1',
      label: 'voice connector group cc',
      // The object holding the id, for the status of an assignment made this pass (answers.ts).
      managedBy: 'VoiceConnectorGroup/voice/cc',
    });
    const waiting = phoneNumberDesired(obj(spec) as any, ctx());
    expect(waiting.assignment).toBeUndefined();
    expect(waiting.assignmentWaiting).toContain('VoiceConnectorGroup cc is not Ready yet');
  });
});

describe('PN6: the calling name cooldown comes from AWS data and status, never memory', () => {
  const T = Date.parse('2024-03-01T00:00:00Z');
  const DAY = 86_400_000;
  const iso = (ms: number) => new Date(ms).toISOString();
  const n = (over: Partial<PnNumber>) => number({ callingName: 'ACME', updatedTimestamp: iso(T), ...over });

  it('an update in progress: 7 days after the change', () => {
    expect(callingNameChangeableAfter(n({ callingNameStatus: 'UpdateInProgress' }), {})).toBe(iso(T + 7 * DAY));
  });
  it('an applied update: the 72-hour completion moved UpdatedTimestamp, so 4 days after it', () => {
    expect(callingNameChangeableAfter(n({ callingNameStatus: 'UpdateSucceeded', updatedTimestamp: iso(T + 3 * DAY) }), {})).toBe(iso(T + 7 * DAY));
  });
  it('never set: no cooldown', () => {
    expect(callingNameChangeableAfter(number({ callingNameStatus: 'Unassigned', updatedTimestamp: iso(T) }), {})).toBeUndefined();
  });
  it('unchanged since status saw it: the cached time stands even when later updates move UpdatedTimestamp', () => {
    const cache = { e164: E164, callingName: 'ACME', callingNameStatus: 'UpdateSucceeded' as const, callingNameChangeableAfter: iso(T + 7 * DAY) };
    expect(callingNameChangeableAfter(n({ callingNameStatus: 'UpdateSucceeded', updatedTimestamp: iso(T + 6 * DAY) }), cache)).toBe(iso(T + 7 * DAY));
  });
  it('cleared since status saw a name: 7 days after the change', () => {
    const cache = { e164: E164, callingName: 'ACME', callingNameStatus: 'UpdateSucceeded' as const };
    expect(callingNameChangeableAfter(number({ callingNameStatus: 'Unassigned', updatedTimestamp: iso(T) }), cache)).toBe(iso(T + 7 * DAY));
  });
});
