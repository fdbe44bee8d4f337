/** The set of desired objects with their latest status, as directory mode and tests hold it. */
import { ClaimIndex, type IdentityClaim } from './claims.js';
import type { ManagedObject, ObjectKey, ObjectStatus, World } from './types.js';
import { keyOf, keyString } from './types.js';

export class MemoryWorld implements World {
  private readonly objects = new Map<string, ManagedObject>();
  /** The same objects by kind, so that `list` (once per number association) costs the kind's objects, not all of them. */
  private readonly byKind = new Map<string, Map<string, ManagedObject>>();
  private readonly claims: ClaimIndex | undefined;
  readonly claimants?: (kind: string, claimKey: string) => ManagedObject[];

  /** `claimsFor` (an object's identity claims, see claims.ts) indexes them for `claimants`; without it, claims are found by a scan. */
  constructor(objects: ManagedObject[] = [], claimsFor?: (obj: ManagedObject) => IdentityClaim[]) {
    const claims = (this.claims = claimsFor ? new ClaimIndex(claimsFor) : undefined);
    if (claims) this.claimants = (kind, claimKey) => claims.keys(kind, claimKey).flatMap((k) => this.objects.get(k) ?? []);
    for (const o of objects) this.put(o);
  }

  put(obj: ManagedObject): void {
    const key = keyString(keyOf(obj));
    const before = this.objects.get(key);
    this.objects.set(key, obj);
    let ofKind = this.byKind.get(obj.kind);
    if (!ofKind) this.byKind.set(obj.kind, (ofKind = new Map()));
    ofKind.set(key, obj);
    // A status write changes no claim: only a new spec or metadata is indexed again.
    if (this.claims && (before?.spec !== obj.spec || before?.metadata !== obj.metadata)) this.claims.set(key, obj.kind, obj);
  }

  remove(key: ObjectKey): void {
    this.objects.delete(keyString(key));
    this.byKind.get(key.kind)?.delete(keyString(key));
    this.claims?.set(keyString(key), key.kind, undefined);
  }

  get(key: ObjectKey): ManagedObject | undefined {
    return this.objects.get(keyString(key));
  }

  list(kind: string, namespace?: string): ManagedObject[] {
    const ofKind = [...(this.byKind.get(kind)?.values() ?? [])];
    return namespace === undefined ? ofKind : ofKind.filter((o) => (o.metadata.namespace ?? 'default') === namespace);
  }

  all(): ManagedObject[] {
    return [...this.objects.values()];
  }

  setStatus(key: ObjectKey, status: ObjectStatus): void {
    const obj = this.get(key);
    if (obj) this.put({ ...obj, status });
  }
}
