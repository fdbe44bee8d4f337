/**
 * A counting semaphore: at most `limit` functions run at once, the rest wait in order. One is
 * shared by every step an engine runs (the controller's workers run several), so the bound holds
 * for all of the process's AWS calls, not per step. Hand-written because it is a dozen lines and
 * the project has no concurrency library as a dependency (p-limit is only a transitive one).
 */
export class Limiter {
  private active = 0;
  private readonly waiting: Array<() => void> = [];

  constructor(readonly limit: number) {}

  async run<T>(work: () => Promise<T>): Promise<T> {
    if (this.active >= this.limit) await new Promise<void>((resolve) => this.waiting.push(resolve));
    else this.active++;
    try {
      return await work();
    } finally {
      // The slot passes straight to the next in line, or is given back.
      const next = this.waiting.shift();
      if (next) next();
      else this.active--;
    }
  }
}
