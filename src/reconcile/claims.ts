/**
 * Identity claims: which AWS resource an object says is its own, as data. Two objects claiming one
 * resource (the same E.164 number, the same `chimevoice.io/external-id`, the same name where the
 * name is the marker) would both manage it and undo each other's writes, so the later one is
 * refused: by `validate` in a folder, and by the engine (Stalled, ClaimConflict, nothing written)
 * in a cluster. Each kind says what it claims (KindHandler.claims, pure); the external-id
 * annotation is a claim of every kind and is added here.
 */
import type { IdentityClaim, ManagedObject, World } from './types.js';

export type { IdentityClaim } from './types.js';
import { keyString, keyOf } from './types.js';


const EXTERNAL_ID = 'chimevoice.io/external-id';

/** The claims of an object: its kind's, and the adopted id of any kind. */
export function claimsOf(obj: { metadata: ManagedObject['metadata']; spec?: unknown }, kindClaims?: (obj: ManagedObject) => IdentityClaim[]): IdentityClaim[] {
  const out: IdentityClaim[] = [];
  const id = obj.metadata.annotations?.[EXTERNAL_ID]?.trim();
  if (id) out.push({ key: `id:${id}`, label: `the AWS resource ${id} (annotation ${EXTERNAL_ID})`, path: `metadata.annotations["${EXTERNAL_ID}"]` });
  if (kindClaims) {
    try {
      out.push(...kindClaims(obj as ManagedObject));
    } catch {
      // A spec too broken to say what it claims claims nothing; the schema reports it.
    }
  }
  return out;
}

/** Whether `a` came first: the older creationTimestamp, then namespace/name (objects without one, as in a folder, by name). */
export function precedes(a: Pick<ManagedObject, 'kind' | 'metadata'>, b: Pick<ManagedObject, 'kind' | 'metadata'>): boolean {
  const ta = a.metadata.creationTimestamp ? Date.parse(a.metadata.creationTimestamp) : Number.POSITIVE_INFINITY;
  const tb = b.metadata.creationTimestamp ? Date.parse(b.metadata.creationTimestamp) : Number.POSITIVE_INFINITY;
  if (ta !== tb) return ta < tb;
  return keyString(keyOf(a)) < keyString(keyOf(b));
}

export interface ClaimConflict {
  /** The object that came first and keeps the resource. */
  other: ManagedObject;
  claim: IdentityClaim;
}

/**
 * The earlier object of the same kind (any namespace: one account) that claims a resource `obj`
 * also claims, or undefined. `obj` itself is never its own rival.
 */
export function findClaimConflict(obj: ManagedObject, world: World, kindClaims?: (obj: ManagedObject) => IdentityClaim[]): ClaimConflict | undefined {
  const mine = claimsOf(obj, kindClaims);
  if (mine.length === 0) return undefined;
  const self = keyString(keyOf(obj));
  // The earliest rival is named, whichever way they are found: the message does not depend on list order.
  let first: ClaimConflict | undefined;
  const consider = (other: ManagedObject, claim: IdentityClaim) => {
    if (keyString(keyOf(other)) === self || !precedes(other, obj)) return;
    if (!first || precedes(other, first.other)) first = { other, claim };
  };
  if (world.claimants) {
    for (const claim of mine) for (const other of world.claimants(obj.kind, claim.key)) consider(other, claim);
    return first;
  }
  for (const other of world.list(obj.kind)) {
    const theirs = new Set(claimsOf(other, kindClaims).map((c) => c.key));
    const claim = mine.find((c) => theirs.has(c.key));
    if (claim) consider(other, claim);
  }
  return first;
}

/** The message of a refused claim, naming the object that keeps the resource. */
export function claimConflictMessage(obj: Pick<ManagedObject, 'kind' | 'metadata'>, c: { other: Pick<ManagedObject, 'kind' | 'metadata'>; claim: IdentityClaim }, where?: string): string {
  const name = (o: Pick<ManagedObject, 'kind' | 'metadata'>) => `${o.kind} ${o.metadata.namespace ?? 'default'}/${o.metadata.name}`;
  return `${name(obj)} claims ${c.claim.label}, which ${name(c.other)}${where ? ` (${where})` : ''} already claims; two objects cannot manage one AWS resource, so this one changes nothing in AWS: remove the claim from one of them`;
}

/**
 * The claim of a kind whose AWS name is its ownership marker (it takes no tags): the name, unless
 * the object adopts its resource by id instead.
 */
export function nameMarkerClaim(obj: ManagedObject, what: string): IdentityClaim[] {
  if (obj.metadata.annotations?.[EXTERNAL_ID]?.trim()) return [];
  const given = typeof obj.spec?.name === 'string' ? obj.spec.name : undefined;
  const name = given ?? obj.metadata.name;
  return [{ key: `name:${name}`, label: `the ${what} named "${name}" (${what}s take no tags, so the name is what identifies one)`, path: given ? 'spec.name' : 'metadata.name' }];
}

/**
 * Which objects claim which AWS resource, by kind: kept up to date as objects come and go, so that
 * a world answers `claimants` with a lookup (a fleet of 10,000 numbers would otherwise compare every
 * number with every other on each pass).
 */
export class ClaimIndex {
  /** kind → claim key → object keys (`Kind/namespace/name`). */
  private readonly holders = new Map<string, Map<string, Set<string>>>();
  /** object key → its claim keys, to drop them when the object changes or goes. */
  private readonly claimed = new Map<string, string[]>();

  constructor(private readonly claimsFor: (obj: ManagedObject) => IdentityClaim[]) {}

  /** Records the claims of `obj` under `key`, or forgets them when `obj` is undefined (deleted). */
  set(key: string, kind: string, obj: ManagedObject | undefined): void {
    const byClaim = this.holders.get(kind);
    for (const c of this.claimed.get(key) ?? []) byClaim?.get(c)?.delete(key);
    this.claimed.delete(key);
    if (!obj) return;
    const keys = this.claimsFor(obj).map((c) => c.key);
    if (keys.length === 0) return;
    let table = byClaim;
    if (!table) this.holders.set(kind, (table = new Map()));
    for (const c of keys) {
      let set = table.get(c);
      if (!set) table.set(c, (set = new Set()));
      set.add(key);
    }
    this.claimed.set(key, keys);
  }

  /** Keys of the objects of `kind` claiming `claimKey`. */
  keys(kind: string, claimKey: string): string[] {
    return [...(this.holders.get(kind)?.get(claimKey) ?? [])];
  }
}
