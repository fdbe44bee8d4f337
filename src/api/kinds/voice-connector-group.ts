// VoiceConnectorGroup: Voice Connectors, possibly in several regions, that inbound calls fail over
// across by priority (issue 3; G1-G3).
import { LIMITS } from '../../domain/limits.js';
import type { Static } from '@sinclair/typebox';
import { AwsName, PATTERNS, Ref, StatusSchema, commonSpecFields, type ChimeObject, type CommonStatus } from '../common.js';
import { ageColumn, defineKind, readyDriftedColumns } from '../kind.js';
import { Int, List, Obj, Optional, Str, StringEnum, cel, has } from '../schema.js';

/** CallDistributionType in the voice model (CreateVoiceConnectorGroup, UpdateVoiceConnectorGroup). */
export const CALL_DISTRIBUTION_TYPES = ['PriorityWeightedDistribution', 'LoadBalancedDistribution'] as const;

export const VoiceConnectorGroupItem = Obj(
  {
    voiceConnectorRef: Optional(Ref('VoiceConnector', 'a connector managed here; the group waits until it is Ready.')),
    voiceConnectorId: Optional(Str('The id of a Voice Connector not managed here.', { pattern: PATTERNS.voiceConnectorId })),
    priority: Int('The priority of this connector, 1 to 99; 1 is tried first (G2).', { minimum: 1, maximum: 99 }),
  },
  'A Voice Connector of the group, by reference or by id, with its priority.',
  {
    rules: [
      cel(
        'has(self.voiceConnectorRef) != has(self.voiceConnectorId)',
        'set exactly one of voiceConnectorRef or voiceConnectorId: name the connector by reference or by AWS id',
        (self) => has(self, 'voiceConnectorRef') !== has(self, 'voiceConnectorId'),
      ),
    ],
  },
);

export const VoiceConnectorGroupSpec = Obj(
  {
    name: Optional(AwsName('Voice Connector group', { minLength: 1, maxLength: 256, pattern: PATTERNS.chimeName })),
    voiceConnectors: Optional(
      List(VoiceConnectorGroupItem, `The Voice Connectors inbound calls are routed to (at most ${LIMITS.voiceConnectorsPerGroup.max} per group). When given, the list is complete.`, {
        maxItems: LIMITS.voiceConnectorsPerGroup.max,
        rules: [
          cel(
            'self.all(a, !has(a.voiceConnectorRef) || self.exists_one(b, has(b.voiceConnectorRef) && b.voiceConnectorRef.name == a.voiceConnectorRef.name)) && self.all(a, !has(a.voiceConnectorId) || self.exists_one(b, has(b.voiceConnectorId) && b.voiceConnectorId == a.voiceConnectorId))',
            'each Voice Connector may appear only once in a group',
            (self: Array<{ voiceConnectorRef?: { name?: string }; voiceConnectorId?: string }>) =>
              self.every((a) => !has(a, 'voiceConnectorRef') || self.filter((b) => has(b, 'voiceConnectorRef') && b.voiceConnectorRef?.name === a.voiceConnectorRef?.name).length === 1) &&
              self.every((a) => !has(a, 'voiceConnectorId') || self.filter((b) => has(b, 'voiceConnectorId') && b.voiceConnectorId === a.voiceConnectorId).length === 1),
          ),
        ],
      }),
    ),
    callDistributionType: Optional(
      StringEnum(
        CALL_DISTRIBUTION_TYPES,
        'How calls are distributed across the connectors: PriorityWeightedDistribution or LoadBalancedDistribution. AWS decides when omitted.',
      ),
    ),
    ...commonSpecFields,
  },
  'The desired state of the Voice Connector group.',
);
export type VoiceConnectorGroupSpec = Static<typeof VoiceConnectorGroupSpec>;

export const VoiceConnectorGroupAtProvider = Obj(
  {
    voiceConnectorGroupId: Optional(Str('The Voice Connector group id.')),
    arn: Optional(Str('The Voice Connector group ARN.')),
  },
  'The Voice Connector group in AWS.',
);
export type VoiceConnectorGroupAtProvider = Static<typeof VoiceConnectorGroupAtProvider>;

export const VoiceConnectorGroupStatus = StatusSchema('VoiceConnectorGroup', VoiceConnectorGroupAtProvider);
export type VoiceConnectorGroupStatus = CommonStatus<VoiceConnectorGroupAtProvider>;
export type VoiceConnectorGroup = ChimeObject<'VoiceConnectorGroup', VoiceConnectorGroupSpec, VoiceConnectorGroupStatus>;

export const VoiceConnectorGroupKind = defineKind({
  kind: 'VoiceConnectorGroup',
  plural: 'voiceconnectorgroups',
  singular: 'voiceconnectorgroup',
  shortNames: ['vcg'],
  categories: ['chime'],
  description:
    'An Amazon Chime SDK Voice Connector group: Voice Connectors, possibly in different regions, that inbound PSTN calls fail over across in priority order. At most 3 groups per account (G1).',
  spec: VoiceConnectorGroupSpec,
  status: VoiceConnectorGroupStatus,
  printerColumns: [
    ...readyDriftedColumns(),
    { name: 'ID', type: 'string', jsonPath: '.status.atProvider.voiceConnectorGroupId', description: 'The Voice Connector group id.' },
    ageColumn,
  ],
  extraConditionTypes: [],
  awsName: { maxLength: 256, pattern: PATTERNS.chimeName },
});
