/** Pure comparison of a desired and an observed SIP rule (S2-S4). */
import { DiffBuilder } from '../../reconcile/diff.js';
import type { Difference } from '../../reconcile/types.js';
import { sameTrigger, triggerLabel, type RuleDesired } from './desired.js';
import type { RuleObserved } from './observe.js';

export function diffRule(desired: RuleDesired, observed: RuleObserved): Difference[] {
  const b = new DiffBuilder();
  // S4: not requiresReplacement (which the engine only reports): the plan replaces the rule itself,
  // and the difference goes away once the old rule is gone, so it never diffs forever.
  if (!sameTrigger(desired, observed) || observed.stale.length > 0) {
    b.add({
      path: 'trigger',
      desired: triggerLabel(desired.triggerType, desired.triggerValue),
      actual: [observed, ...observed.stale].map((r) => triggerLabel(r.triggerType, r.triggerValue)).join(', '),
    });
  }
  return (
    b
      .field('name', desired.name, observed.name)
      .field('disabled', desired.disabled, observed.disabled)
      // Both sorted by priority: the list order means nothing to AWS, the priority does.
      .field('targetApplications', desired.targets, observed.targets).diffs
  );
}
