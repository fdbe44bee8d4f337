/**
 * Pure comparison of a desired and an observed call analytics configuration, field by field down
 * to each element's settings (`elements[1].amazonTranscribeCallAnalyticsProcessorConfiguration.languageCode`).
 * A setting the spec leaves out is not managed: AWS's value is neither compared nor removed.
 */
import { diffTags } from '../shared/tags.js';
import { DiffBuilder } from '../../reconcile/diff.js';
import type { Difference } from '../../reconcile/types.js';
import type { CallAnalyticsConfigurationDesired } from './desired.js';
import type { CallAnalyticsConfigurationObserved } from './observe.js';

const isObject = (v: unknown): v is Record<string, unknown> => v !== null && typeof v === 'object' && !Array.isArray(v);
const isScalar = (v: unknown) => v === null || typeof v !== 'object';

/** Lists of typed objects (elements, alert rules) compare item by item when their types line up. */
function sameShape(desired: unknown[], actual: unknown): actual is unknown[] {
  return (
    Array.isArray(actual) &&
    actual.length === desired.length &&
    desired.every((d, i) => isObject(d) && isObject(actual[i]) && (d as { type?: unknown }).type === (actual[i] as { type?: unknown }).type)
  );
}

/** Recursive comparison of managed values: objects by member, scalar lists as sets, typed lists by item. */
export function diffValue(b: DiffBuilder, path: string, desired: unknown, actual: unknown): void {
  if (desired === undefined) return;
  if (isObject(desired) && isObject(actual)) {
    for (const [k, v] of Object.entries(desired)) diffValue(b, `${path}.${k}`, v, actual[k]);
    return;
  }
  if (Array.isArray(desired) && desired.every(isScalar)) {
    // Keywords and categories are sets: AWS need not keep their order.
    b.set(path, desired, Array.isArray(actual) ? actual : undefined);
    return;
  }
  if (Array.isArray(desired) && sameShape(desired, actual)) {
    desired.forEach((d, i) => diffValue(b, `${path}[${i}]`, d, actual[i]));
    return;
  }
  // AWS may leave out a false flag: false in the spec matches an absent one.
  b.field(path, desired, actual, typeof desired === 'boolean' ? { fallback: false } : {});
}

export function diffCallAnalyticsConfiguration(desired: CallAnalyticsConfigurationDesired, observed: CallAnalyticsConfigurationObserved): Difference[] {
  const b = new DiffBuilder()
    // The API has no rename: a configuration with another name is another configuration.
    .field('name', desired.name, observed.name, { replace: true })
    .field('region', desired.region, observed.region, { replace: true })
    .field('resourceAccessRoleArn', desired.resourceAccessRoleArn, observed.resourceAccessRoleArn);
  diffValue(b, 'elements', desired.elements, observed.elements);
  diffValue(b, 'realTimeAlertConfiguration', desired.realTimeAlertConfiguration, observed.realTimeAlertConfiguration);
  return [...b.diffs, ...diffTags(desired.tags, observed)];
}
