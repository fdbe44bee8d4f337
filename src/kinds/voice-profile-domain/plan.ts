/**
 * Pure planning for voice profile domains. A4 (3 domains by default) is not pre-counted: AWS's
 * ResourceLimitExceeded answer is terminal and becomes a Stalled condition with AWS's message.
 */
import type { VoiceProfileDomainAtProvider } from '../../api/kinds/voice-profile-domain.js';
import { touches } from '../../reconcile/diff.js';
import type { DeletePlan, Difference, PlannedAction } from '../../reconcile/types.js';
import { awsTags, tagActions } from '../shared/tags.js';
import { consentRequired, type VoiceProfileDomainDesired } from './desired.js';
import type { VoiceProfileDomainObserved } from './observe.js';


export function planVoiceProfileDomain(desired: VoiceProfileDomainDesired, observed: VoiceProfileDomainObserved | undefined, diffs: Difference[]): PlannedAction<VoiceProfileDomainAtProvider>[] {
  if (desired.consentMissing !== undefined) throw consentRequired(desired.consentMissing);
  if (observed === undefined) {
    return [
      {
        service: 'voice',
        operation: 'CreateVoiceProfileDomain',
        input: {
          Name: desired.name,
          ...(desired.description !== undefined ? { Description: desired.description } : {}),
          ServerSideEncryptionConfiguration: { KmsKeyArn: desired.kmsKeyArn },
          ClientRequestToken: desired.clientRequestToken,
          Tags: awsTags(desired.tags),
        },
        description: `create voice profile domain "${desired.name}" encrypted with KMS key ${desired.kmsKeyArn}`,
        captures: { VoiceProfileDomainId: 'VoiceProfileDomain.VoiceProfileDomainId', Arn: 'VoiceProfileDomain.VoiceProfileDomainArn' },
      },
    ];
  }
  const inPlace = diffs.filter((d) => !d.requiresReplacement);
  const actions: PlannedAction<VoiceProfileDomainAtProvider>[] = [];
  const rename = touches(inPlace, 'name');
  const describe = touches(inPlace, 'description');
  if (rename || describe) {
    actions.push({
      service: 'voice',
      operation: 'UpdateVoiceProfileDomain',
      input: {
        VoiceProfileDomainId: observed.voiceProfileDomainId,
        ...(rename ? { Name: desired.name } : {}),
        ...(describe ? { Description: desired.description } : {}),
      },
      description: `update voice profile domain ${observed.voiceProfileDomainId}: ${[rename ? `name "${desired.name}"` : '', describe ? `description ${JSON.stringify(desired.description)}` : '']
        .filter(Boolean)
        .join(', ')}`,
      fixes: [...(rename ? ['name'] : []), ...(describe ? ['description'] : [])],
    });
  }
  actions.push(...tagActions({ service: 'voice', arn: observed.arn, label: `voice profile domain ${observed.voiceProfileDomainId}`, desired: desired.tags, diffs: inPlace }));
  return actions;
}

/** A4: deleting a domain deletes every voice profile in it, for good; deletionPolicy Delete asked for it. */
export function planVoiceProfileDomainDelete(_desired: VoiceProfileDomainDesired, observed: VoiceProfileDomainObserved): DeletePlan<VoiceProfileDomainAtProvider> {
  return {
    actions: [
      {
        service: 'voice',
        operation: 'DeleteVoiceProfileDomain',
        input: { VoiceProfileDomainId: observed.voiceProfileDomainId },
        description: `delete voice profile domain ${observed.voiceProfileDomainId} ("${observed.name}") and every voice profile in it; this cannot be undone (A4)`,
      },
    ],
    blockers: [],
  };
}
