/**
 * Observation of a call analytics configuration: one ListMediaInsightsPipelineConfigurations per
 * pass serves every object; the configuration's Get gives its elements and alert rules, and its
 * tags (through the media pipelines API) carry the ownership marker. Only a deletion (or plan)
 * looks for the voice connectors that link the configuration (A2).
 */
import type { CallAnalyticsConfigurationAtProvider, CallAnalyticsConfigurationSpec } from '../../api/kinds/call-analytics-configuration.js';
import { findOwned, listTags } from '../../aws/ownership.js';
import type { AwsPort } from '../../core/aws-port.js';
import { BlockedError } from '../../reconcile/errors.js';
import type { ObserveArgs } from '../../reconcile/types.js';
import { appliedTagKeysOf } from '../shared/tags.js';
import { fromAws, type AlertConfiguration, type CallAnalyticsConfigurationDesired, type Element } from './desired.js';
import { regionOfArn } from '../../core/aws-port.js';

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
  /** The tag keys the spec declared on an earlier pass (status.atProvider). */
  appliedTagKeys?: string[];
  /** Connectors whose streaming links the configuration; read only to delete or plan (A2). */
  linkedBy?: LinkingConnector[];
}

interface ConfigSummary {
  MediaInsightsPipelineConfigurationName?: string;
  MediaInsightsPipelineConfigurationId?: string;
  MediaInsightsPipelineConfigurationArn?: string;
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
  aws: account,
  mode,
}: ObserveArgs<CallAnalyticsConfigurationDesired, unknown, CallAnalyticsConfigurationSpec, CallAnalyticsConfigurationAtProvider>): Promise<CallAnalyticsConfigurationObserved | undefined> {
  // A configuration lives in the region whose media pipelines endpoint created it: read it there
  // (where its ARN says it was seen, else spec.region, else the home region). The connectors that
  // may link it are in that region too, so its listing of connectors is that region's.
  const seenIn = typeof obj.status?.atProvider?.arn === 'string' ? regionOfArn(obj.status.atProvider.arn) : undefined;
  const aws = account.in(seenIn ?? desired.region ?? account.region);
  const all = await aws.inventory.list<ConfigSummary>({
    service: 'mediaPipelines',
    operation: 'ListMediaInsightsPipelineConfigurations',
    items: 'MediaInsightsPipelineConfigurations',
  });
  const at = obj.status?.atProvider;
  // The annotation may give the configuration's id, ARN or name; names are unique in an account and Region.
  const summary = await findOwned<ConfigSummary>({
    obj,
    kindLabel: 'call analytics configuration',
    candidates: all,
    idOf: (c) => c.MediaInsightsPipelineConfigurationId ?? '',
    nameOf: (c) => c.MediaInsightsPipelineConfigurationName ?? '',
    matchesId: (c, id) => c.MediaInsightsPipelineConfigurationId === id || c.MediaInsightsPipelineConfigurationArn === id || c.MediaInsightsPipelineConfigurationName === id,
    awsName: desired.name,
    cachedId: at?.arn ?? at?.mediaInsightsPipelineConfigurationId,
    // Listings lag behind creates (API5): an id the listing does not show is read by id.
    fetch: async (id) =>
      (await aws.read<{ MediaInsightsPipelineConfiguration?: ConfigSummary }>('mediaPipelines', 'GetMediaInsightsPipelineConfiguration', { Identifier: id }))
        ?.MediaInsightsPipelineConfiguration,
    arnOf: (c) => c.MediaInsightsPipelineConfigurationArn ?? '',
    service: 'mediaPipelines',
    adoptionHint: '<its ARN>',
    aws,
  });
  if (!summary) return undefined;
  const arn = summary.MediaInsightsPipelineConfigurationArn!;
  const [full, tags, linkedBy] = await Promise.all([
    aws.read<{ MediaInsightsPipelineConfiguration?: Record<string, unknown> }>('mediaPipelines', 'GetMediaInsightsPipelineConfiguration', { Identifier: arn }),
    listTags(aws, arn, 'mediaPipelines'),
    mode !== 'apply' ? linkingConnectors(aws, arn) : Promise.resolve(undefined),
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
    ...(appliedTagKeysOf(at) ? { appliedTagKeys: appliedTagKeysOf(at) } : {}),
  };
  const region = regionOfArn(arn);
  if (region) observed.region = region;
  if (config.resourceAccessRoleArn !== undefined) observed.resourceAccessRoleArn = config.resourceAccessRoleArn;
  if (config.realTimeAlertConfiguration !== undefined) observed.realTimeAlertConfiguration = config.realTimeAlertConfiguration;
  if (linkedBy !== undefined) observed.linkedBy = linkedBy;
  return observed;
}
