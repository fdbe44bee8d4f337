/**
 * What the directory-mode benchmarks share: a folder of manifests applied twice to an in-process
 * emulator (first convergence, then a steady-state resync), with the AWS calls of each apply
 * counted by the emulator, and the runs printed as Markdown.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { AwsContext, isReadOperation } from '../src/aws/context.js';
import { startEmulator, type CallCounters, type Emulator } from '../src/emulator/index.js';
import { handlers } from '../src/kinds/index.js';
import { applyDirectory, planDirectory } from '../src/sources/directory-mode.js';
import { StatusStore } from '../src/sources/status-store.js';

export interface ApplyRun {
  label: string;
  seconds: number;
  /** CPU time of this process (user + system) during the apply: the engine and the in-process emulator. */
  cpuMs: number;
  /** The API-shape floor of the run (the fewest calls the API allows for the same work), when the benchmark defines one. */
  floor?: number;
  calls: CallCounters;
  total: number;
  mutating: number;
  ready: number;
  objects: number;
}

export interface TwoAppliesOptions {
  /** Writes the manifests into the folder. */
  write: (dir: string) => void;
  /** Prepares the emulator before the first apply (seeding numbers, say). */
  seed?: (emu: Emulator) => void;
  timeoutMs?: number;
  /** Emulated latency of every call, in emulated ms (the emulator's latencyMs fault for '*'). */
  latencyMs?: number;
  /** Objects whose AWS calls are in flight at once (DirectoryRunOptions.concurrency); unset: the default. */
  concurrency?: number;
  /** Also time a `plan` of the converged folder (nothing to change) after the two applies. */
  plan?: boolean;
  /** The API-shape floors of the first convergence and of the steady-state resync (see each benchmark). */
  floors?: { first: number; steady: number };
}

export async function measureTwoApplies(options: TwoAppliesOptions): Promise<ApplyRun[]> {
  const dir = mkdtempSync(join(tmpdir(), 'cvo-bench-'));
  options.write(dir);
  const emu = await startEmulator();
  options.seed?.(emu);
  if (options.latencyMs) emu.setFaults({ latencyMs: { '*': options.latencyMs } });
  const aws = new AwsContext({ region: 'us-east-1', endpoint: emu.url, credentials: { accessKeyId: 'bench', secretAccessKey: 'bench' } });
  const store = new StatusStore(undefined, 'bench');
  const runs: ApplyRun[] = [];
  try {
    for (const label of ['first convergence', 'steady-state resync'] as const) {
      emu.resetCounters();
      const cpu = process.cpuUsage();
      const started = performance.now();
      const run = await applyDirectory({ dir, aws, handlers, store, maxWaitMs: 200, ...(options.timeoutMs ? { timeoutMs: options.timeoutMs } : {}), ...(options.concurrency ? { concurrency: options.concurrency } : {}) });
      const used = process.cpuUsage(cpu);
      const floor = options.floors?.[label === 'first convergence' ? 'first' : 'steady'];
      runs.push({
        label,
        seconds: (performance.now() - started) / 1000,
        cpuMs: (used.user + used.system) / 1000,
        ...(floor !== undefined ? { floor } : {}),
        calls: emu.counters(),
        total: emu.totalCalls(),
        mutating: emu.totalCalls((op) => !isReadOperation(op)),
        ready: run.reports.filter((r) => r.result.phase === 'Ready').length,
        objects: run.reports.length,
      });
    }
    if (options.plan) {
      emu.resetCounters();
      const cpu = process.cpuUsage();
      const started = performance.now();
      const run = await planDirectory({ dir, aws, handlers, store, ...(options.concurrency ? { concurrency: options.concurrency } : {}) });
      const unchanged = run.reports.filter((r) => r.result.actions.length === 0 && r.result.drift.length === 0).length;
      runs.push({
        label: 'plan (nothing to change)',
        seconds: (performance.now() - started) / 1000,
        cpuMs: ((u) => (u.user + u.system) / 1000)(process.cpuUsage(cpu)),
        calls: emu.counters(),
        total: emu.totalCalls(),
        mutating: emu.totalCalls((op) => !isReadOperation(op)),
        ready: unchanged,
        objects: run.reports.length,
      });
    }
    return runs;
  } finally {
    aws.destroy();
    await emu.stop();
    rmSync(dir, { recursive: true, force: true });
  }
}

export function printRuns(title: string, runs: ApplyRun[]): void {
  for (const r of runs) {
    console.log(`### ${title}: ${r.label}\n`);
    const floor = r.floor !== undefined ? ` (API-shape floor ${r.floor}: ${ratio(r)})` : '';
    console.log(`${r.ready}/${r.objects} objects Ready in ${r.seconds.toFixed(2)} s; ${r.total} AWS calls${floor}, ${r.mutating} of them writes.\n`);
    console.log('| operation | calls |\n| --- | ---: |');
    for (const [op, outcomes] of Object.entries(r.calls).sort()) {
      console.log(`| ${op} | ${Object.entries(outcomes).map(([o, n]) => (o === 'ok' ? `${n}` : `${n} ${o}`)).join(', ')} |`);
    }
    console.log('');
  }
}

/** Calls against the floor, as `1.12×`. */
export function ratio(r: Pick<ApplyRun, 'total' | 'floor'>): string {
  return r.floor ? `${(r.total / r.floor).toFixed(2)}×` : 'n/a';
}
