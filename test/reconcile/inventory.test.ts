/**
 * The inventory forgets only the listings a write changes (by resource family), so a pass that
 * writes the sub-configurations of 50 connectors lists them once; the fleet benchmark's first
 * convergence lists connectors a couple of times instead of once per connector.
 */
import { describe, expect, it } from 'vitest';
import { AwsContext, listingsChangedBy } from '../../src/aws/context.js';
import { benchFleet } from '../../bench/fleet.js';

describe('listingsChangedBy', () => {
  it.each([
    ['CreateVoiceConnector', {}, ['ListVoiceConnectors']],
    ['PutVoiceConnectorTermination', {}, []],
    ['PutVoiceConnectorTerminationCredentials', {}, []],
    ['DeleteVoiceConnectorEmergencyCallingConfiguration', {}, []],
    ['DeleteVoiceConnector', {}, ['ListVoiceConnectors', 'ListVoiceConnectorGroups', 'ListPhoneNumbers', 'ListTagsForResource']],
    ['UpdateVoiceConnectorGroup', {}, ['ListVoiceConnectorGroups']],
    ['AssociatePhoneNumbersWithVoiceConnector', {}, ['ListPhoneNumbers']],
    ['DisassociatePhoneNumbersFromVoiceConnectorGroup', {}, ['ListPhoneNumbers']],
    ['BatchUpdatePhoneNumber', {}, ['ListPhoneNumbers']],
    ['UpdatePhoneNumber', {}, ['ListPhoneNumbers']],
    ['RestorePhoneNumber', {}, ['ListPhoneNumbers']],
    ['CreatePhoneNumberOrder', {}, ['ListPhoneNumbers', 'SearchAvailablePhoneNumbers', 'ListPhoneNumberOrders']],
    ['CreateSipRule', {}, ['ListSipRules', 'ListPhoneNumbers', 'ListTagsForResource']],
    ['PutSipMediaApplicationLoggingConfiguration', {}, []],
    ['UpdateGlobalSettings', {}, []],
    ['GetVoiceConnector', {}, []],
  ])('%s changes %j', (operation, input, expected) => {
    const changed = listingsChangedBy({ service: 'voice', operation, input });
    expect(changed === 'all' ? 'all' : changed.map((r) => r.operation)).toEqual(expected);
  });

  it('tags change only the listing of that ARN; an unknown write clears everything; an action may declare its own', () => {
    expect(listingsChangedBy({ service: 'voice', operation: 'TagResource', input: { ResourceARN: 'arn:1' } })).toEqual([{ operation: 'ListTagsForResource', input: { ResourceARN: 'arn:1' } }]);
    expect(listingsChangedBy({ service: 'voice', operation: 'PutSomethingNew', input: {} })).toBe('all');
    expect(listingsChangedBy({ service: 'voice', operation: 'PutSomethingNew', invalidates: ['ListSipRules'] })).toEqual([{ operation: 'ListSipRules' }]);
  });
});

describe('Inventory.invalidateAfter', () => {
  /** An inventory whose listings come from a counter instead of AWS. */
  function inventory(maxAgeMs?: number) {
    const aws = new AwsContext({ region: 'us-east-1', endpoint: 'http://127.0.0.1:9', credentials: { accessKeyId: 'a', secretAccessKey: 'b' }, inventoryMaxAgeMs: maxAgeMs });
    const listed: string[] = [];
    aws.send = (async (_s: string, operation: string, input: any) => {
      listed.push(`${operation}${input.ResourceARN ? ` ${input.ResourceARN}` : ''}`);
      return { Items: [] };
    }) as typeof aws.send;
    const list = (operation: string, input?: Record<string, unknown>) => aws.inventory.list({ service: 'voice', operation, input, items: 'Items', paged: !input });
    return { aws, listed, list };
  }

  it('forgets what the writes change and keeps the rest', async () => {
    const { aws, listed, list } = inventory();
    const all = async () => {
      await list('ListVoiceConnectors');
      await list('ListPhoneNumbers');
      await list('ListTagsForResource', { ResourceARN: 'arn:1' });
      await list('ListTagsForResource', { ResourceARN: 'arn:2' });
    };
    await all();
    aws.inventory.invalidateAfter([
      { service: 'voice', operation: 'PutVoiceConnectorOrigination' },
      { service: 'voice', operation: 'TagResource', input: { ResourceARN: 'arn:2' } },
    ]);
    await all();
    expect(listed).toEqual(['ListVoiceConnectors', 'ListPhoneNumbers', 'ListTagsForResource arn:1', 'ListTagsForResource arn:2', 'ListTagsForResource arn:2']);
    aws.inventory.invalidateAfter([{ service: 'voice', operation: 'SomethingUnknown' }]);
    expect(aws.inventory.cachedOperations()).toEqual([]);
    aws.destroy();
  });

  it('a create adds the new resource to the cached listing instead of listing again; a failed create changes nothing', async () => {
    const { aws, listed, list } = inventory();
    await list('ListVoiceConnectors');
    await list('ListVoiceConnectors', { Filter: 'x' });
    const created = { VoiceConnectorId: 'abc', Name: 'new' };
    aws.inventory.invalidateAfter([{ service: 'voice', operation: 'CreateVoiceConnector', output: { VoiceConnector: created } }]);
    expect(await list('ListVoiceConnectors')).toEqual([created]);
    // A filtered listing cannot know whether the new resource belongs in it: it is listed again.
    await list('ListVoiceConnectors', { Filter: 'x' });
    expect(listed).toEqual(['ListVoiceConnectors', 'ListVoiceConnectors', 'ListVoiceConnectors']);
    // Without an answer (the create failed, or went out in a batch), the listing is forgotten.
    aws.inventory.invalidateAfter([{ service: 'voice', operation: 'CreateVoiceConnector' }]);
    await list('ListVoiceConnectors');
    expect(listed).toHaveLength(4);
    aws.destroy();
  });

  it('listings are kept per region: the same listing in two regions is two listings, and a create adds only to its own region', async () => {
    const aws = new AwsContext({ region: 'us-east-1', endpoint: 'http://127.0.0.1:9', credentials: { accessKeyId: 'a', secretAccessKey: 'b' } });
    const listed: string[] = [];
    aws.send = (async (_s: string, operation: string, _input: any, region?: string) => {
      listed.push(`${operation} ${region ?? 'home'}`);
      return { Items: [{ VoiceConnectorId: region ?? 'home' }] };
    }) as typeof aws.send;
    const spec = { service: 'voice' as const, operation: 'ListVoiceConnectors', items: 'Items', paged: false };
    expect(await aws.inventory.list(spec)).toEqual([{ VoiceConnectorId: 'us-east-1' }]);
    expect(await aws.in('us-west-2').inventory.list(spec)).toEqual([{ VoiceConnectorId: 'us-west-2' }]);
    await aws.in('us-west-2').inventory.list(spec);
    // The home region's view is the account itself, with the home region's listings.
    expect(aws.in('us-east-1')).toBe(aws);
    expect(listed).toEqual(['ListVoiceConnectors us-east-1', 'ListVoiceConnectors us-west-2']);
    expect(aws.inventory.cachedRegions()).toEqual(['us-east-1', 'us-west-2']);
    aws.inventory.invalidateAfter([{ service: 'voice', operation: 'CreateVoiceConnector', region: 'us-west-2', output: { VoiceConnector: { VoiceConnectorId: 'new' } } }]);
    expect(await aws.in('us-west-2').inventory.list(spec)).toEqual([{ VoiceConnectorId: 'us-west-2' }, { VoiceConnectorId: 'new' }]);
    expect(await aws.inventory.list(spec)).toEqual([{ VoiceConnectorId: 'us-east-1' }]);
    // What a write changes is forgotten in every region (a connector deleted in one changes the home region's numbers).
    aws.inventory.invalidateAfter([{ service: 'voice', operation: 'DeleteVoiceConnector', region: 'us-west-2' }]);
    expect(aws.inventory.cachedOperations()).toEqual([]);
    aws.destroy();
  });

  it('a listing older than inventoryMaxAgeMs is listed again (the controller has no passes)', async () => {
    const { aws, listed, list } = inventory(0);
    await list('ListVoiceConnectors');
    await new Promise((r) => setTimeout(r, 5));
    await list('ListVoiceConnectors');
    expect(listed).toEqual(['ListVoiceConnectors', 'ListVoiceConnectors']);
    aws.destroy();
  });

  it('expireOlderThan: an object in progress drops the listings older than it accepts; fresher ones stay shared', async () => {
    // As the controller: listings live for the resync period; a batch with an object in progress asks for fresher ones.
    const { aws, listed, list } = inventory(300_000);
    await list('ListVoiceConnectors');
    await new Promise((r) => setTimeout(r, 30));
    await list('ListPhoneNumbers');
    aws.inventory.expireOlderThan(20);
    await list('ListVoiceConnectors');
    await list('ListPhoneNumbers');
    expect(listed).toEqual(['ListVoiceConnectors', 'ListPhoneNumbers', 'ListVoiceConnectors']);
    aws.destroy();
  });
});

describe('fleet benchmark (50 connectors with every setting, 3 groups)', () => {
  it('first convergence lists the connectors a few times, not once per connector; the resync writes nothing', async () => {
    const [first, resync] = await benchFleet();
    expect(first.ready).toBe(53);
    // Was 51 (the whole inventory cleared after every object's writes).
    expect(first.calls.ListVoiceConnectors?.ok).toBeLessThanOrEqual(3);
    expect(first.calls.ListVoiceConnectorGroups?.ok).toBeLessThanOrEqual(3);
    expect(first.calls.CreateVoiceConnector?.ok).toBe(50);
    expect(resync.mutating).toBe(0);
    // Once per region the fleet has connectors in (us-east-1 and us-west-2), each through its own endpoint.
    expect(resync.calls.ListVoiceConnectors?.ok).toBe(2);
  }, 120_000);
});
