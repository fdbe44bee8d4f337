/** The VoiceProfileDomain kind (issue 5; A3, A4). */
import type { VoiceProfileDomainAtProvider, VoiceProfileDomainSpec } from '../../api/kinds/voice-profile-domain.js';
import type { KindHandler } from '../../reconcile/types.js';
import { appliedTagKeys } from '../shared/tags.js';
import { voiceProfileDomainDesired, type VoiceProfileDomainDesired } from './desired.js';
import { diffVoiceProfileDomain } from './diff.js';
import { observeVoiceProfileDomain, type VoiceProfileDomainObserved } from './observe.js';
import { planVoiceProfileDomain, planVoiceProfileDomainDelete } from './plan.js';

export const voiceProfileDomainHandler: KindHandler<VoiceProfileDomainDesired, VoiceProfileDomainObserved, VoiceProfileDomainAtProvider, VoiceProfileDomainSpec> = {
  kind: 'VoiceProfileDomain',
  desired: voiceProfileDomainDesired,
  observe: observeVoiceProfileDomain,
  diff: diffVoiceProfileDomain,
  plan: planVoiceProfileDomain,
  planDelete: (desired, observed) => planVoiceProfileDomainDelete(desired, observed),
  atProvider: (observed, desired) => ({ voiceProfileDomainId: observed.voiceProfileDomainId, arn: observed.arn, appliedTagKeys: appliedTagKeys(desired.tags, observed) }),
};

export type { VoiceProfileDomainDesired } from './desired.js';
export type { VoiceProfileDomainObserved } from './observe.js';
