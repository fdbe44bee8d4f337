/**
 * Building blocks for the kinds' pure diff functions. A desired value of `undefined` means the spec
 * does not manage the field, so it is never compared: AWS defaults never show up as drift.
 */
import { canonical, deepEqual } from '../core/canonical.js';
import type { Difference } from './types.js';

export { canonical, deepEqual };

/** Sorted copy, for lists AWS treats as sets (CIDRs, calling regions, notification targets). */
export function sortedSet<T>(values: readonly T[] | undefined): T[] {
  return [...(values ?? [])].sort((x, y) => (canonical(x) < canonical(y) ? -1 : canonical(x) > canonical(y) ? 1 : 0));
}

export class DiffBuilder {
  readonly diffs: Difference[] = [];

  /** Compares a managed field; skipped when `desired` is undefined. `actual` undefined compares to `fallback` (AWS's default). */
  field(path: string, desired: unknown, actual: unknown, opts: { fallback?: unknown; replace?: boolean } = {}): this {
    if (desired === undefined) return this;
    const effective = actual === undefined ? opts.fallback : actual;
    if (!deepEqual(desired, effective)) this.diffs.push({ path, desired, actual: effective, ...(opts.replace ? { requiresReplacement: true } : {}) });
    return this;
  }

  /** Compares lists that AWS treats as sets: order does not matter. */
  set(path: string, desired: readonly unknown[] | undefined, actual: readonly unknown[] | undefined): this {
    if (desired === undefined) return this;
    if (!deepEqual(sortedSet(desired), sortedSet(actual ?? []))) this.diffs.push({ path, desired: sortedSet(desired), actual: sortedSet(actual ?? []) });
    return this;
  }

  /** Compares a map (tags): every desired key must hold its value; with `exact`, extra keys are drift too. */
  map(path: string, desired: Record<string, string> | undefined, actual: Record<string, string> | undefined, opts: { exact?: boolean; ignoreKeys?: (k: string) => boolean } = {}): this {
    if (desired === undefined) return this;
    const have = actual ?? {};
    for (const [k, v] of Object.entries(desired)) if (have[k] !== v) this.diffs.push({ path: `${path}.${k}`, desired: v, actual: have[k] });
    if (opts.exact) {
      for (const [k, v] of Object.entries(have)) {
        if (!(k in desired) && !opts.ignoreKeys?.(k)) this.diffs.push({ path: `${path}.${k}`, desired: undefined, actual: v });
      }
    }
    return this;
  }

  add(diff: Difference): this {
    this.diffs.push(diff);
    return this;
  }
}

/** Paths of `diffs` under `prefix` (`termination` matches `termination.cpsLimit`). */
export function touches(diffs: Difference[], prefix: string): boolean {
  return diffs.some((d) => d.path === prefix || d.path.startsWith(`${prefix}.`) || d.path.startsWith(`${prefix}[`));
}
