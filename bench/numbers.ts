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

export async function benchNumbers(numbers = 1_000, connectors = 10): Promise<NumbersRun[]> {
  return measureTwoApplies({ write: (dir) => writeNumbers(dir, numbers, connectors), seed: (emu) => seedNumbers(emu, numbers), timeoutMs: 300_000 });
}

export function printNumbers(runs: NumbersRun[]): void {
  printRuns('Numbers', runs);
}

if (import.meta.url === `file://${process.argv[1]}`) printNumbers(await benchNumbers());
