/**
 * SipMediaApplication against the emulator through the real SDK (S1, S3): create with every
 * setting, updates in place, the region that cannot change, drift under Correct and Report,
 * deletion under each policy and behind the rules that target it, crash safety, steady state.
 */
import { describe, expect, it } from 'vitest';
import {
  CreateSipMediaApplicationCommand,
  CreateSipRuleCommand,
  GetSipMediaApplicationAlexaSkillConfigurationCommand,
  GetSipMediaApplicationLoggingConfigurationCommand,
  ListSipMediaApplicationsCommand,
  ListTagsForResourceCommand,
  PutSipMediaApplicationLoggingConfigurationCommand,
  TagResourceCommand,
  UpdateSipMediaApplicationCommand,
} from '@aws-sdk/client-chime-sdk-voice';
import { emptyState } from '../../src/emulator/core/state.js';
import { conditionOf } from '../../src/reconcile/conditions.js';
import type { ManagedObject } from '../../src/reconcile/types.js';
import { engineHarness } from '../helpers/engine.js';
import { crashAfterEachCall } from '../helpers/crash.js';
import { engineSuite } from '../helpers/suite.js';
import { voiceClient } from '../helpers/emulator.js';

const { emu, callsBy, mutatingCalls } = engineSuite();
// The applications of these tests live in us-west-2: under strict regions, AWS is read through that region's endpoint.
const client = (region = 'us-west-2') => voiceClient(emu(), region);
const ACCOUNT = '111122223333';
const lambda = (region: string, fn = 'ivr') => `arn:aws:lambda:${region}:${ACCOUNT}:function:${fn}`;
const SKILL = 'amzn1.application-oa2-client.0123456789abcdef0123456789abcdef';
const SKILL2 = 'amzn1.application-oa2-client.fedcba9876543210fedcba9876543210';

function sma(spec: Record<string, unknown>, name = 'ivr'): ManagedObject {
  return { apiVersion: 'chimevoice.io/v1alpha1', kind: 'SipMediaApplication', metadata: { name, namespace: 'default' }, spec };
}

const fullSpec = (o: Record<string, unknown> = {}) => ({
  name: 'ivr-west',
  region: 'us-west-2',
  endpoint: { lambdaArn: lambda('us-west-2') },
  tags: { team: 'voice', env: 'prod' },
  logging: { enableSipLogs: true },
  alexaSkills: { status: 'ACTIVE', skillIds: [SKILL] },
  ...o,
});

/** Every application of the regions these tests use, each listed through its own region's endpoint. */
const awsApps = async () =>
  (await Promise.all(['us-east-1', 'us-west-2'].map((region) => client(region).send(new ListSipMediaApplicationsCommand({}))))).flatMap((out) => out.SipMediaApplications ?? []);
const awsTags = async (arn: string) =>
  Object.fromEntries(((await client(arn.split(':')[3]).send(new ListTagsForResourceCommand({ ResourceARN: arn }))).Tags ?? []).map((t) => [t.Key!, t.Value!]));
const awsLogging = async (id: string) =>
  (await client().send(new GetSipMediaApplicationLoggingConfigurationCommand({ SipMediaApplicationId: id }))).SipMediaApplicationLoggingConfiguration
    ?.EnableSipMediaApplicationMessageLogs;

async function created(spec: Record<string, unknown> = fullSpec()) {
  const h = engineHarness(emu());
  const obj = sma(spec);
  const r = await h.reconcile(obj);
  expect(r.phase, r.status.conditions?.map((c) => c.message).join('; ')).toBe('Ready');
  const id = r.status.atProvider!.sipMediaApplicationId as string;
  emu().resetCounters();
  return { h, obj, r, id, arn: r.status.atProvider!.arn as string };
}

describe('SipMediaApplication create and update (S1)', () => {
  it('S1: creates with every setting, the ownership marker in the create call, and reconciles again with zero mutating calls', async () => {
    const h = engineHarness(emu());
    const r = await h.reconcile(sma(fullSpec()));
    expect(r.phase).toBe('Ready');
    // The create's calls, as the report quotes them.
    expect(mutatingCalls()).toEqual({
      CreateSipMediaApplication: 1,
      PutSipMediaApplicationLoggingConfiguration: 1,
      PutSipMediaApplicationAlexaSkillConfiguration: 1,
    });
    // Nothing is read after the writes: the create answers with the application (its tags are those
    // it carried) and each Put with the configuration AWS stored.
    expect(callsBy()).toEqual({
      ListSipMediaApplications: 1,
      CreateSipMediaApplication: 1,
      PutSipMediaApplicationLoggingConfiguration: 1,
      PutSipMediaApplicationAlexaSkillConfiguration: 1,
    });
    const [app, ...others] = await awsApps();
    expect(others).toEqual([]);
    expect(app).toMatchObject({ Name: 'ivr-west', AwsRegion: 'us-west-2', Endpoints: [{ LambdaArn: lambda('us-west-2') }] });
    expect(await awsTags(app.SipMediaApplicationArn!)).toEqual({ team: 'voice', env: 'prod', 'chimevoice.io/owner': 'default/ivr' });
    expect(await awsLogging(app.SipMediaApplicationId!)).toBe(true);
    const alexa = await client().send(new GetSipMediaApplicationAlexaSkillConfigurationCommand({ SipMediaApplicationId: app.SipMediaApplicationId }));
    expect(alexa.SipMediaApplicationAlexaSkillConfiguration).toEqual({ AlexaSkillStatus: 'ACTIVE', AlexaSkillIds: [SKILL] });
    expect(r.status.atProvider).toEqual({ sipMediaApplicationId: app.SipMediaApplicationId, arn: app.SipMediaApplicationArn, region: 'us-west-2', appliedTagKeys: ['env', 'team'] });
    expect(r.events.map((e) => e.reason)).toEqual(['Created']);

    emu().resetCounters();
    const again = await h.reconcile(sma(fullSpec()), { specChanged: false });
    expect(again.phase).toBe('Ready');
    expect(mutatingCalls()).toEqual({});
    expect(callsBy()).toEqual({
      ListSipMediaApplications: 1,
      ListTagsForResource: 1,
      GetSipMediaApplicationLoggingConfiguration: 1,
      GetSipMediaApplicationAlexaSkillConfiguration: 1,
    });
  });

  it('S1: a minimal spec (name from metadata, default region) creates with one call and reads nothing it does not manage but its ownership tag', async () => {
    const h = engineHarness(emu());
    const r = await h.reconcile(sma({ endpoint: { lambdaArn: lambda('us-east-1') } }));
    expect(r.phase).toBe('Ready');
    expect(callsBy()).toEqual({ ListSipMediaApplications: 1, CreateSipMediaApplication: 1 });
    const [app] = await awsApps();
    expect(app).toMatchObject({ Name: 'ivr', AwsRegion: 'us-east-1' });
    expect(await awsTags(app.SipMediaApplicationArn!)).toEqual({ 'chimevoice.io/owner': 'default/ivr' });
    emu().resetCounters();
    await h.reconcile(sma({ endpoint: { lambdaArn: lambda('us-east-1') } }), { specChanged: false });
    expect(callsBy()).toEqual({ ListSipMediaApplications: 1, ListTagsForResource: 1 });
  });

  it('S1: name and endpoint change in place with one UpdateSipMediaApplication', async () => {
    const { h, id } = await created();
    const r = await h.reconcile(sma(fullSpec({ name: 'ivr-west-2', endpoint: { lambdaArn: `${lambda('us-west-2', 'ivr2')}:live` } })));
    expect(r.phase).toBe('Ready');
    expect(mutatingCalls()).toEqual({ UpdateSipMediaApplication: 1 });
    const [app] = await awsApps();
    expect(app).toMatchObject({ SipMediaApplicationId: id, Name: 'ivr-west-2', Endpoints: [{ LambdaArn: `${lambda('us-west-2', 'ivr2')}:live` }] });
    expect(r.events.map((e) => e.reason)).toEqual(['Updated']);
  });

  it('updates tags (set and remove, keeping the ownership marker), logging and the Alexa skills', async () => {
    const { h, arn, id } = await created();
    const r = await h.reconcile(sma(fullSpec({ tags: { team: 'ivr' }, logging: { enableSipLogs: false }, alexaSkills: { status: 'INACTIVE', skillIds: [SKILL2] } })));
    expect(r.phase).toBe('Ready');
    expect(mutatingCalls()).toEqual({
      TagResource: 1,
      UntagResource: 1,
      PutSipMediaApplicationLoggingConfiguration: 1,
      PutSipMediaApplicationAlexaSkillConfiguration: 1,
    });
    expect(await awsTags(arn)).toEqual({ team: 'ivr', 'chimevoice.io/owner': 'default/ivr' });
    expect(await awsLogging(id)).toBe(false);
    const alexa = await client().send(new GetSipMediaApplicationAlexaSkillConfigurationCommand({ SipMediaApplicationId: id }));
    expect(alexa.SipMediaApplicationAlexaSkillConfiguration).toEqual({ AlexaSkillStatus: 'INACTIVE', AlexaSkillIds: [SKILL2] });
  });

  it('S1: a region change is reported as needing replacement, and nothing changes in AWS', async () => {
    const { h } = await created();
    const r = await h.reconcile(sma(fullSpec({ region: 'us-east-1', endpoint: { lambdaArn: lambda('us-east-1') } })));
    expect(r.phase).toBe('Stalled');
    const stalled = conditionOf(r.status, 'Stalled')!;
    expect(stalled.reason).toBe('ReplacementRequired');
    expect(stalled.message).toContain('region cannot change in place');
    expect(stalled.message).toContain('"us-west-2"');
    expect(r.status.drift!.map((d) => d.path)).toContain('region');
    expect(mutatingCalls()).toEqual({});
    const [app] = await awsApps();
    expect(app.AwsRegion).toBe('us-west-2');
  });

  it('S1: an endpoint in another region than the application is refused before any call', async () => {
    const h = engineHarness(emu());
    const r = await h.reconcile(sma({ region: 'us-west-2', endpoint: { lambdaArn: lambda('us-east-1') } }));
    expect(r.phase).toBe('Stalled');
    expect(conditionOf(r.status, 'Stalled')).toMatchObject({
      reason: 'InvalidSpec',
      message: expect.stringContaining('is in region us-east-1, but the SIP media application is in us-west-2'),
    });
    expect(callsBy()).toEqual({});
  });

  it('a same-named application without the ownership marker is a conflict, not adopted silently', async () => {
    await client('us-east-1').send(new CreateSipMediaApplicationCommand({ AwsRegion: 'us-east-1', Name: 'ivr', Endpoints: [{ LambdaArn: lambda('us-east-1') }] }));
    const h = engineHarness(emu());
    const r = await h.reconcile(sma({ endpoint: { lambdaArn: lambda('us-east-1') } }));
    expect(r.phase).toBe('Stalled');
    expect(conditionOf(r.status, 'Stalled')?.reason).toBe('OwnershipConflict');
    expect(await awsApps()).toHaveLength(1);
  });
});

describe('SipMediaApplication drift', () => {
  async function drift(policy: 'Correct' | 'Report') {
    const spec = fullSpec({ driftPolicy: policy });
    const { h, id, arn } = await created(spec);
    await client().send(new UpdateSipMediaApplicationCommand({ SipMediaApplicationId: id, Name: 'renamed', Endpoints: [{ LambdaArn: lambda('us-west-2', 'other') }] }));
    await client().send(new PutSipMediaApplicationLoggingConfigurationCommand({ SipMediaApplicationId: id, SipMediaApplicationLoggingConfiguration: { EnableSipMediaApplicationMessageLogs: false } }));
    await client().send(new TagResourceCommand({ ResourceARN: arn, Tags: [{ Key: 'env', Value: 'dev' }, { Key: 'extra', Value: 'x' }] }));
    emu().resetCounters();
    const r = await h.reconcile(sma(spec), { specChanged: false });
    return { h, id, arn, r, spec };
  }

  it('drift made behind the engine\'s back is corrected under Correct', async () => {
    const { h, id, arn, r, spec } = await drift('Correct');
    expect(r.phase).toBe('Ready');
    expect(r.events.map((e) => e.reason)).toEqual(['DriftDetected', 'DriftCorrected']);
    // extra was never in the spec: another tool's tag, left alone.
    expect(r.events[0].message).toContain('name, endpoint.lambdaArn, logging.enableSipLogs, tags.env');
    expect(mutatingCalls()).toEqual({ UpdateSipMediaApplication: 1, TagResource: 1, PutSipMediaApplicationLoggingConfiguration: 1 });
    const [app] = await awsApps();
    expect(app).toMatchObject({ Name: 'ivr-west', Endpoints: [{ LambdaArn: lambda('us-west-2') }] });
    expect(await awsLogging(id)).toBe(true);
    expect(await awsTags(arn)).toEqual({ team: 'voice', env: 'prod', extra: 'x', 'chimevoice.io/owner': 'default/ivr' });
    expect(r.status.drift).toEqual([]);
    expect(conditionOf(r.status, 'Drifted')?.status).toBe('False');
    emu().resetCounters();
    await h.reconcile(sma(spec), { specChanged: false });
    expect(mutatingCalls()).toEqual({});
  });

  it('drift is reported field by field, and left alone, under Report', async () => {
    const { r, id } = await drift('Report');
    expect(r.phase).toBe('Ready');
    expect(mutatingCalls()).toEqual({});
    expect(r.status.drift!.map((d) => d.path)).toEqual(['name', 'endpoint.lambdaArn', 'logging.enableSipLogs', 'tags.env']);
    expect(r.status.drift![0]).toEqual({ path: 'name', desired: 'ivr-west', actual: 'renamed' });
    expect(conditionOf(r.status, 'Drifted')).toMatchObject({ status: 'True', reason: 'DriftReported', message: expect.stringContaining('driftPolicy Report') });
    expect(r.events.map((e) => e.reason)).toEqual(['DriftDetected']);
    expect(await awsLogging(id)).toBe(false);
  });
});

describe('SipMediaApplication deletion (S1, S3)', () => {
  it('under Delete, the application is deleted', async () => {
    const { h } = await created(fullSpec({ deletionPolicy: 'Delete' }));
    const r = await h.delete('SipMediaApplication/ivr');
    expect(r.phase).toBe('Deleted');
    expect(mutatingCalls()).toEqual({ DeleteSipMediaApplication: 1 });
    expect(await awsApps()).toEqual([]);
  });

  it('under Retain, the application stays in AWS and no call is made', async () => {
    const { h } = await created(fullSpec({ deletionPolicy: 'Retain' }));
    const r = await h.delete('SipMediaApplication/ivr');
    expect(r.phase).toBe('Deleted');
    expect(r.status.conditions?.find((c) => c.type === 'Ready')?.reason).toBe('Retained');
    expect(callsBy()).toEqual({});
    expect(await awsApps()).toHaveLength(1);
  });

  it('deleting an application that no longer exists finishes without a call to delete', async () => {
    const { h, id } = await created();
    emu().resetState(emptyState());
    const r = await h.delete('SipMediaApplication/ivr');
    expect(r.phase).toBe('Deleted');
    expect(r.status.conditions?.some((c) => c.message.includes(id))).toBe(false);
    expect(mutatingCalls()).toEqual({});
  });

  const HOST = 'abcdefghij0123456789ab.voiceconnector.chime.aws';

  /** A voice connector seeded straight into the state: its host name is a rule's trigger. */
  function seedConnector() {
    const id = 'abcdefghij0123456789ab';
    const now = emu().clock.now().toISOString();
    emu().state.voiceConnectors[id] = {
      VoiceConnectorId: id,
      AwsRegion: 'us-east-1',
      Name: 'trunk',
      OutboundHostName: HOST,
      RequireEncryption: true,
      CreatedTimestamp: now,
      UpdatedTimestamp: now,
      VoiceConnectorArn: `arn:aws:chime:us-east-1:${ACCOUNT}:vc/${id}`,
      NetworkType: 'IPV4_ONLY',
    };
  }

  async function unmanagedRule(appId: string, name: string) {
    seedConnector();
    const out = await client().send(
      new CreateSipRuleCommand({ Name: name, TriggerType: 'RequestUriHostname', TriggerValue: HOST, TargetApplications: [{ SipMediaApplicationId: appId, Priority: 1, AwsRegion: 'us-west-2' }] }),
    );
    emu().resetCounters();
    return out.SipRule!.SipRuleId!;
  }

  it('S3: a rule not managed here that targets the application blocks its deletion, named, and nothing is forced', async () => {
    const { h, id } = await created();
    const ruleId = await unmanagedRule(id, 'someone-elses');
    const r = await h.delete('SipMediaApplication/ivr');
    expect(r.phase).toBe('Stalled');
    const stalled = conditionOf(r.status, 'Stalled')!;
    expect(stalled.reason).toBe('DeletionBlocked');
    expect(stalled.message).toContain(`SIP rule ${ruleId} ("someone-elses", enabled), not managed here`);
    expect(mutatingCalls()).toEqual({});
    expect(await awsApps()).toHaveLength(1);
  });

  it('S3: the application waits for the SipRule objects targeting it, then is deleted once the rule is gone', async () => {
    const { h } = await created();
    const rule: ManagedObject = {
      apiVersion: 'chimevoice.io/v1alpha1',
      kind: 'SipRule',
      metadata: { name: 'front-door', namespace: 'default' },
      spec: {
        trigger: { type: 'RequestUriHostname', hostname: HOST },
        targetApplications: [{ sipMediaApplicationRef: { name: 'ivr' }, priority: 1 }],
      },
    };
    seedConnector();
    const made = await h.reconcile(rule);
    expect(made.phase, made.status.conditions?.map((c) => c.message).join('; ')).toBe('Ready');
    emu().resetCounters();

    const waiting = await h.delete('SipMediaApplication/ivr');
    expect(waiting.phase).toBe('DeleteBlocked');
    expect(conditionOf(waiting.status, 'Reconciling')).toMatchObject({ reason: 'DeletionWaiting', message: expect.stringContaining('SipRule default/front-door') });
    expect(mutatingCalls()).toEqual({});

    const ruleGone = await h.delete('SipRule/front-door');
    expect(ruleGone.phase).toBe('Deleted');
    const done = await h.delete('SipMediaApplication/ivr');
    expect(done.phase).toBe('Deleted');
    expect(await awsApps()).toEqual([]);
    expect(Object.keys(emu().state.sipRules)).toEqual([]);
  });
});

describe('SipMediaApplication crash safety', () => {
  it('a restart without status after each API call of a create finds the application instead of creating a second one', async () => {
    const probe = engineHarness(emu());
    await probe.reconcile(sma(fullSpec()));
    const total = Object.values(callsBy()).reduce((a, b) => a + b, 0);
    // The listing, the create and two Puts: the answers stand for the read-backs.
    expect(total).toBe(4);

    await crashAfterEachCall({
      emu,
      calls: total,
      round: async () => ({ dying: engineHarness(emu()), restart: () => engineHarness(emu()), object: () => sma(fullSpec()) }),
      noun: 'applications',
      list: awsApps,
      check: async (r, one) => {
        expect(r.status.atProvider!.sipMediaApplicationId).toBe(one.SipMediaApplicationId);
        expect(await awsLogging(one.SipMediaApplicationId!)).toBe(true);
      },
    });
  });
});
