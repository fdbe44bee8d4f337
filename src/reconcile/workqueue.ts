/**
 * A work queue keyed by object, as controller-runtime's: a key is never processed by two workers
 * at once (an add during processing marks it dirty and it runs again after), delays are per key
 * (exponential backoff with jitter after errors, explicit requeue after progress), and a global
 * concurrency limit bounds the work in flight.
 *
 * It is the one scheduler of both modes: the controller's workers, and directory mode's plan, apply
 * (`--watch` included) and destroy, which lives below both (src/reconcile) for that reason.
 *
 * With `processBatch`, a worker takes every due key at once (up to `maxBatch`) and hands them over
 * together, so that their writes can merge (a thousand numbers in ten association calls). Keys
 * added in one turn of the event loop (a start-up, a connector's dependents woken, timers due at
 * the same moment) are handed over together: the queue dispatches once the turn's adds are done,
 * never after a wait.
 */
import { backoffMs } from '../core/backoff.js';

export interface WorkResult {
  /** Look at the key again after this long (progress to watch, or the periodic resync). */
  requeueAfterMs?: number;
  /** The work failed recoverably: requeue with this key's backoff. */
  error?: boolean;
}

export interface WorkQueueOptions {
  /** Workers: keys (or, with processBatch, batches of keys) in process at once. */
  concurrency: number;
  process: (key: string) => Promise<WorkResult>;
  /** Processes due keys together; one result per key, in the order given. Replaces `process`. */
  processBatch?: (keys: string[]) => Promise<WorkResult[]>;
  /** Most keys a worker takes at once with processBatch (default 2,000). */
  maxBatch?: number;
  baseBackoffMs?: number;
  maxBackoffMs?: number;
  onDepth?: (depth: number) => void;
  /** A key failed and comes back after `delayMs`: its `attempt`-th failure in a row. */
  onBackoff?: (key: string, attempt: number, delayMs: number) => void;
  random?: () => number;
}

export class WorkQueue {
  private readonly queue: string[] = [];
  private readonly urgent: string[] = [];
  private readonly queued = new Set<string>();
  private readonly processing = new Set<string>();
  private readonly dirty = new Set<string>();
  /** Keys waiting for their delay, with when they are due. */
  private readonly timers = new Map<string, { timer: NodeJS.Timeout; at: number }>();
  private readonly failures = new Map<string, number>();
  private active = 0;
  private running = false;
  private idleWaiters: Array<() => void> = [];
  private drainWaiters: Array<() => void> = [];
  private dispatchScheduled = false;

  constructor(private readonly options: WorkQueueOptions) {}

  get depth(): number {
    return this.urgent.length + this.queue.length;
  }

  start(): void {
    this.running = true;
    this.pump();
  }

  /** Stops taking work; resolves once the work in flight has finished. */
  async stop(): Promise<void> {
    this.running = false;
    for (const t of this.timers.values()) clearTimeout(t.timer);
    this.timers.clear();
    if (this.active === 0) return;
    await new Promise<void>((resolve) => this.idleWaiters.push(resolve));
  }

  /**
   * Resolves once nothing is left: no key queued, in process, or waiting for its delay. A run over
   * a fixed set of keys (directory mode's plan, apply and destroy) ends there.
   */
  drained(): Promise<void> {
    if (this.isDrained()) return Promise.resolve();
    return new Promise<void>((resolve) => this.drainWaiters.push(resolve));
  }

  private isDrained(): boolean {
    return this.depth === 0 && this.active === 0 && this.timers.size === 0 && !this.dispatchScheduled;
  }

  /**
   * Queues the key. `urgent` keys (a person's change seen by the watch) go ahead of the routine
   * work (resyncs, requeues), so an edit is not stuck behind thousands of periodic drift checks.
   */
  add(key: string, options: { urgent?: boolean } = {}): void {
    const waiting = this.timers.get(key);
    if (waiting) {
      clearTimeout(waiting.timer);
      this.timers.delete(key);
    }
    if (this.processing.has(key)) {
      this.dirty.add(key);
      return;
    }
    if (this.queued.has(key)) {
      if (options.urgent && !this.urgent.includes(key)) {
        this.queue.splice(this.queue.indexOf(key), 1);
        this.urgent.push(key);
      }
      return;
    }
    this.queued.add(key);
    (options.urgent ? this.urgent : this.queue).push(key);
    this.options.onDepth?.(this.depth);
    this.schedulePump();
  }

  /** Batches dispatch after the current turn's adds, so that the keys added together go together. */
  private schedulePump(): void {
    if (!this.options.processBatch) return this.pump();
    if (this.dispatchScheduled) return;
    this.dispatchScheduled = true;
    setImmediate(() => {
      this.dispatchScheduled = false;
      this.pump();
    });
  }

  /**
   * Adds the key after `ms`, unless it is added sooner: the earliest wins, as in client-go's
   * delaying queue (a change seen 300 ms from now brings forward a resync due in 5 minutes; a later
   * addAfter does not postpone).
   */
  addAfter(key: string, ms: number): void {
    if (ms <= 0) return this.add(key);
    if (this.queued.has(key)) return;
    const at = Date.now() + ms;
    const waiting = this.timers.get(key);
    if (waiting) {
      if (waiting.at <= at) return;
      clearTimeout(waiting.timer);
    }
    const timer = setTimeout(() => {
      this.timers.delete(key);
      this.add(key);
    }, ms);
    timer.unref();
    this.timers.set(key, { timer, at });
  }

  /** The key's next delay after a failure: exponential with full jitter. */
  backoff(key: string): number {
    const n = (this.failures.get(key) ?? 0) + 1;
    this.failures.set(key, n);
    return backoffMs(n, this.options.baseBackoffMs ?? 1_000, this.options.maxBackoffMs ?? 300_000, this.options.random ?? Math.random);
  }

  forget(key: string): void {
    this.failures.delete(key);
  }

  private pump(): void {
    while (this.running && this.active < this.options.concurrency && this.depth > 0) {
      const keys: string[] = [];
      const max = this.options.processBatch ? Math.max(1, this.options.maxBatch ?? DEFAULT_MAX_BATCH) : 1;
      while (keys.length < max && this.depth > 0) keys.push((this.urgent.length > 0 ? this.urgent : this.queue).shift()!);
      for (const key of keys) {
        this.queued.delete(key);
        this.processing.add(key);
      }
      this.options.onDepth?.(this.depth);
      this.active++;
      void this.run(keys);
    }
  }

  private async results(keys: string[]): Promise<WorkResult[]> {
    try {
      if (this.options.processBatch) return await this.options.processBatch(keys);
      return [await this.options.process(keys[0])];
    } catch {
      return keys.map(() => ({ error: true }));
    }
  }

  private async run(keys: string[]): Promise<void> {
    const results = await this.results(keys);
    this.active--;
    for (const [k, key] of keys.entries()) {
      const result = results[k] ?? { error: true };
      this.processing.delete(key);
      if (this.dirty.delete(key)) {
        // Something changed while the key was being worked on: look again before the routine work.
        this.add(key, { urgent: true });
      } else if (this.running) {
        if (result.error) {
          const delay = this.backoff(key);
          this.options.onBackoff?.(key, this.failures.get(key) ?? 1, delay);
          this.addAfter(key, delay);
        }
        else {
          this.forget(key);
          if (result.requeueAfterMs !== undefined) this.addAfter(key, result.requeueAfterMs);
        }
      }
    }
    if (this.active === 0 && !this.running) {
      for (const w of this.idleWaiters.splice(0)) w();
    }
    this.pump();
    if (this.isDrained()) for (const w of this.drainWaiters.splice(0)) w();
  }
}

/**
 * Most keys one batch takes by default: twenty association calls' worth of numbers. It bounds how
 * long a key's status waits for the rest of its batch; merges need no more than 100 per target.
 */
export const DEFAULT_MAX_BATCH = 2_000;
