// VoiceProfileDomain: the store of voice profiles for speaker search (issue 5; A3, A4).
import type { Static } from '@sinclair/typebox';
import { AwsName, PATTERNS, Region, StatusSchema, Tags, AppliedTagKeys, commonSpecFields, type ChimeObject, type CommonStatus } from '../common.js';
import { ageColumn, defineKind, readyDriftedColumns } from '../kind.js';
import { Bool, Obj, Optional, Str, immutable } from '../schema.js';

/**
 * The administrator's acknowledgement that biometric data (voice prints) will be processed (A3).
 * Without `acknowledged: true` nothing biometric is created and the Ready condition says why.
 */
export const BiometricConsent = Obj(
  {
    acknowledged: Bool(
      'true acknowledges that speaker search and voice analytics process biometric data and that the required notices and consents are in place (A3).',
    ),
    acknowledgedBy: Optional(Str('Who acknowledged, such as an e-mail address or a team.', { maxLength: 256 })),
    reference: Optional(Str('Where the decision is recorded, such as a ticket or document link.', { maxLength: 1024 })),
  },
  'Explicit consent acknowledgement for biometric processing (A3).',
);
export type BiometricConsent = Static<typeof BiometricConsent>;

export const VoiceProfileDomainSpec = Obj(
  {
    name: Optional(AwsName('voice profile domain', { minLength: 1, maxLength: 256, pattern: PATTERNS.chimeName })),
    region: Optional(Region('The AWS Region of the domain. Cannot change after creation.')),
    description: Optional(Str('A description of the domain, at most 1024 characters (A4).', { maxLength: 1024 })),
    kmsKeyArn: Str('The ARN of the symmetric KMS key that encrypts the voice profiles (A4). Cannot change after creation.', {
      minLength: 1,
      maxLength: 1024,
      pattern: PATTERNS.arn,
      rules: [immutable('kmsKeyArn cannot change after creation; AWS keeps the key of a domain for its lifetime')],
    }),
    tags: Optional(Tags()),
    consent: Optional(BiometricConsent),
    ...commonSpecFields,
  },
  'The desired state of the voice profile domain. Deleting it (deletionPolicy Delete) deletes every voice profile in it, irreversibly (A4).',
);
export type VoiceProfileDomainSpec = Static<typeof VoiceProfileDomainSpec>;

export const VoiceProfileDomainAtProvider = Obj(
  {
    voiceProfileDomainId: Optional(Str('The voice profile domain id.')),
    arn: Optional(Str('The voice profile domain ARN.')),
    appliedTagKeys: Optional(AppliedTagKeys()),
  },
  'The voice profile domain in AWS.',
);
export type VoiceProfileDomainAtProvider = Static<typeof VoiceProfileDomainAtProvider>;

export const VoiceProfileDomainStatus = StatusSchema('VoiceProfileDomain', VoiceProfileDomainAtProvider);
export type VoiceProfileDomainStatus = CommonStatus<VoiceProfileDomainAtProvider>;
export type VoiceProfileDomain = ChimeObject<'VoiceProfileDomain', VoiceProfileDomainSpec, VoiceProfileDomainStatus>;

export const VoiceProfileDomainKind = defineKind({
  kind: 'VoiceProfileDomain',
  plural: 'voiceprofiledomains',
  singular: 'voiceprofiledomain',
  shortNames: ['vpd'],
  categories: ['chime'],
  description:
    'An Amazon Chime SDK voice profile domain for speaker search. Needs an explicit consent acknowledgement (A3); an account has at most 3 by default (A4).',
  spec: VoiceProfileDomainSpec,
  status: VoiceProfileDomainStatus,
  printerColumns: [
    ...readyDriftedColumns(),
    { name: 'ID', type: 'string', jsonPath: '.status.atProvider.voiceProfileDomainId', description: 'The voice profile domain id.' },
    ageColumn,
  ],
  extraConditionTypes: ['ConsentRequired'],
  awsName: { maxLength: 256, pattern: PATTERNS.chimeName },
});
