/**
 * Pure comparison of a desired and an observed phone number. Only a number that exists is
 * compared; fields the spec leaves out are not (an omitted assignment leaves the number where it
 * is). Order criteria the number no longer fits (another area code, country or type) need another
 * number: a replacement, never a silent second order.
 */
import { DiffBuilder } from '../../reconcile/diff.js';
import type { Difference } from '../../reconcile/types.js';
import { nanpPrefix } from './countries.js';
import type { DesiredAssignment, PnDesired } from './desired.js';
import type { PnAssociation, PnObserved } from './observe.js';

/** The number's connector or group assignment as one comparable value (SIP rule triggers are not assignments). */
export function currentAssignment(associations: PnAssociation[]): { voiceConnectorId: string } | { voiceConnectorGroupId: string } | undefined {
  const a = associations.find((x) => x.name === 'VoiceConnectorId' || x.name === 'VoiceConnectorGroupId');
  if (!a) return undefined;
  return a.name === 'VoiceConnectorId' ? { voiceConnectorId: a.value } : { voiceConnectorGroupId: a.value };
}

export function assignmentValue(a: DesiredAssignment): { voiceConnectorId: string } | { voiceConnectorGroupId: string } {
  return a.name === 'VoiceConnectorId' ? { voiceConnectorId: a.value } : { voiceConnectorGroupId: a.value };
}

export function diffPhoneNumber(desired: PnDesired, observed: PnObserved): Difference[] {
  if (observed.phase !== 'present') return [];
  const n = observed.number;
  const b = new DiffBuilder()
    .field('productType', desired.productType, n.productType)
    .field('name', desired.awsName, n.name, { fallback: '' })
    // AWS has no calling name until one is set: the spec's '' (clear it) equals that.
    .field('callingName', desired.callingName, n.callingName, { fallback: '' })
    .field('assignment', desired.assignment ? assignmentValue(desired.assignment) : undefined, currentAssignment(n.associations));
  const c = desired.order;
  if (c) {
    b.field('order.country', c.country, n.country, { replace: true });
    b.field('order.numberType', c.numberType, n.type, { replace: true });
    if (n.e164.startsWith('+1')) {
      b.field('order.areaCode', c.areaCode, nanpPrefix(n.e164), { replace: true });
      b.field('order.tollFreePrefix', c.tollFreePrefix, nanpPrefix(n.e164), { replace: true });
    }
  }
  return b.diffs;
}
