/**
 * The references between objects, read from the kinds' schemas (each reference field carries the
 * `x-chimevoice-ref` marker), and the orders they impose: creation, deletion, dependency levels.
 * Pure, and free of the folder loader, so that the engine and the kinds can order objects without
 * bringing the YAML reader in; src/sources/graph.ts adds what needs a manifest's source (dangling
 * references and cycles located at file:line).
 */
import { parsePath, formatPath, type PathSegment } from '../core/paths.js';
import { levelsOf, topologicalOrder, type Dependencies } from '../core/graph.js';
import { KINDS, referenceFields, type ReferenceField } from './index.js';

export type { ReferenceField } from './index.js';

/** Kind → its reference fields; `path` uses `[]` for "every item of this list". */
export type ReferenceTable = Readonly<Record<string, readonly ReferenceField[]>>;

/**
 * Every reference field of every kind, read from the kind schemas (each reference carries the
 * `x-chimevoice-ref` marker naming its target kind), so that a new reference field in a schema is
 * a new edge here with nothing else to edit. A field whose target is `Secret` is a SecretKeySelector
 * (`{name, key}`); every other one is a LocalObjectReference (`{name}`). All references are in the
 * object's own namespace. test/sources/graph.test.ts spells the table out, so a change shows.
 */
export const REFERENCE_FIELDS: ReferenceTable = Object.freeze(
  Object.fromEntries(KINDS.map((k) => [k.kind, Object.freeze(referenceFields(k.kind))])),
);

/** The shape the graph needs of an object (a manifest from a folder or an object from a cluster). */
export interface ObjectLike {
  kind: string;
  metadata: { name: string; namespace?: string };
  spec?: unknown;
}

/** A reference found in an object. `path` is concrete (`spec.voiceConnectors[1].voiceConnectorRef`). */
export interface Reference {
  path: string;
  targetKind: string;
  name: string;
  namespace: string;
  /** The Secret key, for Secret references. */
  key?: string;
  /** A Secret reference marked `optional: true`: the Secret or its key may be missing. */
  optional?: boolean;
}

const DEFAULT_NAMESPACE = 'default';

export function namespaceOf(o: ObjectLike): string {
  // Optional chaining: objects that fail the schema (no metadata) may still pass through here.
  return o.metadata?.namespace || DEFAULT_NAMESPACE;
}

/** `Kind/namespace/name`: the identity of an object in the graph. */
export function objectKey(o: ObjectLike): string {
  return `${o.kind}/${namespaceOf(o)}/${o.metadata?.name}`;
}

export function refKey(r: Reference): string {
  return `${r.targetKind}/${r.namespace}/${r.name}`;
}

/** Every reference the object makes, in table order, then list order. Malformed references (no name) are skipped: the schema reports them. */
export function referencesOf(object: ObjectLike, table: ReferenceTable = REFERENCE_FIELDS): Reference[] {
  const out: Reference[] = [];
  const namespace = namespaceOf(object);
  for (const field of table[object.kind] ?? []) {
    for (const { segments, value } of expand(object, parsePath(field.path))) {
      if (!value || typeof value !== 'object') continue;
      const { name, key, optional } = value as { name?: unknown; key?: unknown; optional?: unknown };
      if (typeof name !== 'string' || name === '') continue;
      const ref: Reference = { path: formatPath(segments), targetKind: field.targetKind, name, namespace };
      if (typeof key === 'string') ref.key = key;
      if (optional === true) ref.optional = true;
      out.push(ref);
    }
  }
  return out;
}

/** Values at a path where `[]` (an empty-string segment after parsePath) means every list item. */
function expand(root: unknown, pattern: PathSegment[]): Array<{ segments: PathSegment[]; value: unknown }> {
  let current: Array<{ segments: PathSegment[]; value: unknown }> = [{ segments: [], value: root }];
  for (const seg of pattern) {
    const next: typeof current = [];
    for (const { segments, value } of current) {
      if (seg === '') {
        if (Array.isArray(value)) value.forEach((item, i) => next.push({ segments: [...segments, i], value: item }));
      } else if (value && typeof value === 'object' && !Array.isArray(value) && (value as Record<string, unknown>)[seg] !== undefined) {
        next.push({ segments: [...segments, seg], value: (value as Record<string, unknown>)[seg] });
      }
    }
    current = next;
  }
  return current;
}

/** For each object, the objects of the set it references (dependencies), deduplicated, in reference order. */
export function dependencyMap<T extends ObjectLike>(objects: readonly T[], table: ReferenceTable = REFERENCE_FIELDS): Map<T, T[]> {
  const byKey = new Map<string, T>();
  for (const o of objects) if (!byKey.has(objectKey(o))) byKey.set(objectKey(o), o);
  const deps = new Map<T, T[]>();
  for (const o of objects) {
    const list: T[] = [];
    for (const ref of referencesOf(o, table)) {
      const target = byKey.get(refKey(ref));
      if (target && !list.includes(target)) list.push(target);
    }
    deps.set(o, list);
  }
  return deps;
}

const kindRank = new Map<string, number>();
// Ties between independent objects follow the registry's kind order, then namespace and name, so
// plans and logs come out the same on every run.
KINDS.forEach((k, i) => kindRank.set(k.kind, i));

/** Registry kind order, then namespace/name: the stable order of objects that do not depend on each other. */
export function compareObjects(a: ObjectLike, b: ObjectLike): number {
  return compareBy(a, b, sortKeyOf(a), sortKeyOf(b));
}

const sortKeyOf = (o: ObjectLike) => `${namespaceOf(o)}/${o.metadata?.name}`;

function compareBy(a: ObjectLike, b: ObjectLike, ka: string, kb: string): number {
  const ra = kindRank.get(a.kind) ?? Number.MAX_SAFE_INTEGER;
  const rb = kindRank.get(b.kind) ?? Number.MAX_SAFE_INTEGER;
  if (ra !== rb) return ra - rb;
  if (a.kind !== b.kind) return a.kind < b.kind ? -1 : 1;
  return ka < kb ? -1 : ka > kb ? 1 : 0;
}

/** compareObjects with each object's `namespace/name` built once per sort, not twice per comparison. */
function objectComparator<T extends ObjectLike>(objects: readonly T[]): (a: T, b: T) => number {
  const keys = new Map<T, string>();
  for (const o of objects) keys.set(o, sortKeyOf(o));
  return (a, b) => compareBy(a, b, keys.get(a) ?? sortKeyOf(a), keys.get(b) ?? sortKeyOf(b));
}

/**
 * The order to create (or update) objects in: every object after the objects it references.
 * Independent objects keep a stable order (kind order of the registry, then namespace/name).
 * Objects on a cycle have no valid order; they come last, in that stable order (findCycles
 * reports them). References to objects outside the set are ignored.
 */
export function creationOrder<T extends ObjectLike>(objects: readonly T[], table: ReferenceTable = REFERENCE_FIELDS): T[] {
  return topologicalOrder(objects, dependencyMap(objects, table), objectComparator(objects));
}

/**
 * The creation order cut into levels: each object one level after the deepest object it references
 * (objects on a cycle go after what they reference that is placed), so the objects of one level
 * never reference each other and may be reconciled as one step. Levels keep creation order.
 */
export function dependencyLevels<T extends ObjectLike>(objects: readonly T[], table: ReferenceTable = REFERENCE_FIELDS): T[][] {
  const deps: Dependencies<T> = dependencyMap(objects, table);
  return levelsOf(topologicalOrder(objects, deps, objectComparator(objects)), deps);
}

/** The order to delete objects in: every object before the objects it references. */
export function deletionOrder<T extends ObjectLike>(objects: readonly T[], table: ReferenceTable = REFERENCE_FIELDS): T[] {
  return creationOrder(objects, table).reverse();
}
