/**
 * The numbers benchmark of directory mode (issue 4): 1,000 PhoneNumber objects claiming numbers
 * already in the inventory (seeded into the emulator's state, as ported-in numbers would be), each
 * named, every fourth with a calling name, assigned across 10 voice connectors. Reports the AWS
 * calls by operation for the first convergence and for a steady-state resync, which must observe
 * the numbers by listing (pages of ListPhoneNumbers, not one read per number) and write nothing.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { AwsContext } from '../src/aws/context.js';
import { startEmulator, type CallCounters, type Emulator } from '../src/emulator/index.js';
import { handlers } from '../src/kinds/index.js';
import { applyDirectory } from '../src/sources/directory-mode.js';
import { StatusStore } from '../src/sources/status-store.js';

export interface NumbersRun {
  label: string;
  seconds: number;
  calls: CallCounters;
  total: number;
  mutating: number;
  ready: number;
  objects: number;
}

const isRead = (op: string) => /^(Get|List|Search|Validate)/.test(op);

/** The i-th benchmark number: US local numbers of area code 206. */
export const benchE164 = (i: number) => `+1206201${String(i).padStart(4, '0')}`;

/** Puts `count` unassigned VoiceConnector numbers into the emulator's inventory, as a completed port would. */
export function seedNumbers(emu: Emulator, count: number, first = 0): string[] {
  const now = emu.clock.now().toISOString();
  const out: string[] = [];
  for (let i = first; i < first + count; i++) {
    const e164 = benchE164(i);
    emu.state.phoneNumbers[e164] = {
      PhoneNumberId: e164,
      E164PhoneNumber: e164,
      PhoneNumberArn: `arn:aws:chime:us-east-1:123456789012:phone-number/${e164}`,
      Country: 'US',
      Type: 'Local',
      ProductType: 'VoiceConnector',
      Status: 'Unassigned',
      Capabilities: { InboundCall: true, OutboundCall: true, InboundSMS: true, OutboundSMS: true, InboundMMS: true, OutboundMMS: true },
      Associations: [],
      CallingNameStatus: 'Unassigned',
      CreatedTimestamp: now,
      UpdatedTimestamp: now,
    };
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
  const dir = mkdtempSync(join(tmpdir(), 'cvo-numbers-'));
  writeNumbers(dir, numbers, connectors);
  const emu = await startEmulator();
  seedNumbers(emu, numbers);
  const aws = new AwsContext({ region: 'us-east-1', endpoint: emu.url, credentials: { accessKeyId: 'bench', secretAccessKey: 'bench' } });
  const store = new StatusStore(undefined, 'bench');
  const runs: NumbersRun[] = [];
  try {
    for (const label of ['first convergence', 'steady-state resync']) {
      emu.resetCounters();
      const started = performance.now();
      const run = await applyDirectory({ dir, aws, handlers, store, maxWaitMs: 200, timeoutMs: 300_000 });
      const seconds = (performance.now() - started) / 1000;
      runs.push({
        label,
        seconds,
        calls: emu.counters(),
        total: emu.totalCalls(),
        mutating: emu.totalCalls((op) => !isRead(op)),
        ready: run.reports.filter((r) => r.result.phase === 'Ready').length,
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

export function printNumbers(runs: NumbersRun[]): void {
  for (const r of runs) {
    console.log(`### Numbers: ${r.label}\n`);
    console.log(`${r.ready}/${r.objects} objects Ready in ${r.seconds.toFixed(2)} s; ${r.total} AWS calls, ${r.mutating} of them writes.\n`);
    console.log('| operation | calls |\n| --- | ---: |');
    for (const [op, outcomes] of Object.entries(r.calls).sort()) {
      console.log(`| ${op} | ${Object.entries(outcomes).map(([o, n]) => (o === 'ok' ? `${n}` : `${n} ${o}`)).join(', ')} |`);
    }
    console.log('');
  }
}

if (import.meta.url === `file://${process.argv[1]}`) printNumbers(await benchNumbers());
