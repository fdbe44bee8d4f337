/**
 * PhoneNumber: the observation after a plan ran, folded from the answers of its writes
 * (answers.ts), as planned and as the executor hands them back (merged calls: per-item errors).
 */
import { describe, expect, it } from 'vitest';
import { phoneNumberAnswered } from '../../src/kinds/phone-number/answers.js';
import type { PnDesired } from '../../src/kinds/phone-number/desired.js';
import { diffPhoneNumber } from '../../src/kinds/phone-number/diff.js';
import { CALLING_NAME_COOLDOWN_MS, type PnAssociation, type PnNumber, type PnObserved } from '../../src/kinds/phone-number/observe.js';
import { planPhoneNumber } from '../../src/kinds/phone-number/plan.js';
import type { ExecutedAction, PlannedAction } from '../../src/reconcile/types.js';

const E164 = '+12062300100';
const NOW = new Date('2024-03-01T00:00:00Z');
const toOffice = { name: 'VoiceConnectorId' as const, value: 'vc1', label: 'voice connector office-trunk', managedBy: 'VoiceConnector/default/office-trunk' };
const backup: PnAssociation = { name: 'VoiceConnectorId', value: 'vc2', label: 'voice connector backup-trunk', associatedTimestamp: '2024-01-01T00:00:00.000Z' };

const desired = (over: Partial<PnDesired> = {}): PnDesired => ({
  namespace: 'default',
  objectName: 'main',
  mode: 'claim',
  e164: E164,
  productType: 'VoiceConnector',
  recorded: {},
  preview: false,
  ...over,
});
const number = (over: Partial<PnNumber> = {}): PnNumber => ({ phoneNumberId: E164, e164: E164, country: 'US', type: 'Local', productType: 'VoiceConnector', status: 'Unassigned', associations: [], ...over });
const present = (n: Partial<PnNumber> = {}, extra: Partial<Extract<PnObserved, { phase: 'present' }>> = {}): PnObserved => ({ phase: 'present', number: number(n), nowMs: NOW.getTime(), ...extra });

/** The plan's actions, each answered as `answer` says (merged: per-item errors only). */
function run(d: PnDesired, before: PnObserved, answer: (a: PlannedAction) => unknown = () => ({ PhoneNumberErrors: [] })): ExecutedAction[] {
  return planPhoneNumber(d, before, diffPhoneNumber(d, before)).map((action) => ({ action, ok: true, output: answer(action) }));
}
const fold = (d: PnDesired, before: PnObserved, executed: ExecutedAction[]) => phoneNumberAnswered(before, d, executed, NOW);

describe('PhoneNumber answers: the observation after the writes', () => {
  it('an association the answer names no error for: the number is assigned to the target, its only connector (force-associate moves it); nothing read', () => {
    const d = desired({ assignment: toOffice });
    const before = present({ status: 'Assigned', associations: [backup] });
    const executed = run(d, before);
    expect(executed.map((e) => e.action.operation)).toEqual(['AssociatePhoneNumbersWithVoiceConnector']);
    const folded = fold(d, before, executed)!;
    expect(folded.unread).toEqual([]);
    expect(folded.observed).toMatchObject({ phase: 'present', number: { status: 'Assigned', associations: [{ name: 'VoiceConnectorId', value: 'vc1', label: toOffice.label, managedBy: toOffice.managedBy }] } });
    // No answer gives the association's timestamp: left out, never made up.
    expect((folded.observed as Extract<PnObserved, { phase: 'present' }>).number.associations[0].associatedTimestamp).toBeUndefined();
    expect(diffPhoneNumber(d, folded.observed)).toEqual([]);
  });

  it('an association the answer names an error for: the number stays where it was and the error is reported (API4)', () => {
    const d = desired({ assignment: toOffice });
    const before = present();
    const executed = run(d, before, () => ({ PhoneNumberErrors: [{ PhoneNumberId: E164, ErrorCode: 'Conflict', ErrorMessage: 'in use' }] }));
    const folded = fold(d, before, executed)!;
    expect(folded.observed).toMatchObject({ number: { associations: [], status: 'Unassigned' }, associationErrors: [{ code: 'Conflict', message: 'in use' }] });
  });

  it('renames from a merged update (no answer but per-item errors): the name as sent', () => {
    const d = desired({ awsName: 'Line 7' });
    const before = present({ name: 'old' });
    const folded = fold(d, before, run(d, before))!;
    expect(folded.observed).toMatchObject({ number: { name: 'Line 7' } });
    expect(diffPhoneNumber(d, folded.observed)).toEqual([]);
  });

  it("a single UpdatePhoneNumber's answer is the number as AWS stored it", () => {
    const d = desired({ awsName: 'Line 7' });
    const before = present({ name: 'old' });
    const folded = fold(d, before, run(d, before, () => ({ PhoneNumber: { Name: 'Line 7 (as AWS keeps it)' } })))!;
    expect(folded.observed).toMatchObject({ number: { name: 'Line 7 (as AWS keeps it)' } });
  });

  it('PN6: a calling name change is in progress, and its 7-day cooldown counts from the answer, else from the clock after it', () => {
    const d = desired({ callingName: 'Example Corp' });
    const before = present();
    const merged = fold(d, before, run(d, before))!.observed;
    expect(merged).toMatchObject({ number: { callingName: 'Example Corp', callingNameStatus: 'UpdateInProgress' }, callingNameChangeableAfter: new Date(NOW.getTime() + CALLING_NAME_COOLDOWN_MS).toISOString() });
    const stamped = fold(d, before, run(d, before, () => ({ PhoneNumber: { CallingName: 'Example Corp', CallingNameStatus: 'UpdateInProgress', UpdatedTimestamp: '2024-02-29T23:59:00.000Z' } })))!.observed;
    expect(stamped).toMatchObject({ callingNameChangeableAfter: new Date(Date.parse('2024-02-29T23:59:00.000Z') + CALLING_NAME_COOLDOWN_MS).toISOString() });
  });

  it('what the fold does not know is observed in full: a failed write, a product type change, a restore, a number not present before', () => {
    const d = desired({ assignment: toOffice });
    const before = present();
    const [assoc] = run(d, before);
    expect(fold(d, before, [{ ...assoc, ok: false, error: 'ServiceFailure' }])).toBeUndefined();
    // An association without its answer (no per-item errors member) tells nothing.
    expect(fold(d, before, [{ ...assoc, output: undefined }])).toBeUndefined();
    const sma = desired({ productType: 'SipMediaApplicationDialIn' });
    expect(fold(sma, present(), run(sma, present()))).toBeUndefined();
    const queued = present({ status: 'DeleteInProgress' });
    expect(run(desired(), queued).map((e) => e.action.operation)).toEqual(['RestorePhoneNumber']);
    expect(fold(desired(), queued, run(desired(), queued))).toBeUndefined();
    expect(phoneNumberAnswered(undefined, d, [], NOW)).toBeUndefined();
  });
});
