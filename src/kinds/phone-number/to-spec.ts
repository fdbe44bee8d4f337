/**
 * Pure: the spec of a phone number as AWS holds it, for `import`: a claim of its E.164 with its
 * product type, name, calling name and assignment (a reference to the imported connector or
 * group). A number in the deletion queue is imported under driftPolicy Report: under Correct the
 * controller would restore it (PN7), a write nobody asked for.
 */
import type { PhoneNumberSpec } from '../../api/kinds/phone-number.js';
import type { ImportNames } from '../shared/import.js';
import { DELETION_QUEUE, type PnNumber } from './observe.js';

export interface PhoneNumberToSpecResult {
  spec: PhoneNumberSpec;
  /** What the spec leaves unmanaged and why, for the import summary. */
  notes: string[];
}

export function phoneNumberToSpec(number: PnNumber, opts: { names: ImportNames }): PhoneNumberToSpecResult {
  const notes: string[] = [];
  const spec: PhoneNumberSpec = {
    e164: number.e164,
    productType: number.productType ?? 'VoiceConnector',
    ...(number.name ? { name: number.name } : {}),
    ...(number.callingName ? { callingName: number.callingName } : {}),
  };
  const assigned = number.associations.find((a) => a.name === 'VoiceConnectorId' || a.name === 'VoiceConnectorGroupId');
  if (assigned) {
    const kind = assigned.name === 'VoiceConnectorId' ? 'VoiceConnector' : 'VoiceConnectorGroup';
    const ref = opts.names.nameOf(kind, assigned.value);
    if (ref !== undefined) spec.assignment = assigned.name === 'VoiceConnectorId' ? { voiceConnectorRef: { name: ref } } : { voiceConnectorGroupRef: { name: ref } };
    else notes.push(`its assignment to ${kind} ${assigned.value} is not managed: that ${kind} is not imported`);
  }
  if (number.status === DELETION_QUEUE) {
    spec.driftPolicy = 'Report';
    notes.push(`in the deletion queue since ${number.deletionTimestamp ?? '?'}: imported with driftPolicy Report, since Correct would restore it (PN7)`);
  }
  return { spec, notes };
}
