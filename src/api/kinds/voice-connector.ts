// VoiceConnector: an Amazon Chime SDK Voice Connector (SIP trunk) and its settings (issue 3).
// Each settings block (termination, origination, ...) is managed only when present: an omitted
// block means "not managed", never "delete it".
import type { Static } from '@sinclair/typebox';
import {
  AwsName,
  Country,
  E164,
  PATTERNS,
  Ref,
  Region,
  SecretKeySelector,
  StatusSchema,
  Tags,
  AppliedTagKeys,
  VOICE_CONNECTOR_REGIONS,
  atMostOne,
  commonSpecFields,
  type ChimeObject,
  type CommonStatus,
} from '../common.js';
import { LIMITS, SIP_USERNAME_PATTERN } from '../../domain/limits.js';
import { ageColumn, defineKind, readyDriftedColumns } from '../kind.js';
import { Bool, CHIME_REF_KEYWORD, FormattedStr, Int, List, Obj, Optional, Str, StringEnum, cel, has, immutable } from '../schema.js';

export const NETWORK_TYPES = ['IPV4_ONLY', 'DUAL_STACK'] as const;
export const ORIGINATION_PROTOCOLS = ['TCP', 'UDP'] as const;
export const NOTIFICATION_TARGETS = ['EventBridge', 'SNS', 'SQS'] as const;
export const SESSION_BORDER_CONTROLLER_TYPES = [
  'RIBBON_SBC',
  'ORACLE_ACME_PACKET_SBC',
  'AVAYA_SBCE',
  'CISCO_UNIFIED_BORDER_ELEMENT',
  'AUDIOCODES_MEDIANT_SBC',
] as const;
export const CONTACT_CENTER_SYSTEM_TYPES = [
  'GENESYS_ENGAGE_ON_PREMISES',
  'AVAYA_AURA_CALL_CENTER_ELITE',
  'AVAYA_AURA_CONTACT_CENTER',
  'CISCO_UNIFIED_CONTACT_CENTER_ENTERPRISE',
] as const;

const disabledOrTrue = (o: unknown) => has(o, 'disabled') && (o as { disabled?: unknown }).disabled === true;

export const TerminationCredential = Obj(
  {
    username: Str(
      `The RFC 2617 user name of the SIP credential: ${LIMITS.sipUsernameLength.min} to ${LIMITS.sipUsernameLength.max} US-ASCII token characters (letters, digits and !#$%&'*+-.^_\`|~).`,
      { minLength: LIMITS.sipUsernameLength.min, maxLength: LIMITS.sipUsernameLength.max, pattern: SIP_USERNAME_PATTERN },
    ),
    passwordSecretRef: Obj(
      {
        ...SecretKeySelector.properties,
        optional: Optional(
          Bool(
            'When true, a Secret or key that is missing means the password is not supplied yet: the controller keeps the user name and leaves the password AWS holds alone (as `import` writes adopted credentials). A credential AWS does not hold yet still needs its password.',
          ),
        ),
      },
      'The Secret key holding the password (US-ASCII). AWS never returns passwords; the controller keeps only a keyed digest of it in status (HMAC-SHA-256 under a key of its own, never a plain hash).',
      { [CHIME_REF_KEYWORD]: 'Secret' },
    ),
  },
  'A SIP digest credential that SIP hosts use to authenticate outbound calls.',
  { required: ['username', 'passwordSecretRef'] },
);

export const Termination = Obj(
  {
    disabled: Optional(Bool('When true, outbound calls through this Voice Connector are turned off.')),
    cpsLimit: Optional(Int('The limit on calls per second (at least 1; the maximum is the account quota). AWS defaults to 1.', { minimum: 1 })),
    callingRegions: Optional(
      List(Country('A country to which outbound calls are allowed.'), 'The countries to which calls are allowed (VC3). Required when termination is enabled.', {
        listType: 'set',
        maxItems: 250,
      }),
    ),
    cidrAllowedList: Optional(
      List(
        FormattedStr('public-cidr', 'An IP address range allowed to make calls, in CIDR notation, such as 54.240.196.0/24; it must be publicly routable (VC3).', {
          pattern: PATTERNS.cidr,
          maxLength: 49,
        }),
        'The SIP hosts allowed to make calls, as publicly routable CIDR blocks (VC3).',
        { listType: 'set', maxItems: 100 },
      ),
    ),
    defaultPhoneNumber: Optional(E164('The default outbound calling number (caller id override).')),
    credentials: Optional(
      List(TerminationCredential, 'SIP credentials (user names and passwords from Secrets). When given, the list is the complete set of credentials.', {
        listType: 'map',
        mapKeys: ['username'],
        maxItems: 100,
      }),
    ),
  },
  'Termination: outbound calls from your SIP hosts through AWS to the PSTN (VC3). Not managed when omitted.',
  {
    rules: [
      cel(
        '(has(self.disabled) && self.disabled) || (has(self.callingRegions) && size(self.callingRegions) > 0)',
        'termination.callingRegions needs at least one country while termination is enabled (VC3)',
        (self) => disabledOrTrue(self) || (has(self, 'callingRegions') && self.callingRegions.length > 0),
        { fieldPath: '.callingRegions', reason: 'FieldValueRequired' },
      ),
    ],
  },
);

export const OriginationRoute = Obj(
  {
    host: FormattedStr(
      'sip-host',
      'The FQDN or IP address to contact for origination traffic; an IP address must be publicly routable (VC4).',
      { minLength: 1, maxLength: 253, pattern: '^[0-9A-Za-z.:-]+$' },
    ),
    port: Optional(Int('The port of the SIP host. AWS defaults to 5060.', { minimum: 0, maximum: 65535 })),
    protocol: Optional(
      StringEnum(ORIGINATION_PROTOCOLS, 'The transport: TCP or UDP. Encrypted Voice Connectors use TCP (TLS); UDP is refused on them (VC2).'),
    ),
    priority: Int('The priority of the host, 1 to 100; 1 is tried first (VC4).', { minimum: 1, maximum: 100 }),
    weight: Int('The weight of the host, 1 to 100; hosts of equal priority share calls by weight (VC4).', { minimum: 1, maximum: 100 }),
  },
  'A SIP host that receives inbound calls.',
);

export const Origination = Obj(
  {
    disabled: Optional(Bool('When true, inbound calls to your SIP hosts through this Voice Connector are turned off.')),
    routes: Optional(
      List(OriginationRoute, `The SIP hosts that receive inbound calls (1 to ${LIMITS.originationRoutes.max}). When given, the list is the complete set of routes.`, {
        maxItems: LIMITS.originationRoutes.max,
      }),
    ),
  },
  'Origination: inbound calls from the PSTN to your SIP hosts (VC4). Not managed when omitted.',
  {
    rules: [
      cel(
        '(has(self.disabled) && self.disabled) || (has(self.routes) && size(self.routes) > 0)',
        'origination needs at least one route unless it is disabled (VC4)',
        (self) => disabledOrTrue(self) || (has(self, 'routes') && self.routes.length > 0),
        { fieldPath: '.routes', reason: 'FieldValueRequired' },
      ),
    ],
  },
);

export const Streaming = Obj(
  {
    disabled: Optional(Bool('When true, media streaming to Amazon Kinesis Video Streams is off.')),
    dataRetentionInHours: Optional(
      Int(
        `How long, in hours, Kinesis Video Streams keeps the media: ${LIMITS.streamingDataRetentionHours.min} (keeps none) to ${LIMITS.streamingDataRetentionHours.max} (10 years). Required unless streaming is disabled.`,
        { minimum: LIMITS.streamingDataRetentionHours.min, maximum: LIMITS.streamingDataRetentionHours.max },
      ),
    ),
    notificationTargets: Optional(
      List(StringEnum(NOTIFICATION_TARGETS, 'A streaming notification target.'), 'Where streaming events are sent: 1 to 3 of EventBridge, SNS, SQS (VC6).', {
        listType: 'set',
        minItems: 1,
        maxItems: 3,
      }),
    ),
    callAnalyticsConfigurationArn: Optional(
      Str('The ARN of a call analytics (media insights pipeline) configuration that is not managed here. Changes take about 5 minutes to apply (VC6).', {
        minLength: 1,
        maxLength: 1024,
        pattern: PATTERNS.arn,
      }),
    ),
    callAnalyticsConfigurationRef: Optional(
      Ref('CallAnalyticsConfiguration', 'the call analytics configuration to link; the connector waits until it is Ready.'),
    ),
  },
  'Streaming of call media to Amazon Kinesis Video Streams, and call analytics (VC6). Not managed when omitted.',
  {
    rules: [
      cel(
        '(has(self.disabled) && self.disabled) || has(self.dataRetentionInHours)',
        'streaming.dataRetentionInHours is required unless streaming is disabled (VC6)',
        (self) => disabledOrTrue(self) || has(self, 'dataRetentionInHours'),
        { fieldPath: '.dataRetentionInHours', reason: 'FieldValueRequired' },
      ),
      atMostOne('callAnalyticsConfigurationArn', 'callAnalyticsConfigurationRef', 'link the call analytics configuration by ARN or by reference'),
    ],
  },
);

export const Logging = Obj(
  {
    enableSIPLogs: Optional(Bool('Send SIP message logs to Amazon CloudWatch Logs (VC7).', { default: false })),
    enableMediaMetricLogs: Optional(Bool('Send media metric logs to Amazon CloudWatch Logs (VC7).', { default: false })),
  },
  'Logging configuration (VC7). Not managed when omitted; a field omitted inside it means off, as in AWS.',
);

export const DnisEmergencyCalling = Obj(
  {
    emergencyPhoneNumber: E164('The DNIS number that emergency calls are routed to; a US number (VC5).'),
    testPhoneNumber: Optional(E164('The DNIS number that test emergency calls are routed to; a US number (VC5).')),
    callingCountry: StringEnum(['US'], 'The country from which emergency calls are allowed; only US is supported (VC5).', { default: 'US' }),
  },
  'A third-party emergency routing number (DNIS).',
  {
    rules: [
      cel(
        "self.emergencyPhoneNumber.startsWith('+1') && (!has(self.testPhoneNumber) || self.testPhoneNumber.startsWith('+1'))",
        'emergency and test DNIS numbers must be US numbers (+1...) (VC5)',
        (self) => String(self.emergencyPhoneNumber).startsWith('+1') && (!has(self, 'testPhoneNumber') || String(self.testPhoneNumber).startsWith('+1')),
      ),
    ],
  },
);

export const EmergencyCalling = Obj(
  {
    dnis: List(DnisEmergencyCalling, 'The emergency routing numbers; an empty list removes emergency calling.', { maxItems: 10 }),
  },
  'Emergency calling through third-party routing numbers (VC5). Needs termination and origination enabled. Not managed when omitted.',
);

export const Proxy = Obj(
  {
    defaultSessionExpiryMinutes: Int('The default number of minutes allowed for proxy sessions.', {
      minimum: LIMITS.proxySessionExpiryMinutes.min,
      maximum: LIMITS.proxySessionExpiryMinutes.max,
    }),
    phoneNumberCountries: List(Country('A country proxy phone numbers are selected from.'), 'The countries proxy phone numbers are selected from (1 to 100).', {
      listType: 'set',
      minItems: 1,
      maxItems: 100,
    }),
    fallBackPhoneNumber: Optional(E164('The number calls are routed to after a proxy session expires.')),
    disabled: Optional(Bool('When true, no new proxy sessions can be created on this Voice Connector.')),
  },
  'Proxy session settings. Not managed when omitted.',
);

export const ExternalSystems = Obj(
  {
    sessionBorderControllerTypes: Optional(
      List(StringEnum(SESSION_BORDER_CONTROLLER_TYPES, 'A session border controller type.'), 'The session border controllers in use.', {
        listType: 'set',
        maxItems: SESSION_BORDER_CONTROLLER_TYPES.length,
      }),
    ),
    contactCenterSystemTypes: Optional(
      List(StringEnum(CONTACT_CENTER_SYSTEM_TYPES, 'A contact center system type.'), 'The contact center systems in use.', {
        listType: 'set',
        maxItems: CONTACT_CENTER_SYSTEM_TYPES.length,
      }),
    ),
  },
  'The external systems (session border controllers, contact center systems) this Voice Connector works with. Not managed when omitted.',
);

export const VoiceConnectorSpec = Obj(
  {
    name: Optional(AwsName('Voice Connector', { minLength: 1, maxLength: 256, pattern: PATTERNS.chimeName })),
    region: Optional(
      Region('The AWS Region the Voice Connector is created in. Cannot change after creation (VC1).', VOICE_CONNECTOR_REGIONS),
    ),
    requireEncryption: Optional(
      Bool('Require TLS for SIP signalling and SRTP for media (VC2). Defaults to true.', { default: true }),
    ),
    networkType: Optional(
      StringEnum(NETWORK_TYPES, 'IPV4_ONLY or DUAL_STACK; DUAL_STACK only at creation. Cannot change after creation (VC1).', {
        default: 'IPV4_ONLY',
        rules: [immutable('networkType cannot change after creation (VC1); create a new Voice Connector and move the numbers to it')],
      }),
    ),
    tags: Optional(Tags()),
    ...commonSpecFields,
    termination: Optional(Termination),
    origination: Optional(Origination),
    streaming: Optional(Streaming),
    logging: Optional(Logging),
    emergencyCalling: Optional(EmergencyCalling),
    proxy: Optional(Proxy),
    externalSystems: Optional(ExternalSystems),
  },
  'The desired state of the Voice Connector.',
  {
    rules: [
      cel(
        "!(has(self.requireEncryption) && self.requireEncryption) || !has(self.origination) || !has(self.origination.routes) || self.origination.routes.all(r, !has(r.protocol) || r.protocol != 'UDP')",
        'origination routes cannot use UDP on a Voice Connector that requires encryption: calls use TLS over TCP (VC2)',
        (self) =>
          !(has(self, 'requireEncryption') && self.requireEncryption === true) ||
          !has(self, 'origination') ||
          !has(self.origination, 'routes') ||
          self.origination.routes.every((r: { protocol?: string }) => !has(r, 'protocol') || r.protocol !== 'UDP'),
        { fieldPath: '.origination.routes' },
      ),
      cel(
        '!has(self.emergencyCalling) || size(self.emergencyCalling.dnis) == 0 || ((!has(self.termination) || !has(self.termination.disabled) || !self.termination.disabled) && (!has(self.origination) || !has(self.origination.disabled) || !self.origination.disabled))',
        'emergency calling needs termination and origination enabled; remove emergencyCalling.dnis before disabling either (VC5)',
        (self) =>
          !has(self, 'emergencyCalling') ||
          self.emergencyCalling.dnis.length === 0 ||
          (!disabledOrTrue(self.termination ?? {}) && !disabledOrTrue(self.origination ?? {})),
        { fieldPath: '.emergencyCalling' },
      ),
    ],
  },
);
export type VoiceConnectorSpec = Static<typeof VoiceConnectorSpec>;

export const VoiceConnectorAtProvider = Obj(
  {
    voiceConnectorId: Optional(Str('The Voice Connector id.')),
    arn: Optional(Str('The Voice Connector ARN.')),
    outboundHostName: Optional(Str('The outbound host name, <id>.voiceconnector.chime.aws (VC9).')),
    region: Optional(Str('The AWS Region the Voice Connector lives in.')),
    networkType: Optional(Str('The network type AWS reports.')),
    appliedTagKeys: Optional(AppliedTagKeys()),
    terminationCredentials: Optional(
      List(
        Obj(
          {
            username: Str('The credential user name.'),
            passwordHash: Str(
              'Keyed digest of the password last sent to AWS: hmac-sha256:<key id>:<64 hex>, an HMAC-SHA-256 under the installation\'s digest key (a Secret in a cluster, a 0600 key file in directory mode), which never leaves it. Never the password, nor a plain hash of it.',
              { pattern: '^hmac-sha256:[0-9a-f]{16}:[0-9a-f]{64}$' },
            ),
          },
          'A credential user name and the keyed digest of the password sent for it.',
        ),
        'Keyed digests of the termination passwords last sent to AWS, to detect a changed Secret (AWS returns user names only).',
        { listType: 'map', mapKeys: ['username'], maxItems: 100 },
      ),
    ),
    terminationHealth: Optional(
      Obj(
        {
          timestamp: Optional(Str('When the last SIP OPTIONS ping was seen.')),
          source: Optional(Str('Where the last SIP OPTIONS ping came from.')),
          readAt: Optional(Str('When this was last read from AWS: health is status, not drift, so it is read about every 10 minutes rather than on every resync.')),
        },
        'The last SIP OPTIONS ping AWS saw from your SIP hosts (VC3).',
      ),
    ),
  },
  'The Voice Connector in AWS: identity and observed read-only values.',
);
export type VoiceConnectorAtProvider = Static<typeof VoiceConnectorAtProvider>;

export const VoiceConnectorStatus = StatusSchema('VoiceConnector', VoiceConnectorAtProvider);
export type VoiceConnectorStatus = CommonStatus<VoiceConnectorAtProvider>;
export type VoiceConnector = ChimeObject<'VoiceConnector', VoiceConnectorSpec, VoiceConnectorStatus>;

export const VoiceConnectorKind = defineKind({
  kind: 'VoiceConnector',
  plural: 'voiceconnectors',
  singular: 'voiceconnector',
  shortNames: ['vc'],
  categories: ['chime'],
  description:
    'An Amazon Chime SDK Voice Connector: a SIP trunk between your SIP infrastructure and the PSTN, with its termination, origination, streaming, logging, emergency calling, proxy and external systems settings.',
  spec: VoiceConnectorSpec,
  status: VoiceConnectorStatus,
  printerColumns: [
    ...readyDriftedColumns(),
    { name: 'ID', type: 'string', jsonPath: '.status.atProvider.voiceConnectorId', description: 'The Voice Connector id.' },
    { name: 'Host', type: 'string', jsonPath: '.status.atProvider.outboundHostName', description: 'The outbound host name.', priority: 1 },
    { name: 'Region', type: 'string', jsonPath: '.spec.region', priority: 1 },
    ageColumn,
  ],
  extraConditionTypes: [],
  awsName: { maxLength: 256, pattern: PATTERNS.chimeName },
});
