// importAccount in-process: what it leaves out and says why, and the policies and namespace it writes.
import { afterAll, beforeAll, describe, expect, it, onTestFinished } from 'vitest';
import { AwsContext } from '../../src/aws/context.js';
import { importAccount } from '../../src/cli/import-account.js';
import { VOICE_REGIONS } from '../../src/domain/regions.js';
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

describe('importAccount across regions', () => {
  let strict: Emulator;
  beforeAll(async () => {
    strict = await startEmulator({ strictRegions: true });
  });
  afterAll(async () => {
    await strict.stop();
  });

  /** Imports the (empty) account, recording each call's operation by the region whose endpoint took it. */
  async function callsByRegion(regions?: string[]): Promise<Record<string, string[]>> {
    const byRegion: Record<string, string[]> = {};
    const account = new AwsContext({
      region: 'us-east-1',
      endpoint: strict.url,
      credentials: testCredentials,
      maxAttempts: 1,
      onCall: ({ operation, region }) => (byRegion[region] ??= []).push(operation),
    });
    try {
      await importAccount(account, { filters: {}, deletionPolicy: 'Retain', driftPolicy: 'Correct', ...(regions ? { regions } : {}) });
    } finally {
      account.destroy();
    }
    for (const ops of Object.values(byRegion)) ops.sort();
    return byRegion;
  }

  const REGIONAL_LISTINGS = ['ListMediaInsightsPipelineConfigurations', 'ListSipMediaApplications', 'ListVoiceConnectors', 'ListVoiceProfileDomains'];

  it('lists each regional collection once in every Chime SDK Voice region by default: one page each where the account has nothing', async () => {
    const calls = await callsByRegion();
    expect(Object.keys(calls).sort()).toEqual([...VOICE_REGIONS].sort());
    for (const region of VOICE_REGIONS.filter((r) => r !== 'us-east-1')) expect(calls[region]).toEqual(REGIONAL_LISTINGS);
    // The home region also serves what is account-wide.
    expect(calls['us-east-1']).toEqual(['GetGlobalSettings', ...REGIONAL_LISTINGS, 'ListPhoneNumbers', 'ListSipRules', 'ListVoiceConnectorGroups'].sort());
  });

  it('reads only the regions asked for, and account-wide things from the home region whatever they are', async () => {
    const calls = await callsByRegion(['us-west-2']);
    expect(calls).toEqual({ 'us-west-2': REGIONAL_LISTINGS, 'us-east-1': ['GetGlobalSettings', 'ListPhoneNumbers', 'ListSipRules', 'ListVoiceConnectorGroups'] });
  });
});

describe('importAccount from an endpoint that lists every region\'s resources', () => {
  it('imports each regional resource once, with its own region, whichever endpoints list it', async () => {
    // The non-strict emulator answers as the looser reading of AWS would: every endpoint lists every region's connectors.
    const east = (await aws.send<{ VoiceConnector: { VoiceConnectorId: string } }>('voice', 'CreateVoiceConnector', { Name: 'east trunk', RequireEncryption: true, AwsRegion: 'us-east-1' }))
      .VoiceConnector.VoiceConnectorId;
    const west = (
      await aws.in('us-west-2').send<{ VoiceConnector: { VoiceConnectorId: string } }>('voice', 'CreateVoiceConnector', { Name: 'west trunk', RequireEncryption: true, AwsRegion: 'us-west-2' })
    ).VoiceConnector.VoiceConnectorId;
    // A context of its own: the shared one's listings are cached from before these creates.
    const contexts: AwsContext[] = [];
    const fresh = () => {
      contexts.push(new AwsContext({ region: 'us-east-1', endpoint: emu.url, credentials: testCredentials, maxAttempts: 1 }));
      return contexts[contexts.length - 1];
    };
    onTestFinished(() => contexts.forEach((c) => c.destroy()));
    const result = await importAccount(fresh(), { filters: { kinds: new Set(['VoiceConnector']) }, deletionPolicy: 'Retain', driftPolicy: 'Correct', regions: ['us-east-1', 'us-west-2', 'eu-west-2'] });
    expect(result.objects.map((o) => [o.object.metadata.annotations?.['chimevoice.io/external-id'], o.object.spec.region])).toEqual([
      [east, 'us-east-1'],
      [west, 'us-west-2'],
    ]);
    // A region left out is not imported, even where another region's endpoint lists its resources.
    const eastOnly = await importAccount(fresh(), { filters: { kinds: new Set(['VoiceConnector']) }, deletionPolicy: 'Retain', driftPolicy: 'Correct', regions: ['us-east-1'] });
    expect(eastOnly.objects.map((o) => o.object.metadata.annotations?.['chimevoice.io/external-id'])).toEqual([east]);
  });
});
