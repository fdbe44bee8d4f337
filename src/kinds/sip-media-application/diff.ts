/** Pure comparison of a desired and an observed SIP media application (S1). */
import { diffTags } from '../shared/tags.js';
import { DiffBuilder } from '../../reconcile/diff.js';
import type { Difference } from '../../reconcile/types.js';
import type { SmaDesired } from './desired.js';
import type { SmaObserved } from './observe.js';

export function diffSma(desired: SmaDesired, observed: SmaObserved): Difference[] {
  const b = new DiffBuilder()
    .field('name', desired.name, observed.name)
    // S1: the region never changes; a new region is a new application.
    .field('region', desired.region, observed.region, { replace: true })
    .field('endpoint.lambdaArn', desired.lambdaArn, observed.lambdaArn)
    // Message logs are off until turned on: a missing answer means off.
    .field('logging.enableSipLogs', desired.enableSipLogs, observed.enableSipLogs, { fallback: false });
  if (desired.alexaSkills !== undefined) {
    const actual = observed.alexaSkills ?? undefined;
    b.field('alexaSkills.status', desired.alexaSkills.status, actual?.status ?? null);
    b.set('alexaSkills.skillIds', desired.alexaSkills.skillIds, actual?.skillIds);
  }
  return [...b.diffs, ...diffTags(desired.tags, observed)];
}
