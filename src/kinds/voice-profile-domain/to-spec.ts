/**
 * Pure: the spec of a voice profile domain as AWS holds it, for `import`. The biometric consent
 * (A3) is a person's acknowledgement, never inferred from AWS: it is written only when the one
 * running the import gives it (`acknowledgedBy`), otherwise the object waits for it.
 */
import type { VoiceProfileDomainSpec } from '../../api/kinds/voice-profile-domain.js';
import { declarableTags } from '../shared/import.js';
import type { VoiceProfileDomainObserved } from './observe.js';

export interface ConsentOptions {
  /** Who acknowledges biometric processing for the imported resources; undefined: nobody did. */
  acknowledgedBy?: string;
}

export function consentSpec(opts: ConsentOptions): { acknowledged: boolean; acknowledgedBy?: string; reference?: string } {
  return opts.acknowledgedBy !== undefined
    ? { acknowledged: true, acknowledgedBy: opts.acknowledgedBy, reference: 'given to chime-voice-operator import for a resource that already existed in AWS' }
    : { acknowledged: false };
}

export function voiceProfileDomainToSpec(observed: VoiceProfileDomainObserved, opts: ConsentOptions): VoiceProfileDomainSpec {
  const tags = declarableTags(observed.tags);
  return {
    name: observed.name,
    ...(observed.region ? { region: observed.region } : {}),
    ...(observed.description !== undefined && observed.description !== '' ? { description: observed.description } : {}),
    kmsKeyArn: observed.kmsKeyArn ?? '',
    ...(tags ? { tags } : {}),
    consent: consentSpec(opts),
  };
}
