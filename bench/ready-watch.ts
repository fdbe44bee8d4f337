/**
 * The cluster benchmarks' own view of readiness: an informer over every VoiceConnector that counts
 * the objects Ready at their current generation, and `until`, which waits for a condition on that
 * view (re-checked on every event) or a timeout.
 */
import { Informer } from '../src/runtime/informer.js';
import type { KubeClient } from '../src/runtime/kube.js';
import type { ManagedObject } from '../src/reconcile/types.js';
import { createLogger } from '../src/telemetry/logger.js';

export const objectKey = (o: ManagedObject) => `${o.metadata.namespace}/${o.metadata.name}`;

export const isReady = (o: ManagedObject) => {
  const ready = o.status?.conditions?.find((c) => c.type === 'Ready');
  return ready?.status === 'True' && o.status?.observedGeneration === o.metadata.generation;
};

export interface ReadyWatch {
  watcher: Informer<ManagedObject>;
  ready: Set<string>;
  /** Updates that kept the generation: status writes. */
  statusWrites(): number;
  until(probe: () => boolean, timeoutMs: number): Promise<boolean>;
}

export async function watchReady(kube: KubeClient): Promise<ReadyWatch> {
  const ready = new Set<string>();
  const waiters = new Set<() => void>();
  let statusWrites = 0;
  const watcher = new Informer<ManagedObject>({
    name: 'bench',
    kubeConfig: kube.config,
    path: kube.collectionPath('VoiceConnector'),
    list: () => kube.list('VoiceConnector'),
    onEvent: (event, o, old) => {
      if (event === 'update' && old && old.metadata.generation === o.metadata.generation) statusWrites++;
      if (event !== 'delete' && isReady(o)) ready.add(objectKey(o));
      else ready.delete(objectKey(o));
      for (const w of waiters) w();
    },
    log: createLogger('warn'),
  });
  watcher.start();
  await watcher.synced;
  const until = (probe: () => boolean, timeoutMs: number) =>
    new Promise<boolean>((resolve) => {
      if (probe()) return resolve(true);
      const check = () => {
        if (!probe()) return;
        waiters.delete(check);
        clearTimeout(timer);
        resolve(true);
      };
      const timer = setTimeout(() => {
        waiters.delete(check);
        resolve(false);
      }, timeoutMs);
      waiters.add(check);
    });
  return { watcher, ready, statusWrites: () => statusWrites, until };
}
