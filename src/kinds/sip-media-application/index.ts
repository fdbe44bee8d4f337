/** The SipMediaApplication kind (issue 5; S1, S3). */
import type { SipMediaApplicationAtProvider, SipMediaApplicationSpec } from '../../api/kinds/sip-media-application.js';
import { inRegion, type KindHandler } from '../../reconcile/types.js';
import { appliedTagKeys } from '../shared/tags.js';
import { smaDesired, type SmaDesired } from './desired.js';
import { diffSma } from './diff.js';
import { observeSma, smaAnswered, type SmaObserved } from './observe.js';
import { planSma, planSmaDelete } from './plan.js';

export const sipMediaApplicationHandler: KindHandler<SmaDesired, SmaObserved, SipMediaApplicationAtProvider, SipMediaApplicationSpec> = {
  kind: 'SipMediaApplication',
  desired: smaDesired,
  observe: observeSma,
  answered: smaAnswered,
  diff: diffSma,
  // Every call about an application goes to its own region's endpoint.
  plan: (desired, observed, diffs) => inRegion(observed?.region || desired.region, planSma(desired, observed, diffs)),
  planDelete: (desired, observed, world) => {
    const plan = planSmaDelete(desired, observed, world);
    return { ...plan, actions: inRegion(observed.region || desired.region, plan.actions) };
  },
  atProvider: (observed, desired) => ({
    sipMediaApplicationId: observed.sipMediaApplicationId,
    arn: observed.arn,
    region: observed.region,
    appliedTagKeys: appliedTagKeys(desired.tags, observed),
  }),
};

export type { SmaDesired } from './desired.js';
export type { SmaObserved, TargetingRule } from './observe.js';
