import { describe, expect, it } from 'vitest';
import { WorkQueue } from '../../src/reconcile/workqueue.js';

const tick = (ms = 5) => new Promise((r) => setTimeout(r, ms));

describe('work queue', () => {
  it('never runs two workers on one key: an add during processing runs it again afterwards', async () => {
    let inFlight = 0;
    let maxInFlight = 0;
    let runs = 0;
    let release!: () => void;
    const q = new WorkQueue({
      concurrency: 4,
      process: async () => {
        inFlight++;
        maxInFlight = Math.max(maxInFlight, inFlight);
        runs++;
        if (runs === 1) await new Promise<void>((r) => (release = r));
        inFlight--;
        return {};
      },
    });
    q.start();
    q.add('a');
    await tick();
    q.add('a');
    q.add('a');
    await tick();
    expect(runs).toBe(1);
    release();
    await tick(20);
    expect(runs).toBe(2);
    expect(maxInFlight).toBe(1);
    await q.stop();
  });

  it('bounds the work in flight by the concurrency limit and dedupes queued keys', async () => {
    let inFlight = 0;
    let maxInFlight = 0;
    const seen: string[] = [];
    const q = new WorkQueue({
      concurrency: 2,
      process: async (key) => {
        inFlight++;
        maxInFlight = Math.max(maxInFlight, inFlight);
        seen.push(key);
        await tick(10);
        inFlight--;
        return {};
      },
    });
    for (const k of ['a', 'b', 'c', 'a', 'd', 'b']) q.add(k);
    expect(q.depth).toBe(4);
    q.start();
    await tick(80);
    expect(maxInFlight).toBe(2);
    expect(seen.sort()).toEqual(['a', 'b', 'c', 'd']);
    await q.stop();
  });

  it('runs urgent keys (changes seen by the watch) ahead of the routine resyncs, even one already queued', async () => {
    const seen: string[] = [];
    const q = new WorkQueue({
      concurrency: 1,
      process: async (key) => {
        seen.push(key);
        await tick(2);
        return {};
      },
    });
    for (const k of ['r1', 'r2', 'r3', 'r4']) q.add(k);
    q.add('edit', { urgent: true });
    q.add('r3', { urgent: true });
    expect(q.depth).toBe(5);
    q.start();
    await tick(60);
    expect(seen).toEqual(['edit', 'r3', 'r1', 'r2', 'r4']);
    await q.stop();
  });

  it('backs off per key, exponentially with jitter, and forgets after a success', () => {
    const q = new WorkQueue({ concurrency: 1, process: async () => ({}), baseBackoffMs: 100, maxBackoffMs: 1_000, random: () => 1 });
    expect([q.backoff('x'), q.backoff('x'), q.backoff('x'), q.backoff('x'), q.backoff('x')]).toEqual([100, 200, 400, 800, 1000]);
    expect(q.backoff('y')).toBe(100);
    q.forget('x');
    expect(q.backoff('x')).toBe(100);
    const low = new WorkQueue({ concurrency: 1, process: async () => ({}), baseBackoffMs: 100, random: () => 0 });
    expect(low.backoff('x')).toBe(50);
  });

  it('requeues after the requested delay, and an error after the key backoff', async () => {
    const times: number[] = [];
    let n = 0;
    const q = new WorkQueue({
      concurrency: 1,
      baseBackoffMs: 40,
      random: () => 1,
      process: async () => {
        times.push(Date.now());
        n++;
        return n === 1 ? { requeueAfterMs: 30 } : n === 2 ? { error: true } : {};
      },
    });
    q.start();
    q.add('k');
    await tick(150);
    expect(n).toBe(3);
    expect(times[1] - times[0]).toBeGreaterThanOrEqual(25);
    expect(times[2] - times[1]).toBeGreaterThanOrEqual(35);
    await q.stop();
  });

  it('stop waits for the work in flight', async () => {
    let finished = false;
    const q = new WorkQueue({
      concurrency: 1,
      process: async () => {
        await tick(30);
        finished = true;
        return {};
      },
    });
    q.start();
    q.add('k');
    await tick();
    await q.stop();
    expect(finished).toBe(true);
  });

  it('an earlier addAfter brings forward a later one; a later one does not postpone (apply --watch: an edit before the resync)', async () => {
    const seen: string[] = [];
    const q = new WorkQueue({ concurrency: 1, process: async (key) => (seen.push(key), {}) });
    q.start();
    q.addAfter('folder', 60_000);
    q.addAfter('folder', 20);
    q.addAfter('other', 20);
    q.addAfter('other', 60_000);
    await tick(80);
    expect(seen.sort()).toEqual(['folder', 'other']);
    await q.stop();
  });

  it('says when a key backs off, with its failures in a row and the delay', async () => {
    const backoffs: Array<[string, number, number]> = [];
    let n = 0;
    const q = new WorkQueue({
      concurrency: 1,
      baseBackoffMs: 10,
      random: () => 1,
      onBackoff: (key, attempt, delay) => backoffs.push([key, attempt, delay]),
      process: async () => (++n <= 2 ? { error: true } : {}),
    });
    q.start();
    q.add('k');
    await tick(100);
    expect(backoffs).toEqual([
      ['k', 1, 10],
      ['k', 2, 20],
    ]);
    await q.stop();
  });

  it('drained resolves once nothing is queued, in process, or waiting for its delay', async () => {
    let n = 0;
    const q = new WorkQueue({ concurrency: 2, process: async () => (++n === 1 ? { requeueAfterMs: 30 } : {}) });
    let drained = false;
    q.start();
    q.add('a');
    q.add('b');
    const done = q.drained().then(() => (drained = true));
    await tick(15);
    // 'a' waits for its requeue: not drained yet.
    expect(drained).toBe(false);
    await done;
    expect(n).toBe(3);
    await q.stop();
  });
});
