/**
 * SipRule against the emulator through the real SDK (S2-S4): create with every setting, updates,
 * readiness gated by its references, S2 checks before any call, disable-then-delete (S3), trigger
 * replacement (S4), drift under Correct and Report, deletion policies, crash safety, steady state.
 */
import { describe, expect, it } from 'vitest';
import { CreateSipRuleCommand, ListSipRulesCommand, UpdateSipRuleCommand } from '@aws-sdk/client-chime-sdk-voice';
import type { PhoneNumberRecord } from '../../src/emulator/core/state.js';
import type { Condition } from '../../src/api/common.js';
import { conditionOf } from '../../src/reconcile/conditions.js';
import type { ManagedObject } from '../../src/reconcile/types.js';
import { engineHarness, type EngineHarness } from '../helpers/engine.js';
import { crashAfterEachCall } from '../helpers/crash.js';
import { engineSuite, isMutating } from '../helpers/suite.js';
import { voiceClient } from '../helpers/emulator.js';

const { emu, callsBy, mutatingCalls } = engineSuite();
const client = () => voiceClient(emu());
const ACCOUNT = '111122223333';
const NOW = '2024-01-01T00:00:00Z';
const lambda = (region: string) => `arn:aws:lambda:${region}:${ACCOUNT}:function:ivr`;
const NUMBER_A = '+12065550100';
const NUMBER_B = '+12065550101';
const VC_ID = 'abcdefghij0123456789ab';
const HOST = `${VC_ID}.voiceconnector.chime.aws`;

function seedNumber(e164: string, productType: PhoneNumberRecord['ProductType'] = 'SipMediaApplicationDialIn') {
  const now = emu().clock.now().toISOString();
  emu().state.phoneNumbers[e164] = {
    PhoneNumberId: e164,
    E164PhoneNumber: e164,
    PhoneNumberArn: `arn:aws:chime:us-east-1:${ACCOUNT}:pn/${e164}`,
    Country: 'US',
    Type: 'Local',
    ProductType: productType,
    Status: 'Unassigned',
    Capabilities: {},
    Associations: [],
    CallingNameStatus: 'Unassigned',
    CreatedTimestamp: now,
    UpdatedTimestamp: now,
  };
}

function seedConnector() {
  const now = emu().clock.now().toISOString();
  emu().state.voiceConnectors[VC_ID] = {
    VoiceConnectorId: VC_ID,
    AwsRegion: 'us-east-1',
    Name: 'trunk',
    OutboundHostName: HOST,
    RequireEncryption: true,
    CreatedTimestamp: now,
    UpdatedTimestamp: now,
    VoiceConnectorArn: `arn:aws:chime:us-east-1:${ACCOUNT}:vc/${VC_ID}`,
    NetworkType: 'IPV4_ONLY',
  };
}

const readyConditions = (ready: boolean): Condition[] => [
  { type: 'Ready', status: ready ? 'True' : 'False', reason: ready ? 'Available' : 'Progressing', message: '', lastTransitionTime: NOW },
];

/** A PhoneNumber object as its own handler leaves it: Ready, with its number in status (or not Ready yet). */
function numberObject(name: string, e164: string, productType = 'SipMediaApplicationDialIn', ready = true): ManagedObject {
  return {
    apiVersion: 'chimevoice.io/v1alpha1',
    kind: 'PhoneNumber',
    metadata: { name, namespace: 'default' },
    spec: { e164, productType },
    status: { conditions: readyConditions(ready), atProvider: { e164, phoneNumberId: e164 } },
  };
}

function connectorObject(name: string): ManagedObject {
  return {
    apiVersion: 'chimevoice.io/v1alpha1',
    kind: 'VoiceConnector',
    metadata: { name, namespace: 'default' },
    spec: { region: 'us-east-1', requireEncryption: true },
    status: { conditions: readyConditions(true), atProvider: { voiceConnectorId: VC_ID, outboundHostName: HOST } },
  };
}

function sma(name: string, region: string): ManagedObject {
  return { apiVersion: 'chimevoice.io/v1alpha1', kind: 'SipMediaApplication', metadata: { name, namespace: 'default' }, spec: { region, endpoint: { lambdaArn: lambda(region) } } };
}

function rule(spec: Record<string, unknown>, name = 'front-door'): ManagedObject {
  return { apiVersion: 'chimevoice.io/v1alpha1', kind: 'SipRule', metadata: { name, namespace: 'default' }, spec };
}

const failover = [
  { sipMediaApplicationRef: { name: 'east' }, priority: 1 },
  { sipMediaApplicationRef: { name: 'west' }, priority: 2 },
];
const byNumber = (o: Record<string, unknown> = {}) => ({ trigger: { type: 'ToPhoneNumber', phoneNumberRef: { name: 'main-line' } }, disabled: false, targetApplications: failover, ...o });

const awsRules = async () => (await client().send(new ListSipRulesCommand({}))).SipRules ?? [];

/** Records the operations the engine sends, in order. */
function recordCalls(h: EngineHarness): string[] {
  const calls: string[] = [];
  const send = h.aws.send.bind(h.aws);
  h.aws.send = (async (service, operation, input) => {
    calls.push(operation);
    return send(service, operation, input);
  }) as typeof h.aws.send;
  return calls;
}

/** Two applications (us-east-1, us-west-2) made Ready by their own handler, two dial-in numbers, a connector. */
async function setup(): Promise<{ h: EngineHarness; east: string; west: string }> {
  const h = engineHarness(emu());
  seedNumber(NUMBER_A);
  seedNumber(NUMBER_B);
  seedConnector();
  const east = await h.reconcile(sma('east', 'us-east-1'));
  const west = await h.reconcile(sma('west', 'us-west-2'));
  h.world.put(numberObject('main-line', NUMBER_A));
  h.world.put(numberObject('second-line', NUMBER_B));
  h.world.put(connectorObject('trunk'));
  emu().resetCounters();
  return { h, east: east.status.atProvider!.sipMediaApplicationId as string, west: west.status.atProvider!.sipMediaApplicationId as string };
}

async function created(spec: Record<string, unknown> = byNumber()) {
  const s = await setup();
  const r = await s.h.reconcile(rule(spec));
  expect(r.phase, r.status.conditions?.map((c) => c.message).join('; ')).toBe('Ready');
  emu().resetCounters();
  return { ...s, r, id: r.status.atProvider!.sipRuleId as string };
}

describe('SipRule create and update (S2)', () => {
  it('S2: creates a rule for a managed dial-in number with failover targets, then reconciles with zero mutating calls', async () => {
    const { h, east, west } = await setup();
    const r = await h.reconcile(rule(byNumber()));
    expect(r.phase).toBe('Ready');
    // The create answers with the rule: it is not listed again.
    expect(callsBy()).toEqual({ ListSipRules: 1, CreateSipRule: 1 });
    const [aws, ...others] = await awsRules();
    expect(others).toEqual([]);
    expect(aws).toMatchObject({
      Name: 'front-door',
      Disabled: false,
      TriggerType: 'ToPhoneNumber',
      TriggerValue: NUMBER_A,
      TargetApplications: [
        { SipMediaApplicationId: east, Priority: 1, AwsRegion: 'us-east-1' },
        { SipMediaApplicationId: west, Priority: 2, AwsRegion: 'us-west-2' },
      ],
    });
    expect(r.status.atProvider).toEqual({ sipRuleId: aws.SipRuleId, triggerType: 'ToPhoneNumber', triggerValue: NUMBER_A });
    expect(emu().state.phoneNumbers[NUMBER_A].Associations).toMatchObject([{ Name: 'SipRuleId', Value: aws.SipRuleId }]);

    emu().resetCounters();
    const again = await h.reconcile(rule(byNumber()), { specChanged: false });
    expect(again.phase).toBe('Ready');
    expect(callsBy()).toEqual({ ListSipRules: 1 });
  });

  it('S2: a connector reference triggers on its outbound host name; a spec name and a disabled rule are created as asked', async () => {
    const { h } = await setup();
    const r = await h.reconcile(rule({ name: 'Trunk IVR', trigger: { type: 'RequestUriHostname', voiceConnectorRef: { name: 'trunk' } }, disabled: true, targetApplications: failover }));
    expect(r.phase).toBe('Ready');
    const [aws] = await awsRules();
    expect(aws).toMatchObject({ Name: 'Trunk IVR', Disabled: true, TriggerType: 'RequestUriHostname', TriggerValue: HOST });
  });

  it('S2: an E.164 value and application ids work without references; the number is checked in the inventory first', async () => {
    const { h, east } = await setup();
    const r = await h.reconcile(rule({ trigger: { type: 'ToPhoneNumber', e164: NUMBER_B }, targetApplications: [{ sipMediaApplicationId: east, region: 'us-east-1', priority: 1 }] }));
    expect(r.phase).toBe('Ready');
    expect(callsBy()).toEqual({ ListSipRules: 1, ListPhoneNumbers: 1, CreateSipRule: 1 });
    expect((await awsRules())[0]).toMatchObject({ TriggerValue: NUMBER_B, TargetApplications: [{ SipMediaApplicationId: east, Priority: 1, AwsRegion: 'us-east-1' }] });
  });

  it('updates name, disabled and targets in place with one UpdateSipRule', async () => {
    const { h, id, east, west } = await created();
    const r = await h.reconcile(
      rule(
        byNumber({
          name: 'main-ivr',
          disabled: true,
          targetApplications: [
            { sipMediaApplicationRef: { name: 'east' }, priority: 2 },
            { sipMediaApplicationId: west, region: 'us-west-2', priority: 1 },
          ],
        }),
      ),
    );
    expect(r.phase).toBe('Ready');
    expect(mutatingCalls()).toEqual({ UpdateSipRule: 1 });
    const [aws] = await awsRules();
    expect(aws.SipRuleId).toBe(id);
    expect(aws).toMatchObject({ Name: 'main-ivr', Disabled: true });
    expect([...aws.TargetApplications!].sort((a, b) => a.Priority! - b.Priority!)).toEqual([
      { SipMediaApplicationId: west, Priority: 1, AwsRegion: 'us-west-2' },
      { SipMediaApplicationId: east, Priority: 2, AwsRegion: 'us-east-1' },
    ]);
    emu().resetCounters();
    await h.reconcile(rule(byNumber({ name: 'main-ivr', disabled: true, targetApplications: [{ sipMediaApplicationRef: { name: 'east' }, priority: 2 }, { sipMediaApplicationId: west, region: 'us-west-2', priority: 1 }] })), {
      specChanged: false,
    });
    expect(mutatingCalls()).toEqual({});
  });

  it('the list order of targets is not a change: only priorities are', async () => {
    const { h } = await created();
    const r = await h.reconcile(rule(byNumber({ targetApplications: [...failover].reverse() })));
    expect(r.phase).toBe('Ready');
    expect(mutatingCalls()).toEqual({});
  });
});

describe('SipRule readiness follows its references', () => {
  it('waits while its number is not Ready, without a call', async () => {
    const { h } = await setup();
    h.world.put(numberObject('main-line', NUMBER_A, 'SipMediaApplicationDialIn', false));
    const r = await h.reconcile(rule(byNumber()));
    expect(r.phase).toBe('Waiting');
    expect(conditionOf(r.status, 'Reconciling')).toMatchObject({ reason: 'ReferenceNotReady', message: expect.stringContaining('PhoneNumber main-line') });
    expect(callsBy()).toEqual({});
  });

  it('waits while a target application is not Ready, or does not exist', async () => {
    const { h } = await setup();
    const west = h.get('SipMediaApplication', 'west');
    h.world.put({ ...west, status: { ...west.status, conditions: readyConditions(false) } });
    const r = await h.reconcile(rule(byNumber()));
    expect(r.phase).toBe('Waiting');
    expect(conditionOf(r.status, 'Reconciling')?.message).toContain('SipMediaApplication west');
    const missing = await h.reconcile(rule(byNumber({ targetApplications: [{ sipMediaApplicationRef: { name: 'nowhere' }, priority: 1 }] }), 'other'));
    expect(missing.phase).toBe('Waiting');
    expect(conditionOf(missing.status, 'Reconciling')?.reason).toBe('ReferenceNotFound');
    expect(callsBy()).toEqual({});
  });
});

describe('SipRule S2 checks before any call', () => {
  it('S2: a referenced VoiceConnector-product number is Stalled with a clear message and no AWS change', async () => {
    const { h } = await setup();
    h.world.put(numberObject('trunk-line', NUMBER_A, 'VoiceConnector'));
    const r = await h.reconcile(rule(byNumber({ trigger: { type: 'ToPhoneNumber', phoneNumberRef: { name: 'trunk-line' } } })));
    expect(r.phase).toBe('Stalled');
    expect(conditionOf(r.status, 'Stalled')).toMatchObject({
      reason: 'InvalidSpec',
      message: 'trigger.phoneNumberRef: PhoneNumber trunk-line is a VoiceConnector number; only a SipMediaApplicationDialIn number can trigger a SIP rule (S2, PN2)',
    });
    expect(callsBy()).toEqual({});
  });

  it('S2: an E.164 value of a VoiceConnector number, or of no number of the inventory, is Stalled with no AWS change', async () => {
    const { h } = await setup();
    seedNumber('+12065550199', 'VoiceConnector');
    const r = await h.reconcile(rule(byNumber({ trigger: { type: 'ToPhoneNumber', e164: '+12065550199' } })));
    expect(r.phase).toBe('Stalled');
    expect(conditionOf(r.status, 'Stalled')?.message).toBe(
      'trigger.e164: phone number +12065550199 has product type VoiceConnector; only a SipMediaApplicationDialIn number can trigger a SIP rule (S2, PN2)',
    );
    const absent = await h.reconcile(rule(byNumber({ trigger: { type: 'ToPhoneNumber', e164: '+12065550177' } }), 'other'));
    expect(absent.phase).toBe('Stalled');
    expect(conditionOf(absent.status, 'Stalled')?.message).toContain("+12065550177 is not in the account's phone number inventory");
    expect(mutatingCalls()).toEqual({});
    expect(await awsRules()).toEqual([]);
  });

  it('S2: 26 targets are refused before any call', async () => {
    const { h } = await setup();
    const targets = Array.from({ length: 26 }, (_, i) => ({ sipMediaApplicationId: `app-${i}`, region: 'us-east-1', priority: i + 1 }));
    const r = await h.reconcile(rule(byNumber({ targetApplications: targets })));
    expect(r.phase).toBe('Stalled');
    expect(conditionOf(r.status, 'Stalled')).toMatchObject({ reason: 'InvalidSpec', message: 'targetApplications: a SIP rule has 1 to 25 target applications, not 26 (S2)' });
    expect(callsBy()).toEqual({});
  });

  it('S2: two targets in one region are refused before any call', async () => {
    const { h, west } = await setup();
    const r = await h.reconcile(
      rule(byNumber({ targetApplications: [{ sipMediaApplicationRef: { name: 'west' }, priority: 1 }, { sipMediaApplicationId: `${west}-2`, region: 'us-west-2', priority: 2 }] })),
    );
    expect(r.phase).toBe('Stalled');
    expect(conditionOf(r.status, 'Stalled')?.message).toBe(
      'targetApplications[1] has the same region as targetApplications[0] (us-west-2); a SIP rule has at most one target application per region (S2)',
    );
    expect(callsBy()).toEqual({});
  });

  it('S2: a host name that is not a connector outbound host name is refused before any call', async () => {
    const { h } = await setup();
    const r = await h.reconcile(rule(byNumber({ trigger: { type: 'RequestUriHostname', hostname: 'pbx.example.com' } })));
    expect(r.phase).toBe('Stalled');
    expect(conditionOf(r.status, 'Stalled')?.message).toContain('pbx.example.com is not a Voice Connector outbound host name');
    expect(callsBy()).toEqual({});
  });

  it('S4: a rule not managed here that already has the trigger is a conflict to resolve, not a second create', async () => {
    const { h, east } = await setup();
    const out = await client().send(
      new CreateSipRuleCommand({ Name: 'legacy', TriggerType: 'ToPhoneNumber', TriggerValue: NUMBER_A, TargetApplications: [{ SipMediaApplicationId: east, Priority: 1, AwsRegion: 'us-east-1' }] }),
    );
    emu().resetCounters();
    const r = await h.reconcile(rule(byNumber()));
    expect(r.phase).toBe('Stalled');
    expect(conditionOf(r.status, 'Stalled')).toMatchObject({ reason: 'OwnershipConflict', message: expect.stringContaining(`SIP rule ${out.SipRule!.SipRuleId} ("legacy") already has trigger ToPhoneNumber ${NUMBER_A}`) });
    expect(mutatingCalls()).toEqual({});
  });
});

describe('SipRule deletion (S3)', () => {
  it('S3: under Delete, the rule is disabled, then deleted, and its number is unassigned', async () => {
    const { h } = await created(byNumber({ deletionPolicy: 'Delete' }));
    const calls = recordCalls(h);
    const r = await h.delete('SipRule/front-door');
    expect(r.phase).toBe('Deleted');
    expect(calls.filter(isMutating)).toEqual(['UpdateSipRule', 'DeleteSipRule']);
    expect(r.events[0].message).toContain('disable SIP rule');
    expect(await awsRules()).toEqual([]);
    expect(emu().state.phoneNumbers[NUMBER_A]).toMatchObject({ Status: 'Unassigned', Associations: [] });
  });

  it('S3: a rule already disabled is deleted with one call', async () => {
    const { h } = await created(byNumber({ disabled: true }));
    const r = await h.delete('SipRule/front-door');
    expect(r.phase).toBe('Deleted');
    expect(mutatingCalls()).toEqual({ DeleteSipRule: 1 });
  });

  it('under Retain, the rule stays enabled in AWS and no call is made', async () => {
    const { h } = await created(byNumber({ deletionPolicy: 'Retain' }));
    const r = await h.delete('SipRule/front-door');
    expect(r.phase).toBe('Deleted');
    expect(callsBy()).toEqual({});
    expect(await awsRules()).toMatchObject([{ Name: 'front-door', Disabled: false }]);
  });

  it('S3: deleting the application and its rule together: the rule goes first (disabled, deleted), then the application', async () => {
    const { h } = await created();
    const calls = recordCalls(h);
    const waiting = await h.delete('SipMediaApplication/east');
    expect(waiting.phase).toBe('DeleteBlocked');
    expect(await h.delete('SipRule/front-door')).toMatchObject({ phase: 'Deleted' });
    expect(await h.delete('SipMediaApplication/east')).toMatchObject({ phase: 'Deleted' });
    expect(calls.filter(isMutating)).toEqual(['UpdateSipRule', 'DeleteSipRule', 'DeleteSipMediaApplication']);
  });
});

describe('SipRule trigger replacement (S4)', () => {
  it('S4: a new number is a new rule: plan says so, the new rule is created, the old one disabled and deleted, one rule remains', async () => {
    const { h, id } = await created();
    const next = byNumber({ trigger: { type: 'ToPhoneNumber', phoneNumberRef: { name: 'second-line' } } });

    const planner = engineHarness(emu(), { dryRun: true, objects: h.world.all() });
    const planned = await planner.reconcile(rule(next));
    expect(planned.phase).toBe('Planned');
    expect(planned.actions.map((a) => a.action.description)).toEqual([
      `replace rule: the trigger cannot change in place (S4): create a new rule for ToPhoneNumber ${NUMBER_B}, then disable and delete the old one`,
      `disable the old SIP rule ${id} (ToPhoneNumber ${NUMBER_A}) before deleting it (S3)`,
      `delete the old SIP rule ${id} (ToPhoneNumber ${NUMBER_A})`,
    ]);
    expect(planned.drift.map((d) => d.path)).toEqual(['trigger']);
    expect(mutatingCalls()).toEqual({});

    const calls = recordCalls(h);
    const r = await h.reconcile(rule(next));
    expect(r.phase).toBe('Ready');
    expect(calls.filter(isMutating)).toEqual(['CreateSipRule', 'UpdateSipRule', 'DeleteSipRule']);
    const rules = await awsRules();
    expect(rules).toHaveLength(1);
    expect(rules[0]).toMatchObject({ Name: 'front-door', TriggerValue: NUMBER_B, Disabled: false });
    expect(rules[0].SipRuleId).not.toBe(id);
    expect(r.status.atProvider).toEqual({ sipRuleId: rules[0].SipRuleId, triggerType: 'ToPhoneNumber', triggerValue: NUMBER_B });
    expect(r.status.drift).toEqual([]);
    expect(emu().state.phoneNumbers[NUMBER_A].Status).toBe('Unassigned');
    expect(emu().state.phoneNumbers[NUMBER_B].Status).toBe('Assigned');

    emu().resetCounters();
    await h.reconcile(rule(next), { specChanged: false });
    expect(mutatingCalls()).toEqual({});
  });

  it('S4: from a number to a connector host name, with a disabled old rule deleted without disabling it again', async () => {
    const { h } = await created(byNumber({ disabled: true }));
    const next = { trigger: { type: 'RequestUriHostname', voiceConnectorRef: { name: 'trunk' } }, disabled: true, targetApplications: failover };
    const r = await h.reconcile(rule(next));
    expect(r.phase).toBe('Ready');
    expect(mutatingCalls()).toEqual({ CreateSipRule: 1, DeleteSipRule: 1 });
    expect(await awsRules()).toMatchObject([{ TriggerType: 'RequestUriHostname', TriggerValue: HOST, Disabled: true }]);
  });

  it('S4: a restart without status after the new rule was created finishes the replacement instead of creating again', async () => {
    const { h, id } = await created();
    const next = byNumber({ trigger: { type: 'ToPhoneNumber', phoneNumberRef: { name: 'second-line' } } });
    emu().setFaults({ errorRates: { UpdateSipRule: { probability: 1, status: 500 } } });
    const crashed = await h.reconcile(rule(next));
    expect(crashed.phase).toBe('Error');
    expect(await awsRules()).toHaveLength(2);
    emu().setFaults({});

    const fresh = engineHarness(emu(), { objects: h.world.all().filter((o) => o.kind !== 'SipRule') });
    const r = await fresh.reconcile(rule(next));
    expect(r.phase).toBe('Ready');
    const rules = await awsRules();
    expect(rules).toHaveLength(1);
    expect(rules[0].SipRuleId).not.toBe(id);
    expect(rules[0].TriggerValue).toBe(NUMBER_B);
    expect(r.status.atProvider!.sipRuleId).toBe(rules[0].SipRuleId);
  });
});

describe('SipRule drift', () => {
  async function drift(policy: 'Correct' | 'Report') {
    const spec = byNumber({ driftPolicy: policy });
    const s = await created(spec);
    await client().send(
      new UpdateSipRuleCommand({ SipRuleId: s.id, Name: 'front-door', Disabled: true, TargetApplications: [{ SipMediaApplicationId: s.west, Priority: 1, AwsRegion: 'us-west-2' }] }),
    );
    emu().resetCounters();
    const r = await s.h.reconcile(rule(spec), { specChanged: false });
    return { ...s, r, spec };
  }

  it('a rule disabled and retargeted behind the engine\'s back is corrected under Correct', async () => {
    const { h, r, spec, east, west } = await drift('Correct');
    expect(r.phase).toBe('Ready');
    expect(r.events.map((e) => e.reason)).toEqual(['DriftDetected', 'DriftCorrected']);
    expect(mutatingCalls()).toEqual({ UpdateSipRule: 1 });
    const [aws] = await awsRules();
    expect(aws.Disabled).toBe(false);
    expect(aws.TargetApplications).toEqual([
      { SipMediaApplicationId: east, Priority: 1, AwsRegion: 'us-east-1' },
      { SipMediaApplicationId: west, Priority: 2, AwsRegion: 'us-west-2' },
    ]);
    expect(conditionOf(r.status, 'Drifted')?.status).toBe('False');
    emu().resetCounters();
    await h.reconcile(rule(spec), { specChanged: false });
    expect(mutatingCalls()).toEqual({});
  });

  it('the same drift is reported field by field, and left alone, under Report', async () => {
    const { r, west } = await drift('Report');
    expect(r.phase).toBe('Ready');
    expect(mutatingCalls()).toEqual({});
    expect(r.status.drift!.map((d) => d.path)).toEqual(['disabled', 'targetApplications']);
    expect(r.status.drift![0]).toEqual({ path: 'disabled', desired: 'false', actual: 'true' });
    expect(conditionOf(r.status, 'Drifted')).toMatchObject({ status: 'True', reason: 'DriftReported' });
    expect((await awsRules())[0]).toMatchObject({ Disabled: true, TargetApplications: [{ SipMediaApplicationId: west, Priority: 1, AwsRegion: 'us-west-2' }] });
  });
});

describe('SipRule crash safety', () => {
  it('a restart without status after each API call of a create finds the rule instead of creating a second one', async () => {
    const spec = { trigger: { type: 'ToPhoneNumber', e164: NUMBER_A }, disabled: false, targetApplications: failover };
    const probe = await setup();
    await probe.h.reconcile(rule(spec));
    const total = Object.values(callsBy()).reduce((a, b) => a + b, 0);
    // The listings and the create; nothing read after it (its answer is the rule).
    expect(total).toBe(3);

    await crashAfterEachCall({
      emu,
      calls: total,
      round: async () => {
        const { h } = await setup();
        const objects = h.world.all();
        return { dying: engineHarness(emu(), { objects }), restart: () => engineHarness(emu(), { objects }), object: () => rule(spec) };
      },
      noun: 'rules',
      list: awsRules,
      check: (r, one) => expect(r.status.atProvider!.sipRuleId).toBe(one.SipRuleId),
    });
  });
});
