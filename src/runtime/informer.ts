/**
 * An informer over one collection: list, then watch from the list's resourceVersion; relist on 410
 * Gone; rewatch after the client's inactivity timeout or the server's own timeout; restart after
 * errors with backoff; and relist periodically so that nothing missed survives long.
 *
 * Why not the client's ListWatch: in @kubernetes/client-node 2.0.1, `Watch` aborts a connection
 * after 30 s without data (an inactivity timeout, not a total one), and `ListWatch` stops for good
 * on any error other than 410 or that timeout, ignores bookmarks, and never relists on a period.
 * This informer keeps its own resourceVersion (bookmarks included) and never stops on its own.
 *
 * The client runs on undici 7 (package.json `overrides`): the undici 8 it asks for needs Node 22.
 */
import type { KubeConfig } from '@kubernetes/client-node';
import { Watch } from '@kubernetes/client-node';
import type { Logger } from '../telemetry/logger.js';
import { backoffMs } from '../core/backoff.js';

export interface KubeObject {
  metadata: { name: string; namespace?: string; resourceVersion?: string };
}

export type InformerEvent = 'add' | 'update' | 'delete';

export interface InformerOptions<T extends KubeObject> {
  /** For logs and metrics. */
  name: string;
  kubeConfig: KubeConfig;
  /** The collection path, e.g. /apis/chimevoice.io/v1alpha1/voiceconnectors or .../namespaces/x/voiceconnectors. */
  path: string;
  list: () => Promise<{ items: T[]; metadata?: { resourceVersion?: string } }>;
  onEvent: (event: InformerEvent, obj: T, old?: T) => void;
  log: Logger;
  /** Server-side watch timeout; the server closes the watch after it and the informer rewatches. */
  watchTimeoutSeconds?: number;
  /** Client-side inactivity timeout of a watch connection. */
  inactivityTimeoutMs?: number;
  /** Relist this often even when the watch is healthy. */
  relistIntervalMs?: number;
  /** Applied to every object before it is cached and handed to onEvent (client-go's TransformFunc): drop what the controller never reads. */
  transform?: (obj: T) => T;
}

const keyOf = (o: KubeObject) => `${o.metadata.namespace ?? ''}/${o.metadata.name}`;

/** What a watch event carries: an object of the watched kind, or a Status (`code` 410: the resource version is gone). */
interface WatchEventObject {
  code?: number;
  metadata?: { resourceVersion?: string };
}

export class Informer<T extends KubeObject> {
  private readonly cache = new Map<string, T>();
  private resourceVersion = '';
  private stopped = true;
  private current: AbortController | undefined;
  private failures = 0;
  private lastList = 0;
  private syncedResolve!: () => void;
  /** Resolves after the first successful list. */
  readonly synced: Promise<void> = new Promise((resolve) => (this.syncedResolve = resolve));
  private hasSynced = false;
  private loop: Promise<void> | undefined;
  private wake: (() => void) | undefined;

  constructor(private readonly options: InformerOptions<T>) {}

  get isSynced(): boolean {
    return this.hasSynced;
  }

  get(namespace: string | undefined, name: string): T | undefined {
    return this.cache.get(`${namespace ?? ''}/${name}`);
  }

  list(): T[] {
    return [...this.cache.values()];
  }

  start(): void {
    if (!this.stopped) return;
    this.stopped = false;
    this.loop = this.run();
  }

  async stop(): Promise<void> {
    this.stopped = true;
    this.current?.abort();
    this.wake?.();
    await this.loop;
  }

  /** Forces a relist now (used after the API server comes back, and by the periodic timer). */
  relist(): void {
    this.resourceVersion = '';
    this.current?.abort();
  }

  private async run(): Promise<void> {
    while (!this.stopped) {
      try {
        const relistDue = this.options.relistIntervalMs !== undefined && Date.now() - this.lastList >= this.options.relistIntervalMs;
        if (!this.resourceVersion || relistDue) await this.doList();
        const outcome = await this.watchOnce();
        if (outcome === 'gone') {
          this.options.log.info({ informer: this.options.name }, 'watch answered 410 Gone: relisting');
          this.resourceVersion = '';
        }
        this.failures = 0;
      } catch (err) {
        if (this.stopped) break;
        this.failures++;
        const delay = backoffMs(this.failures + 1, 500, 30_000);
        this.options.log.warn({ informer: this.options.name, err: (err as Error).message, retryInMs: Math.round(delay) }, 'list/watch failed; retrying');
        await new Promise<void>((resolve) => {
          const t = setTimeout(resolve, delay);
          this.wake = () => {
            clearTimeout(t);
            resolve();
          };
        });
        this.wake = undefined;
      }
    }
  }

  private async doList(): Promise<void> {
    const result = await this.options.list();
    this.lastList = Date.now();
    const seen = new Set<string>();
    const transform = this.options.transform ?? ((o: T) => o);
    for (const listed of result.items) {
      const item = transform(listed);
      const k = keyOf(item);
      seen.add(k);
      const old = this.cache.get(k);
      this.cache.set(k, item);
      if (!old) this.options.onEvent('add', item);
      else if (old.metadata.resourceVersion !== item.metadata.resourceVersion) this.options.onEvent('update', item, old);
    }
    for (const [k, old] of [...this.cache]) {
      if (!seen.has(k)) {
        this.cache.delete(k);
        this.options.onEvent('delete', old);
      }
    }
    this.resourceVersion = result.metadata?.resourceVersion ?? '';
    if (!this.hasSynced) {
      this.hasSynced = true;
      this.syncedResolve();
    }
  }

  /** One watch connection; resolves when it ends normally ('closed') or with 410 ('gone'); rejects on errors. */
  private watchOnce(): Promise<'closed' | 'gone'> {
    const watch = new Watch(this.options.kubeConfig);
    // The field is private in the typings but read at each watch(); the default of 30 s would end
    // quiet watches more often than the server-side timeout.
    (watch as unknown as { requestTimeoutMs: number }).requestTimeoutMs = this.options.inactivityTimeoutMs ?? 60_000;
    let gone = false;
    const relistTimer =
      this.options.relistIntervalMs !== undefined
        ? setTimeout(() => this.current?.abort(), Math.max(1_000, this.options.relistIntervalMs - (Date.now() - this.lastList)))
        : undefined;
    relistTimer?.unref();
    return new Promise((resolve, reject) => {
      const finish = (err: unknown) => {
        clearTimeout(relistTimer);
        this.current = undefined;
        if (gone) return resolve('gone');
        if (!err || this.stopped) return resolve('closed');
        const e = err as { name?: string; statusCode?: number };
        // The inactivity timeout and an abort we asked for are normal ends of a watch.
        if (e.name === 'TimeoutError' || e.name === 'AbortError') return resolve('closed');
        if (e.statusCode === 410) return resolve('gone');
        reject(err instanceof Error ? err : new Error(String(err)));
      };
      watch
        .watch(
          this.options.path,
          { resourceVersion: this.resourceVersion, allowWatchBookmarks: true, timeoutSeconds: this.options.watchTimeoutSeconds ?? 300 },
          (type: string, obj: WatchEventObject) => {
            if (type === 'ERROR') {
              if (obj?.code === 410) gone = true;
              else this.options.log.warn({ informer: this.options.name, status: obj }, 'watch error event');
              return;
            }
            const rv = obj?.metadata?.resourceVersion;
            if (type === 'BOOKMARK') {
              if (rv) this.resourceVersion = rv;
              return;
            }
            const item = this.options.transform ? this.options.transform(obj as T) : (obj as T);
            const k = keyOf(item);
            const old = this.cache.get(k);
            if (type === 'DELETED') {
              this.cache.delete(k);
              this.options.onEvent('delete', item);
            } else {
              this.cache.set(k, item);
              this.options.onEvent(old ? 'update' : 'add', item, old);
            }
            if (rv) this.resourceVersion = rv;
          },
          finish,
        )
        .then((controller) => {
          this.current = controller;
          if (this.stopped) controller.abort();
        })
        .catch(finish);
    });
  }
}
