/**
 * One canonical form of JSON-like values, and what is built on it: equality and a digest that do
 * not depend on the order of object members (a manifest's keys may be written in any order), and
 * that treat a member holding `undefined` as absent (as JSON and the AWS SDK do).
 */
import { createHash } from 'node:crypto';

/** Structural equality of JSON-like values; object key order does not matter. */
export function deepEqual(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  if (a === null || b === null || typeof a !== 'object' || typeof b !== 'object') return false;
  // Bytes (a certificate read from a file) by content, in one comparison instead of one per index.
  if (a instanceof Uint8Array || b instanceof Uint8Array) return a instanceof Uint8Array && b instanceof Uint8Array && Buffer.compare(a, b) === 0;
  if (Array.isArray(a) !== Array.isArray(b)) return false;
  if (Array.isArray(a)) {
    const bb = b as unknown[];
    return a.length === bb.length && a.every((v, i) => deepEqual(v, bb[i]));
  }
  const ao = a as Record<string, unknown>;
  const bo = b as Record<string, unknown>;
  const ka = Object.keys(ao).filter((k) => ao[k] !== undefined);
  const kb = Object.keys(bo).filter((k) => bo[k] !== undefined);
  return ka.length === kb.length && ka.every((k) => deepEqual(ao[k], bo[k]));
}

/**
 * The canonical text of a JSON-like value: JSON with object members sorted by key and members
 * holding `undefined` left out. Equal values (by deepEqual) have equal canonical text.
 */
export function canonical(value: unknown): string {
  if (value === null || typeof value !== 'object') return JSON.stringify(value) ?? 'undefined';
  if (Array.isArray(value)) return `[${value.map(canonical).join(',')}]`;
  const o = value as Record<string, unknown>;
  const keys = Object.keys(o)
    .filter((k) => o[k] !== undefined)
    .sort();
  return `{${keys.map((k) => `${JSON.stringify(k)}:${canonical(o[k])}`).join(',')}}`;
}

/**
 * A stable, unkeyed SHA-256 of a value's canonical form (a string is hashed as it is), for change
 * detection. Never for secrets: a plain hash of a password can be brute-forced; those go through
 * SecretDigest (src/reconcile/secret-digest.ts).
 */
export function digest(value: unknown): string {
  return createHash('sha256')
    .update(typeof value === 'string' ? value : canonical(value))
    .digest('hex');
}
