/**
 * Observation of a voice profile domain: one ListVoiceProfileDomains per pass serves every domain
 * object; the domain's own Get gives its KMS key (the summary has none), and its tags the marker.
 */
import type { VoiceProfileDomainAtProvider, VoiceProfileDomainSpec } from '../../api/kinds/voice-profile-domain.js';
import { findOwned, listTags } from '../../aws/ownership.js';
import { InvalidSpecError } from '../../reconcile/errors.js';
import type { ObserveArgs } from '../../reconcile/types.js';
import { appliedTagKeysOf } from '../shared/tags.js';
import type { VoiceProfileDomainDesired } from './desired.js';

export interface VoiceProfileDomainObserved {
  voiceProfileDomainId: string;
  arn: string;
  name: string;
  /** The Region in the domain's ARN. */
  region?: string;
  description?: string;
  /** Undefined when the Get did not answer yet (API5): then not compared. */
  kmsKeyArn?: string;
  tags: Record<string, string>;
  /** The tag keys the spec declared on an earlier pass (status.atProvider). */
  appliedTagKeys?: string[];
}

interface DomainSummary {
  VoiceProfileDomainId: string;
  VoiceProfileDomainArn: string;
  Name?: string;
  Description?: string;
}

export const regionOfArn = (arn: string): string | undefined => arn.split(':')[3] || undefined;

export async function observeVoiceProfileDomain({ obj, desired, aws }: ObserveArgs<VoiceProfileDomainDesired, VoiceProfileDomainSpec, VoiceProfileDomainAtProvider>): Promise<VoiceProfileDomainObserved | undefined> {
  const domains = await aws.inventory.list<DomainSummary>({ service: 'voice', operation: 'ListVoiceProfileDomains', items: 'VoiceProfileDomains' });
  const domain = await findOwned<DomainSummary>({
    obj,
    kindLabel: 'voice profile domain',
    candidates: domains,
    idOf: (d) => d.VoiceProfileDomainId,
    nameOf: (d) => d.Name ?? '',
    awsName: desired.name,
    cachedId: obj.status?.atProvider?.voiceProfileDomainId,
    fetch: async (id) => (await aws.read<{ VoiceProfileDomain?: DomainSummary }>('voice', 'GetVoiceProfileDomain', { VoiceProfileDomainId: id }))?.VoiceProfileDomain,
    arnOf: (d) => d.VoiceProfileDomainArn,
    aws,
  });
  if (!domain) {
    // The API creates a domain in the Region it is called in: another Region cannot be honoured.
    if (desired.region !== undefined && desired.region !== aws.region) {
      throw new InvalidSpecError(`region ${desired.region}: this controller calls the Chime SDK in ${aws.region}, where the voice profile domain would be created`, 'region');
    }
    return undefined;
  }
  const [full, tags] = await Promise.all([
    aws.read<{ VoiceProfileDomain?: { ServerSideEncryptionConfiguration?: { KmsKeyArn?: string }; Description?: string } }>('voice', 'GetVoiceProfileDomain', {
      VoiceProfileDomainId: domain.VoiceProfileDomainId,
    }),
    listTags(aws, domain.VoiceProfileDomainArn),
  ]);
  const observed: VoiceProfileDomainObserved = {
    voiceProfileDomainId: domain.VoiceProfileDomainId,
    arn: domain.VoiceProfileDomainArn,
    name: domain.Name ?? '',
    tags,
  };
  const applied = appliedTagKeysOf(obj.status?.atProvider);
  if (applied) observed.appliedTagKeys = applied;
  const region = regionOfArn(domain.VoiceProfileDomainArn);
  if (region) observed.region = region;
  const description = full?.VoiceProfileDomain?.Description ?? domain.Description;
  if (description !== undefined) observed.description = description;
  const key = full?.VoiceProfileDomain?.ServerSideEncryptionConfiguration?.KmsKeyArn;
  if (key !== undefined) observed.kmsKeyArn = key;
  return observed;
}
