/**
 * The crash-safety check of a create, shared by the engine tests of every kind that creates:
 * a process dies right after each API call of the create in turn (the call took effect, the status
 * of the pass is lost); a restarted process must then find the one resource instead of creating a
 * second, and the pass after that must write nothing.
 *
 * Each crash point runs twice: once restarted without any status (directory mode without its status
 * file: the ownership marker finds the resource), and once with listings lagging longer than the
 * restart (API5) and the status a durable store kept through the crash, the create-pending record
 * included: the restart must wait for the resource or read it by id, never create it again.
 */
import { expect } from 'vitest';
import { emptyState } from '../../src/emulator/core/state.js';
import type { Emulator } from '../../src/emulator/index.js';
import type { ManagedObject, ReconcileResult } from '../../src/reconcile/types.js';
import { keyOf, keyString } from '../../src/reconcile/types.js';
import type { EngineHarness } from './engine.js';
import { callsOf, isMutating } from './suite.js';

/** Emulated listing lag of the lagging rounds: far longer than the (instant) restart. */
export const CRASH_LISTING_LAG_MS = 120_000;

/** Makes the harness's AWS context die after its `n`-th call returns (the call itself took effect). */
export function crashAfter(h: EngineHarness, n: number): void {
  const send = h.aws.send.bind(h.aws);
  let calls = 0;
  h.aws.send = (async (service, operation, input, region) => {
    if (calls >= n) throw new Error(`crashed before ${operation}`);
    const out = await send(service, operation, input, region);
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

/** Successful create calls the emulator answered, by operation. */
export function createsMade(emulator: Emulator): Record<string, number> {
  return Object.fromEntries(
    Object.entries(emulator.counters())
      .filter(([op, outcomes]) => /^Create[A-Z]/.test(op) && (outcomes.ok ?? 0) > 0)
      .map(([op, outcomes]) => [op, outcomes.ok]),
  );
}

export async function crashAfterEachCall<R>(c: CrashAfterEachCall<R>): Promise<void> {
  for (const lagging of [false, true]) {
    for (let n = 1; n <= c.calls; n++) {
      const at = `${lagging ? 'with lagging listings and the status kept, ' : ''}crash after call ${n}`;
      c.emu().resetState(emptyState());
      c.emu().setFaults(lagging ? { listingLagMs: CRASH_LISTING_LAG_MS } : {});
      const { dying, restart, object } = await c.round();
      c.emu().resetCounters();
      crashAfter(dying, n);
      const crashed = await dying.reconcile(object());
      expect(crashed.phase, at).toBe('Error');
      const before = createsMade(c.emu());

      const fresh = restart();
      const kept = dying.durable.get(keyString(keyOf(object())));
      const restarted = () => (lagging && kept ? { ...object(), status: kept } : object());
      let r = await fresh.reconcile(restarted());
      if (lagging) {
        // A create the dying process sent does not show in its listing yet: the restart waits or reads it by id, and never creates it again.
        if (Object.keys(before).length > 0) expect(createsMade(c.emu()), `creates after the restart, ${at}`).toEqual(before);
        if (r.phase !== 'Ready') {
          expect({ phase: r.phase, reason: r.status.conditions?.find((x) => x.type === 'Ready')?.reason }, at).toEqual({ phase: 'Progressing', reason: 'AwaitingConsistency' });
          c.emu().clock.advance(CRASH_LISTING_LAG_MS + 1_000);
          r = await fresh.reconcile(fresh.get(object().kind, object().metadata.name));
          if (r.phase !== 'Ready') r = await fresh.reconcile(fresh.get(object().kind, object().metadata.name));
        }
        expect(r.status.createPending, `createPending once the resource shows, ${at}`).toBeUndefined();
        c.emu().clock.advance(CRASH_LISTING_LAG_MS + 1_000);
      }
      expect(r.phase, `restart after ${at}`).toBe('Ready');
      expect(Object.values(createsMade(c.emu())).every((k) => k === 1), `one create call per resource, ${at}: ${JSON.stringify(createsMade(c.emu()))}`).toBe(true);
      const all = await c.list();
      expect(all, `${c.noun} after ${at}`).toHaveLength(1);
      await c.check(r, all[0]);
      c.emu().resetCounters();
      const steady = await fresh.reconcile(lagging ? fresh.get(object().kind, object().metadata.name) : object(), { specChanged: false });
      c.steady?.(steady);
      expect(callsOf(c.emu(), isMutating), `steady after ${at}`).toEqual({});
    }
  }
  c.emu().setFaults({});
}
