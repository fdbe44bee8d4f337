// The engine's commands (`apply`, `plan`, `run`) are registered here by the reconcile engine's
// owner; main.ts calls this so that the CLI entry point need not change when they land.
import type { Command } from 'commander';

export function registerEngineCommands(_program: Command): void {
  // Intentionally empty until the reconcile engine lands.
}
