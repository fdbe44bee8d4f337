/** Pure comparison of the desired and observed account settings. */
import { DiffBuilder } from '../../reconcile/diff.js';
import type { Difference } from '../../reconcile/types.js';
import type { GlobalSettingsDesired } from './desired.js';
import type { GlobalSettingsObserved } from './observe.js';

export function diffGlobalSettings(desired: GlobalSettingsDesired, observed: GlobalSettingsObserved): Difference[] {
  // An object that lost the conflict manages nothing: its spec is not compared (nor acted on).
  if (observed.conflictWith !== undefined) return [];
  return new DiffBuilder().field('voiceConnector.cdrBucket', desired.cdrBucket, observed.cdrBucket).diffs;
}
