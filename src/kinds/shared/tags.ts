/**
 * One meaning of `spec.tags` for every kind that takes tags: the declared tags are made true, and a
 * tag this object declared earlier and no longer declares is removed; tags the object never
 * declared (set by people, other tools, AWS's own `aws:` tags) are left alone. The ownership
 * marker is always kept (and put back if removed). The keys declared are remembered in
 * `status.atProvider.appliedTagKeys`, as kubectl apply remembers its last applied configuration,
 * so removing a tag from the spec removes it from AWS without fighting anyone else's tags.
 * (ACK's shared tag comparison makes the spec the whole tag set instead; that removes the tags of
 * cost-allocation and security tooling on every pass, which a GitOps tool sharing an account must not.)
 */
import { OWNER_TAG_KEY, externalId, ownerValue } from '../../aws/ownership.js';
import { InvalidSpecError } from '../../reconcile/errors.js';
import type { AwsService, Difference, ManagedObject, PlannedAction } from '../../reconcile/types.js';

/** Keys AWS reserves for its own tags: never declared, never removed. */
export const AWS_TAG_PREFIX = 'aws:';

export type AwsTag = { Key: string; Value: string };

/** The tags of a desired state: the spec's plus the ownership marker (but for adopted resources). */
export type DesiredTags = Record<string, string>;

/** What observe reads: the tags AWS holds and the keys this object declared on earlier passes. */
export interface ObservedTags {
  tags: Record<string, string>;
  /** From status.atProvider; undefined when never recorded (then nothing is removed). */
  appliedTagKeys?: string[];
}

/**
 * The spec's tags plus the ownership marker. `maxTags` is AWS's limit for the resource, the
 * marker included. Throws InvalidSpecError for the marker's key or an `aws:` key in the spec.
 */
export function declaredTags(obj: Pick<ManagedObject, 'metadata'>, specTags: Record<string, string> | undefined, maxTags: number): DesiredTags {
  const tags = specTags ?? {};
  if (OWNER_TAG_KEY in tags) {
    throw new InvalidSpecError(`tags: the key ${OWNER_TAG_KEY} is the controller's ownership marker and cannot be set in the spec`, `tags.${OWNER_TAG_KEY}`);
  }
  const reserved = Object.keys(tags).find((k) => k.startsWith(AWS_TAG_PREFIX));
  if (reserved !== undefined) throw new InvalidSpecError(`tags: the key ${reserved} starts with "${AWS_TAG_PREFIX}", which AWS reserves for its own tags`, `tags.${reserved}`);
  if (Object.keys(tags).length + 1 > maxTags) {
    throw new InvalidSpecError(`tags: at most ${maxTags - 1} tags, since AWS allows ${maxTags} and the ownership marker ${OWNER_TAG_KEY} takes one`, 'tags');
  }
  // An adopted resource is found by its id (the annotation), never by a marker: adopting one, as
  // `import` writes them, makes no write that the spec does not ask for.
  if (externalId(obj) !== undefined) return { ...tags };
  return { ...tags, [OWNER_TAG_KEY]: ownerValue(obj) };
}

/** The keys remembered from an earlier pass, read from the cached status. */
export function appliedTagKeysOf(atProvider: { appliedTagKeys?: unknown } | undefined): string[] | undefined {
  const keys = atProvider?.appliedTagKeys;
  return Array.isArray(keys) && keys.every((k) => typeof k === 'string') ? keys : undefined;
}

/** The tags to create a resource with. */
export const awsTags = (tags: Record<string, string>): AwsTag[] => Object.entries(tags).map(([Key, Value]) => ({ Key, Value }));

const removable = (key: string) => key !== OWNER_TAG_KEY && !key.startsWith(AWS_TAG_PREFIX);

/**
 * Pure: `tags.<key>` differences. A declared tag missing or different is drift; a tag declared
 * earlier (appliedTagKeys), no longer declared and still in AWS is drift with desired undefined.
 */
export function diffTags(desired: DesiredTags, observed: ObservedTags, path = 'tags'): Difference[] {
  const diffs: Difference[] = [];
  for (const [key, value] of Object.entries(desired)) {
    if (observed.tags[key] !== value) diffs.push({ path: `${path}.${key}`, desired: value, actual: observed.tags[key] });
  }
  for (const key of observed.appliedTagKeys ?? []) {
    if (!(key in desired) && key in observed.tags && removable(key)) diffs.push({ path: `${path}.${key}`, desired: undefined, actual: observed.tags[key] });
  }
  return diffs;
}

/**
 * Pure: the keys to remember in status.atProvider.appliedTagKeys. A key dropped from the spec is
 * remembered until it is gone from AWS, so a failed or not yet allowed (driftPolicy Report)
 * removal is tried again instead of forgotten.
 */
export function appliedTagKeys(desired: DesiredTags, observed: ObservedTags): string[] {
  const keys = new Set(Object.keys(desired).filter(removable));
  for (const key of observed.appliedTagKeys ?? []) if (key in observed.tags && removable(key)) keys.add(key);
  return [...keys].sort();
}

export interface TagActionArgs {
  service: AwsService;
  arn: string;
  /** The resource in words, e.g. `voice connector abc123`. */
  label: string;
  desired: DesiredTags;
  /** The plan's differences; those under `tags.` are acted on. */
  diffs: Difference[];
  path?: string;
}

/** Pure: one TagResource for tags to set, one UntagResource for tags to remove. */
export function tagActions({ service, arn, label, desired, diffs, path = 'tags' }: TagActionArgs): PlannedAction[] {
  const prefix = `${path}.`;
  const tagDiffs = diffs.filter((d) => d.path.startsWith(prefix) && !d.requiresReplacement);
  const keyOf = (d: Difference) => d.path.slice(prefix.length);
  const toSet = tagDiffs.filter((d) => keyOf(d) in desired);
  const toRemove = tagDiffs.filter((d) => !(keyOf(d) in desired));
  const actions: PlannedAction[] = [];
  if (toSet.length > 0) {
    actions.push({
      service,
      operation: 'TagResource',
      input: { ResourceARN: arn, Tags: toSet.map((d) => ({ Key: keyOf(d), Value: desired[keyOf(d)] })) },
      description: `tag ${label} with ${toSet.map((d) => `${keyOf(d)}=${desired[keyOf(d)]}`).join(', ')}`,
      fixes: toSet.map((d) => d.path),
    });
  }
  if (toRemove.length > 0) {
    actions.push({
      service,
      operation: 'UntagResource',
      input: { ResourceARN: arn, TagKeys: toRemove.map(keyOf) },
      description: `remove tags ${toRemove.map(keyOf).join(', ')} (no longer in the spec) from ${label}`,
      fixes: toRemove.map((d) => d.path),
    });
  }
  return actions;
}
