/**
 * The emulator's programmatic API: the same server `chime-voice-operator emulator` runs, in-process,
 * for tests, benchmarks and `apply --emulator`.
 */
import { Emulator, type EmulatorOptions } from './core/server.js';
import { defaultControlActions, defaultServices } from './services/index.js';

export { Emulator, type EmulatorOptions, type CallCounters } from './core/server.js';
export type { FaultSettings } from './core/faults.js';
export type { EmulatorState } from './core/state.js';
export { SnapshotError } from './core/snapshot.js';
export { accessKeyFor, accountOfAccessKey, type StsRoles } from './core/sts.js';

/** Starts an emulator with every service module, on a free loopback port unless `port` is given. */
export async function startEmulator(options: EmulatorOptions = {}): Promise<Emulator> {
  const emulator = new Emulator({ ...options, services: options.services ?? defaultServices, controlActions: options.controlActions ?? defaultControlActions });
  return emulator.start();
}
