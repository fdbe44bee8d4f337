// VoiceConnector validation table (issue 3). Rule ids: VC1 VC2 VC3 VC4 VC5 VC6 VC7.
import { describe, expect, it } from 'vitest';
import { applyDefaults, validateObject } from '../../src/api/validate.js';
import { check, obj, withSpec, type Case } from './helpers.js';

const full = obj('VoiceConnector', {
  name: 'Trunk A',
  region: 'us-west-2',
  requireEncryption: true,
  networkType: 'IPV4_ONLY',
  tags: { team: 'telephony' },
  deletionPolicy: 'Retain',
  driftPolicy: 'Report',
  termination: {
    disabled: false,
    cpsLimit: 5,
    callingRegions: ['US', 'CA'],
    cidrAllowedList: ['54.240.196.0/24', '2600:1f18::/32'],
    defaultPhoneNumber: '+12065550100',
    credentials: [{ username: 'pbx1', passwordSecretRef: { name: 'trunk-a', key: 'password' } }],
  },
  origination: {
    routes: [
      { host: 'sbc1.example.com', port: 5061, protocol: 'TCP', priority: 1, weight: 10 },
      { host: '8.8.8.8', port: 5061, priority: 2, weight: 1 },
    ],
  },
  streaming: { dataRetentionInHours: 24, notificationTargets: ['EventBridge', 'SQS'], callAnalyticsConfigurationRef: { name: 'insights' } },
  logging: { enableSIPLogs: true },
  emergencyCalling: { dnis: [{ emergencyPhoneNumber: '+12065550111', testPhoneNumber: '+12065550112', callingCountry: 'US' }] },
  proxy: { defaultSessionExpiryMinutes: 60, phoneNumberCountries: ['US'], fallBackPhoneNumber: '+12065550113' },
  externalSystems: { sessionBorderControllerTypes: ['RIBBON_SBC'], contactCenterSystemTypes: ['GENESYS_ENGAGE_ON_PREMISES'] },
});

const cases: Case[] = [
  { name: 'every setting', object: full, errors: [] },
  { name: 'only metadata and an empty spec (nothing else managed)', object: obj('VoiceConnector', {}), errors: [] },
  {
    name: 'unknown field',
    object: withSpec(full, (s) => (s.termination.cpslimit = 5)),
    errors: [{ path: 'spec.termination.cpslimit', message: 'unknown field "cpslimit"; did you mean cpsLimit?' }],
  },
  {
    name: 'unknown top-level field',
    object: { ...full, sepc: {} },
    errors: [{ path: 'sepc', message: 'unknown field "sepc"; did you mean spec?' }],
  },
  {
    name: 'wrong type',
    object: withSpec(full, (s) => (s.termination.cpsLimit = '5')),
    errors: [{ path: 'spec.termination.cpsLimit', message: 'must be an integer' }],
  },
  {
    name: 'bad enum (VC1)',
    rules: ['VC1'],
    object: withSpec(full, (s) => (s.networkType = 'IPV6')),
    errors: [{ path: 'spec.networkType', message: 'must be one of "IPV4_ONLY", "DUAL_STACK" (got "IPV6")' }],
  },
  {
    name: 'region outside the model enum (VC1)',
    rules: ['VC1'],
    object: withSpec(full, (s) => (s.region = 'us-east-2')),
    errors: [
      {
        path: 'spec.region',
        message:
          'must be one of "us-east-1", "us-west-2", "ca-central-1", "eu-central-1", "eu-west-1", "eu-west-2", "ap-northeast-2", "ap-northeast-1", "ap-southeast-1", "ap-southeast-2" (got "us-east-2"); did you mean us-east-1?',
      },
    ],
  },
  {
    name: 'name outside the model pattern (VC1)',
    rules: ['VC1'],
    object: withSpec(full, (s) => (s.name = 'trunk/a')),
    errors: [{ path: 'spec.name', message: '"trunk/a" does not match the pattern ^[a-zA-Z0-9 _.-]+$' }],
  },
  {
    name: 'more than 49 tags (VC1: AWS allows 50, the ownership tag takes one)',
    rules: ['VC1'],
    object: withSpec(full, (s) => (s.tags = Object.fromEntries(Array.from({ length: 50 }, (_, i) => [`k${i}`, 'v'])))),
    errors: [{ path: 'spec.tags', message: 'must have at most 49 entries' }],
  },
  {
    name: 'reserved tag key',
    object: withSpec(full, (s) => (s.tags = { 'aws:cloudformation:stack-name': 'x' })),
    errors: [{ path: 'spec.tags', message: 'tag keys must be 1 to 128 characters and must not start with "aws:"' }],
  },
  {
    name: 'private CIDR 10.0.0.0/8 (VC3)',
    rules: ['VC3'],
    object: withSpec(full, (s) => (s.termination.cidrAllowedList = ['10.0.0.0/8'])),
    errors: [
      { path: 'spec.termination.cidrAllowedList[0]', message: '10.0.0.0/8 is not publicly routable (private range); only public CIDR blocks are allowed (VC3)' },
    ],
  },
  {
    name: 'CIDR that swallows a private range (VC3)',
    rules: ['VC3'],
    object: withSpec(full, (s) => (s.termination.cidrAllowedList = ['8.0.0.0/6'])),
    errors: [
      {
        path: 'spec.termination.cidrAllowedList[0]',
        message: '8.0.0.0/6 contains non-public addresses (10.0.0.0/8, private); only public CIDR blocks are allowed (VC3)',
      },
    ],
  },
  {
    name: 'CIDR with host bits (VC3)',
    rules: ['VC3'],
    object: withSpec(full, (s) => (s.termination.cidrAllowedList = ['54.240.196.7/24'])),
    errors: [{ path: 'spec.termination.cidrAllowedList[0]', message: '"54.240.196.7/24" has host bits set; the block is 54.240.196.0/24' }],
  },
  {
    name: 'not a CIDR (VC3)',
    rules: ['VC3'],
    object: withSpec(full, (s) => (s.termination.cidrAllowedList = ['54.240.196.0'])),
    errors: [
      { path: 'spec.termination.cidrAllowedList[0]', message: '"54.240.196.0" is not a CIDR block (such as 54.240.196.0/24)' },
    ],
  },
  {
    name: 'duplicate CIDR (set list)',
    rules: ['VC3'],
    object: withSpec(full, (s) => (s.termination.cidrAllowedList = ['54.240.196.0/24', '54.240.196.0/24'])),
    errors: [{ path: 'spec.termination.cidrAllowedList[1]', message: 'duplicate entry: "54.240.196.0/24" is already at [0]' }],
  },
  {
    name: 'duplicate credential user name (map list)',
    rules: ['VC3'],
    object: withSpec(full, (s) => s.termination.credentials.push({ username: 'pbx1', passwordSecretRef: { name: 'other', key: 'p' } })),
    errors: [{ path: 'spec.termination.credentials[1]', message: 'duplicate entry: username "pbx1" is already at [0]' }],
  },
  {
    name: 'malformed E.164 (VC3)',
    rules: ['VC3'],
    object: withSpec(full, (s) => (s.termination.defaultPhoneNumber = '2065550100')),
    errors: [{ path: 'spec.termination.defaultPhoneNumber', message: '"2065550100" is not a valid phone number in E.164 format (such as +12065550100)' }],
  },
  {
    name: 'E.164 shape but not a real number (VC3)',
    rules: ['VC3'],
    object: withSpec(full, (s) => (s.termination.defaultPhoneNumber = '+15555550100')),
    errors: [{ path: 'spec.termination.defaultPhoneNumber', message: '"+15555550100" is not a valid phone number in E.164 format (such as +12065550100)' }],
  },
  {
    name: 'termination enabled without calling regions (VC3)',
    rules: ['VC3'],
    object: withSpec(full, (s) => delete s.termination.callingRegions),
    errors: [{ path: 'spec.termination.callingRegions', message: 'termination.callingRegions needs at least one country while termination is enabled (VC3)' }],
  },
  {
    name: 'password without a Secret key',
    object: withSpec(full, (s) => delete s.termination.credentials[0].passwordSecretRef.key),
    errors: [{ path: 'spec.termination.credentials[0].passwordSecretRef.key', message: 'required field is missing' }],
  },
  {
    name: 'private origination host (VC4)',
    rules: ['VC4'],
    object: withSpec(full, (s) => (s.origination.routes[1].host = '192.168.10.5')),
    errors: [{ path: 'spec.origination.routes[1].host', message: '192.168.10.5 is not publicly routable (private range); origination hosts must be public (VC4)' }],
  },
  {
    name: 'origination priority out of range (VC4)',
    rules: ['VC4'],
    object: withSpec(full, (s) => (s.origination.routes[0].priority = 0)),
    errors: [{ path: 'spec.origination.routes[0].priority', message: 'must be at least 1' }],
  },
  {
    name: 'origination enabled without routes (VC4)',
    rules: ['VC4'],
    object: withSpec(full, (s) => {
      s.origination = {};
      s.emergencyCalling = { dnis: [] };
    }),
    errors: [{ path: 'spec.origination.routes', message: 'origination needs at least one route unless it is disabled (VC4)' }],
  },
  {
    name: 'UDP route on an encrypted connector (VC2)',
    rules: ['VC2'],
    object: withSpec(full, (s) => (s.origination.routes[0].protocol = 'UDP')),
    errors: [
      { path: 'spec.origination.routes', message: 'origination routes cannot use UDP on a Voice Connector that requires encryption: calls use TLS over TCP (VC2)' },
    ],
  },
  {
    name: 'UDP route on an unencrypted connector (VC2)',
    rules: ['VC2'],
    object: withSpec(full, (s) => {
      s.requireEncryption = false;
      s.origination.routes[0].protocol = 'UDP';
    }),
    errors: [],
  },
  {
    name: 'encryption defaults to true, so UDP is refused without it being set (VC2)',
    rules: ['VC2'],
    object: withSpec(full, (s) => {
      delete s.requireEncryption;
      s.origination.routes[0].protocol = 'UDP';
    }),
    errors: [
      { path: 'spec.origination.routes', message: 'origination routes cannot use UDP on a Voice Connector that requires encryption: calls use TLS over TCP (VC2)' },
    ],
  },
  {
    name: 'emergency calling with termination disabled (VC5)',
    rules: ['VC5'],
    object: withSpec(full, (s) => (s.termination.disabled = true)),
    errors: [
      { path: 'spec.emergencyCalling', message: 'emergency calling needs termination and origination enabled; remove emergencyCalling.dnis before disabling either (VC5)' },
    ],
  },
  {
    name: 'non-US emergency number (VC5)',
    rules: ['VC5'],
    object: withSpec(full, (s) => (s.emergencyCalling.dnis[0].emergencyPhoneNumber = '+442079460000')),
    errors: [{ path: 'spec.emergencyCalling.dnis[0]', message: 'emergency and test DNIS numbers must be US numbers (+1...) (VC5)' }],
  },
  {
    name: 'emergency calling country other than US (VC5)',
    rules: ['VC5'],
    object: withSpec(full, (s) => (s.emergencyCalling.dnis[0].callingCountry = 'CA')),
    errors: [{ path: 'spec.emergencyCalling.dnis[0].callingCountry', message: 'must be one of "US" (got "CA")' }],
  },
  {
    name: 'four notification targets (VC6)',
    rules: ['VC6'],
    object: withSpec(full, (s) => (s.streaming.notificationTargets = ['EventBridge', 'SNS', 'SQS', 'SNS'])),
    errors: [
      { path: 'spec.streaming.notificationTargets', message: 'must have at most 3 items' },
      { path: 'spec.streaming.notificationTargets[3]', message: 'duplicate entry: "SNS" is already at [1]' },
    ],
  },
  {
    name: 'bad notification target enum (VC6)',
    rules: ['VC6'],
    object: withSpec(full, (s) => (s.streaming.notificationTargets = ['Kinesis'])),
    errors: [{ path: 'spec.streaming.notificationTargets[0]', message: 'must be one of "EventBridge", "SNS", "SQS" (got "Kinesis")' }],
  },
  {
    name: 'call analytics by ARN and by reference (VC6, XOR)',
    rules: ['VC6'],
    object: withSpec(full, (s) => (s.streaming.callAnalyticsConfigurationArn = 'arn:aws:chime:us-west-2:111122223333:media-insights-pipeline-configuration/x')),
    errors: [
      {
        path: 'spec.streaming.callAnalyticsConfigurationRef',
        message: 'set callAnalyticsConfigurationArn or callAnalyticsConfigurationRef, not both: link the call analytics configuration by ARN or by reference',
      },
    ],
  },
  {
    name: 'streaming without retention (VC6)',
    rules: ['VC6'],
    object: withSpec(full, (s) => delete s.streaming.dataRetentionInHours),
    errors: [{ path: 'spec.streaming.dataRetentionInHours', message: 'streaming.dataRetentionInHours is required unless streaming is disabled (VC6)' }],
  },
  {
    name: 'disabled streaming needs no retention (VC6)',
    rules: ['VC6'],
    object: withSpec(full, (s) => (s.streaming = { disabled: true })),
    errors: [],
  },
  {
    name: 'logging field of the wrong type (VC7)',
    rules: ['VC7'],
    object: withSpec(full, (s) => (s.logging.enableMediaMetricLogs = 'yes')),
    errors: [{ path: 'spec.logging.enableMediaMetricLogs', message: 'must be a boolean (true or false)' }],
  },
  {
    name: 'bad deletionPolicy',
    object: withSpec(full, (s) => (s.deletionPolicy = 'Orphan')),
    errors: [{ path: 'spec.deletionPolicy', message: 'must be one of "Delete", "Retain" (got "Orphan")' }],
  },
  {
    name: 'bad reference name',
    object: withSpec(full, (s) => (s.streaming.callAnalyticsConfigurationRef = { name: 'Not_A_Name' })),
    errors: [
      {
        path: 'spec.streaming.callAnalyticsConfigurationRef.name',
        message: '"Not_A_Name" does not match the pattern ^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$',
      },
    ],
  },
  {
    name: 'region change refused (VC1)',
    rules: ['VC1'],
    object: withSpec(full, (s) => (s.region = 'us-east-1')),
    old: full,
    errors: [{ path: 'spec.region', message: 'region cannot change after creation; create a new object in the other region and delete this one' }],
  },
  {
    name: 'network type change refused (VC1)',
    rules: ['VC1'],
    object: withSpec(full, (s) => (s.networkType = 'DUAL_STACK')),
    old: full,
    errors: [
      { path: 'spec.networkType', message: 'networkType cannot change after creation (VC1); create a new Voice Connector and move the numbers to it' },
    ],
  },
  {
    name: 'omitting a defaulted immutable field is no change (VC1)',
    rules: ['VC1'],
    object: withSpec(full, (s) => delete s.networkType),
    old: full,
    errors: [],
  },
  {
    name: 'name and encryption change in place (VC1)',
    rules: ['VC1'],
    object: withSpec(full, (s) => {
      s.name = 'Trunk B';
      s.requireEncryption = false;
    }),
    old: full,
    errors: [],
  },
];

describe('VoiceConnector validation', () => {
  it.each(cases.map((c) => [c.name, c] as const))('%s', (_n, c) => check(c));

  it('applies defaults (VC1, VC7)', () => {
    const d = applyDefaults(obj('VoiceConnector', { logging: {} }));
    expect(d.spec).toEqual({
      region: 'us-east-1',
      requireEncryption: true,
      networkType: 'IPV4_ONLY',
      deletionPolicy: 'Delete',
      driftPolicy: 'Correct',
      logging: { enableSIPLogs: false, enableMediaMetricLogs: false },
    });
  });

  it('defaults status.observedGeneration to -1', () => {
    const d = applyDefaults({ ...obj('VoiceConnector', {}), status: {} });
    expect(d.status).toEqual({ observedGeneration: -1 });
  });

  it('does not change its input', () => {
    const o = obj('VoiceConnector', {});
    applyDefaults(o);
    validateObject(o);
    expect(o.spec).toEqual({});
  });

  it('refuses unknown kinds and API versions', () => {
    expect(validateObject({ ...full, kind: 'VoiceConector' })).toEqual([
      {
        path: 'kind',
        message: expect.stringMatching(/^unknown kind "VoiceConector"; known kinds: /),
      },
    ]);
    expect(validateObject({ ...full, apiVersion: 'chimevoice.io/v1' })).toEqual([
      { path: 'apiVersion', message: 'must be chimevoice.io/v1alpha1 (got "chimevoice.io/v1")' },
    ]);
  });

  it('refuses unknown metadata fields and a bad name', () => {
    const o = { ...obj('VoiceConnector', {}), metadata: { name: 'Trunk_A', lables: {} } };
    expect(validateObject(o)).toEqual([
      { path: 'metadata.lables', message: 'unknown field "lables"; did you mean labels?' },
      { path: 'metadata.name', message: '"Trunk_A" does not match the pattern ^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$' },
    ]);
  });
});
