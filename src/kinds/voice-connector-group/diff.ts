/** Pure comparison of a desired and an observed Voice Connector group. */
import { DiffBuilder } from '../../reconcile/diff.js';
import type { Difference } from '../../reconcile/types.js';
import type { GroupDesired } from './desired.js';
import type { GroupObserved } from './observe.js';

export function diffGroup(desired: GroupDesired, observed: GroupObserved): Difference[] {
  return (
    new DiffBuilder()
      .field('name', desired.name, observed.name)
      // AWS keeps the items as a set of {connector, priority}: order is not meaningful (G2).
      .set('voiceConnectors', desired.items, observed.items)
      // Compared only when the spec sets it: AWS picks a default otherwise.
      .field('callDistributionType', desired.callDistributionType, observed.callDistributionType).diffs
  );
}
