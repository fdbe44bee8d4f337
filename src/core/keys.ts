/**
 * The identity of a managed object: kind, namespace and name. Every layer keys its maps and queues
 * by it, so it lives in the leaf.
 */
export interface ObjectKey {
  kind: string;
  namespace: string;
  name: string;
}

/** The part of an object its key is made of (a manifest, a cluster object, a ManagedObject). */
export interface Keyed {
  kind: string;
  metadata: { name: string; namespace?: string };
}

export const keyOf = (obj: Keyed): ObjectKey => ({
  kind: obj.kind,
  namespace: obj.metadata.namespace ?? 'default',
  name: obj.metadata.name,
});

export const keyString = (k: ObjectKey) => `${k.kind}/${k.namespace}/${k.name}`;
