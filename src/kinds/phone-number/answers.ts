/**
 * Pure: a number's observation after its plan ran, folded from what the writes answered, so that
 * the pass does not list every number again to confirm them (a listing may lag the writes, API5).
 *
 * - An association call answers with per-number errors (API4, split per object by the executor):
 *   a number it does not name is associated with the target, which force-associate (PN4) makes its
 *   only connector or group. A number it names keeps its associations, and the error is reported.
 * - UpdatePhoneNumber answers with the number; merged into BatchUpdatePhoneNumber it answers only
 *   with per-item errors, and an item without one was applied as sent. A calling name change
 *   starts AWS's update (UpdateInProgress, PN6); its cooldown counts from the answer's
 *   UpdatedTimestamp, or else from the engine's clock after the answer, which is no earlier than
 *   AWS's stamp, so the cooldown never ends before AWS's does.
 * Anything else (an order, a restore, a product type change, an unassignment) is observed in full.
 * What no answer tells (the association's timestamp) is left out until the next observation.
 */
import type { Answered, ExecutedAction } from '../../reconcile/types.js';
import type { PnDesired } from './desired.js';
import { CALLING_NAME_COOLDOWN_MS, type PnError, type PnNumber, type PnObserved } from './observe.js';
import type { CallingNameStatus } from '../../api/kinds/phone-number.js';

const ASSOCIATIONS: Record<string, 'VoiceConnectorId' | 'VoiceConnectorGroupId'> = {
  AssociatePhoneNumbersWithVoiceConnector: 'VoiceConnectorId',
  AssociatePhoneNumbersWithVoiceConnectorGroup: 'VoiceConnectorGroupId',
};

interface UpdateAnswer {
  PhoneNumber?: { Name?: string; CallingName?: string; CallingNameStatus?: CallingNameStatus; UpdatedTimestamp?: string | Date };
}

const iso = (v: string | Date) => (v instanceof Date ? v.toISOString() : new Date(v).toISOString());

export function phoneNumberAnswered(before: PnObserved | undefined, desired: PnDesired, executed: ExecutedAction[], now: Date): Answered<PnObserved> | undefined {
  if (before?.phase !== 'present') return undefined;
  const number: PnNumber = structuredClone(before.number);
  let changeableAfter = before.callingNameChangeableAfter;
  let associationErrors = before.associationErrors;
  for (const { action, ok, output } of executed) {
    if (!ok) return undefined;
    const target = ASSOCIATIONS[action.operation];
    if (target) {
      const errors = (output as { PhoneNumberErrors?: Array<{ ErrorCode?: string; ErrorMessage?: string }> } | undefined)?.PhoneNumberErrors;
      if (!Array.isArray(errors)) return undefined;
      const value = action.input[target];
      const assignment = desired.assignment;
      // Only the association the spec asks for is folded; anything else is read.
      if (!assignment || assignment.name !== target || assignment.value !== value) return undefined;
      associationErrors = errors.map((e): PnError => ({ code: e.ErrorCode ?? 'Error', message: e.ErrorMessage ?? 'no message' }));
      if (errors.length > 0) continue;
      number.associations = [
        ...number.associations.filter((a) => a.name === 'SipRuleId'),
        { name: target, value: assignment.value, label: assignment.label, ...(assignment.managedBy ? { managedBy: assignment.managedBy } : {}) },
      ];
      number.status = 'Assigned';
      continue;
    }
    if (action.operation !== 'UpdatePhoneNumber') return undefined;
    const answer = (output as UpdateAnswer | undefined)?.PhoneNumber;
    if (typeof action.input.Name === 'string') number.name = answer?.Name ?? action.input.Name;
    else if (typeof action.input.CallingName === 'string') {
      number.callingName = answer?.CallingName ?? action.input.CallingName;
      number.callingNameStatus = answer?.CallingNameStatus ?? 'UpdateInProgress';
      number.updatedTimestamp = answer?.UpdatedTimestamp !== undefined ? iso(answer.UpdatedTimestamp) : now.toISOString();
      const until = Date.parse(number.updatedTimestamp) + CALLING_NAME_COOLDOWN_MS;
      changeableAfter = new Date(Math.max(until, changeableAfter ? Date.parse(changeableAfter) : -Infinity)).toISOString();
    } else return undefined;
  }
  const observed: PnObserved = {
    ...before,
    number,
    ...(changeableAfter ? { callingNameChangeableAfter: changeableAfter } : {}),
  };
  if (associationErrors?.length) observed.associationErrors = associationErrors;
  else delete observed.associationErrors;
  return { observed, unread: [] };
}
