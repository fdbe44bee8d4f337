/**
 * The numbers benchmark of directory mode (issue 4): 1,000 PhoneNumber objects claiming numbers
 * already in the inventory (seeded into the emulator's state, as ported-in numbers would be), each
 * named, every fourth with a calling name, assigned across 10 voice connectors. Reports the AWS
 * calls by operation for the first convergence and for a steady-state resync, which must observe
 * the numbers by listing (pages of ListPhoneNumbers, not one read per number) and write nothing.
 */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Emulator } from '../src/emulator/index.js';
import { holdNumber } from '../test/helpers/emulator.js';
import { measureTwoApplies, printRuns, type ApplyRun } from './directory.js';

export type NumbersRun = ApplyRun;

/** The i-th benchmark number: US local numbers of area code 206. */
export const benchE164 = (i: number) => `+1206201${String(i).padStart(4, '0')}`;

/** Puts `count` unassigned VoiceConnector numbers into the emulator's inventory, as a completed port would. */
export function seedNumbers(emu: Emulator, count: number, first = 0): string[] {
  const out: string[] = [];
  for (let i = first; i < first + count; i++) {
    const e164 = benchE164(i);
    holdNumber(emu, e164);
    out.push(e164);
  }
  return out;
}

export function writeNumbers(dir: string, numbers: number, connectors: number): void {
  const docs: string[] = [];
  for (let c = 0; c < connectors; c++) {
    docs.push(`apiVersion: chimevoice.io/v1alpha1\nkind: VoiceConnector\nmetadata:\n  name: trunk-${c}\nspec:\n  region: us-east-1\n  requireEncryption: true\n`);
  }
  for (let i = 0; i < numbers; i++) {
    const calling = i % 4 === 0 ? `  callingName: Line ${i}\n` : '';
    docs.push(
      `apiVersion: chimevoice.io/v1alpha1\nkind: PhoneNumber\nmetadata:\n  name: line-${i}\nspec:\n  e164: "${benchE164(i)}"\n  productType: VoiceConnector\n` +
        `  name: Line ${i}\n${calling}  assignment:\n    voiceConnectorRef: { name: trunk-${i % connectors} }\n`,
    );
  }
  writeFileSync(join(dir, 'numbers.yaml'), docs.join('---\n'));
}

/** AWS's largest page of ListPhoneNumbers, and the most items this project sends in one association or batch update call. */
const PAGE = 100;

/**
 * The API-shape floor: the fewest calls the Chime SDK Voice API allows for the same work.
 * - First convergence: the pages of ListPhoneNumbers (the claimed numbers are found in the
 *   inventory), one page of ListVoiceConnectors and one CreateVoiceConnector per connector (its
 *   create carries the tags), per connector one association call per 100 numbers, and one
 *   BatchUpdatePhoneNumber per 100 names and per 100 calling names (AWS changes one detail of a
 *   number per batch item).
 * - Steady state: the pages of ListPhoneNumbers, one page of ListVoiceConnectors, and each
 *   connector's tags.
 * Nothing is read after the writes: the association and update calls answer per number.
 */
export function numbersFloor(numbers: number, connectors: number): { first: number; steady: number } {
  const pages = (n: number) => Math.max(1, Math.ceil(n / PAGE));
  const perConnector = Array.from({ length: connectors }, (_, c) => Math.ceil((numbers - c) / connectors));
  const callingNames = Math.ceil(numbers / 4);
  return {
    first: pages(numbers) + 1 + connectors + perConnector.reduce((n, k) => n + Math.ceil(k / PAGE), 0) + pages(numbers) + Math.ceil(callingNames / PAGE),
    steady: pages(numbers) + 1 + connectors,
  };
}

export async function benchNumbers(numbers = 1_000, connectors = 10): Promise<NumbersRun[]> {
  return measureTwoApplies({
    write: (dir) => writeNumbers(dir, numbers, connectors),
    seed: (emu) => seedNumbers(emu, numbers),
    timeoutMs: 300_000,
    floors: numbersFloor(numbers, connectors),
  });
}

export function printNumbers(runs: NumbersRun[]): void {
  printRuns('Numbers', runs);
}

/**
 * Steady-state CPU per phone number at several fleet sizes (`CHIME_BENCH_NUMBERS=500,4000`): the
 * process's CPU time (engine and in-process emulator) over the resync, divided by the numbers. A
 * cost that grows faster than the fleet shows as a larger figure at the larger size.
 */
export async function benchNumbersCpu(sizes: number[], connectors = 10): Promise<Array<{ numbers: number; cpuMsPerNumber: number; calls: number; run: NumbersRun }>> {
  const out = [];
  for (const numbers of sizes) {
    const [, resync] = await benchNumbers(numbers, connectors);
    out.push({ numbers, cpuMsPerNumber: resync.cpuMs / numbers, calls: resync.total, run: resync });
  }
  return out;
}

export function printNumbersCpu(rows: Awaited<ReturnType<typeof benchNumbersCpu>>): void {
  console.log('| numbers | steady-state resync | CPU | CPU per number | × the smallest | AWS calls |\n| ---: | ---: | ---: | ---: | ---: | ---: |');
  const base = rows[0]?.cpuMsPerNumber ?? 1;
  for (const r of rows) {
    console.log(
      `| ${r.numbers.toLocaleString('en-US')} | ${r.run.seconds.toFixed(2)} s | ${(r.run.cpuMs / 1000).toFixed(2)} s | ${r.cpuMsPerNumber.toFixed(3)} ms | ${(r.cpuMsPerNumber / base).toFixed(2)} | ${r.calls} |`,
    );
  }
  console.log('');
}

/** `CHIME_BENCH_NUMBERS`: the fleet sizes of the CPU measure, comma-separated. */
export function numbersSizesFromEnv(): number[] | undefined {
  const raw = process.env.CHIME_BENCH_NUMBERS;
  if (!raw) return undefined;
  const sizes = raw.split(',').map((s) => Number(s.trim()));
  if (sizes.some((n) => !Number.isInteger(n) || n <= 0)) throw new Error(`CHIME_BENCH_NUMBERS must list positive whole numbers, comma-separated: ${raw}`);
  return sizes;
}

if (import.meta.url === `file://${process.argv[1]}`) printNumbers(await benchNumbers());
