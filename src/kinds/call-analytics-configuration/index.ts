/** The CallAnalyticsConfiguration kind (issue 5; A1-A3): a media insights pipeline configuration. */
import { DUPLICATE_RECORDING_CONDITION, type CallAnalyticsConfigurationAtProvider, type CallAnalyticsConfigurationSpec } from '../../api/kinds/call-analytics-configuration.js';
import { inRegion, type KindHandler } from '../../reconcile/types.js';
import { appliedTagKeys } from '../shared/tags.js';
import { callAnalyticsConfigurationDesired, type CallAnalyticsConfigurationDesired } from './desired.js';
import { diffCallAnalyticsConfiguration } from './diff.js';
import { observeCallAnalyticsConfiguration, type CallAnalyticsConfigurationObserved } from './observe.js';
import { planCallAnalyticsConfiguration, planCallAnalyticsConfigurationDelete } from './plan.js';

export const DUPLICATE_RECORDING_MESSAGE =
  'an S3RecordingSink and Transcribe Call Analytics post-call analytics are both on: post-call analytics records the call to S3 too, so every call is recorded twice (A1); remove one of them';

export const callAnalyticsConfigurationHandler: KindHandler<CallAnalyticsConfigurationDesired, CallAnalyticsConfigurationObserved, CallAnalyticsConfigurationAtProvider, CallAnalyticsConfigurationSpec> = {
  kind: 'CallAnalyticsConfiguration',
  desired: callAnalyticsConfigurationDesired,
  observe: observeCallAnalyticsConfiguration,
  diff: diffCallAnalyticsConfiguration,
  // Created in the region it is called in: spec.region's endpoint (the home region's when unset), then the one it is in.
  plan: (desired, observed, diffs) => inRegion(observed?.region ?? desired.region, planCallAnalyticsConfiguration(desired, observed, diffs)),
  planDelete: (desired, observed, world, obj) => {
    const plan = planCallAnalyticsConfigurationDelete(desired, observed, world, obj);
    return { ...plan, actions: inRegion(observed.region ?? desired.region, plan.actions) };
  },
  atProvider: (observed, desired) => ({
    mediaInsightsPipelineConfigurationId: observed.mediaInsightsPipelineConfigurationId,
    arn: observed.arn,
    appliedTagKeys: appliedTagKeys(desired.tags, observed),
  }),
  warnings: (desired) => (desired.recordsTwice ? [{ type: DUPLICATE_RECORDING_CONDITION, reason: 'DuplicateRecording', message: DUPLICATE_RECORDING_MESSAGE }] : []),
};

export type { CallAnalyticsConfigurationDesired } from './desired.js';
export type { CallAnalyticsConfigurationObserved } from './observe.js';
