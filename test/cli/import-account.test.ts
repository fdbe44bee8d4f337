// importAccount in-process: what it leaves out and says why, and the policies and namespace it writes.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AwsContext } from '../../src/aws/context.js';
import { importAccount } from '../../src/cli/import-account.js';
import { startEmulator, type Emulator } from '../../src/emulator/index.js';
import { holdNumber, testCredentials } from '../helpers/emulator.js';

let emu: Emulator;
let aws: AwsContext;
beforeAll(async () => {
  emu = await startEmulator();
  aws = new AwsContext({ region: 'us-east-1', endpoint: emu.url, credentials: testCredentials, maxAttempts: 1 });
  holdNumber(emu, '+12065550100');
  holdNumber(emu, '+12065550101');
  holdNumber(emu, '+12065550102');
  emu.state.phoneNumbers['+12065550101'].Status = 'ReleaseFailed';
  emu.state.phoneNumbers['+12065550102'].Status = 'DeleteInProgress';
  emu.state.phoneNumbers['+12065550102'].DeletionTimestamp = emu.clock.now().toISOString();
});
afterAll(async () => {
  aws.destroy();
  await emu.stop();
});

describe('importAccount', () => {
  it('lists a number whose status makes it not the account\'s as not imported, saying why', async () => {
    const result = await importAccount(aws, { filters: {}, deletionPolicy: 'Retain', driftPolicy: 'Correct' });
    expect(result.objects.map((o) => o.object.metadata.name)).toEqual(['pn-12065550100', 'pn-12065550102']);
    expect(result.skipped).toEqual([{ kind: 'PhoneNumber', id: '+12065550101', reason: "status ReleaseFailed: the number is not the account's to manage" }]);
    expect(result.remarks).toContain('VoiceGlobalSettings: the account has no call detail record bucket, so there is nothing to import');
  });

  it('writes the namespace and policies asked for; Report everywhere wins over the kinds\' own choice', async () => {
    const result = await importAccount(aws, { filters: { kinds: new Set(['PhoneNumber']) }, namespace: 'telephony', deletionPolicy: 'Delete', driftPolicy: 'Report' });
    expect(result.objects.map((o) => [o.object.metadata.namespace, o.object.spec.deletionPolicy, o.object.spec.driftPolicy])).toEqual([
      ['telephony', 'Delete', 'Report'],
      ['telephony', 'Delete', 'Report'],
    ]);
    const correct = await importAccount(aws, { filters: {}, deletionPolicy: 'Retain', driftPolicy: 'Correct' });
    // Correct is the default and is left out, but the number in the deletion queue keeps Report (PN7).
    expect(correct.objects.map((o) => o.object.spec.driftPolicy)).toEqual([undefined, 'Report']);
  });
});
