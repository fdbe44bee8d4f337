// The reference graph between objects as a folder shows it: dangling references and cycles,
// located at the file and line that make them. The references themselves and the orders they
// impose live in src/api/references.ts (pure, no loader), re-exported here; the algorithms in
// src/core/graph.ts.
import { formatLocation, sourceOf } from './directory.js';
import { stronglyConnected, walkCycle } from '../core/graph.js';
import {
  REFERENCE_FIELDS,
  compareObjects,
  dependencyMap,
  namespaceOf,
  objectKey,
  refKey,
  referencesOf,
  type ObjectLike,
  type Reference,
  type ReferenceTable,
} from '../api/references.js';

export {
  REFERENCE_FIELDS,
  creationOrder,
  dependencyLevels,
  deletionOrder,
  dependencyMap,
  namespaceOf,
  objectKey,
  referencesOf,
  type ObjectLike,
  type Reference,
  type ReferenceField,
  type ReferenceTable,
} from '../api/references.js';

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
        // An optional reference may name a Secret, or a key, not supplied yet.
        if (ref.optional && (!secret || (ref.key !== undefined && !Object.prototype.hasOwnProperty.call(secret.data, ref.key)))) continue;
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

// ---- Dependents, cycles ----------------------------------------------------------------------------

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

/** `file:line:column` of an object's source, when it was read from a folder. */
export function describeSource(o: object): string | undefined {
  const s = sourceOf(o);
  return s ? formatLocation(s) : undefined;
}
