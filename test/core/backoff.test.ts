import { describe, expect, it } from 'vitest';
import { backoffMs } from '../../src/core/backoff.js';
import { WorkQueue } from '../../src/reconcile/workqueue.js';

describe('backoffMs', () => {
  it('doubles from the base up to the cap, drawn between half the ceiling and the ceiling', () => {
    const top = () => 0.999999;
    const bottom = () => 0;
    expect([1, 2, 3, 4].map((n) => backoffMs(n, 1_000, 5_000, bottom))).toEqual([500, 1_000, 2_000, 2_500]);
    expect([1, 2, 3, 4].map((n) => backoffMs(n, 1_000, 5_000, top))).toEqual([1_000, 2_000, 4_000, 5_000]);
  });

  it('without jitter gives the ceiling itself (the event recorder\'s single retry loop)', () => {
    expect([1, 2, 3, 5, 6, 7].map((n) => backoffMs(n, 1_000, 30_000, false))).toEqual([1_000, 2_000, 4_000, 16_000, 30_000, 30_000]);
  });

  it('stays at the cap for any attempt count, never Infinity or NaN', () => {
    expect(backoffMs(10_000, 500, 30_000, false)).toBe(30_000);
    expect(backoffMs(0, 1_000, 30_000, false)).toBe(1_000);
  });

  it('is the work queue\'s backoff, with the queue\'s own base and cap', () => {
    const q = new WorkQueue({ concurrency: 1, process: async () => ({}), baseBackoffMs: 100, maxBackoffMs: 350, random: () => 0.5 });
    expect([q.backoff('k'), q.backoff('k'), q.backoff('k'), q.backoff('k')]).toEqual([1, 2, 3, 4].map((n) => backoffMs(n, 100, 350, () => 0.5)));
  });
});
