/**
 * A work queue keyed by object, as controller-runtime's: a key is never processed by two workers
 * at once (an add during processing marks it dirty and it runs again after), delays are per key
 * (exponential backoff with jitter after errors, explicit requeue after progress), and a global
 * concurrency limit bounds the work in flight.
 */
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
    return this.queue.length;
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

  add(key: string): void {
    const timer = this.timers.get(key);
    if (timer) {
      clearTimeout(timer);
      this.timers.delete(key);
    }
    if (this.processing.has(key)) {
      this.dirty.add(key);
      return;
    }
    if (this.queued.has(key)) return;
    this.queued.add(key);
    this.queue.push(key);
    this.options.onDepth?.(this.queue.length);
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
    const base = this.options.baseBackoffMs ?? 1_000;
    const ceiling = Math.min(this.options.maxBackoffMs ?? 300_000, base * 2 ** (n - 1));
    const random = this.options.random ?? Math.random;
    return Math.round(ceiling / 2 + (random() * ceiling) / 2);
  }

  forget(key: string): void {
    this.failures.delete(key);
  }

  private pump(): void {
    while (this.running && this.active < this.options.concurrency && this.queue.length > 0) {
      const key = this.queue.shift()!;
      this.queued.delete(key);
      this.options.onDepth?.(this.queue.length);
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
      this.add(key);
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
