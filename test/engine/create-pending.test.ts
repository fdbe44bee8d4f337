/**
 * The create-pending guard (API5 for listings): the emulator's listing lag, the intent recorded
 * before a create call, the wait while a recorded create does not show, the grace period after
 * which a create that left nothing is made again, a create never sent unrecorded, and a deletion
 * that waits for a recorded create instead of leaving it behind.
 */
import { SecretDigest } from '../../src/reconcile/secret-digest.js';
import { describe, expect, it } from 'vitest';
import { CreateVoiceConnectorCommand, DeleteVoiceConnectorCommand, ListVoiceConnectorsCommand } from '@aws-sdk/client-chime-sdk-voice';
import { Engine } from '../../src/reconcile/engine.js';
import { CREATE_GRACE_MS } from '../../src/reconcile/create-pending.js';
import { handlers } from '../../src/kinds/index.js';
import { MemoryWorld } from '../../src/reconcile/world.js';
import type { ManagedObject } from '../../src/reconcile/types.js';
import { keyOf, keyString } from '../../src/reconcile/types.js';
import { engineHarness } from '../helpers/engine.js';
import { voiceClient } from '../helpers/emulator.js';
import { crashAfter, createsMade } from '../helpers/crash.js';
import { engineSuite } from '../helpers/suite.js';

const { emu } = engineSuite();
const client = () => voiceClient(emu());
const LAG = 120_000;

const connector = (name = 'trunk'): ManagedObject => ({
  apiVersion: 'chimevoice.io/v1alpha1',
  kind: 'VoiceConnector',
  metadata: { name, namespace: 'default' },
  spec: { region: 'us-east-1', requireEncryption: true },
});
const listed = async () => ((await client().send(new ListVoiceConnectorsCommand({}))).VoiceConnectors ?? []).map((v) => v.Name);
const reasonOf = (r: { status: { conditions?: Array<{ type: string; reason: string; message: string }> } }) => r.status.conditions?.find((c) => c.type === 'Ready');

describe('emulator: listing lag (API5 for listings)', () => {
  it('a new resource is missing from its listing, and a deleted one still listed, for listingLagMs of emulated time', async () => {
    emu().setFaults({ listingLagMs: LAG });
    const out = await client().send(new CreateVoiceConnectorCommand({ Name: 'fresh', RequireEncryption: true }));
    expect(await listed()).toEqual([]);
    emu().clock.advance(LAG + 1);
    expect(await listed()).toEqual(['fresh']);
    await client().send(new DeleteVoiceConnectorCommand({ VoiceConnectorId: out.VoiceConnector!.VoiceConnectorId }));
    expect(await listed()).toEqual(['fresh']);
    emu().clock.advance(LAG + 1);
    expect(await listed()).toEqual([]);
  });

  it('latencyMs is emulated time: at clock rate 20, 4 s of latency take about 0.2 s', async () => {
    emu().clock.setRate(20);
    try {
      emu().setFaults({ latencyMs: { ListVoiceConnectors: 4_000 } });
      const before = emu().clock.now().getTime();
      await listed();
      expect(emu().clock.now().getTime() - before).toBeGreaterThanOrEqual(4_000);
    } finally {
      emu().clock.setRate(1);
    }
  });
});

describe('create-pending guard', () => {
  it('records the intent before the create call and its id right after; clears it once the resource shows', async () => {
    emu().setFaults({ listingLagMs: LAG });
    const h = engineHarness(emu());
    const seen: string[] = [];
    const send = h.aws.send.bind(h.aws);
    h.aws.send = (async (service, operation, input) => {
      if (operation === 'CreateVoiceConnector') seen.push(`durable at the call: ${JSON.stringify(h.durable.get('VoiceConnector/default/trunk')?.createPending?.operation)}`);
      return send(service, operation, input);
    }) as typeof h.aws.send;
    const first = await h.reconcile(connector());
    expect(seen).toEqual(['durable at the call: "CreateVoiceConnector"']);
    const durable = h.durable.get('VoiceConnector/default/trunk')!;
    expect(durable.createPending?.ids?.VoiceConnectorId).toMatch(/^[a-z0-9]{22}$/);
    expect(durable.atProvider?.voiceConnectorId).toBe(durable.createPending?.ids?.VoiceConnectorId);
    // Not in the listing yet, read by id: found, and the record goes.
    expect(first.phase).toBe('Ready');
    expect(first.status.createPending).toBeUndefined();
    expect(createsMade(emu())).toEqual({ CreateVoiceConnector: 1 });
  });

  it('a create recorded and never sent: the restart waits through the grace period (AwaitingConsistency), then creates once, with a CreateRetried Event', async () => {
    emu().setFaults({ listingLagMs: LAG });
    const dying = engineHarness(emu());
    // Dies between recording the intent and sending the create call.
    dying.aws.send = (async (_service, operation) => {
      throw new Error(`crashed before ${operation}`);
    }) as typeof dying.aws.send;
    dying.aws.inventory.list = (async () => []) as typeof dying.aws.inventory.list;
    expect((await dying.reconcile(connector())).phase).toBe('Error');
    const kept = dying.durable.get('VoiceConnector/default/trunk')!;
    expect(kept.createPending).toMatchObject({ operation: 'CreateVoiceConnector', name: 'trunk' });
    expect(createsMade(emu())).toEqual({});

    const fresh = engineHarness(emu());
    let r = await fresh.reconcile({ ...connector(), status: kept });
    expect(reasonOf(r)).toMatchObject({ reason: 'AwaitingConsistency' });
    expect(reasonOf(r)?.message).toContain(`until ${kept.createPending!.graceEndsAt}`);
    emu().clock.advance(CREATE_GRACE_MS - 60_000);
    r = await fresh.reconcile('VoiceConnector/trunk');
    expect(reasonOf(r)).toMatchObject({ reason: 'AwaitingConsistency' });
    expect(createsMade(emu())).toEqual({});

    emu().clock.advance(60_001);
    r = await fresh.reconcile('VoiceConnector/trunk');
    expect(r.events.filter((e) => e.reason === 'CreateRetried')).toEqual([
      expect.objectContaining({ type: 'Warning', message: expect.stringContaining('it evidently failed, so CreateVoiceConnector is sent again') }),
    ]);
    expect(createsMade(emu())).toEqual({ CreateVoiceConnector: 1 });
    expect(r.phase).toBe('Ready');
  });

  it('a create AWS refused (4xx) made nothing: the record goes at once', async () => {
    const h = engineHarness(emu());
    emu().setFaults({ rateLimits: { CreateVoiceConnector: { ratePerSecond: 0, burst: 1 } } });
    await client().send(new CreateVoiceConnectorCommand({ Name: 'burns-the-token', RequireEncryption: true }));
    const r = await h.reconcile(connector());
    expect(r.phase).toBe('Error');
    expect(r.status.createPending).toBeUndefined();
  });

  it('a create whose intent cannot be recorded is not sent (CreateIntentNotRecorded)', async () => {
    const { AwsContext } = await import('../../src/aws/context.js');
    const aws = new AwsContext({ region: 'us-east-1', endpoint: emu().url, credentials: { accessKeyId: 'a', secretAccessKey: 'b' }, maxAttempts: 1 });
    const engine = new Engine({
      aws,
      handlers,
      secrets: { get: () => undefined },
      secretDigest: SecretDigest.ephemeral(),
      now: () => emu().clock.now(),
      persistStatus: async () => {
        throw new Error('the API server refused the status patch');
      },
    });
    const obj = connector();
    const r = await engine.reconcile(obj, new MemoryWorld([obj]), true);
    expect(reasonOf(r)).toMatchObject({ reason: 'CreateIntentNotRecorded', message: expect.stringContaining('the API server refused the status patch') });
    expect(createsMade(emu())).toEqual({});
    aws.destroy();
  });

  it('deleting an object whose recorded create does not show yet waits for it, then deletes it: nothing is left behind', async () => {
    emu().setFaults({ listingLagMs: LAG });
    const dying = engineHarness(emu());
    // Dies after the create call took effect, before its answer is recorded.
    crashAfter(dying, 2);
    expect((await dying.reconcile(connector())).phase).toBe('Error');
    const kept = dying.durable.get(keyString(keyOf(connector())))!;
    expect(kept.createPending?.ids).toBeUndefined();

    const fresh = engineHarness(emu());
    fresh.world.put({ ...connector(), status: kept });
    let d = await fresh.delete('VoiceConnector/trunk');
    expect({ phase: d.phase, reason: reasonOf(d)?.reason }).toEqual({ phase: 'DeleteBlocked', reason: 'AwaitingConsistency' });
    emu().clock.advance(LAG + 1);
    d = await fresh.delete('VoiceConnector/trunk');
    expect(d.phase).toBe('Deleted');
    expect(d.actions.map((a) => a.action.operation)).toContain('DeleteVoiceConnector');
    emu().clock.advance(LAG + 1);
    expect(await listed()).toEqual([]);
  });
});
