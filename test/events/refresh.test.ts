/**
 * An event about one listed resource refreshes that one item of the cached listing with a Get,
 * instead of dropping a listing of thousands: one read per change, not one per page.
 */
import { afterAll, expect, it } from 'vitest';
import { CreateVoiceConnectorCommand, DeleteVoiceConnectorCommand, UpdateVoiceConnectorCommand } from '@aws-sdk/client-chime-sdk-voice';
import { AwsContext } from '../../src/aws/context.js';
import { writeOf } from '../../src/aws/cloudtrail-events.js';
import { voiceClient, withEmulator } from '../helpers/emulator.js';

const emulator = withEmulator();
let aws: AwsContext | undefined;
afterAll(() => aws?.destroy());

it('refreshes an updated connector with one GetVoiceConnector, and drops a deleted one, without listing again', async () => {
  const someone = voiceClient(emulator());
  const ids: string[] = [];
  for (let i = 0; i < 3; i++) ids.push((await someone.send(new CreateVoiceConnectorCommand({ Name: `vc-${i}`, RequireEncryption: false }))).VoiceConnector!.VoiceConnectorId!);
  aws = new AwsContext({ region: 'us-east-1', endpoint: emulator().url, credentials: { accessKeyId: 'a', secretAccessKey: 'b' }, inventoryMaxAgeMs: 3_600_000 });
  const spec = { service: 'voice' as const, operation: 'ListVoiceConnectors', items: 'VoiceConnectors' };
  expect(await aws.inventory.list(spec)).toHaveLength(3);
  emulator().resetCounters();

  await someone.send(new UpdateVoiceConnectorCommand({ VoiceConnectorId: ids[1], Name: 'renamed', RequireEncryption: true }));
  await aws.inventory.refreshAfter(writeOf({ eventID: '1', eventTime: '', eventSource: 'chime.amazonaws.com', eventName: 'UpdateVoiceConnector', requestParameters: { voiceConnectorId: ids[1], name: 'renamed', requireEncryption: true } }));
  const listed = await aws.inventory.list<{ VoiceConnectorId: string; Name: string; RequireEncryption: boolean }>(spec);
  expect(listed.find((v) => v.VoiceConnectorId === ids[1])).toMatchObject({ Name: 'renamed', RequireEncryption: true });
  expect(listed).toHaveLength(3);

  await someone.send(new DeleteVoiceConnectorCommand({ VoiceConnectorId: ids[2] }));
  // A delete is not an update of a listed item: the listing is forgotten, and listed again.
  await aws.inventory.refreshAfter(writeOf({ eventID: '2', eventTime: '', eventSource: 'chime.amazonaws.com', eventName: 'DeleteVoiceConnector', requestParameters: { voiceConnectorId: ids[2] } }));
  expect((await aws.inventory.list<{ VoiceConnectorId: string }>(spec)).map((v) => v.VoiceConnectorId).sort()).toEqual(ids.slice(0, 2).sort());
  const calls = emulator().counters();
  expect(calls.GetVoiceConnector).toEqual({ ok: 1 });
  expect(calls.ListVoiceConnectors).toEqual({ ok: 1 });
  someone.destroy();
});
