/**
 * Observation of a call analytics configuration: one ListMediaInsightsPipelineConfigurations per
 * pass serves every object; the configuration's Get gives its elements and alert rules, and its
 * tags (through the media pipelines API) carry the ownership marker. Only a deletion (or plan)
 * looks for the voice connectors that link the configuration (A2).
 */
import { EXTERNAL_ID_ANNOTATION, OWNER_TAG_KEY, externalId, ownerValue } from '../../aws/ownership.js';
import type { AwsPort } from '../../core/aws-port.js';
import { BlockedError, InvalidSpecError, OwnershipConflictError } from '../../reconcile/errors.js';
import type { ManagedObject, ObserveArgs } from '../../reconcile/types.js';
import { fromAws, type AlertConfiguration, type CallAnalyticsConfigurationDesired, type Element } from './desired.js';

export interface LinkingConnector {
  voiceConnectorId: string;
  name?: string;
}

export interface CallAnalyticsConfigurationObserved {
  mediaInsightsPipelineConfigurationId: string;
  arn: string;
  name: string;
  region?: string;
  resourceAccessRoleArn?: string;
  /** In the spec's camelCase. */
  elements: Element[];
  realTimeAlertConfiguration?: AlertConfiguration;
  tags: Record<string, string>;
  /** Connectors whose streaming links the configuration; undefined when not read (see readLinks). */
  linkedBy?: LinkingConnector[];
}

interface ConfigSummary {
  MediaInsightsPipelineConfigurationName?: string;
  MediaInsightsPipelineConfigurationId?: string;
  MediaInsightsPipelineConfigurationArn?: string;
}

const regionOfArn = (arn: string): string | undefined => arn.split(':')[3] || undefined;

/** Tags through the media pipelines API (its own endpoint on AWS), read once per pass per ARN. */
export async function pipelineTags(aws: AwsPort, arn: string): Promise<Record<string, string>> {
  const tags = await aws.inventory.list<{ Key: string; Value: string }>({
    service: 'mediaPipelines',
    operation: 'ListTagsForResource',
    input: { ResourceARN: arn },
    items: 'Tags',
    paged: false,
  });
  return Object.fromEntries(tags.map((t) => [t.Key, t.Value]));
}

/**
 * The configuration that belongs to `obj`: the adopted one (annotation: its id, ARN or name), the
 * cached one, then the one with the object's AWS name if it carries the object's marker. Names are
 * unique in an account and Region, so a same-named configuration without the marker is a conflict.
 */
async function findConfiguration(obj: ManagedObject, desired: CallAnalyticsConfigurationDesired, all: ConfigSummary[], aws: AwsPort): Promise<ConfigSummary | undefined> {
  const matches = (c: ConfigSummary, id: string) =>
    c.MediaInsightsPipelineConfigurationId === id || c.MediaInsightsPipelineConfigurationArn === id || c.MediaInsightsPipelineConfigurationName === id;
  // Listings lag behind creates (API5): an id the listing does not show is read by id.
  const fetch = async (id: string): Promise<ConfigSummary | undefined> =>
    all.find((c) => matches(c, id)) ??
    (await aws.read<{ MediaInsightsPipelineConfiguration?: ConfigSummary }>('mediaPipelines', 'GetMediaInsightsPipelineConfiguration', { Identifier: id }))
      ?.MediaInsightsPipelineConfiguration;
  const adopt = externalId(obj);
  if (adopt) {
    const found = await fetch(adopt);
    if (!found) throw new OwnershipConflictError(`call analytics configuration ${adopt} named by annotation ${EXTERNAL_ID_ANNOTATION} does not exist in AWS`);
    return found;
  }
  const at = obj.status?.atProvider ?? {};
  const cached = all.find(
    (c) =>
      (at.arn !== undefined && c.MediaInsightsPipelineConfigurationArn === at.arn) ||
      (at.mediaInsightsPipelineConfigurationId !== undefined && c.MediaInsightsPipelineConfigurationId === at.mediaInsightsPipelineConfigurationId),
  );
  if (cached) return cached;
  const cachedId = (at.arn ?? at.mediaInsightsPipelineConfigurationId) as string | undefined;
  const fetched = cachedId !== undefined ? await fetch(cachedId) : undefined;
  if (fetched) return fetched;
  const sameName = all.find((c) => c.MediaInsightsPipelineConfigurationName === desired.name);
  if (!sameName) return undefined;
  const marker = (await pipelineTags(aws, sameName.MediaInsightsPipelineConfigurationArn!))[OWNER_TAG_KEY];
  if (marker === ownerValue(obj)) return sameName;
  throw new OwnershipConflictError(
    `a call analytics configuration named "${desired.name}" already exists in AWS (${sameName.MediaInsightsPipelineConfigurationArn}${marker ? `, owned by ${marker}` : ''}) and was not created by this object; ` +
      `to manage it, set the annotation ${EXTERNAL_ID_ANNOTATION}: <its ARN>, or choose another spec.name`,
  );
}

/** Voice connectors whose streaming configuration links `arn` (A2): one listing, then each connector's streaming. */
async function linkingConnectors(aws: AwsPort, arn: string): Promise<LinkingConnector[]> {
  const connectors = await aws.inventory.list<{ VoiceConnectorId: string; Name?: string }>({ service: 'voice', operation: 'ListVoiceConnectors', items: 'VoiceConnectors' });
  const links = await Promise.all(
    connectors.map(async (vc) => {
      const out = await aws.read<{ StreamingConfiguration?: { MediaInsightsConfiguration?: { ConfigurationArn?: string } } }>(
        'voice',
        'GetVoiceConnectorStreamingConfiguration',
        { VoiceConnectorId: vc.VoiceConnectorId },
      );
      return out?.StreamingConfiguration?.MediaInsightsConfiguration?.ConfigurationArn === arn ? vc : undefined;
    }),
  );
  return links.filter((vc) => vc !== undefined).map((vc) => ({ voiceConnectorId: vc.VoiceConnectorId, ...(vc.Name ? { name: vc.Name } : {}) }));
}

export async function observeCallAnalyticsConfiguration({
  obj,
  desired,
  aws,
}: ObserveArgs<CallAnalyticsConfigurationDesired>): Promise<CallAnalyticsConfigurationObserved | undefined> {
  const all = await aws.inventory.list<ConfigSummary>({
    service: 'mediaPipelines',
    operation: 'ListMediaInsightsPipelineConfigurations',
    items: 'MediaInsightsPipelineConfigurations',
  });
  const summary = await findConfiguration(obj, desired, all, aws);
  if (!summary) {
    if (desired.region !== undefined && desired.region !== aws.region) {
      throw new InvalidSpecError(`region ${desired.region}: this controller calls the Chime SDK in ${aws.region}, where the configuration would be created`, 'region');
    }
    return undefined;
  }
  const arn = summary.MediaInsightsPipelineConfigurationArn!;
  const [full, tags, linkedBy] = await Promise.all([
    aws.read<{ MediaInsightsPipelineConfiguration?: Record<string, unknown> }>('mediaPipelines', 'GetMediaInsightsPipelineConfiguration', { Identifier: arn }),
    pipelineTags(aws, arn),
    desired.readLinks ? linkingConnectors(aws, arn) : Promise.resolve(undefined),
  ]);
  // Listed but not yet readable (API5): look again soon; never plan a second create for it.
  if (!full?.MediaInsightsPipelineConfiguration) {
    throw new BlockedError(`call analytics configuration ${arn} is listed but not yet readable`, 'AwaitingConsistency', 5_000);
  }
  const config = fromAws(full.MediaInsightsPipelineConfiguration) as {
    resourceAccessRoleArn?: string;
    elements?: Element[];
    realTimeAlertConfiguration?: AlertConfiguration;
  };
  const observed: CallAnalyticsConfigurationObserved = {
    mediaInsightsPipelineConfigurationId: summary.MediaInsightsPipelineConfigurationId!,
    arn,
    name: summary.MediaInsightsPipelineConfigurationName ?? '',
    elements: config.elements ?? [],
    tags,
  };
  const region = regionOfArn(arn);
  if (region) observed.region = region;
  if (config.resourceAccessRoleArn !== undefined) observed.resourceAccessRoleArn = config.resourceAccessRoleArn;
  if (config.realTimeAlertConfiguration !== undefined) observed.realTimeAlertConfiguration = config.realTimeAlertConfiguration;
  if (linkedBy !== undefined) observed.linkedBy = linkedBy;
  return observed;
}
