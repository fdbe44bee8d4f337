/**
 * The desired voice profile domain in AWS terms (A3, A4): name, description, the KMS key that
 * encrypts the voice prints, tags with the ownership marker, and a deterministic client request
 * token so that a create retried after a crash is idempotent on AWS's side too.
 */
import { createHash } from 'node:crypto';
import type { BiometricConsent, VoiceProfileDomainSpec, VoiceProfileDomainAtProvider } from '../../api/kinds/voice-profile-domain.js';
import { ownerValue } from '../../aws/ownership.js';
import { BlockedError, InvalidSpecError } from '../../reconcile/errors.js';
import type { DesiredContext, ManagedObject } from '../../reconcile/types.js';
import { declaredTags, type DesiredTags } from '../shared/tags.js';

/** CreateVoiceProfileDomain takes at most 50 tags (A4), the ownership marker included. */
export const MAX_DOMAIN_TAGS = 50;
const KMS_KEY_ARN = /^arn:aws[a-zA-Z-]*:kms:[a-z0-9-]+:\d{12}:key\/[A-Za-z0-9-]+$/;

export interface VoiceProfileDomainDesired {
  /** The AWS name: spec.name, else metadata.name. */
  name: string;
  /** Compared only when the spec sets it; it never changes (a replacement). */
  region?: string;
  description?: string;
  /** The domain's KMS key: AWS has no way to change it, so a different key is a replacement. */
  kmsKeyArn: string;
  /** The spec's tags plus the ownership marker (src/kinds/shared/tags.ts). */
  tags: DesiredTags;
  /** Same object, same parameters: same token. */
  clientRequestToken: string;
  /**
   * Set (in plan and delete mode only) when the consent acknowledgement is missing: plan refuses
   * to act on it, deletion still works. Outside those modes `desired` throws instead (A3).
   */
  consentMissing?: string;
}

/**
 * A deterministic ClientRequestToken (2-64 of [-_a-zA-Z0-9]) from the object's identity and the
 * create's parameters: a retried create returns the resource the first attempt made.
 */
export function clientRequestToken(kind: string, obj: Pick<ManagedObject, 'metadata'>, ...parameters: string[]): string {
  const identity = obj.metadata.uid ?? ownerValue(obj);
  return `cvo-${createHash('sha256').update([kind, identity, ...parameters].join('\n')).digest('hex').slice(0, 48)}`;
}

/** The A3 error: terminal (no retry) with reason ConsentRequired, raised before any AWS call. */
export function consentRequired(message: string): BlockedError {
  return new BlockedError(message, 'ConsentRequired');
}

export const consentGiven = (consent: BiometricConsent | undefined) => consent?.acknowledged === true;

export function voiceProfileDomainDesired(obj: ManagedObject<VoiceProfileDomainSpec, VoiceProfileDomainAtProvider>, ctx: DesiredContext): VoiceProfileDomainDesired {
  const spec = obj.spec ?? ({} as VoiceProfileDomainSpec);
  const name = spec.name ?? obj.metadata.name;
  if (!/^[a-zA-Z0-9 _.-]{1,256}$/.test(name)) {
    throw new InvalidSpecError(`name "${name}" (spec.name, else metadata.name): a voice profile domain name has 1 to 256 of the characters a-z A-Z 0-9 space _ . -`, 'name');
  }
  if (!KMS_KEY_ARN.test(spec.kmsKeyArn ?? '')) {
    throw new InvalidSpecError(
      `kmsKeyArn ${JSON.stringify(spec.kmsKeyArn)} is not the ARN of a symmetric KMS key (arn:aws:kms:<region>:<account>:key/<key id>); aliases are not accepted (A4)`,
      'kmsKeyArn',
    );
  }
  const desired: VoiceProfileDomainDesired = {
    name,
    kmsKeyArn: spec.kmsKeyArn,
    tags: declaredTags(obj, spec.tags, MAX_DOMAIN_TAGS),
    clientRequestToken: clientRequestToken('VoiceProfileDomain', obj, name, spec.kmsKeyArn),
  };
  if (spec.region !== undefined) desired.region = spec.region;
  if (spec.description !== undefined) desired.description = spec.description;
  if (!consentGiven(spec.consent)) {
    const message =
      `voice profile domain ${name} stores voice prints, which are biometric data: set spec.consent.acknowledged: true ` +
      `once the notices and consents speaker search requires are in place (A3); nothing was created`;
    // Deletion (and plan, which must show it) runs lenient: removing a domain needs no consent.
    if (!ctx.lenient) throw consentRequired(message);
    desired.consentMissing = message;
  }
  return desired;
}
