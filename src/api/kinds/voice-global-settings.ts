// VoiceGlobalSettings: the account-wide Voice Connector settings, i.e. the call detail record
// bucket (issue 3; GS1). One per AWS account; a second object for the same account is reported as
// a conflict by the engine (a schema cannot see other objects).
import type { Static } from '@sinclair/typebox';
import { StatusSchema, commonSpecFields, type ChimeObject, type CommonStatus } from '../common.js';
import { ageColumn, defineKind, readyDriftedColumns } from '../kind.js';
import { Obj, Optional, Str, cel } from '../schema.js';

export const VoiceConnectorSettings = Obj(
  {
    cdrBucket: Optional(
      Str(
        'The S3 bucket that receives the call detail records of every Voice Connector of the account, under Amazon-Chime-Voice-Connector-CDRs/json/<connector id>/ (GS1).',
        {
          minLength: 3,
          maxLength: 63,
          // S3BucketName in the model; its lookahead is not RE2, so that part is a CEL rule below.
          pattern: '^[a-z0-9][a-z0-9-]{1,61}[a-z0-9]$',
          rules: [
            cel(
              "!self.startsWith('xn--') && !self.endsWith('-s3alias')",
              'an S3 bucket name cannot start with "xn--" or end with "-s3alias"',
              (self: string) => !self.startsWith('xn--') && !self.endsWith('-s3alias'),
            ),
          ],
        },
      ),
    ),
  },
  'Voice Connector settings of the account. Not managed when omitted.',
);

export const VoiceGlobalSettingsSpec = Obj(
  {
    voiceConnector: Optional(VoiceConnectorSettings),
    ...commonSpecFields,
  },
  'The desired account-wide settings. deletionPolicy Delete clears the settings when the object is deleted.',
);
export type VoiceGlobalSettingsSpec = Static<typeof VoiceGlobalSettingsSpec>;

export const VoiceGlobalSettingsAtProvider = Obj(
  {
    accountId: Optional(Str('The AWS account these settings belong to.', { pattern: '^\\d{12}$' })),
    cdrBucket: Optional(Str('The call detail record bucket AWS reports.')),
  },
  'The settings in AWS.',
);
export type VoiceGlobalSettingsAtProvider = Static<typeof VoiceGlobalSettingsAtProvider>;

export const VoiceGlobalSettingsStatus = StatusSchema('VoiceGlobalSettings', VoiceGlobalSettingsAtProvider);
export type VoiceGlobalSettingsStatus = CommonStatus<VoiceGlobalSettingsAtProvider>;
export type VoiceGlobalSettings = ChimeObject<'VoiceGlobalSettings', VoiceGlobalSettingsSpec, VoiceGlobalSettingsStatus>;

export const VoiceGlobalSettingsKind = defineKind({
  kind: 'VoiceGlobalSettings',
  plural: 'voiceglobalsettings',
  singular: 'voiceglobalsettings',
  shortNames: ['vgs'],
  categories: ['chime'],
  description:
    'The account-wide Amazon Chime SDK Voice settings (the call detail record bucket). One per AWS account; a second one for the same account is reported as a conflict (Stalled), not fought over.',
  spec: VoiceGlobalSettingsSpec,
  status: VoiceGlobalSettingsStatus,
  printerColumns: [
    ...readyDriftedColumns(),
    { name: 'Account', type: 'string', jsonPath: '.status.atProvider.accountId' },
    { name: 'CDR-Bucket', type: 'string', jsonPath: '.spec.voiceConnector.cdrBucket' },
    ageColumn,
  ],
  extraConditionTypes: ['Conflict'],
});
