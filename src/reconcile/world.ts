/** The set of desired objects with their latest status, as directory mode and tests hold it. */
import type { ManagedObject, ObjectKey, ObjectStatus, World } from './types.js';
import { keyOf, keyString } from './types.js';

export class MemoryWorld implements World {
  private readonly objects = new Map<string, ManagedObject>();

  constructor(objects: ManagedObject[] = []) {
    for (const o of objects) this.put(o);
  }

  put(obj: ManagedObject): void {
    this.objects.set(keyString(keyOf(obj)), obj);
  }

  remove(key: ObjectKey): void {
    this.objects.delete(keyString(key));
  }

  get(key: ObjectKey): ManagedObject | undefined {
    return this.objects.get(keyString(key));
  }

  list(kind: string, namespace?: string): ManagedObject[] {
    return [...this.objects.values()].filter((o) => o.kind === kind && (namespace === undefined || (o.metadata.namespace ?? 'default') === namespace));
  }

  all(): ManagedObject[] {
    return [...this.objects.values()];
  }

  setStatus(key: ObjectKey, status: ObjectStatus): void {
    const obj = this.get(key);
    if (obj) this.put({ ...obj, status });
  }
}
