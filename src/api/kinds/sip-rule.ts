// SipRule: routes calls to a number, or to a connector's host name, to SIP media applications with
// failover across regions (issue 5; S2-S4).
import type { Static } from '@sinclair/typebox';
import { AwsName, E164, PATTERNS, Ref, StatusSchema, commonSpecFields, type ChimeObject, type CommonStatus } from '../common.js';
import { ageColumn, defineKind, readyDriftedColumns } from '../kind.js';
import { Bool, Int, List, Obj, Optional, Str, StringEnum, cel, has, immutable } from '../schema.js';

export const SIP_RULE_TRIGGER_TYPES = ['ToPhoneNumber', 'RequestUriHostname'] as const;

const PHONE_FIELDS = ['phoneNumberRef', 'e164'];
const HOST_FIELDS = ['voiceConnectorRef', 'hostname'];
const count = (o: unknown, keys: string[]) => keys.filter((k) => has(o, k)).length;

export const SipRuleTrigger = Obj(
  {
    type: StringEnum(SIP_RULE_TRIGGER_TYPES, 'ToPhoneNumber (calls to a number) or RequestUriHostname (calls to a Voice Connector host name) (S2).'),
    phoneNumberRef: Optional(Ref('PhoneNumber', 'a SipMediaApplicationDialIn number managed here (ToPhoneNumber).')),
    e164: Optional(E164('A SipMediaApplicationDialIn number of the inventory not managed here (ToPhoneNumber).')),
    voiceConnectorRef: Optional(Ref('VoiceConnector', 'the connector whose outbound host name triggers the rule (RequestUriHostname).')),
    hostname: Optional(
      Str('The outbound host name of a Voice Connector not managed here, <id>.voiceconnector.chime.aws (RequestUriHostname).', {
        maxLength: 253,
        pattern: '^[a-z0-9-]+\\.voiceconnector\\.chime\\.aws$',
      }),
    ),
  },
  'What triggers the rule (S2). Cannot change: a rule with another trigger is another rule (S4).',
  {
    rules: [
      cel(
        "self.type != 'ToPhoneNumber' || ((has(self.phoneNumberRef) ? 1 : 0) + (has(self.e164) ? 1 : 0) == 1 && !has(self.voiceConnectorRef) && !has(self.hostname))",
        'a ToPhoneNumber trigger takes exactly one of phoneNumberRef or e164 (S2)',
        (self) => self.type !== 'ToPhoneNumber' || (count(self, PHONE_FIELDS) === 1 && count(self, HOST_FIELDS) === 0),
      ),
      cel(
        "self.type != 'RequestUriHostname' || ((has(self.voiceConnectorRef) ? 1 : 0) + (has(self.hostname) ? 1 : 0) == 1 && !has(self.phoneNumberRef) && !has(self.e164))",
        'a RequestUriHostname trigger takes exactly one of voiceConnectorRef or hostname (S2)',
        (self) => self.type !== 'RequestUriHostname' || (count(self, HOST_FIELDS) === 1 && count(self, PHONE_FIELDS) === 0),
      ),
      immutable('the trigger of a SIP rule cannot change (S4): create a new SipRule with the new trigger and delete this one'),
    ],
  },
);

export const SipRuleTargetApplication = Obj(
  {
    sipMediaApplicationRef: Optional(Ref('SipMediaApplication', 'an application managed here; the rule waits until it is Ready.')),
    sipMediaApplicationId: Optional(Str('The id of an application not managed here.', { minLength: 1, maxLength: 256, pattern: PATTERNS.nonEmpty })),
    priority: Int('The priority of the target, at least 1; 1 is tried first (S2).', { minimum: 1 }),
    region: Optional(
      Str("The AWS Region of the application. Required with sipMediaApplicationId; with a reference, defaults to the application's region.", {
        maxLength: 32,
        pattern: PATTERNS.region,
      }),
    ),
  },
  'A SIP media application the rule routes to.',
  {
    rules: [
      cel(
        'has(self.sipMediaApplicationRef) != has(self.sipMediaApplicationId)',
        'set exactly one of sipMediaApplicationRef or sipMediaApplicationId',
        (self) => has(self, 'sipMediaApplicationRef') !== has(self, 'sipMediaApplicationId'),
      ),
      cel(
        '!has(self.sipMediaApplicationId) || has(self.region)',
        'region is required when the application is given by id',
        (self) => !has(self, 'sipMediaApplicationId') || has(self, 'region'),
        { fieldPath: '.region', reason: 'FieldValueRequired' },
      ),
    ],
  },
);

export const SipRuleSpec = Obj(
  {
    name: Optional(AwsName('SIP rule', { minLength: 1, maxLength: 256, pattern: PATTERNS.chimeName })),
    trigger: SipRuleTrigger,
    disabled: Optional(Bool('When true, the rule is disabled. The controller also disables a rule before deleting it (S3).', { default: false })),
    targetApplications: List(SipRuleTargetApplication, 'The applications calls are routed to, 1 to 25, at most one per region, failing over in priority order (S2).', {
      minItems: 1,
      maxItems: 25,
      rules: [
        cel(
          'self.all(a, !has(a.region) || self.exists_one(b, has(b.region) && b.region == a.region))',
          'at most one target application per region (S2)',
          (self: Array<{ region?: string }>) => self.every((a) => !has(a, 'region') || self.filter((b) => has(b, 'region') && b.region === a.region).length === 1),
        ),
        cel(
          'self.all(a, !has(a.sipMediaApplicationRef) || self.exists_one(b, has(b.sipMediaApplicationRef) && b.sipMediaApplicationRef.name == a.sipMediaApplicationRef.name))',
          'each SIP media application may be a target only once (S2)',
          (self: Array<{ sipMediaApplicationRef?: { name?: string } }>) =>
            self.every(
              (a) =>
                !has(a, 'sipMediaApplicationRef') ||
                self.filter((b) => has(b, 'sipMediaApplicationRef') && b.sipMediaApplicationRef?.name === a.sipMediaApplicationRef?.name).length === 1,
            ),
        ),
      ],
    }),
    ...commonSpecFields,
  },
  'The desired state of the SIP rule.',
);
export type SipRuleSpec = Static<typeof SipRuleSpec>;

export const SipRuleAtProvider = Obj(
  {
    sipRuleId: Optional(Str('The SIP rule id.')),
    triggerType: Optional(StringEnum(SIP_RULE_TRIGGER_TYPES, 'The trigger type in AWS.')),
    triggerValue: Optional(Str('The trigger value in AWS: an E.164 number or a host name.')),
  },
  'The SIP rule in AWS.',
);
export type SipRuleAtProvider = Static<typeof SipRuleAtProvider>;

export const SipRuleStatus = StatusSchema('SipRule', SipRuleAtProvider);
export type SipRuleStatus = CommonStatus<SipRuleAtProvider>;
export type SipRule = ChimeObject<'SipRule', SipRuleSpec, SipRuleStatus>;

export const SipRuleKind = defineKind({
  kind: 'SipRule',
  plural: 'siprules',
  singular: 'siprule',
  shortNames: ['sr'],
  categories: ['chime'],
  description:
    'An Amazon Chime SDK SIP rule: calls to a phone number or to a Voice Connector host name go to SIP media applications, with failover across regions. Ready only when its trigger and targets are Ready.',
  spec: SipRuleSpec,
  status: SipRuleStatus,
  printerColumns: [
    ...readyDriftedColumns(),
    { name: 'ID', type: 'string', jsonPath: '.status.atProvider.sipRuleId', description: 'The SIP rule id.' },
    { name: 'Trigger', type: 'string', jsonPath: '.status.atProvider.triggerValue', priority: 1 },
    ageColumn,
  ],
  extraConditionTypes: [],
  awsName: { maxLength: 256, pattern: PATTERNS.chimeName },
});
