/** Pure comparison of a desired and an observed voice profile domain. */
import { diffTags } from '../shared/tags.js';
import { DiffBuilder } from '../../reconcile/diff.js';
import type { Difference } from '../../reconcile/types.js';
import type { VoiceProfileDomainDesired } from './desired.js';
import type { VoiceProfileDomainObserved } from './observe.js';

export function diffVoiceProfileDomain(desired: VoiceProfileDomainDesired, observed: VoiceProfileDomainObserved): Difference[] {
  return (
    new DiffBuilder()
      .field('name', desired.name, observed.name)
      .field('region', desired.region, observed.region, { replace: true })
      // AWS may leave out an empty description: an empty one in the spec matches it.
      .field('description', desired.description, observed.description, { fallback: '' })
      // UpdateVoiceProfileDomain has no key member: the key is the domain's for life.
      .field('kmsKeyArn', observed.kmsKeyArn === undefined ? undefined : desired.kmsKeyArn, observed.kmsKeyArn, { replace: true })
      .diffs.concat(diffTags(desired.tags, observed))
  );
}
