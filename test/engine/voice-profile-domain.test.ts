/**
 * VoiceProfileDomain against the emulator through the real SDK (A3, A4): create, update, drift
 * under Correct and Report, consent, the account limit, deletion under each policy, crash safety
 * and the steady state.
 */
import { describe, expect, it } from 'vitest';
import {
  CreateVoiceProfileDomainCommand,
  GetVoiceProfileDomainCommand,
  ListTagsForResourceCommand,
  ListVoiceProfileDomainsCommand,
  UntagResourceCommand,
  UpdateVoiceProfileDomainCommand,
} from '@aws-sdk/client-chime-sdk-voice';
import { OWNER_TAG_KEY } from '../../src/aws/ownership.js';
import { conditionOf } from '../../src/reconcile/conditions.js';
import type { ManagedObject } from '../../src/reconcile/types.js';
import { engineHarness, type EngineHarness } from '../helpers/engine.js';
import { engineSuite } from '../helpers/suite.js';
import { voiceClient } from '../helpers/emulator.js';

const { emu, mutatingCalls, callsByOperation } = engineSuite();
const client = () => voiceClient(emu());
const KMS = 'arn:aws:kms:us-east-1:111122223333:key/1234abcd-12ab-34cd-56ef-1234567890ab';
const KMS2 = 'arn:aws:kms:us-east-1:111122223333:key/9999abcd-12ab-34cd-56ef-1234567890ab';
const CONSENT = { acknowledged: true, acknowledgedBy: 'privacy@example.com', reference: 'TICKET-42' };

function domain(spec: Record<string, unknown> = {}, name = 'callers', metadata: Partial<ManagedObject['metadata']> = {}): ManagedObject {
  return {
    apiVersion: 'chimevoice.io/v1alpha1',
    kind: 'VoiceProfileDomain',
    metadata: { name, namespace: 'default', uid: `uid-${name}`, ...metadata },
    spec: { kmsKeyArn: KMS, consent: CONSENT, ...spec },
  };
}

const awsDomains = async () => (await client().send(new ListVoiceProfileDomainsCommand({}))).VoiceProfileDomains ?? [];
const awsDomain = async (id: string) => (await client().send(new GetVoiceProfileDomainCommand({ VoiceProfileDomainId: id }))).VoiceProfileDomain!;
const awsTags = async (arn: string) => Object.fromEntries(((await client().send(new ListTagsForResourceCommand({ ResourceARN: arn }))).Tags ?? []).map((t) => [t.Key, t.Value]));

async function created(h: EngineHarness, obj = domain({ description: 'callers of the help desk', tags: { team: 'voice' } })) {
  const r = await h.reconcile(obj);
  expect(r.phase).toBe('Ready');
  return { r, id: r.status.atProvider!.voiceProfileDomainId as string, arn: r.status.atProvider!.arn as string };
}

describe('VoiceProfileDomain engine (A3, A4)', () => {
  it('creates with name, description, KMS key and tags (the marker in the create call), in one call', async () => {
    const h = engineHarness(emu());
    const { r, id, arn } = await created(h, domain({ name: 'help-desk', description: 'callers of the help desk', tags: { team: 'voice' } }));
    expect(r.actions.map((a) => a.action.operation)).toEqual(['CreateVoiceProfileDomain']);
    // The create answers with the domain (its key included) and stored the tags it carried: nothing is read after it.
    expect(callsByOperation()).toEqual({ ListVoiceProfileDomains: 1, CreateVoiceProfileDomain: 1 });
    const d = await awsDomain(id);
    expect(d).toMatchObject({ Name: 'help-desk', Description: 'callers of the help desk', ServerSideEncryptionConfiguration: { KmsKeyArn: KMS } });
    expect(await awsTags(arn)).toEqual({ team: 'voice', [OWNER_TAG_KEY]: 'default/callers' });
    expect(r.status.atProvider).toEqual({ voiceProfileDomainId: id, arn, appliedTagKeys: ['team'] });
    expect(conditionOf(r.status, 'Drifted')?.status).toBe('False');
  });

  it('makes zero mutating calls on the second reconcile', async () => {
    const h = engineHarness(emu());
    await created(h);
    emu().resetCounters();
    const r = await h.reconcile('VoiceProfileDomain/callers', { specChanged: false });
    expect(r.phase).toBe('Ready');
    expect(r.actions).toEqual([]);
    expect(mutatingCalls()).toEqual({});
    expect(callsByOperation()).toEqual({ ListVoiceProfileDomains: 1, GetVoiceProfileDomain: 1, ListTagsForResource: 1 });
  });

  it('updates the name, the description and a tag in place', async () => {
    const h = engineHarness(emu());
    const { id, arn } = await created(h);
    emu().resetCounters();
    const r = await h.reconcile(domain({ name: 'renamed', description: 'new words', tags: { team: 'telephony' } }));
    expect(r.phase).toBe('Ready');
    expect(mutatingCalls()).toEqual({ UpdateVoiceProfileDomain: 1, TagResource: 1 });
    expect(await awsDomain(id)).toMatchObject({ VoiceProfileDomainId: id, Name: 'renamed', Description: 'new words' });
    expect((await awsTags(arn)).team).toBe('telephony');
    expect(await awsDomains()).toHaveLength(1);
  });

  it('reports a KMS key change as needing replacement and changes nothing (the API cannot change the key)', async () => {
    const h = engineHarness(emu());
    const { id } = await created(h);
    emu().resetCounters();
    const r = await h.reconcile(domain({ kmsKeyArn: KMS2, description: 'callers of the help desk', tags: { team: 'voice' } }));
    expect(r.phase).toBe('Stalled');
    expect(conditionOf(r.status, 'Stalled')?.reason).toBe('ReplacementRequired');
    expect(conditionOf(r.status, 'Stalled')?.message).toContain('kmsKeyArn cannot change in place');
    expect(r.status.drift).toEqual([{ path: 'kmsKeyArn', desired: KMS2, actual: KMS }]);
    expect(mutatingCalls()).toEqual({});
    expect((await awsDomain(id)).ServerSideEncryptionConfiguration?.KmsKeyArn).toBe(KMS);
  });

  it('corrects drift made behind its back (description, name, a tag) under driftPolicy Correct', async () => {
    const h = engineHarness(emu());
    const { id, arn } = await created(h);
    await client().send(new UpdateVoiceProfileDomainCommand({ VoiceProfileDomainId: id, Name: 'someone-else', Description: 'changed by hand' }));
    await client().send(new UntagResourceCommand({ ResourceARN: arn, TagKeys: ['team'] }));
    emu().resetCounters();
    const r = await h.reconcile('VoiceProfileDomain/callers', { specChanged: false });
    expect(r.phase).toBe('Ready');
    expect(r.events.map((e) => e.reason)).toEqual(['DriftDetected', 'DriftCorrected']);
    expect(r.events[0].message.split(' [DriftDetected]. Next: ')[0]).toBe('AWS differs from the spec at name, description, tags.team');
    expect(mutatingCalls()).toEqual({ UpdateVoiceProfileDomain: 1, TagResource: 1 });
    expect(await awsDomain(id)).toMatchObject({ Name: 'callers', Description: 'callers of the help desk' });
    expect((await awsTags(arn)).team).toBe('voice');
    expect(r.status.drift).toEqual([]);
  });

  it('reports drift under driftPolicy Report and leaves AWS alone', async () => {
    const h = engineHarness(emu());
    const { id } = await created(h, domain({ description: 'callers of the help desk', driftPolicy: 'Report' }));
    await client().send(new UpdateVoiceProfileDomainCommand({ VoiceProfileDomainId: id, Description: 'changed by hand' }));
    emu().resetCounters();
    const r = await h.reconcile('VoiceProfileDomain/callers', { specChanged: false });
    expect(r.phase).toBe('Ready');
    expect(r.status.drift).toEqual([{ path: 'description', desired: 'callers of the help desk', actual: 'changed by hand' }]);
    const drifted = conditionOf(r.status, 'Drifted');
    expect(drifted).toMatchObject({ status: 'True', reason: 'DriftReported' });
    expect(drifted?.message).toContain('driftPolicy Report');
    expect(mutatingCalls()).toEqual({});
    expect((await awsDomain(id)).Description).toBe('changed by hand');
  });

  it('A3: without the consent acknowledgement nothing is created and the condition says why', async () => {
    for (const consent of [undefined, { acknowledged: false }]) {
      const h = engineHarness(emu());
      emu().resetCounters();
      const r = await h.reconcile(domain({ consent }));
      expect(r.phase).toBe('Stalled');
      expect(conditionOf(r.status, 'Stalled')).toMatchObject({ reason: 'ConsentRequired' });
      expect(conditionOf(r.status, 'Ready')?.message).toContain('spec.consent.acknowledged: true');
      expect(r.requeueAfterMs).toBeUndefined();
      // Checked before any call: not even a read.
      expect(emu().counters()).toEqual({});
    }
    expect(await awsDomains()).toEqual([]);
  });

  it('A3: plan mode shows the missing consent too, and the domain is still deletable without it', async () => {
    const h = engineHarness(emu());
    const { id } = await created(h);
    const plan = await engineHarness(emu(), { dryRun: true }).engine.reconcile(domain({ consent: undefined }), h.world, true);
    expect(plan.phase).toBe('Stalled');
    expect(plan.status.conditions?.find((c) => c.type === 'Stalled')?.reason).toBe('ConsentRequired');
    h.world.put({ ...domain({ consent: undefined }), status: h.get('VoiceProfileDomain', 'callers').status });
    const d = await h.delete('VoiceProfileDomain/callers');
    expect(d.phase).toBe('Deleted');
    expect((await awsDomains()).map((x) => x.VoiceProfileDomainId)).not.toContain(id);
  });

  it('A4: a 4th domain is Stalled with AWS’s limit message, and is not retried in a loop', async () => {
    const h = engineHarness(emu());
    for (const n of ['one', 'two', 'three']) await created(h, domain({}, n));
    emu().resetCounters();
    const r = await h.reconcile(domain({}, 'four'));
    expect(r.phase).toBe('Stalled');
    const stalled = conditionOf(r.status, 'Stalled');
    expect(stalled?.reason).toBe('AwsLimitExceeded');
    expect(stalled?.message).toContain('ResourceLimitExceededException');
    expect(stalled?.message).toContain('limit of 3 voice profile domains');
    expect(r.requeueAfterMs).toBeUndefined();
    // One attempt: the SDK does not retry a limit answer, nor does the engine.
    expect(mutatingCalls()).toEqual({ CreateVoiceProfileDomain: 1 });
    expect(await awsDomains()).toHaveLength(3);
  });

  it('deletes the domain (and its profiles) under deletionPolicy Delete, saying so', async () => {
    const h = engineHarness(emu());
    const { id } = await created(h);
    const r = await h.delete('VoiceProfileDomain/callers');
    expect(r.phase).toBe('Deleted');
    expect(r.actions.map((a) => a.action.operation)).toEqual(['DeleteVoiceProfileDomain']);
    expect(r.actions[0].action.description).toContain('every voice profile in it; this cannot be undone');
    expect((await awsDomains()).map((x) => x.VoiceProfileDomainId)).not.toContain(id);
  });

  it('leaves the domain in AWS under deletionPolicy Retain', async () => {
    const h = engineHarness(emu());
    const { id } = await created(h, domain({ deletionPolicy: 'Retain' }));
    emu().resetCounters();
    const r = await h.delete('VoiceProfileDomain/callers');
    expect(r.phase).toBe('Deleted');
    expect(r.status.conditions?.[0].reason).toBe('Retained');
    expect(mutatingCalls()).toEqual({});
    expect((await awsDomains()).map((x) => x.VoiceProfileDomainId)).toEqual([id]);
  });

  it('refuses to take a same-named domain it did not create', async () => {
    await client().send(new CreateVoiceProfileDomainCommand({ Name: 'callers', ServerSideEncryptionConfiguration: { KmsKeyArn: KMS } }));
    emu().resetCounters();
    const r = await engineHarness(emu()).reconcile(domain());
    expect(r.phase).toBe('Stalled');
    expect(conditionOf(r.status, 'Stalled')?.reason).toBe('OwnershipConflict');
    expect(mutatingCalls()).toEqual({});
  });

  describe('crash safety on create', () => {
    it('a crash after the create call: a fresh engine without status finds the domain by its marker', async () => {
      const h = engineHarness(emu());
      // The create succeeds; the observation right after it fails (the process "dies" there).
      const send = h.aws.send.bind(h.aws);
      h.aws.send = (async (service: any, operation: string, input: any) => {
        const out = await send(service, operation, input);
        if (operation === 'CreateVoiceProfileDomain') throw new Error('crash after CreateVoiceProfileDomain');
        return out;
      }) as typeof h.aws.send;
      const first = await h.reconcile(domain());
      expect(first.phase).not.toBe('Ready');
      expect(await awsDomains()).toHaveLength(1);
      const fresh = engineHarness(emu());
      const r = await fresh.reconcile(domain());
      expect(r.phase).toBe('Ready');
      expect(await awsDomains()).toHaveLength(1);
      expect(r.status.atProvider?.voiceProfileDomainId).toBe((await awsDomains())[0].VoiceProfileDomainId);
    });

    it('a create whose answer was lost and which is retried returns the same domain (deterministic client request token)', async () => {
      const h = engineHarness(emu());
      const create = h.engine.handlerFor('VoiceProfileDomain').plan(
        h.engine.handlerFor('VoiceProfileDomain').desired(domain(), { lenient: false, resolve: () => ({}), secret: () => '', digestSecret: () => '' }),
        undefined,
        [],
      )[0];
      type Created = { VoiceProfileDomain: { VoiceProfileDomainId: string } };
      const a = await h.aws.send<Created>('voice', 'CreateVoiceProfileDomain', create.input);
      const b = await h.aws.send<Created>('voice', 'CreateVoiceProfileDomain', create.input);
      expect(b.VoiceProfileDomain.VoiceProfileDomainId).toBe(a.VoiceProfileDomain.VoiceProfileDomainId);
      expect(await awsDomains()).toHaveLength(1);
    });

    it('a listing that fails after the create: the restart finds exactly one domain', async () => {
      const h = engineHarness(emu());
      // Every listing after the create fails with a 500. The create's answer is the domain, so the
      // pass needs no listing to see what it made; the restart without status needs one, and finds it.
      const send = h.aws.send.bind(h.aws);
      let createdOnce = false;
      h.aws.send = (async (service: any, operation: string, input: any) => {
        if (createdOnce) emu().setFaults({ errorRates: { ListVoiceProfileDomains: { probability: 1, status: 500 } } });
        const out = await send(service, operation, input);
        if (operation === 'CreateVoiceProfileDomain') createdOnce = true;
        return out;
      }) as typeof h.aws.send;
      const first = await h.reconcile(domain());
      expect(first.phase).toBe('Ready');
      expect(first.status.atProvider?.voiceProfileDomainId).toBeDefined();
      emu().setFaults({});
      const r = await engineHarness(emu()).reconcile(domain());
      expect(r.phase).toBe('Ready');
      expect(mutatingCalls()).toEqual({ CreateVoiceProfileDomain: 1 });
      expect(await awsDomains()).toHaveLength(1);
    });
  });
});
