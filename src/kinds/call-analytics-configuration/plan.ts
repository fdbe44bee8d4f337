/**
 * Pure planning for call analytics configurations. UpdateMediaInsightsPipelineConfiguration
 * replaces the role, the elements and the alerts whole, so what the spec does not manage is sent
 * back as AWS has it. Deletion waits for connectors managed here to unlink the configuration, and
 * reports any other connector that links it (A2).
 */
import type { CallAnalyticsConfigurationAtProvider } from '../../api/kinds/call-analytics-configuration.js';
import type { DeleteBlocker, DeletePlan, Difference, ManagedObject, PlannedAction, World } from '../../reconcile/types.js';
import { awsTags, tagActions } from '../shared/tags.js';
import { consentRequired } from '../voice-profile-domain/desired.js';
import { toAws, type CallAnalyticsConfigurationDesired } from './desired.js';
import type { CallAnalyticsConfigurationObserved } from './observe.js';

const isObject = (v: unknown): v is Record<string, unknown> => v !== null && typeof v === 'object' && !Array.isArray(v);

/** The desired value completed with what AWS holds where the spec is silent (never removed by an update). */
export function withUnmanaged(desired: unknown, actual: unknown): unknown {
  if (isObject(desired) && isObject(actual)) {
    const out: Record<string, unknown> = { ...actual };
    for (const [k, v] of Object.entries(desired)) if (v !== undefined) out[k] = withUnmanaged(v, actual[k]);
    return out;
  }
  if (
    Array.isArray(desired) &&
    Array.isArray(actual) &&
    desired.length === actual.length &&
    desired.every((d, i) => isObject(d) && isObject(actual[i]) && d.type !== undefined && d.type === (actual[i] as Record<string, unknown>).type)
  ) {
    return desired.map((d, i) => withUnmanaged(d, actual[i]));
  }
  return desired;
}

const elementSummary = (d: CallAnalyticsConfigurationDesired) => d.elements.map((e) => e.type).join(', ');

export function planCallAnalyticsConfiguration(
  desired: CallAnalyticsConfigurationDesired,
  observed: CallAnalyticsConfigurationObserved | undefined,
  diffs: Difference[],
): PlannedAction<CallAnalyticsConfigurationAtProvider>[] {
  if (desired.consentMissing !== undefined) throw consentRequired(desired.consentMissing);
  if (observed === undefined) {
    return [
      {
        service: 'mediaPipelines',
        operation: 'CreateMediaInsightsPipelineConfiguration',
        input: {
          MediaInsightsPipelineConfigurationName: desired.name,
          ResourceAccessRoleArn: desired.resourceAccessRoleArn,
          ...(desired.realTimeAlertConfiguration !== undefined ? { RealTimeAlertConfiguration: toAws(desired.realTimeAlertConfiguration) } : {}),
          Elements: toAws(desired.elements),
          Tags: awsTags(desired.tags),
          ClientRequestToken: desired.clientRequestToken,
        },
        description: `create call analytics configuration "${desired.name}" with ${elementSummary(desired)}${
          desired.realTimeAlertConfiguration?.rules ? ` and ${desired.realTimeAlertConfiguration.rules.length} real-time alert rule(s)` : ''
        }`,
        captures: {
          MediaInsightsPipelineConfigurationId: 'MediaInsightsPipelineConfiguration.MediaInsightsPipelineConfigurationId',
          Arn: 'MediaInsightsPipelineConfiguration.MediaInsightsPipelineConfigurationArn',
        },
      },
    ];
  }
  const inPlace = diffs.filter((d) => !d.requiresReplacement);
  const actions: PlannedAction<CallAnalyticsConfigurationAtProvider>[] = [];
  const settings = inPlace.filter((d) => !d.path.startsWith('tags.'));
  if (settings.length > 0) {
    const alerts = desired.realTimeAlertConfiguration !== undefined ? withUnmanaged(desired.realTimeAlertConfiguration, observed.realTimeAlertConfiguration) : observed.realTimeAlertConfiguration;
    actions.push({
      service: 'mediaPipelines',
      operation: 'UpdateMediaInsightsPipelineConfiguration',
      input: {
        Identifier: observed.arn,
        ResourceAccessRoleArn: desired.resourceAccessRoleArn,
        ...(alerts !== undefined ? { RealTimeAlertConfiguration: toAws(alerts) } : {}),
        Elements: toAws(withUnmanaged(desired.elements, observed.elements)),
      },
      description: `update call analytics configuration "${observed.name}": ${settings.map((d) => d.path).join(', ')}`,
      fixes: settings.map((d) => d.path),
    });
  }
  actions.push(...tagActions({ service: 'mediaPipelines', arn: observed.arn, label: `call analytics configuration "${observed.name}"`, desired: desired.tags, diffs: inPlace }));
  return actions;
}

const keyName = (o: ManagedObject) => `${o.metadata.namespace ?? 'default'}/${o.metadata.name}`;

/**
 * A2: a configuration linked from a connector cannot be deleted. VoiceConnector objects whose spec
 * links it (by reference or by this ARN) unlink it through their own reconcile, so the engine waits
 * for them; any other connector linking it is reported by id and name, never forced.
 */
export function planCallAnalyticsConfigurationDelete(
  _desired: CallAnalyticsConfigurationDesired,
  observed: CallAnalyticsConfigurationObserved,
  world: World,
  obj: ManagedObject,
): DeletePlan<CallAnalyticsConfigurationAtProvider> {
  const namespace = obj.metadata.namespace ?? 'default';
  const blockers: DeleteBlocker[] = [];
  const connectors = world.list('VoiceConnector');
  const linksHere = (vc: ManagedObject) => {
    const streaming = (vc.spec as { streaming?: { callAnalyticsConfigurationRef?: { name?: string }; callAnalyticsConfigurationArn?: string } } | undefined)?.streaming;
    if (!streaming) return false;
    return (
      ((vc.metadata.namespace ?? 'default') === namespace && streaming.callAnalyticsConfigurationRef?.name === obj.metadata.name) ||
      streaming.callAnalyticsConfigurationArn === observed.arn
    );
  };
  const managedLinkers = connectors.filter(linksHere);
  for (const vc of managedLinkers) {
    blockers.push({
      managed: true,
      message: `VoiceConnector ${keyName(vc)} to stop linking call analytics configuration "${observed.name}" (its spec.streaming links it; A2)`,
    });
  }
  for (const link of observed.linkedBy ?? []) {
    const owner = connectors.find((vc) => vc.status?.atProvider?.voiceConnectorId === link.voiceConnectorId);
    if (owner && managedLinkers.includes(owner)) continue;
    const who = `Voice Connector ${link.voiceConnectorId}${link.name ? ` ("${link.name}")` : ''}`;
    blockers.push({
      managed: false,
      message: owner
        ? `${who}, managed by VoiceConnector ${keyName(owner)} whose spec does not manage the link, streams to call analytics configuration "${observed.name}"; remove the link there before it can be deleted (A2)`
        : `${who} streams to call analytics configuration "${observed.name}"; remove the link from its streaming configuration (PutVoiceConnectorStreamingConfiguration without MediaInsightsConfiguration) before it can be deleted (A2)`,
    });
  }
  return {
    actions: [
      {
        service: 'mediaPipelines',
        operation: 'DeleteMediaInsightsPipelineConfiguration',
        input: { Identifier: observed.arn },
        description: `delete call analytics configuration "${observed.name}" (${observed.arn}); this cannot be undone (A2)`,
      },
    ],
    blockers,
  };
}
