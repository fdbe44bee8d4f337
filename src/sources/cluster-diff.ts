/**
 * What `kubectl apply` of a folder would make of the objects a cluster holds, computed without
 * asking the API server to try it (a dry-run apply is a patch request, which needs write access and
 * runs admission webhooks; a plan only reads). For custom resources kubectl's client-side apply
 * sends a JSON merge patch built from three versions (kubectl's CreateThreeWayJSONMergePatch): the
 * configuration it applied last (the annotation kubectl.kubernetes.io/last-applied-configuration),
 * the manifest now, and the object as it is. Fields the manifest sets are set; fields the last
 * applied configuration had and the manifest dropped are removed; fields others set (the
 * controller's finalizer, an annotation added by hand) stay. Lists are replaced whole, as a merge
 * patch replaces them. The API server then fills the schema's defaults, as applyDefaults does here.
 */
import { applyDefaults } from '../api/validate.js';
import { deepEqual } from '../core/canonical.js';
import { formatPath, type PathSegment } from '../core/paths.js';
import type { ManagedObject } from '../reconcile/types.js';

export const LAST_APPLIED = 'kubectl.kubernetes.io/last-applied-configuration';

type Json = Record<string, unknown>;

const isPlainObject = (v: unknown): v is Json => typeof v === 'object' && v !== null && !Array.isArray(v);

/** One field of the spec that an apply changes: before is the cluster's, after the applied value (undefined: absent). */
export interface SpecChange {
  path: string;
  before: unknown;
  after: unknown;
}

/** How an object of the folder fares against the cluster. */
export type ClusterOutcome = 'create' | 'change' | 'unchanged';

export interface AppliedObject {
  outcome: ClusterOutcome;
  /** The object as the cluster would hold it after the apply (schema defaults filled), its status the cluster's. */
  object: ManagedObject;
  /** The spec fields that change, in the order of the spec; empty when created or unchanged. */
  changes: SpecChange[];
  /** Labels or annotations that change (metadata.annotations.x), apart from kubectl's own record. */
  metadataChanges: SpecChange[];
}

/**
 * `current` with the merge patch of (original → modified) applied: modified's members set,
 * original's members that modified dropped removed, other members of current kept. A null in the
 * manifest removes the member, as in a merge patch.
 */
export function threeWayMerge(original: Json | undefined, modified: Json, current: Json | undefined): Json {
  const result: Json = { ...(current ?? {}) };
  for (const key of Object.keys(original ?? {})) if (!(key in modified)) delete result[key];
  for (const [key, value] of Object.entries(modified)) {
    if (value === null || value === undefined) delete result[key];
    else if (isPlainObject(value) && isPlainObject(result[key])) {
      result[key] = threeWayMerge(isPlainObject(original?.[key]) ? original[key] : undefined, value, result[key] as Json);
    } else result[key] = structuredClone(value);
  }
  return result;
}

/** The configuration kubectl applied last, or undefined when the object was not made by `kubectl apply` (or the record is unreadable). */
export function lastApplied(obj: ManagedObject | undefined): Json | undefined {
  const text = obj?.metadata.annotations?.[LAST_APPLIED];
  if (text === undefined) return undefined;
  try {
    const parsed = JSON.parse(text) as unknown;
    return isPlainObject(parsed) ? parsed : undefined;
  } catch {
    return undefined;
  }
}

/** Field-by-field differences of two JSON values: objects member by member, lists of one length item by item, anything else whole. */
export function fieldChanges(before: unknown, after: unknown, at: PathSegment[] = []): SpecChange[] {
  if (deepEqual(before, after)) return [];
  if (isPlainObject(before) && isPlainObject(after)) {
    const keys = [...new Set([...Object.keys(after), ...Object.keys(before)])];
    return keys.flatMap((k) => fieldChanges(before[k], after[k], [...at, k]));
  }
  if (Array.isArray(before) && Array.isArray(after) && before.length === after.length) {
    return before.flatMap((b, i) => fieldChanges(b, after[i], [...at, i]));
  }
  return [{ path: formatPath(at), before, after }];
}

/** The members of a string map kubectl's own record and the controller's markers aside; what a person changes with a manifest. */
function metadataMaps(obj: ManagedObject | undefined): Json {
  const annotations = { ...(obj?.metadata.annotations ?? {}) };
  delete annotations[LAST_APPLIED];
  return { labels: obj?.metadata.labels ?? {}, annotations };
}

/**
 * What `kubectl apply` makes of `manifest` (an object of the folder, its namespace set) given the
 * cluster's `current` copy (undefined: not there). The applied object keeps the cluster's status
 * and generation, with the generation moved on when the spec changes, as the API server does.
 */
export function applyToCluster(manifest: ManagedObject, current: ManagedObject | undefined): AppliedObject {
  const { status: _ignored, ...config } = structuredClone(manifest);
  const original = lastApplied(current);
  const meta = (o: Json | undefined) => (isPlainObject(o?.metadata) ? o.metadata : undefined);
  const mergedMeta = threeWayMerge(
    original ? { labels: meta(original)?.labels ?? {}, annotations: meta(original)?.annotations ?? {} } : undefined,
    { labels: config.metadata.labels ?? {}, annotations: config.metadata.annotations ?? {} },
    current ? { labels: current.metadata.labels ?? {}, annotations: current.metadata.annotations ?? {} } : undefined,
  ) as { labels: Record<string, string>; annotations: Record<string, string> };
  // kubectl records what it applied; the record is no change a person made, so it is left out of the comparison.
  const annotations = { ...mergedMeta.annotations, [LAST_APPLIED]: JSON.stringify(config) };
  const spec = threeWayMerge(isPlainObject(original?.spec) ? original.spec : undefined, (config.spec ?? {}) as Json, current?.spec as Json | undefined);
  const defaulted = applyDefaults({ apiVersion: config.apiVersion, kind: config.kind, metadata: {}, spec }) as { spec?: Json };
  const object: ManagedObject = {
    ...(current ?? {}),
    apiVersion: config.apiVersion,
    kind: config.kind,
    metadata: {
      ...(current?.metadata ?? {}),
      name: config.metadata.name,
      namespace: config.metadata.namespace,
      ...(Object.keys(mergedMeta.labels).length > 0 ? { labels: mergedMeta.labels } : {}),
      annotations,
    },
    spec: defaulted.spec ?? {},
  } as ManagedObject;
  if (!current) return { outcome: 'create', object: { ...object, metadata: { ...object.metadata, generation: 1 } }, changes: [], metadataChanges: [] };
  const changes = fieldChanges(current.spec ?? {}, object.spec ?? {}, ['spec']);
  const metadataChanges = fieldChanges(metadataMaps(current), metadataMaps(object), ['metadata']);
  if (changes.length > 0) object.metadata = { ...object.metadata, generation: (current.metadata.generation ?? 0) + 1 };
  return { outcome: changes.length > 0 || metadataChanges.length > 0 ? 'change' : 'unchanged', object, changes, metadataChanges };
}

/**
 * What `kubectl apply --prune` of the folder deletes: objects of the folder's kinds, in the
 * namespaces it covers, that the folder does not hold and that `kubectl apply` made (kubectl prunes
 * only objects carrying its last-applied record; others were made another way and stay).
 */
export function pruneCandidates(cluster: readonly ManagedObject[], folder: ReadonlySet<string>, kinds: ReadonlySet<string>, namespaces: ReadonlySet<string>): ManagedObject[] {
  return cluster.filter(
    (o) =>
      kinds.has(o.kind) &&
      namespaces.has(o.metadata.namespace ?? 'default') &&
      !folder.has(`${o.kind}/${o.metadata.namespace ?? 'default'}/${o.metadata.name}`) &&
      o.metadata.annotations?.[LAST_APPLIED] !== undefined &&
      o.metadata.deletionTimestamp === undefined,
  );
}
