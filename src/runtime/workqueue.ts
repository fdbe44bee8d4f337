/**
 * A work queue keyed by object, as controller-runtime's: a key is never processed by two workers
 * at once (an add during processing marks it dirty and it runs again after), delays are per key
 * (exponential backoff with jitter after errors, explicit requeue after progress), and a global
 * concurrency limit bounds the work in flight.
 */
import { backoffMs } from '../core/backoff.js';

export interface WorkResult {
  /** Look at the key again after this long (progress to watch, or the periodic resync). */
  requeueAfterMs?: number;
  /** The work failed recoverably: requeue with this key's backoff. */
  error?: boolean;
}

export interface WorkQueueOptions {
  concurrency: number;
  process: (key: string) => Promise<WorkResult>;
  baseBackoffMs?: number;
  maxBackoffMs?: number;
  onDepth?: (depth: number) => void;
  random?: () => number;
}

export class WorkQueue {
  private readonly queue: string[] = [];
  private readonly urgent: string[] = [];
  private readonly queued = new Set<string>();
  private readonly processing = new Set<string>();
  private readonly dirty = new Set<string>();
  private readonly timers = new Map<string, NodeJS.Timeout>();
  private readonly failures = new Map<string, number>();
  private active = 0;
  private running = false;
  private idleWaiters: Array<() => void> = [];

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
    for (const t of this.timers.values()) clearTimeout(t);
    this.timers.clear();
    if (this.active === 0) return;
    await new Promise<void>((resolve) => this.idleWaiters.push(resolve));
  }

  /**
   * Queues the key. `urgent` keys (a person's change seen by the watch) go ahead of the routine
   * work (resyncs, requeues), so an edit is not stuck behind thousands of periodic drift checks.
   */
  add(key: string, options: { urgent?: boolean } = {}): void {
    const timer = this.timers.get(key);
    if (timer) {
      clearTimeout(timer);
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
    this.pump();
  }

  /** Adds the key after `ms`, unless it is added sooner (a sooner add wins; a later addAfter does not postpone). */
  addAfter(key: string, ms: number): void {
    if (ms <= 0) return this.add(key);
    if (this.queued.has(key) || this.timers.has(key)) return;
    const timer = setTimeout(() => {
      this.timers.delete(key);
      this.add(key);
    }, ms);
    timer.unref();
    this.timers.set(key, timer);
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
      const key = (this.urgent.length > 0 ? this.urgent : this.queue).shift()!;
      this.queued.delete(key);
      this.options.onDepth?.(this.depth);
      this.processing.add(key);
      this.active++;
      void this.run(key);
    }
  }

  private async run(key: string): Promise<void> {
    let result: WorkResult;
    try {
      result = await this.options.process(key);
    } catch {
      result = { error: true };
    }
    this.processing.delete(key);
    this.active--;
    if (this.dirty.delete(key)) {
      // Something changed while the key was being worked on: look again before the routine work.
      this.add(key, { urgent: true });
    } else if (this.running) {
      if (result.error) this.addAfter(key, this.backoff(key));
      else {
        this.forget(key);
        if (result.requeueAfterMs !== undefined) this.addAfter(key, result.requeueAfterMs);
      }
    }
    if (this.active === 0 && !this.running) {
      for (const w of this.idleWaiters.splice(0)) w();
    }
    this.pump();
  }
}
