/**
 * An object's result is ready as soon as its own plan answered and it was observed again, not when
 * every object of its step (or its batch) is done: a source writes each status as it comes, so a
 * user watching sees each object turn Ready when it is. The fake AWS holds one object's write until
 * the other's result came in (or a fallback timer lets it go, so that code reporting only at the end
 * fails the order asserted here instead of hanging).
 */
import { describe, expect, it } from 'vitest';
import type { ReconcileResult } from '../../src/reconcile/types.js';
import { rig, widget } from './engine-fixture.js';

/** Holds UpdateWidget of widget `heldId` until `release()` (or the fallback timer). */
function holdUpdate(r: ReturnType<typeof rig>, heldId: string, log: string[]) {
  let release!: () => void;
  const gate = new Promise<void>((resolve) => {
    release = resolve;
    setTimeout(resolve, 500).unref();
  });
  const send = r.cloud.send.bind(r.cloud);
  r.cloud.send = (async (service: Parameters<typeof send>[0], operation: string, input: Record<string, unknown>) => {
    if (operation === 'UpdateWidget' && input.Id === heldId) {
      await gate;
      const answer = await send(service, operation, input);
      log.push(`answer ${operation} ${heldId}`);
      return answer;
    }
    return send(service, operation, input);
  }) as typeof r.cloud.send;
  return { release };
}

const seed = [
  { Id: 'w-slow', Name: 'slow', Size: 1, Region: 'us-east-1' },
  { Id: 'w-fast', Name: 'fast', Size: 1, Region: 'us-east-1' },
  { Id: 'w-still', Name: 'still', Size: 3, Region: 'us-east-1' },
];

describe('reconcileMany and reconcileLevels give each result as soon as it is in', () => {
  it('the fast object, and the one with nothing to do, get their results while the slow object’s write is held; results still come back in order', async () => {
    const r = rig({ seed });
    const log: string[] = [];
    const { release } = holdUpdate(r, 'w-slow', log);
    const objects = [widget('slow', { size: 2 }), widget('fast', { size: 2 }), widget('still', { size: 3 })];
    const results = await r.engine.reconcileMany(
      objects.map((obj) => ({ obj, specChanged: true })),
      r.world,
      {
        onResult: (index: number, result: ReconcileResult) => {
          log.push(`result ${objects[index].metadata.name} ${result.phase}`);
          if (index === 1) release();
        },
      },
    );
    expect(log).toEqual(['result still Ready', 'result fast Ready', 'answer UpdateWidget w-slow', 'result slow Ready']);
    expect(results.map((x) => [x.key.name, x.phase, x.actions.length])).toEqual([
      ['slow', 'Ready', 1],
      ['fast', 'Ready', 1],
      ['still', 'Ready', 0],
    ]);
    // The same calls as before: one update each, nothing read twice.
    expect(r.cloud.calls.map((c) => `${c.operation} ${String(c.input.Id)}`).sort()).toEqual(['UpdateWidget w-fast', 'UpdateWidget w-slow']);
  });

  it('reconcileLevels tells each result by its index among the items given, as it comes', async () => {
    const r = rig({ seed });
    const log: string[] = [];
    const { release } = holdUpdate(r, 'w-slow', log);
    const objects = [widget('still', { size: 3 }), widget('slow', { size: 2 }), widget('fast', { size: 2 })];
    const told: Array<[number, string]> = [];
    const results = await r.engine.reconcileLevels(
      objects.map((obj) => ({ obj, specChanged: true })),
      r.world,
      {
        onResult: (index, result) => {
          told.push([index, result.key.name]);
          if (result.key.name === 'fast') release();
        },
      },
    );
    expect(told).toEqual([
      [0, 'still'],
      [2, 'fast'],
      [1, 'slow'],
    ]);
    expect(results.map((x) => x?.key.name)).toEqual(['still', 'slow', 'fast']);
  });
});
