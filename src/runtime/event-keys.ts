/**
 * Which objects a CloudTrail record touches: an index from AWS identifiers (ids, ARNs, E.164
 * numbers) to object keys, kept from what each object knows of its AWS side (status.atProvider,
 * its claims, the external-id annotation). Pure data, shared by the controller and `apply --watch`.
 */
import { ACCOUNT_WIDE_EVENTS, identifierForms, identifiersOf, isIdentifier, type CloudTrailRecord } from '../aws/cloudtrail-events.js';
import type { IdentityClaim, ManagedObject } from '../reconcile/types.js';

const EXTERNAL_ID = 'chimevoice.io/external-id';

/**
 * The identifiers of an object's AWS resource: every identifier in status.atProvider (ids, ARNs,
 * the number, the ids a create answered with), its external id, and what it claims by E.164
 * (a PhoneNumber not yet ordered is still named by its number).
 */
export function identifiersOfObject(obj: Pick<ManagedObject, 'metadata' | 'status'>, claims: readonly IdentityClaim[] = []): string[] {
  const out = new Set<string>();
  const walk = (v: unknown, depth: number) => {
    if (depth > 6) return;
    if (typeof v === 'string') {
      if (isIdentifier(v)) for (const f of identifierForms(v)) out.add(f);
    } else if (Array.isArray(v)) for (const x of v) walk(x, depth + 1);
    else if (v && typeof v === 'object') for (const x of Object.values(v)) walk(x, depth + 1);
  };
  walk(obj.status?.atProvider, 0);
  const external = obj.metadata.annotations?.[EXTERNAL_ID]?.trim();
  if (external) walk(external, 0);
  for (const c of claims) if (c.key.startsWith('e164:')) walk(c.key.slice('e164:'.length), 0);
  return [...out];
}

export class EventKeyIndex {
  private readonly byIdentifier = new Map<string, Set<string>>();
  private readonly ofKey = new Map<string, { kind: string; ids: string[] }>();
  private readonly byKind = new Map<string, Set<string>>();

  /** Records (or replaces) what the object `key` of `kind` is known by; undefined forgets it. */
  set(key: string, kind: string, identifiers: readonly string[] | undefined): void {
    const old = this.ofKey.get(key);
    for (const id of old?.ids ?? []) {
      const set = this.byIdentifier.get(id);
      set?.delete(key);
      if (set?.size === 0) this.byIdentifier.delete(id);
    }
    this.ofKey.delete(key);
    this.byKind.get(kind)?.delete(key);
    if (!identifiers) return;
    const ids = [...new Set(identifiers)];
    this.ofKey.set(key, { kind, ids });
    let kindSet = this.byKind.get(kind);
    if (!kindSet) this.byKind.set(kind, (kindSet = new Set()));
    kindSet.add(key);
    for (const id of ids) {
      let set = this.byIdentifier.get(id);
      if (!set) this.byIdentifier.set(id, (set = new Set()));
      set.add(key);
    }
  }

  /** The keys of the objects the record touches, in a stable order. */
  keysFor(record: CloudTrailRecord): string[] {
    const keys = new Set<string>();
    for (const id of identifiersOf(record)) for (const key of this.byIdentifier.get(id) ?? []) keys.add(key);
    const kind = ACCOUNT_WIDE_EVENTS[record.eventName];
    if (kind) for (const key of this.byKind.get(kind) ?? []) keys.add(key);
    return [...keys].sort();
  }

  get size(): number {
    return this.ofKey.size;
  }
}
