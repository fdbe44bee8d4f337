/**
 * The crash-safety check of a create, shared by the engine tests of every kind that creates:
 * a process dies right after each API call of the create in turn (the call took effect, the status
 * of the pass is lost); a restarted process must then find the one resource instead of creating a
 * second, and the pass after that must write nothing.
 */
import { expect } from 'vitest';
import { emptyState } from '../../src/emulator/core/state.js';
import type { Emulator } from '../../src/emulator/index.js';
import type { ManagedObject, ReconcileResult } from '../../src/reconcile/types.js';
import type { EngineHarness } from './engine.js';
import { callsOf, isMutating } from './suite.js';

/** Makes the harness's AWS context die after its `n`-th call returns (the call itself took effect). */
export function crashAfter(h: EngineHarness, n: number): void {
  const send = h.aws.send.bind(h.aws);
  let calls = 0;
  h.aws.send = (async (service, operation, input) => {
    if (calls >= n) throw new Error(`crashed before ${operation}`);
    const out = await send(service, operation, input);
    calls += 1;
    if (calls >= n) throw new Error(`crashed after ${operation}`);
    return out;
  }) as typeof h.aws.send;
}

/** One crash and restart, set up in an emptied account. */
export interface CrashRound {
  /** The process that dies, with the round's prerequisites in place. */
  dying: EngineHarness;
  /** The restarted process: a new harness, without the status the dying one never wrote. */
  restart: () => EngineHarness;
  /** The object reconciled, made anew for each pass. */
  object: () => ManagedObject;
}

export interface CrashAfterEachCall<R> {
  emu: () => Emulator;
  /** How many API calls a clean create makes: the process dies after each of them in turn. */
  calls: number;
  round: () => Promise<CrashRound>;
  /** What AWS holds of the kind, called `noun` in messages; the restart must leave exactly one. */
  noun: string;
  list: () => Promise<R[]>;
  /** Checks of the restart's result against that one resource. */
  check: (r: ReconcileResult, resource: R) => unknown;
  /** Checks of the steady pass's result, besides its making no write. */
  steady?: (r: ReconcileResult) => void;
}

export async function crashAfterEachCall<R>(c: CrashAfterEachCall<R>): Promise<void> {
  for (let n = 1; n <= c.calls; n++) {
    c.emu().resetState(emptyState());
    const { dying, restart, object } = await c.round();
    crashAfter(dying, n);
    const crashed = await dying.reconcile(object());
    expect(crashed.phase, `crash after call ${n}`).toBe('Error');

    const fresh = restart();
    const r = await fresh.reconcile(object());
    expect(r.phase, `restart after call ${n}`).toBe('Ready');
    const all = await c.list();
    expect(all, `${c.noun} after a crash after call ${n}`).toHaveLength(1);
    await c.check(r, all[0]);
    c.emu().resetCounters();
    const steady = await fresh.reconcile(object(), { specChanged: false });
    c.steady?.(steady);
    expect(callsOf(c.emu(), isMutating), `steady after a crash after call ${n}`).toEqual({});
  }
}
