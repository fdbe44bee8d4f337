/** The VoiceProfileDomain kind (issue 5; A3, A4). */
import type { VoiceProfileDomainAtProvider, VoiceProfileDomainSpec } from '../../api/kinds/voice-profile-domain.js';
import { inRegion, type KindHandler } from '../../reconcile/types.js';
import { appliedTagKeys } from '../shared/tags.js';
import { voiceProfileDomainDesired, type VoiceProfileDomainDesired } from './desired.js';
import { diffVoiceProfileDomain } from './diff.js';
import { observeVoiceProfileDomain, voiceProfileDomainAnswered, type VoiceProfileDomainObserved } from './observe.js';
import { planVoiceProfileDomain, planVoiceProfileDomainDelete } from './plan.js';

export const voiceProfileDomainHandler: KindHandler<VoiceProfileDomainDesired, VoiceProfileDomainObserved, VoiceProfileDomainAtProvider, VoiceProfileDomainSpec> = {
  kind: 'VoiceProfileDomain',
  desired: voiceProfileDomainDesired,
  observe: observeVoiceProfileDomain,
  answered: voiceProfileDomainAnswered,
  diff: diffVoiceProfileDomain,
  // The API creates a domain in the region it is called in: the create goes to spec.region's endpoint
  // (the home region's when unset), and every later call to the region the domain is in.
  plan: (desired, observed, diffs) => inRegion(observed?.region ?? desired.region, planVoiceProfileDomain(desired, observed, diffs)),
  planDelete: (desired, observed) => {
    const plan = planVoiceProfileDomainDelete(desired, observed);
    return { ...plan, actions: inRegion(observed.region ?? desired.region, plan.actions) };
  },
  atProvider: (observed, desired) => ({ voiceProfileDomainId: observed.voiceProfileDomainId, arn: observed.arn, appliedTagKeys: appliedTagKeys(desired.tags, observed) }),
};

export type { VoiceProfileDomainDesired } from './desired.js';
export type { VoiceProfileDomainObserved } from './observe.js';
