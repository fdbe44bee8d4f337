// PhoneNumber validation table (issue 4). Rule ids: PN1 PN2 PN4 PN6 PN8.
import { describe, it } from 'vitest';
import { check, obj, withSpec, type Case } from './helpers.js';

const claim = obj('PhoneNumber', {
  e164: '+12065550100',
  productType: 'VoiceConnector',
  name: 'Main line',
  callingName: 'Acme Support',
  assignment: { voiceConnectorRef: { name: 'trunk-a' } },
});
const order = obj('PhoneNumber', { order: { areaCode: '206' }, productType: 'VoiceConnector' });

const cases: Case[] = [
  { name: 'claim with name, calling name and assignment', rules: ['PN1', 'PN4', 'PN6'], object: claim, errors: [] },
  { name: 'order by area code', rules: ['PN1'], object: order, errors: [] },
  { name: 'order a toll-free number', rules: ['PN1'], object: obj('PhoneNumber', { order: { tollFreePrefix: '800', numberType: 'TollFree' }, productType: 'SipMediaApplicationDialIn' }), errors: [] },
  { name: 'order a GB number for a SIP media application', rules: ['PN2'], object: obj('PhoneNumber', { order: { country: 'GB', numberType: 'Local' }, productType: 'SipMediaApplicationDialIn' }), errors: [] },
  {
    name: 'both e164 and order (XOR)',
    rules: ['PN1'],
    object: withSpec(claim, (s) => (s.order = { areaCode: '206' })),
    errors: [{ path: 'spec', message: 'set exactly one of e164 (claim a number of the inventory) or order (order one from the pool) (PN1)' }],
  },
  {
    name: 'neither e164 nor order (XOR)',
    rules: ['PN1'],
    object: obj('PhoneNumber', { productType: 'VoiceConnector' }),
    errors: [{ path: 'spec', message: 'set exactly one of e164 (claim a number of the inventory) or order (order one from the pool) (PN1)' }],
  },
  {
    name: 'malformed E.164',
    rules: ['PN8'],
    object: withSpec(claim, (s) => (s.e164 = '+1 206 555 0100')),
    errors: [{ path: 'spec.e164', message: '"+1 206 555 0100" is not a valid phone number in E.164 format (such as +12065550100)' }],
  },
  {
    name: 'product type missing',
    object: withSpec(claim, (s) => delete s.productType),
    errors: [{ path: 'spec.productType', message: 'required field is missing' }],
  },
  {
    name: 'bad product type enum (PN2)',
    rules: ['PN2'],
    object: withSpec(claim, (s) => (s.productType = 'BusinessCalling')),
    errors: [{ path: 'spec.productType', message: 'must be one of "VoiceConnector", "SipMediaApplicationDialIn" (got "BusinessCalling")' }],
  },
  {
    name: 'non-US search for a VoiceConnector number (PN2)',
    rules: ['PN2'],
    object: obj('PhoneNumber', { order: { country: 'GB', numberType: 'Local' }, productType: 'VoiceConnector' }),
    errors: [{ path: 'spec.productType', message: 'numbers outside the US must use the SipMediaApplicationDialIn product type (PN2)' }],
  },
  {
    name: 'non-US claim for a VoiceConnector number (PN2)',
    rules: ['PN2'],
    object: withSpec(claim, (s) => {
      s.e164 = '+442079460000';
      delete s.callingName;
    }),
    errors: [{ path: 'spec.productType', message: 'numbers outside the US must use the SipMediaApplicationDialIn product type (PN2)' }],
  },
  {
    name: 'assignment on a SIP media application number (PN4)',
    rules: ['PN4'],
    object: withSpec(claim, (s) => (s.productType = 'SipMediaApplicationDialIn')),
    errors: [
      { path: 'spec.assignment', message: 'assignment is only for VoiceConnector numbers; a SipMediaApplicationDialIn number is used through a SipRule (PN4)' },
    ],
  },
  {
    name: 'assigned to a connector and a group (PN4)',
    rules: ['PN4'],
    object: withSpec(claim, (s) => (s.assignment.voiceConnectorGroupRef = { name: 'east-west' })),
    errors: [
      {
        path: 'spec.assignment',
        message: 'set exactly one of voiceConnectorRef or voiceConnectorGroupRef: a number is assigned to one connector or one group (PN4)',
      },
    ],
  },
  {
    name: 'calling name too long (PN6)',
    rules: ['PN6'],
    object: withSpec(claim, (s) => (s.callingName = 'Acme Support Line')),
    errors: [
      { path: 'spec.callingName', message: 'must be at most 15 characters long' },
      { path: 'spec.callingName', message: '"Acme Support Line" does not match the pattern ^$|^[a-zA-Z0-9 ]{2,15}$' },
    ],
  },
  {
    name: 'calling name with punctuation (PN6)',
    rules: ['PN6'],
    object: withSpec(claim, (s) => (s.callingName = 'Acme, Inc')),
    errors: [{ path: 'spec.callingName', message: '"Acme, Inc" does not match the pattern ^$|^[a-zA-Z0-9 ]{2,15}$' }],
  },
  {
    name: 'calling name on a toll-free claim (PN6)',
    rules: ['PN6'],
    object: withSpec(claim, (s) => (s.e164 = '+18005550100')),
    errors: [{ path: 'spec.callingName', message: 'toll-free numbers cannot have a calling name (PN6)' }],
  },
  {
    name: 'calling name on a toll-free order (PN6)',
    rules: ['PN6'],
    object: obj('PhoneNumber', { order: { tollFreePrefix: '888' }, productType: 'VoiceConnector', callingName: 'Acme' }),
    errors: [{ path: 'spec.callingName', message: 'toll-free numbers cannot have a calling name (PN6)' }],
  },
  {
    name: 'empty calling name clears it (PN6)',
    rules: ['PN6'],
    object: withSpec(claim, (s) => (s.callingName = '')),
    errors: [],
  },
  {
    name: 'descriptive name with a forbidden character (PN8)',
    rules: ['PN8'],
    object: withSpec(claim, (s) => (s.name = 'Main/line')),
    errors: [{ path: 'spec.name', message: '"Main/line" does not match the pattern ^$|^[a-zA-Z0-9,._-]+(\\s+[a-zA-Z0-9,._-]+)*$' }],
  },
  {
    name: 'US search without a filter (PN1)',
    rules: ['PN1'],
    object: obj('PhoneNumber', { order: { numberType: 'Local' }, productType: 'VoiceConnector' }),
    errors: [{ path: 'spec.order', message: 'a US search needs at least one of areaCode, state, city or tollFreePrefix' }],
  },
  {
    name: 'city without state (PN1)',
    rules: ['PN1'],
    object: obj('PhoneNumber', { order: { city: 'Seattle' }, productType: 'VoiceConnector' }),
    errors: [{ path: 'spec.order.state', message: 'a city search needs state too' }],
  },
  {
    name: 'toll-free prefix with numberType Local (PN1)',
    rules: ['PN1'],
    object: obj('PhoneNumber', { order: { tollFreePrefix: '800', numberType: 'Local' }, productType: 'VoiceConnector' }),
    errors: [{ path: 'spec.order.numberType', message: 'tollFreePrefix searches toll-free numbers; set numberType to TollFree or drop tollFreePrefix' }],
  },
  {
    name: 'bad toll-free prefix (PN1)',
    rules: ['PN1'],
    object: obj('PhoneNumber', { order: { tollFreePrefix: '899' }, productType: 'VoiceConnector' }),
    errors: [{ path: 'spec.order.tollFreePrefix', message: '"899" does not match the pattern ^8(00|33|44|55|66|77|88)$' }],
  },
  {
    name: 'non-US search with a US filter (PN1)',
    rules: ['PN1'],
    object: obj('PhoneNumber', { order: { country: 'GB', numberType: 'Local', areaCode: '207' }, productType: 'SipMediaApplicationDialIn' }),
    errors: [{ path: 'spec.order', message: 'outside the US the only search filter is numberType, which is then required' }],
  },
  {
    name: 'claimed number cannot change',
    rules: ['PN1'],
    object: withSpec(claim, (s) => (s.e164 = '+12065550101')),
    old: claim,
    errors: [{ path: 'spec.e164', message: 'e164 cannot change: another number is another PhoneNumber object' }],
  },
  {
    name: 'an ordered number may be pinned by e164 later',
    rules: ['PN1'],
    object: withSpec(order, (s) => {
      delete s.order;
      s.e164 = '+12065550100';
    }),
    old: order,
    errors: [],
  },
  {
    name: 'unknown field',
    object: withSpec(claim, (s) => (s.assignment.sipRuleRef = { name: 'x' })),
    errors: [{ path: 'spec.assignment.sipRuleRef', message: 'unknown field "sipRuleRef"' }],
  },
];

describe('PhoneNumber validation', () => {
  it.each(cases.map((c) => [c.name, c] as const))('%s', (_n, c) => check(c));
});
