/**
 * The import benchmark (issue 13): an account of 10 voice connectors and 10,000 phone numbers,
 * half of them assigned across the connectors, imported in-process. Reports the AWS calls by
 * operation against the list pages the account has: numbers must cost their ListPhoneNumbers
 * pages (100 numbers a page), never one call per number. Time is reported, never asserted.
 */
import { AwsContext } from '../src/aws/context.js';
import { importAccount } from '../src/cli/import-account.js';
import { startEmulator, type Emulator } from '../src/emulator/index.js';
import { testCredentials } from '../test/helpers/emulator.js';
import { seedNumbers } from './numbers.js';

export interface ImportRun {
  numbers: number;
  connectors: number;
  objects: number;
  seconds: number;
  calls: Record<string, number>;
  total: number;
  writes: number;
  /** ListPhoneNumbers pages the account has: ceil(numbers / 100). */
  numberPages: number;
}

/** Seeds connectors through the API, numbers straight into the state (as ported-in numbers), then assigns every other number. */
export async function seedLargeAccount(emu: Emulator, numbers: number, connectors: number): Promise<void> {
  const { ChimeSDKVoiceClient, CreateVoiceConnectorCommand } = await import('@aws-sdk/client-chime-sdk-voice');
  const voice = new ChimeSDKVoiceClient({ endpoint: emu.url, region: 'us-east-1', credentials: testCredentials, maxAttempts: 1 });
  const ids: string[] = [];
  for (let c = 0; c < connectors; c++) {
    ids.push((await voice.send(new CreateVoiceConnectorCommand({ Name: `Trunk ${c}`, RequireEncryption: true, AwsRegion: 'us-east-1' }))).VoiceConnector!.VoiceConnectorId!);
  }
  voice.destroy();
  const now = emu.clock.now().toISOString();
  seedNumbers(emu, numbers).forEach((e164, i) => {
    if (i % 2 === 0) {
      const n = emu.state.phoneNumbers[e164];
      n.Status = 'Assigned';
      n.Associations = [{ Name: 'VoiceConnectorId', Value: ids[(i / 2) % connectors], AssociatedTimestamp: now }];
    }
  });
}

export async function benchImport(numbers = 10_000, connectors = 10): Promise<ImportRun> {
  const emu = await startEmulator();
  try {
    await seedLargeAccount(emu, numbers, connectors);
    emu.resetCounters();
    const aws = new AwsContext({ region: 'us-east-1', endpoint: emu.url, credentials: testCredentials });
    const started = performance.now();
    const result = await importAccount(aws, { filters: {}, deletionPolicy: 'Retain', driftPolicy: 'Correct' });
    const seconds = (performance.now() - started) / 1000;
    aws.destroy();
    const calls = Object.fromEntries(
      Object.entries(emu.counters())
        .map(([op, outcomes]) => [op, Object.values(outcomes).reduce((a, b) => a + b, 0)] as const)
        .sort(([a], [b]) => (a < b ? -1 : 1)),
    );
    return {
      numbers,
      connectors,
      objects: result.objects.length,
      seconds,
      calls,
      total: Object.values(calls).reduce((a, b) => a + b, 0),
      writes: emu.totalCalls((op) => !/^(Get|List|Search|Validate)/.test(op)),
      numberPages: Math.ceil(numbers / 100),
    };
  } finally {
    await emu.stop();
  }
}

export function printImport(run: ImportRun): void {
  console.log(`| numbers | connectors | objects written | AWS calls | of which ListPhoneNumbers (pages in the account) | writes | seconds |`);
  console.log('| ---: | ---: | ---: | ---: | ---: | ---: | ---: |');
  console.log(
    `| ${run.numbers.toLocaleString('en-US')} | ${run.connectors} | ${run.objects.toLocaleString('en-US')} | ${run.total} | ${run.calls.ListPhoneNumbers ?? 0} (${run.numberPages}) | ${run.writes} | ${run.seconds.toFixed(2)} |`,
  );
  console.log('');
  console.log(`Calls by operation: ${Object.entries(run.calls).map(([op, n]) => `${op} ${n}`).join(', ')}.`);
  console.log('');
}

if (import.meta.url === `file://${process.argv[1]}`) printImport(await benchImport());
