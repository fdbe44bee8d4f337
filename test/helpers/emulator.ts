/** Test helpers: an emulator per test file, and the real v3 clients pointed at it. */
import { afterAll, beforeAll } from 'vitest';
import { ChimeSDKVoiceClient } from '@aws-sdk/client-chime-sdk-voice';
import { ChimeSDKMediaPipelinesClient } from '@aws-sdk/client-chime-sdk-media-pipelines';
import { startEmulator, type Emulator, type EmulatorOptions } from '../../src/emulator/index.js';

export const testCredentials = { accessKeyId: 'AKIDEXAMPLE', secretAccessKey: 'secret' };

/** Starts an emulator before the file's tests and stops it after; call the returned getter inside tests. */
export function withEmulator(options: EmulatorOptions = {}): () => Emulator {
  let emulator: Emulator | undefined;
  beforeAll(async () => {
    emulator = await startEmulator(options);
  });
  afterAll(async () => {
    await emulator?.stop();
  });
  return () => {
    if (!emulator) throw new Error('emulator not started: call withEmulator() at the top level of the test file');
    return emulator;
  };
}

export function voiceClient(emulator: Emulator, region = 'us-east-1'): ChimeSDKVoiceClient {
  return new ChimeSDKVoiceClient({ endpoint: emulator.url, region, credentials: testCredentials, maxAttempts: 1 });
}

export function pipelinesClient(emulator: Emulator, region = 'us-east-1'): ChimeSDKMediaPipelinesClient {
  return new ChimeSDKMediaPipelinesClient({ endpoint: emulator.url, region, credentials: testCredentials, maxAttempts: 1 });
}

/** Puts an unassigned VoiceConnector number into the emulator's inventory, as a completed order or port would. */
export function holdNumber(emulator: Emulator, e164: string): void {
  const now = emulator.clock.now().toISOString();
  emulator.state.phoneNumbers[e164] = {
    PhoneNumberId: e164,
    E164PhoneNumber: e164,
    PhoneNumberArn: `arn:aws:chime:us-east-1:${emulator.config.accountId}:phone-number/${e164}`,
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
}
