/**
 * VoiceGlobalSettings against the emulator through the real SDK (GS1): the account's call detail
 * record bucket, its drift, deletion under each policy, one object per account, crash safety.
 */
import { describe, expect, it } from 'vitest';
import { GetGlobalSettingsCommand, UpdateGlobalSettingsCommand } from '@aws-sdk/client-chime-sdk-voice';
import { emptyState } from '../../src/emulator/core/state.js';
import { conditionOf } from '../../src/reconcile/conditions.js';
import type { ManagedObject } from '../../src/reconcile/types.js';
import { engineHarness, type EngineHarness } from '../helpers/engine.js';
import { engineSuite } from '../helpers/suite.js';
import { voiceClient } from '../helpers/emulator.js';

const { emu, mutatingCalls, callsByOperation } = engineSuite();
const client = () => voiceClient(emu());

function settings(spec: Record<string, unknown>, name = 'account', metadata: Partial<ManagedObject['metadata']> = {}): ManagedObject {
  return { apiVersion: 'chimevoice.io/v1alpha1', kind: 'VoiceGlobalSettings', metadata: { name, namespace: 'default', ...metadata }, spec };
}

const awsBucket = async () => (await client().send(new GetGlobalSettingsCommand({}))).VoiceConnector?.CdrBucket;
const setBucket = (bucket?: string) => client().send(new UpdateGlobalSettingsCommand({ VoiceConnector: bucket ? { CdrBucket: bucket } : {} }));

describe('VoiceGlobalSettings (GS1)', () => {
  it('GS1: sets the call detail record bucket; the second reconcile makes zero mutating calls', async () => {
    const h = engineHarness(emu());
    const obj = settings({ voiceConnector: { cdrBucket: 'acme-cdrs' } });
    const r = await h.reconcile(obj);
    expect(r.phase).toBe('Ready');
    expect(r.status.atProvider).toEqual({ cdrBucket: 'acme-cdrs' });
    expect(callsByOperation()).toEqual({ GetGlobalSettings: 2, UpdateGlobalSettings: 1 });
    expect(await awsBucket()).toBe('acme-cdrs');

    emu().resetCounters();
    const again = await h.reconcile(obj, { specChanged: false });
    expect(again.phase).toBe('Ready');
    expect(again.actions).toEqual([]);
    expect(callsByOperation()).toEqual({ GetGlobalSettings: 1 });
  });

  it('GS1: changes the bucket', async () => {
    const h = engineHarness(emu());
    await h.reconcile(settings({ voiceConnector: { cdrBucket: 'acme-cdrs' } }));
    emu().resetCounters();
    const r = await h.reconcile(settings({ voiceConnector: { cdrBucket: 'acme-cdrs-2' } }));
    expect(r.phase).toBe('Ready');
    expect(r.events.map((e) => e.reason)).toEqual(['Updated']);
    expect(mutatingCalls()).toEqual({ UpdateGlobalSettings: 1 });
    expect(await awsBucket()).toBe('acme-cdrs-2');
  });

  it('an object without voiceConnector manages nothing: a bucket set elsewhere is not drift', async () => {
    await setBucket('someone-elses');
    const h = engineHarness(emu());
    emu().resetCounters();
    const r = await h.reconcile(settings({}));
    expect(r.phase).toBe('Ready');
    expect(r.status.drift).toEqual([]);
    expect(mutatingCalls()).toEqual({});
    expect(await awsBucket()).toBe('someone-elses');
  });

  it('GS1: a bucket changed through the SDK is drift, corrected under Correct', async () => {
    const h = engineHarness(emu());
    const obj = settings({ voiceConnector: { cdrBucket: 'acme-cdrs' } });
    await h.reconcile(obj);
    await setBucket('tampered');
    emu().resetCounters();
    const r = await h.reconcile(obj, { specChanged: false });
    expect(r.phase).toBe('Ready');
    expect(r.events.map((e) => e.reason)).toEqual(['DriftDetected', 'DriftCorrected']);
    expect(r.events[0].message).toContain('voiceConnector.cdrBucket');
    expect(mutatingCalls()).toEqual({ UpdateGlobalSettings: 1 });
    expect(await awsBucket()).toBe('acme-cdrs');
  });

  it('GS1: a cleared bucket is drift too', async () => {
    const h = engineHarness(emu());
    const obj = settings({ voiceConnector: { cdrBucket: 'acme-cdrs' }, driftPolicy: 'Report' });
    await h.reconcile(obj);
    await setBucket(undefined);
    const r = await h.reconcile(obj, { specChanged: false });
    expect(r.status.drift).toEqual([{ path: 'voiceConnector.cdrBucket', desired: 'acme-cdrs' }]);
  });

  it('GS1: under Report, the drift is shown in status and left as is', async () => {
    const h = engineHarness(emu());
    const obj = settings({ voiceConnector: { cdrBucket: 'acme-cdrs' }, driftPolicy: 'Report' });
    await h.reconcile(obj);
    await setBucket('tampered');
    emu().resetCounters();
    const r = await h.reconcile(obj, { specChanged: false });
    expect(r.phase).toBe('Ready');
    expect(mutatingCalls()).toEqual({});
    expect(r.status.drift).toEqual([{ path: 'voiceConnector.cdrBucket', desired: 'acme-cdrs', actual: 'tampered' }]);
    expect(conditionOf(r.status, 'Drifted')).toMatchObject({ status: 'True', reason: 'DriftReported', message: expect.stringContaining('driftPolicy Report') });
    expect(r.status.atProvider).toEqual({ cdrBucket: 'tampered' });
    expect(await awsBucket()).toBe('tampered');
  });

  it('GS1: deletion under Delete clears the bucket', async () => {
    const h = engineHarness(emu());
    const obj = settings({ voiceConnector: { cdrBucket: 'acme-cdrs' }, deletionPolicy: 'Delete' });
    await h.reconcile(obj);
    emu().resetCounters();
    const r = await h.delete(obj);
    expect(r).toMatchObject({ phase: 'Deleted', deleted: true });
    expect(r.actions.map((a) => [a.action.operation, a.action.input])).toEqual([['UpdateGlobalSettings', { VoiceConnector: {} }]]);
    expect(await awsBucket()).toBeUndefined();
  });

  it('GS1: deletion under Retain leaves the bucket', async () => {
    const h = engineHarness(emu());
    const obj = settings({ voiceConnector: { cdrBucket: 'acme-cdrs' }, deletionPolicy: 'Retain' });
    await h.reconcile(obj);
    emu().resetCounters();
    expect(await h.delete(obj)).toMatchObject({ phase: 'Deleted', deleted: true });
    expect(mutatingCalls()).toEqual({});
    expect(await awsBucket()).toBe('acme-cdrs');
  });
});

describe('VoiceGlobalSettings: one per AWS account', () => {
  const older = () => settings({ voiceConnector: { cdrBucket: 'first-cdrs' } }, 'account', { namespace: 'team-b', creationTimestamp: '2024-01-01T00:00:00Z' });
  const newer = () => settings({ voiceConnector: { cdrBucket: 'second-cdrs' } }, 'account', { namespace: 'team-a', creationTimestamp: '2024-03-01T00:00:00Z' });

  async function both(h: EngineHarness) {
    h.world.put(older());
    h.world.put(newer());
    const first = await h.reconcile(older());
    const second = await h.reconcile(newer());
    return { first, second };
  }

  it('a second object (any namespace) is Stalled with GlobalSettingsConflict naming the other; the oldest wins and keeps working', async () => {
    const h = engineHarness(emu());
    const { first, second } = await both(h);
    expect(first.phase).toBe('Ready');
    expect(second.phase).toBe('Stalled');
    const stalled = conditionOf(second.status, 'Stalled')!;
    expect(stalled.reason).toBe('GlobalSettingsConflict');
    expect(stalled.message).toContain('VoiceGlobalSettings team-b/account');
    expect(conditionOf(second.status, 'Conflict')).toMatchObject({ status: 'True', reason: 'GlobalSettingsConflict' });
    expect(conditionOf(first.status, 'Conflict')).toBeUndefined();
    expect(await awsBucket()).toBe('first-cdrs');

    // Not fought over: repeated passes of both in either order write nothing.
    emu().resetCounters();
    for (const o of [newer(), older(), newer(), older()]) await h.reconcile(o, { specChanged: false });
    expect(mutatingCalls()).toEqual({});
    expect(await awsBucket()).toBe('first-cdrs');
    expect(h.get('VoiceGlobalSettings', 'account', 'team-b').status?.conditions?.find((c) => c.type === 'Ready')?.status).toBe('True');
  });

  it('the winner still corrects drift while a conflicting object exists', async () => {
    const h = engineHarness(emu());
    await both(h);
    await setBucket('tampered');
    await h.reconcile(newer(), { specChanged: false });
    expect(await awsBucket()).toBe('tampered');
    const r = await h.reconcile(older(), { specChanged: false });
    expect(r.phase).toBe('Ready');
    expect(await awsBucket()).toBe('first-cdrs');
  });

  it('deleting the losing object never clears the winner\'s bucket; once the winner is gone, the other takes over', async () => {
    const h = engineHarness(emu());
    await both(h);
    emu().resetCounters();
    const loserGone = await h.delete(settings({ ...newer().spec, deletionPolicy: 'Delete' }, 'account', newer().metadata));
    expect(loserGone).toMatchObject({ phase: 'Deleted', deleted: true });
    expect(mutatingCalls()).toEqual({});
    expect(await awsBucket()).toBe('first-cdrs');

    h.world.put(newer());
    await h.delete(older());
    expect(await awsBucket()).toBeUndefined();
    const r = await h.reconcile(newer());
    expect(r.phase).toBe('Ready');
    expect(conditionOf(r.status, 'Conflict')).toBeUndefined();
    expect(await awsBucket()).toBe('second-cdrs');
  });
});

describe('VoiceGlobalSettings crash safety', () => {
  it('a restart without status after each API call of the first reconcile converges with one write', async () => {
    for (let n = 1; n <= 3; n++) {
      emu().resetState(emptyState());
      const dying = engineHarness(emu());
      const send = dying.aws.send.bind(dying.aws);
      let calls = 0;
      dying.aws.send = (async (service, operation, input) => {
        if (calls >= n) throw new Error(`crashed before ${operation}`);
        const out = await send(service, operation, input);
        calls += 1;
        if (calls >= n) throw new Error(`crashed after ${operation}`);
        return out;
      }) as typeof dying.aws.send;
      const obj = settings({ voiceConnector: { cdrBucket: 'acme-cdrs' } });
      expect((await dying.reconcile(obj)).phase, `crash after call ${n}`).toBe('Error');

      const fresh = engineHarness(emu());
      emu().resetCounters();
      const r = await fresh.reconcile(obj);
      expect(r.phase, `restart after call ${n}`).toBe('Ready');
      // After a crash past the write, the restart finds the bucket set and writes nothing.
      expect(mutatingCalls(), `writes of the restart after call ${n}`).toEqual(n >= 2 ? {} : { UpdateGlobalSettings: 1 });
      expect(await awsBucket()).toBe('acme-cdrs');
    }
  });
});
