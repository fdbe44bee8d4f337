/**
 * What the kinds' `toSpec` functions (src/kinds/<kind>/to-spec.ts) share: the names the import
 * gives to AWS resources, so that a spec refers to another imported object by reference instead of
 * by id, and the tags a spec declares of what AWS holds.
 */
import { OWNER_TAG_KEY } from '../../aws/ownership.js';
import { AWS_TAG_PREFIX } from './tags.js';

/** The object names of the imported resources, by kind and AWS identity (id, ARN or E.164). */
export interface ImportNames {
  /** The name of the imported object of `kind` whose AWS id (or ARN) is `id`; undefined when it is not imported. */
  nameOf(kind: string, id: string): string | undefined;
}

/** Where a termination credential's password is to be kept: a Secret and its key. */
export interface CredentialSecretRef {
  name: string;
  key: string;
}

/**
 * The tags a spec declares of those AWS holds: all but AWS's own (`aws:`) and the ownership marker,
 * which only the controller writes. Undefined when none is left, so that the spec omits `tags`.
 */
export function declarableTags(tags: Record<string, string>): Record<string, string> | undefined {
  const kept = Object.entries(tags)
    .filter(([k]) => k !== OWNER_TAG_KEY && !k.startsWith(AWS_TAG_PREFIX))
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  return kept.length > 0 ? Object.fromEntries(kept) : undefined;
}
