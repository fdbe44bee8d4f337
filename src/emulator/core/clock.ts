import type { Clock } from './types.js';

/**
 * Real time by default; tests and benchmarks accelerate it or move it by hand so that order
 * processing, the 72-hour calling name update and the 7-day deletion queue pass in seconds.
 * Emulated time never runs backwards: a rate change re-anchors at the current emulated instant.
 */
export class EmulatedClock implements Clock {
  private anchorReal = Date.now();
  private anchorEmulated = Date.now();

  constructor(private rate = 1) {}

  now(): Date {
    return new Date(this.anchorEmulated + (Date.now() - this.anchorReal) * this.rate);
  }

  /** Moves emulated time forward by `ms` (negative values are refused: time does not run backwards). */
  advance(ms: number): void {
    if (!Number.isFinite(ms) || ms < 0) throw new RangeError(`clock advance must be a non-negative number of milliseconds, got ${ms}`);
    this.reanchor();
    this.anchorEmulated += ms;
  }

  setRate(rate: number): void {
    if (!Number.isFinite(rate) || rate < 0) throw new RangeError(`clock rate must be a non-negative number, got ${rate}`);
    this.reanchor();
    this.rate = rate;
  }

  getRate(): number {
    return this.rate;
  }

  private reanchor() {
    const now = this.now().getTime();
    this.anchorReal = Date.now();
    this.anchorEmulated = now;
  }
}
