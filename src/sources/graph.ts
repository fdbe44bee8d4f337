// The reference graph between objects: which object names which, by what field. One table lists
// every reference field of every kind; everything else (dangling references, cycles, creation and
// deletion order, what blocks a delete) is derived from it.
import { formatLocation, formatPath, parsePath, sourceOf, type PathSegment } from './directory.js';
import { KINDS, referenceFields, type ReferenceField } from '../api/index.js';

export type { ReferenceField } from '../api/index.js';

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

function refKey(r: Reference): string {
  return `${r.targetKind}/${r.namespace}/${r.name}`;
}

/** Every reference the object makes, in table order, then list order. Malformed references (no name) are skipped: the schema reports them. */
export function referencesOf(object: ObjectLike, table: ReferenceTable = REFERENCE_FIELDS): Reference[] {
  const out: Reference[] = [];
  const namespace = namespaceOf(object);
  for (const field of table[object.kind] ?? []) {
    for (const { segments, value } of expand(object, parsePath(field.path))) {
      if (!value || typeof value !== 'object' || typeof (value as any).name !== 'string' || (value as any).name === '') continue;
      const ref: Reference = { path: formatPath(segments), targetKind: field.targetKind, name: (value as any).name, namespace };
      if (typeof (value as any).key === 'string') ref.key = (value as any).key;
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
      } else if (value && typeof value === 'object' && !Array.isArray(value) && (value as any)[seg] !== undefined) {
        next.push({ segments: [...segments, seg], value: (value as any)[seg] });
      }
    }
    current = next;
  }
  return current;
}

// ---- Dangling references ----------------------------------------------------------------------------

/** A Secret as the graph needs it: its identity and its keys. */
export interface SecretLike {
  name: string;
  namespace: string;
  data: Record<string, string>;
  /** Keys present but unusable, with why (reported where the Secret is; a reference to one says so). */
  invalid?: Record<string, string>;
}

export interface DanglingReference<T extends ObjectLike = ObjectLike> {
  from: T;
  ref: Reference;
  /** `object`: nothing of that kind and name; `key`: the Secret exists but lacks the key. */
  missing: 'object' | 'key';
  message: string;
  /** Where the reference field is written, when the object was read from a folder. */
  file?: string;
  line?: number;
  column?: number;
}

/**
 * References to objects that are not in `objects` (or Secrets not in `secrets`, or keys missing
 * from them). `external` lists kinds whose targets may legitimately live elsewhere and are not
 * reported (none by default: every reference is by name, to an object of this same set).
 */
export function findDanglingReferences<T extends ObjectLike>(
  objects: readonly T[],
  secrets: readonly SecretLike[] = [],
  table: ReferenceTable = REFERENCE_FIELDS,
): Array<DanglingReference<T>> {
  const present = new Set(objects.map(objectKey));
  const secretByKey = new Map(secrets.map((s) => [`Secret/${s.namespace}/${s.name}`, s]));
  const out: Array<DanglingReference<T>> = [];
  for (const from of objects) {
    for (const ref of referencesOf(from, table)) {
      let d: Omit<DanglingReference<T>, 'file' | 'line' | 'column'> | undefined;
      if (ref.targetKind === 'Secret') {
        const secret = secretByKey.get(refKey(ref));
        if (!secret) d = { from, ref, missing: 'object', message: `Secret ${ref.namespace}/${ref.name} not found` };
        else if (ref.key !== undefined && secret.invalid && Object.prototype.hasOwnProperty.call(secret.invalid, ref.key)) {
          d = { from, ref, missing: 'key', message: `Secret ${ref.namespace}/${ref.name} key "${ref.key}" is not usable: ${secret.invalid[ref.key]}` };
        } else if (ref.key !== undefined && !Object.prototype.hasOwnProperty.call(secret.data, ref.key)) {
          const keys = Object.keys(secret.data);
          d = {
            from,
            ref,
            missing: 'key',
            message: `Secret ${ref.namespace}/${ref.name} has no key "${ref.key}" (keys: ${keys.length ? keys.join(', ') : 'none'})`,
          };
        }
      } else if (!present.has(refKey(ref))) {
        d = { from, ref, missing: 'object', message: `${ref.targetKind} ${ref.namespace}/${ref.name} not found` };
      }
      if (!d) continue;
      const src = sourceOf(from);
      if (!src) out.push(d);
      else {
        // The name is what is wrong in a missing object, the key in a missing key.
        const p = src.locate(`${ref.path}.${d.missing === 'key' ? 'key' : 'name'}`);
        out.push({ ...d, file: src.file, line: p.line, column: p.column });
      }
    }
  }
  return out;
}

// ---- Edges, cycles, order ---------------------------------------------------------------------------

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

/** The objects of the set that reference `target` (what must go before it on deletion). */
export function dependentsOf<T extends ObjectLike>(target: ObjectLike, objects: readonly T[], table: ReferenceTable = REFERENCE_FIELDS): T[] {
  const key = objectKey(target);
  return objects.filter((o) => referencesOf(o, table).some((r) => refKey(r) === key));
}

export interface Cycle<T extends ObjectLike = ObjectLike> {
  /** The objects of the cycle, in reference order; the last references the first. */
  objects: T[];
  /** `VoiceConnectorGroup default/g → VoiceConnector default/a → VoiceConnectorGroup default/g`. */
  text: string;
  /** The reference field of the first object that points at the second. */
  path?: string;
  /** Where that field is written, when the object was read from a folder. */
  file?: string;
  line?: number;
  column?: number;
}

/** Every reference cycle (one per strongly connected component, plus self-references), spelled out. */
export function findCycles<T extends ObjectLike>(objects: readonly T[], table: ReferenceTable = REFERENCE_FIELDS): Array<Cycle<T>> {
  const deps = dependencyMap(objects, table);
  const sorted = [...objects].sort(compareObjects);
  const cycles: Array<Cycle<T>> = [];
  for (const component of stronglyConnected(sorted, deps)) {
    const self = component.length === 1 && (deps.get(component[0]) ?? []).includes(component[0]);
    if (component.length < 2 && !self) continue;
    const members = new Set(component);
    // Start from the smallest member so the text is stable, then walk edges inside the component.
    const start = [...component].sort(compareObjects)[0];
    const path = self ? [start] : walkCycle(start, members, deps);
    const label = (o: T) => `${o.kind} ${namespaceOf(o)}/${o.metadata.name}`;
    const cycle: Cycle<T> = { objects: path, text: [...path, path[0]].map(label).join(' → ') };
    // Point at the reference that leaves the first member, where a person can break the cycle.
    const nextKey = objectKey(path[1 % path.length]);
    const ref = referencesOf(start, table).find((r) => refKey(r) === nextKey);
    if (ref) cycle.path = ref.path;
    const src = sourceOf(start);
    if (src) {
      const at = ref ? src.locate(`${ref.path}.name`) : src;
      Object.assign(cycle, { file: src.file, line: at.line, column: at.column });
    }
    cycles.push(cycle);
  }
  return cycles;
}

/** A simple cycle through `start` inside one strongly connected component (depth-first search). */
function walkCycle<T extends ObjectLike>(start: T, members: Set<T>, deps: Map<T, T[]>): T[] {
  const stack: T[] = [start];
  const visited = new Set<T>([start]);
  const dfs = (node: T): boolean => {
    for (const next of deps.get(node) ?? []) {
      if (!members.has(next)) continue;
      if (next === start) return true;
      if (visited.has(next)) continue;
      visited.add(next);
      stack.push(next);
      if (dfs(next)) return true;
      stack.pop();
    }
    return false;
  };
  dfs(start);
  return stack;
}

/** Tarjan's algorithm; recursive, since reference chains are a handful of kinds deep. */
function stronglyConnected<T>(nodes: readonly T[], deps: Map<T, T[]>): T[][] {
  let index = 0;
  const idx = new Map<T, number>();
  const low = new Map<T, number>();
  const onStack = new Set<T>();
  const stack: T[] = [];
  const out: T[][] = [];
  const visit = (v: T) => {
    idx.set(v, index);
    low.set(v, index);
    index++;
    stack.push(v);
    onStack.add(v);
    for (const w of deps.get(v) ?? []) {
      if (!idx.has(w)) {
        visit(w);
        low.set(v, Math.min(low.get(v)!, low.get(w)!));
      } else if (onStack.has(w)) {
        low.set(v, Math.min(low.get(v)!, idx.get(w)!));
      }
    }
    if (low.get(v) === idx.get(v)) {
      const component: T[] = [];
      let w: T;
      do {
        w = stack.pop()!;
        onStack.delete(w);
        component.push(w);
      } while (w !== v);
      out.push(component);
    }
  };
  for (const n of nodes) if (!idx.has(n)) visit(n);
  return out;
}

const kindRank = new Map<string, number>();
// Ties between independent objects follow the registry's kind order, then namespace and name, so
// plans and logs come out the same on every run.
KINDS.forEach((k, i) => kindRank.set(k.kind, i));

function compareObjects(a: ObjectLike, b: ObjectLike): number {
  const ra = kindRank.get(a.kind) ?? Number.MAX_SAFE_INTEGER;
  const rb = kindRank.get(b.kind) ?? Number.MAX_SAFE_INTEGER;
  if (ra !== rb) return ra - rb;
  if (a.kind !== b.kind) return a.kind < b.kind ? -1 : 1;
  const ka = `${namespaceOf(a)}/${a.metadata?.name}`;
  const kb = `${namespaceOf(b)}/${b.metadata?.name}`;
  return ka < kb ? -1 : ka > kb ? 1 : 0;
}

/**
 * The order to create (or update) objects in: every object after the objects it references.
 * Independent objects keep a stable order (kind order of the registry, then namespace/name).
 * Objects on a cycle have no valid order; they come last, in that stable order (findCycles
 * reports them). References to objects outside the set are ignored.
 */
export function creationOrder<T extends ObjectLike>(objects: readonly T[], table: ReferenceTable = REFERENCE_FIELDS): T[] {
  const deps = dependencyMap(objects, table);
  const remaining = new Map<T, number>();
  const dependents = new Map<T, T[]>();
  for (const o of objects) {
    const own = (deps.get(o) ?? []).filter((d) => d !== o);
    remaining.set(o, own.length);
    for (const d of own) dependents.set(d, [...(dependents.get(d) ?? []), o]);
  }
  const ready = objects.filter((o) => remaining.get(o) === 0).sort(compareObjects);
  const order: T[] = [];
  while (ready.length > 0) {
    const next = ready.shift()!;
    order.push(next);
    for (const dep of dependents.get(next) ?? []) {
      const n = remaining.get(dep)! - 1;
      remaining.set(dep, n);
      if (n === 0) insertSorted(ready, dep);
    }
  }
  const placed = new Set(order);
  const stuck = objects.filter((o) => !placed.has(o));
  return [...order, ...stuck.sort(compareObjects)];
}

/**
 * The creation order cut into levels: each object one level after the deepest object it references
 * (objects on a cycle go after what they reference that is placed), so the objects of one level
 * never reference each other and may be reconciled as one step. Levels keep creation order.
 */
export function dependencyLevels<T extends ObjectLike>(objects: readonly T[], table: ReferenceTable = REFERENCE_FIELDS): T[][] {
  const deps = dependencyMap(objects, table);
  const level = new Map<T, number>();
  const levels: T[][] = [];
  for (const o of creationOrder(objects, table)) {
    const own = (deps.get(o) ?? []).filter((d) => d !== o);
    // A dependency not yet placed (a cycle) puts the object one level after the last placed one.
    const n = own.reduce((m, d) => Math.max(m, level.has(d) ? level.get(d)! + 1 : levels.length), 0);
    level.set(o, n);
    (levels[n] ??= []).push(o);
  }
  return levels.filter((l) => l !== undefined);
}

/** The order to delete objects in: every object before the objects it references. */
export function deletionOrder<T extends ObjectLike>(objects: readonly T[], table: ReferenceTable = REFERENCE_FIELDS): T[] {
  return creationOrder(objects, table).reverse();
}

function insertSorted<T extends ObjectLike>(list: T[], item: T): void {
  let i = 0;
  while (i < list.length && compareObjects(list[i], item) <= 0) i++;
  list.splice(i, 0, item);
}

/** `file:line:column` of an object's source, when it was read from a folder. */
export function describeSource(o: object): string | undefined {
  const s = sourceOf(o);
  return s ? formatLocation(s) : undefined;
}
