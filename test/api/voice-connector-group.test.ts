// VoiceConnectorGroup and VoiceGlobalSettings validation tables (issue 3). Rule ids: G1 G2 GS1.
import { describe, it } from 'vitest';
import { check, obj, withSpec, type Case } from './helpers.js';

const group = obj('VoiceConnectorGroup', {
  name: 'East West',
  voiceConnectors: [
    { voiceConnectorRef: { name: 'trunk-east' }, priority: 1 },
    { voiceConnectorId: 'abcdefghijklmnopqrstu', priority: 2 },
  ],
  callDistributionType: 'PriorityWeightedDistribution',
});

const groupCases: Case[] = [
  { name: 'by reference and by id, with priorities (G2)', rules: ['G2'], object: group, errors: [] },
  {
    name: 'both reference and id (XOR)',
    rules: ['G2'],
    object: withSpec(group, (s) => (s.voiceConnectors[0].voiceConnectorId = 'abcdefghijklmnopqrstv')),
    errors: [
      {
        path: 'spec.voiceConnectors[0]',
        message: 'set exactly one of voiceConnectorRef or voiceConnectorId: name the connector by reference or by AWS id',
      },
    ],
  },
  {
    name: 'neither reference nor id (XOR)',
    rules: ['G2'],
    object: withSpec(group, (s) => (s.voiceConnectors[0] = { priority: 1 })),
    errors: [
      {
        path: 'spec.voiceConnectors[0]',
        message: 'set exactly one of voiceConnectorRef or voiceConnectorId: name the connector by reference or by AWS id',
      },
    ],
  },
  {
    name: 'priority above 99 (G2)',
    rules: ['G2'],
    object: withSpec(group, (s) => (s.voiceConnectors[1].priority = 100)),
    errors: [{ path: 'spec.voiceConnectors[1].priority', message: 'must be at most 99' }],
  },
  {
    name: 'malformed connector id',
    object: withSpec(group, (s) => (s.voiceConnectors[1].voiceConnectorId = 'VC-1')),
    errors: [
      {
        path: 'spec.voiceConnectors[1].voiceConnectorId',
        message: '"VC-1" does not match the pattern ^([a-z0-9]{21,22}|[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12})$',
      },
    ],
  },
  {
    name: 'the same connector twice',
    object: withSpec(group, (s) => s.voiceConnectors.push({ voiceConnectorRef: { name: 'trunk-east' }, priority: 3 })),
    errors: [{ path: 'spec.voiceConnectors', message: 'each Voice Connector may appear only once in a group' }],
  },
  {
    name: 'more than 3 connectors',
    object: withSpec(group, (s) =>
      s.voiceConnectors.push({ voiceConnectorRef: { name: 'c' }, priority: 3 }, { voiceConnectorRef: { name: 'd' }, priority: 4 }),
    ),
    errors: [{ path: 'spec.voiceConnectors', message: 'must have at most 3 items' }],
  },
  {
    name: 'unknown call distribution type',
    object: withSpec(group, (s) => (s.callDistributionType = 'RoundRobin')),
    errors: [
      {
        path: 'spec.callDistributionType',
        message: 'must be one of "PriorityWeightedDistribution", "LoadBalancedDistribution" (got "RoundRobin")',
      },
    ],
  },
  {
    name: 'unknown field in an item',
    object: withSpec(group, (s) => (s.voiceConnectors[0].weight = 1)),
    errors: [{ path: 'spec.voiceConnectors[0].weight', message: 'unknown field "weight"' }],
  },
];

const settings = obj('VoiceGlobalSettings', { voiceConnector: { cdrBucket: 'acme-chime-cdrs' } }, 'account');

const settingsCases: Case[] = [
  { name: 'CDR bucket (GS1)', rules: ['GS1'], object: settings, errors: [] },
  { name: 'not managed', object: obj('VoiceGlobalSettings', {}), errors: [] },
  {
    name: 'bucket with upper case (GS1)',
    rules: ['GS1'],
    object: withSpec(settings, (s) => (s.voiceConnector.cdrBucket = 'Acme-CDRs')),
    errors: [{ path: 'spec.voiceConnector.cdrBucket', message: '"Acme-CDRs" does not match the pattern ^[a-z0-9][a-z0-9-]{1,61}[a-z0-9]$' }],
  },
  {
    name: 'bucket with a reserved suffix (GS1, the model lookahead as CEL)',
    rules: ['GS1'],
    object: withSpec(settings, (s) => (s.voiceConnector.cdrBucket = 'cdrs-s3alias')),
    errors: [{ path: 'spec.voiceConnector.cdrBucket', message: 'an S3 bucket name cannot start with "xn--" or end with "-s3alias"' }],
  },
  {
    name: 'spec missing',
    object: { apiVersion: 'chimevoice.io/v1alpha1', kind: 'VoiceGlobalSettings', metadata: { name: 'account' } },
    errors: [{ path: 'spec', message: 'required field is missing' }],
  },
  {
    name: 'unknown field',
    object: withSpec(settings, (s) => (s.voiceConnector.bucket = 'x')),
    errors: [{ path: 'spec.voiceConnector.bucket', message: 'unknown field "bucket"' }],
  },
];

describe('VoiceConnectorGroup validation', () => {
  it.each(groupCases.map((c) => [c.name, c] as const))('%s', (_n, c) => check(c));
});

describe('VoiceGlobalSettings validation', () => {
  it.each(settingsCases.map((c) => [c.name, c] as const))('%s', (_n, c) => check(c));
});
