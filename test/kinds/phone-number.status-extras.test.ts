/** PhoneNumber status.assignedTo (the Assigned-To printer column), from the observed associations. */
import { describe, expect, it } from 'vitest';
import { phoneNumberStatusExtras } from '../../src/kinds/phone-number/index.js';
import type { PnAssociation, PnObserved } from '../../src/kinds/phone-number/observe.js';

const present = (associations: PnAssociation[]): PnObserved => ({
  phase: 'present',
  number: { phoneNumberId: '+12062010001', e164: '+12062010001', status: associations.length ? 'Assigned' : 'Unassigned', associations },
  nowMs: 0,
});

describe('PhoneNumber statusExtras: assignedTo', () => {
  it.each<[string, PnObserved, string | undefined]>([
    ['a connector of this project, by its object name', present([{ name: 'VoiceConnectorId', value: 'abc', label: 'voice connector office', managedBy: 'VoiceConnector/default/office' }]), 'VoiceConnector/office'],
    ['a group of this project', present([{ name: 'VoiceConnectorGroupId', value: 'g1', label: 'voice connector group cc', managedBy: 'VoiceConnectorGroup/default/cc' }]), 'VoiceConnectorGroup/cc'],
    ['a connector this project does not manage, by its AWS id', present([{ name: 'VoiceConnectorId', value: 'abcdef123', label: 'voice connector abcdef123' }]), 'abcdef123'],
    ['a SIP rule trigger', present([{ name: 'SipRuleId', value: 'r1', label: 'SIP rule ivr', managedBy: 'SipRule/default/ivr' }]), 'SipRule/ivr'],
    ['nothing: removed from status', present([]), undefined],
    ['a number not in the inventory: removed', { phase: 'missing', e164: '+12062010001', nowMs: 0 }, undefined],
  ])('%s', (_name, observed, expected) => {
    const extras = phoneNumberStatusExtras(observed);
    expect(Object.keys(extras)).toEqual(['assignedTo']);
    expect(extras.assignedTo).toBe(expected);
  });
});
