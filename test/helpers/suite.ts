/**
 * The setup every engine test file shares: one emulator for the file, emptied before each test, and
 * its call counters summed per operation the way the tests assert them.
 */
import { beforeEach } from 'vitest';
import { emptyState } from '../../src/emulator/core/state.js';
import type { Emulator } from '../../src/emulator/index.js';
import { withEmulator } from './emulator.js';

/** Reads leave AWS as it was; everything else is a write the steady state must not make. */
export const isMutating = (op: string) => !op.startsWith('Get') && !op.startsWith('List');

/** Calls per operation, all outcomes summed, of the operations `filter` keeps. */
export function callsOf(emulator: Emulator, filter: (op: string) => boolean = () => true): Record<string, number> {
  const out: Record<string, number> = {};
  for (const [op, outcomes] of Object.entries(emulator.counters())) {
    if (filter(op)) out[op] = Object.values(outcomes).reduce((a, b) => a + b, 0);
  }
  return out;
}

/** Call at the top level of an engine test file: starts its emulator and resets state, faults and counters before each test. */
export function engineSuite() {
  // Strict regions: the engine must address every regional resource through its own region's endpoint.
  const emu = withEmulator({ strictRegions: true });
  beforeEach(() => {
    emu().resetState(emptyState());
    emu().setFaults({});
    emu().resetCounters();
  });
  return {
    emu,
    callsBy: (filter?: (op: string) => boolean) => callsOf(emu(), filter),
    callsByOperation: () => callsOf(emu()),
    mutatingCalls: () => callsOf(emu(), isMutating),
  };
}
