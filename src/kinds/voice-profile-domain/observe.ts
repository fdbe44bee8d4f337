/**
 * Observation of a voice profile domain: one ListVoiceProfileDomains per pass serves every domain
 * object; the domain's own Get gives its KMS key (the summary has none), and its tags the marker.
 */
import type { VoiceProfileDomainAtProvider, VoiceProfileDomainSpec } from '../../api/kinds/voice-profile-domain.js';
import { findOwned, listTags } from '../../aws/ownership.js';
import type { Answered, ExecutedAction, ObserveArgs } from '../../reconcile/types.js';
import { appliedTagKeysOf } from '../shared/tags.js';
import type { VoiceProfileDomainDesired } from './desired.js';
import { regionOfArn } from '../../core/aws-port.js';

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


export async function observeVoiceProfileDomain({ obj, desired, aws: account }: ObserveArgs<VoiceProfileDomainDesired, unknown, VoiceProfileDomainSpec, VoiceProfileDomainAtProvider>): Promise<VoiceProfileDomainObserved | undefined> {
  // A domain lives in the region whose endpoint created it: read it there (where its ARN says it was
  // seen, else spec.region, else the home region), so a changed spec.region shows as a replacement.
  const seenIn = typeof obj.status?.atProvider?.arn === 'string' ? regionOfArn(obj.status.atProvider.arn) : undefined;
  const aws = account.in(seenIn ?? desired.region ?? account.region);
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
  if (!domain) return undefined;
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

interface AwsDomain extends DomainSummary {
  ServerSideEncryptionConfiguration?: { KmsKeyArn?: string };
}

/**
 * Pure: the domain after its plan ran. CreateVoiceProfileDomain and UpdateVoiceProfileDomain answer
 * with the whole domain (its key included), and a create's tags are the ones it carried; a tag
 * change (TagResource and UntagResource answer nothing) or a write without its answer: undefined,
 * observed in full.
 */
export function voiceProfileDomainAnswered(before: VoiceProfileDomainObserved | undefined, _desired: VoiceProfileDomainDesired, executed: ExecutedAction[]): Answered<VoiceProfileDomainObserved> | undefined {
  let observed = before;
  for (const { action, ok, output } of executed) {
    if (action.operation !== 'CreateVoiceProfileDomain' && action.operation !== 'UpdateVoiceProfileDomain') return undefined;
    const domain = ok ? (output as { VoiceProfileDomain?: AwsDomain } | undefined)?.VoiceProfileDomain : undefined;
    if (!domain?.VoiceProfileDomainId || !domain.VoiceProfileDomainArn) return undefined;
    const tags = observed?.tags ?? Object.fromEntries(((action.input.Tags ?? []) as Array<{ Key: string; Value: string }>).map((t) => [t.Key, t.Value]));
    const region = regionOfArn(domain.VoiceProfileDomainArn);
    const key = domain.ServerSideEncryptionConfiguration?.KmsKeyArn;
    observed = {
      voiceProfileDomainId: domain.VoiceProfileDomainId,
      arn: domain.VoiceProfileDomainArn,
      name: domain.Name ?? '',
      tags,
      ...(observed?.appliedTagKeys ? { appliedTagKeys: observed.appliedTagKeys } : {}),
      ...(region ? { region } : {}),
      ...(domain.Description !== undefined ? { description: domain.Description } : {}),
      ...(key !== undefined ? { kmsKeyArn: key } : {}),
    };
  }
  return observed ? { observed, unread: [] } : undefined;
}
