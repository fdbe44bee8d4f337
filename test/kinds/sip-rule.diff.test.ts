/** SipRule: desired (S2 checks before any call) and diff, field by field (S4: the trigger). */
import { describe, expect, it } from 'vitest';
import { ruleDesired, type RuleDesired } from '../../src/kinds/sip-rule/desired.js';
import { diffRule } from '../../src/kinds/sip-rule/diff.js';
import type { RuleObserved } from '../../src/kinds/sip-rule/observe.js';
import { InvalidSpecError, ReferenceNotReadyError } from '../../src/reconcile/errors.js';
import type { SipRuleAtProvider, SipRuleSpec } from '../../src/api/kinds/sip-rule.js';
import type { AtProvider, DesiredContext, ManagedObject } from '../../src/reconcile/types.js';
import { A, B, EAST, HOST, WEST, desired, observed } from '../helpers/fixtures/sip-rule.js';

describe('SipRule diff', () => {
  const cases: Array<[string, Partial<RuleDesired>, Partial<RuleObserved>, Array<Record<string, unknown>>]> = [
    ['steady state', {}, {}, []],
    ['name differs', { name: 'main' }, {}, [{ path: 'name', desired: 'main', actual: 'front-door' }]],
    ['disabled differs', { disabled: true }, {}, [{ path: 'disabled', desired: true, actual: false }]],
    ['disabled equal', { disabled: false }, {}, []],
    ['disabled omitted: not managed', {}, { disabled: true }, []],
    ['targets differ', { targets: [EAST] }, {}, [{ path: 'targetApplications', desired: [EAST], actual: [EAST, WEST] }]],
    [
      'a priority differs',
      { targets: [{ ...EAST, priority: 3 }, WEST] },
      {},
      [{ path: 'targetApplications', desired: [{ ...EAST, priority: 3 }, WEST], actual: [EAST, WEST] }],
    ],
    ['targets equal', { targets: [EAST, WEST] }, {}, []],
    [
      'trigger number differs (S4): a replacement the plan makes, not requiresReplacement',
      { triggerValue: B },
      {},
      [{ path: 'trigger', desired: `ToPhoneNumber ${B}`, actual: `ToPhoneNumber ${A}` }],
    ],
    [
      'trigger type differs (S4)',
      { triggerType: 'RequestUriHostname', triggerValue: HOST },
      {},
      [{ path: 'trigger', desired: `RequestUriHostname ${HOST}`, actual: `ToPhoneNumber ${A}` }],
    ],
    ['host names compare without case', { triggerType: 'RequestUriHostname', triggerValue: HOST }, { triggerType: 'RequestUriHostname', triggerValue: HOST.toUpperCase() }, []],
    [
      'an old rule left by a replacement (S4)',
      {},
      { stale: [{ ...observed(), sipRuleId: 'r0', triggerValue: B }] },
      [{ path: 'trigger', desired: `ToPhoneNumber ${A}`, actual: `ToPhoneNumber ${A}, ToPhoneNumber ${B}` }],
    ],
  ];
  it.each(cases)('%s', (_name, d, o, expected) => {
    expect(diffRule(desired(d), observed(o))).toEqual(expected);
  });
});

describe('SipRule desired (S2)', () => {
  const atProviders: Record<string, AtProvider> = {
    'PhoneNumber/main-line': { e164: A, productType: 'SipMediaApplicationDialIn' },
    'PhoneNumber/trunk-line': { e164: B, productType: 'VoiceConnector' },
    'VoiceConnector/trunk': { voiceConnectorId: 'abcdefghij0123456789ab', outboundHostName: HOST },
    'SipMediaApplication/east': { sipMediaApplicationId: 'sma-east', region: 'us-east-1' },
    'SipMediaApplication/west': { sipMediaApplicationId: 'sma-west', region: 'us-west-2' },
  };
  const ctx = (lenient = false): DesiredContext => ({
    lenient,
    resolve: (kind, name) => {
      const at = atProviders[`${kind}/${name}`];
      if (at) return at;
      if (lenient) return new Proxy({}, { get: (_t, p) => (typeof p === 'string' ? `(${p} of ${kind} ${name}, known after apply)` : undefined) });
      throw new ReferenceNotReadyError(`${kind} ${name} does not exist`, 'ReferenceNotFound');
    },
    secret: () => '', digestSecret: () => '',
  });
  const obj = (spec: Record<string, unknown>): ManagedObject<SipRuleSpec, SipRuleAtProvider> => ({
    apiVersion: 'chimevoice.io/v1alpha1',
    kind: 'SipRule',
    metadata: { name: 'front-door', namespace: 'default' },
    spec: spec as SipRuleSpec,
  });
  const spec = (o: Record<string, unknown> = {}) => ({
    trigger: { type: 'ToPhoneNumber', phoneNumberRef: { name: 'main-line' } },
    targetApplications: [
      { sipMediaApplicationRef: { name: 'west' }, priority: 2 },
      { sipMediaApplicationRef: { name: 'east' }, priority: 1 },
    ],
    ...o,
  });

  it('resolves the number and the applications, sorting targets by priority; the name defaults to the object name', () => {
    expect(ruleDesired(obj(spec({ disabled: false })), ctx())).toEqual({
      name: 'front-door',
      triggerType: 'ToPhoneNumber',
      triggerValue: A,
      triggerSource: { phoneNumberRef: 'main-line' },
      disabled: false,
      targets: [EAST, WEST],
    });
  });

  it('resolves a connector reference to its outbound host name, and takes host names in lower case', () => {
    expect(ruleDesired(obj(spec({ trigger: { type: 'RequestUriHostname', voiceConnectorRef: { name: 'trunk' } } })), ctx())).toMatchObject({ triggerValue: HOST });
    expect(ruleDesired(obj(spec({ trigger: { type: 'RequestUriHostname', hostname: HOST.toUpperCase() } })), ctx())).toMatchObject({ triggerValue: HOST });
  });

  it('takes application ids with their regions; an omitted disabled is not managed', () => {
    const d = ruleDesired(obj(spec({ trigger: { type: 'ToPhoneNumber', e164: B }, targetApplications: [{ sipMediaApplicationId: 'x', region: 'eu-west-1', priority: 1 }] })), ctx());
    expect(d.targets).toEqual([{ sipMediaApplicationId: 'x', priority: 1, awsRegion: 'eu-west-1' }]);
    expect(d.triggerSource).toEqual({ e164: B });
    expect('disabled' in d).toBe(false);
  });

  it('waits for a reference that does not exist', () => {
    expect(() => ruleDesired(obj(spec({ trigger: { type: 'ToPhoneNumber', phoneNumberRef: { name: 'nowhere' } } })), ctx())).toThrow(ReferenceNotReadyError);
  });

  it('in plan mode, unresolved references become placeholders and are not checked', () => {
    const d = ruleDesired(obj(spec({ trigger: { type: 'ToPhoneNumber', phoneNumberRef: { name: 'nowhere' } } })), ctx(true));
    expect(d.triggerValue).toBe('(e164 of PhoneNumber nowhere, known after apply)');
  });

  const many = (n: number, region = (i: number) => `region-${i}`) => Array.from({ length: n }, (_, i) => ({ sipMediaApplicationId: `app-${i}`, region: region(i), priority: i + 1 }));
  it.each([
    ['a VoiceConnector number by reference', spec({ trigger: { type: 'ToPhoneNumber', phoneNumberRef: { name: 'trunk-line' } } }), 'PhoneNumber trunk-line has product type VoiceConnector'],
    ['a malformed E.164 value', spec({ trigger: { type: 'ToPhoneNumber', e164: '2065550100' } }), 'trigger.e164: 2065550100 is not a phone number in E.164 format'],
    ['a host name of no connector', spec({ trigger: { type: 'RequestUriHostname', hostname: 'pbx.example.com' } }), 'pbx.example.com is not a Voice Connector outbound host name'],
    ['a number trigger with a host name too', spec({ trigger: { type: 'ToPhoneNumber', e164: A, hostname: HOST } }), 'takes exactly one of phoneNumberRef or e164'],
    ['no targets', spec({ targetApplications: [] }), 'a SIP rule has 1 to 25 target applications, not 0'],
    ['26 targets', spec({ targetApplications: many(26) }), 'a SIP rule has 1 to 25 target applications, not 26'],
    ['two targets in one region', spec({ targetApplications: many(2, () => 'us-east-1') }), 'targetApplications[1] has the same region as targetApplications[0] (us-east-1)'],
    [
      'the same application twice',
      spec({ targetApplications: [{ sipMediaApplicationRef: { name: 'east' }, priority: 1 }, { sipMediaApplicationId: 'sma-east', region: 'us-east-2', priority: 2 }] }),
      'each application may be a target only once',
    ],
    ['two targets with one priority', spec({ targetApplications: many(2).map((t) => ({ ...t, priority: 1 })) }), 'failover needs distinct priorities'],
    ['an id without its region', spec({ targetApplications: [{ sipMediaApplicationId: 'x', priority: 1 }] }), 'targetApplications[0].region is required'],
    [
      'a reference with another region than the application',
      spec({ targetApplications: [{ sipMediaApplicationRef: { name: 'east' }, region: 'us-west-2', priority: 1 }] }),
      'targetApplications[0].region is us-west-2, but SipMediaApplication east is in us-east-1',
    ],
  ])('refuses %s before any call', (_name, s, message) => {
    const run = () => ruleDesired(obj(s), ctx());
    expect(run).toThrow(InvalidSpecError);
    expect(run).toThrow(message);
  });

  it('accepts 25 targets in 25 regions', () => {
    expect(ruleDesired(obj(spec({ targetApplications: many(25) })), ctx()).targets).toHaveLength(25);
  });
});
