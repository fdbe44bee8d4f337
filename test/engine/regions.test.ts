/**
 * Regions (docs/concepts.md#regions), against the emulator in strict regions mode through the real
 * SDK: the engine's home region is us-east-1 (`--region`), and every regional resource is read and
 * written through its own region's endpoint. The emulator's call hook records the region of each
 * call's SigV4 credential scope, so the tests count calls per region.
 */
import { beforeEach, describe, expect, it } from 'vitest';
import { GetVoiceConnectorCommand, ListSipRulesCommand, ListVoiceConnectorsCommand, GetVoiceConnectorGroupCommand } from '@aws-sdk/client-chime-sdk-voice';
import type { ManagedObject } from '../../src/reconcile/types.js';
import { engineHarness, type EngineHarness } from '../helpers/engine.js';
import { engineSuite } from '../helpers/suite.js';
import { holdNumber, voiceClient } from '../helpers/emulator.js';

const { emu } = engineSuite();
const ACCOUNT = '111122223333';
const lambda = (region: string) => `arn:aws:lambda:${region}:${ACCOUNT}:function:ivr`;

/** `operation region` of every call answered, in order. */
let calls: string[] = [];
beforeEach(() => {
  calls = [];
  emu().setCallHook((e) => {
    if (e.phase === 'answered') calls.push(`${e.operation} ${e.region}`);
  });
});
/** The calls of `operation`, by region. */
const regionsOf = (operation: string) => calls.filter((c) => c.startsWith(`${operation} `)).map((c) => c.slice(operation.length + 1));
const isWrite = (c: string) => !/^(Get|List)/.test(c);

const obj = (kind: string, name: string, spec: Record<string, unknown>): ManagedObject => ({ apiVersion: 'chimevoice.io/v1alpha1', kind, metadata: { name, namespace: 'default' }, spec });
const connector = (name: string, region: string) => obj('VoiceConnector', name, { region, requireEncryption: true, tags: { team: 'voice' } });

async function ready(h: EngineHarness, o: ManagedObject) {
  const r = await h.reconcile(o);
  expect(r.phase, `${o.kind}/${o.metadata.name}: ${r.status.conditions?.map((c) => c.message).join('; ')}`).toBe('Ready');
  return r;
}

describe('a regional resource through its own region (home region us-east-1)', () => {
  it('a connector in us-west-2 is created, configured, tagged and read through the us-west-2 endpoint only', async () => {
    const h = engineHarness(emu());
    const west = { ...connector('west', 'us-west-2'), spec: { ...connector('west', 'us-west-2').spec, logging: { enableSIPLogs: true } } };
    const r = await ready(h, west);
    expect(r.status.atProvider).toMatchObject({ region: 'us-west-2' });
    expect(regionsOf('CreateVoiceConnector')).toEqual(['us-west-2']);
    expect(regionsOf('PutVoiceConnectorLoggingConfiguration')).toEqual(['us-west-2']);
    // Not one call about it went to the home region's endpoint, whose client was never even created.
    expect(calls.filter((c) => c.endsWith(' us-east-1'))).toEqual([]);
    expect(h.aws.regionsUsed).toEqual(['us-west-2']);

    calls = [];
    await h.reconcile(west, { specChanged: false });
    expect(calls.filter(isWrite)).toEqual([]);
    expect(new Set(calls.map((c) => c.split(' ')[1]))).toEqual(new Set(['us-west-2']));

    calls = [];
    const gone = await h.delete(west);
    expect(gone.deleted).toBe(true);
    expect(regionsOf('DeleteVoiceConnector')).toEqual(['us-west-2']);
  });

  it('strict regions: the us-west-2 connector does not exist through the us-east-1 endpoint, and does through its own', async () => {
    const h = engineHarness(emu());
    const id = (await ready(h, connector('west', 'us-west-2'))).status.atProvider!.voiceConnectorId as string;
    const east = voiceClient(emu(), 'us-east-1');
    const westClient = voiceClient(emu(), 'us-west-2');
    await expect(east.send(new GetVoiceConnectorCommand({ VoiceConnectorId: id }))).rejects.toMatchObject({ name: 'NotFoundException' });
    expect((await east.send(new ListVoiceConnectorsCommand({}))).VoiceConnectors ?? []).toEqual([]);
    expect((await westClient.send(new GetVoiceConnectorCommand({ VoiceConnectorId: id }))).VoiceConnector).toMatchObject({ VoiceConnectorId: id, AwsRegion: 'us-west-2' });
  });

  it('only the regions where the fleet has objects are listed', async () => {
    const h = engineHarness(emu());
    await ready(h, connector('west', 'us-west-2'));
    calls = [];
    await h.reconcile(connector('west', 'us-west-2'), { specChanged: false });
    expect(regionsOf('ListVoiceConnectors')).toEqual(['us-west-2']);
  });

  it('a number is assigned to a us-west-2 connector through the connector\'s endpoint; numbers stay account-wide in the home region', async () => {
    const h = engineHarness(emu());
    await ready(h, connector('west', 'us-west-2'));
    holdNumber(emu(), '+12065550100');
    calls = [];
    const pn = await ready(h, obj('PhoneNumber', 'desk', { e164: '+12065550100', productType: 'VoiceConnector', assignment: { voiceConnectorRef: { name: 'west' } } }));
    expect(pn.status.atProvider).toMatchObject({ e164: '+12065550100' });
    expect(regionsOf('AssociatePhoneNumbersWithVoiceConnector')).toEqual(['us-west-2']);
    expect(new Set(regionsOf('ListPhoneNumbers'))).toEqual(new Set(['us-east-1']));
    // The connector's deletion waits for the number, which leaves through the connector's endpoint.
    calls = [];
    expect((await h.delete('PhoneNumber/desk')).deleted).toBe(true);
    expect(regionsOf('DisassociatePhoneNumbersFromVoiceConnector')).toEqual(['us-west-2']);
  });

  it('a voice profile domain in another region than the home region is created through that region\'s endpoint', async () => {
    const h = engineHarness(emu());
    const key = `arn:aws:kms:eu-central-1:${ACCOUNT}:key/1234abcd-12ab-34cd-56ef-1234567890ab`;
    const spec = { region: 'eu-central-1', kmsKeyArn: key, consent: { acknowledged: true } };
    const r = await ready(h, obj('VoiceProfileDomain', 'speakers', spec));
    expect(r.status.atProvider!.arn).toMatch(/^arn:aws:chime:eu-central-1:/);
    expect(regionsOf('CreateVoiceProfileDomain')).toEqual(['eu-central-1']);
    calls = [];
    await h.reconcile(obj('VoiceProfileDomain', 'speakers', spec), { specChanged: false });
    expect(calls.filter(isWrite)).toEqual([]);
    expect(new Set(calls.map((c) => c.split(' ')[1]))).toEqual(new Set(['eu-central-1']));
  });
});

describe('resources spanning regions', () => {
  it('a group in the home region holds connectors of us-east-1 and us-west-2 (G2), each connector addressed in its own region', async () => {
    const h = engineHarness(emu());
    const east = (await ready(h, connector('east', 'us-east-1'))).status.atProvider!.voiceConnectorId as string;
    const west = (await ready(h, connector('west', 'us-west-2'))).status.atProvider!.voiceConnectorId as string;
    expect(regionsOf('CreateVoiceConnector')).toEqual(['us-east-1', 'us-west-2']);
    calls = [];
    const spec = { voiceConnectors: [{ voiceConnectorRef: { name: 'east' }, priority: 1 }, { voiceConnectorRef: { name: 'west' }, priority: 2 }] };
    const r = await ready(h, obj('VoiceConnectorGroup', 'edge', spec));
    expect(regionsOf('CreateVoiceConnectorGroup')).toEqual(['us-east-1']);
    const groupId = r.status.atProvider!.voiceConnectorGroupId as string;
    const group = (await voiceClient(emu(), 'us-east-1').send(new GetVoiceConnectorGroupCommand({ VoiceConnectorGroupId: groupId }))).VoiceConnectorGroup!;
    expect(group.VoiceConnectorItems?.map((i) => [i.VoiceConnectorId, i.Priority]).sort((a, b) => Number(a[1]) - Number(b[1]))).toEqual([
      [east, 1],
      [west, 2],
    ]);
    calls = [];
    for (const o of [connector('east', 'us-east-1'), connector('west', 'us-west-2'), obj('VoiceConnectorGroup', 'edge', spec)]) await h.reconcile(o, { specChanged: false });
    expect(calls.filter(isWrite)).toEqual([]);
    expect(regionsOf('GetVoiceConnector').concat(regionsOf('ListVoiceConnectors')).filter((r) => r === 'us-west-2').length).toBeGreaterThan(0);

    // Deletion in order: the group (home region) before its connectors, each in its own region.
    calls = [];
    expect((await h.delete(obj('VoiceConnectorGroup', 'edge', spec))).deleted).toBe(true);
    expect((await h.delete(connector('west', 'us-west-2'))).deleted).toBe(true);
    expect((await h.delete(connector('east', 'us-east-1'))).deleted).toBe(true);
    expect(calls.filter(isWrite)).toEqual(['UpdateVoiceConnectorGroup us-east-1', 'DeleteVoiceConnectorGroup us-east-1', 'DeleteVoiceConnector us-west-2', 'DeleteVoiceConnector us-east-1']);
  });

  it('a group stays found in the region it was created in after the home region changes: no second group, its numbers assigned there', async () => {
    const h = engineHarness(emu());
    await ready(h, connector('west', 'us-west-2'));
    const spec = { voiceConnectors: [{ voiceConnectorRef: { name: 'west' }, priority: 1 }] };
    const id = (await ready(h, obj('VoiceConnectorGroup', 'edge', spec))).status.atProvider!.voiceConnectorGroupId as string;
    // The same objects, with their statuses, under a controller whose --region is now us-west-2.
    const moved = engineHarness(emu(), { homeRegion: 'us-west-2', objects: h.world.list('VoiceConnector').concat(h.world.list('VoiceConnectorGroup')) });
    holdNumber(emu(), '+12065550100');
    calls = [];
    const again = await ready(moved, moved.get('VoiceConnectorGroup', 'edge'));
    expect(again.status.atProvider!.voiceConnectorGroupId).toBe(id);
    await ready(moved, obj('PhoneNumber', 'desk', { e164: '+12065550100', productType: 'VoiceConnector', assignment: { voiceConnectorGroupRef: { name: 'edge' } } }));
    expect(calls.filter(isWrite)).toEqual(['AssociatePhoneNumbersWithVoiceConnectorGroup us-east-1']);
    expect(regionsOf('ListVoiceConnectorGroups')).toEqual(['us-east-1']);
  });

  it('a SIP rule in the home region targets SIP media applications in us-east-1 and us-west-2, each named with its region (S2)', async () => {
    const h = engineHarness(emu());
    const sma = (name: string, region: string) => obj('SipMediaApplication', name, { name, region, endpoint: { lambdaArn: lambda(region) } });
    const eastApp = (await ready(h, sma('ivr-east', 'us-east-1'))).status.atProvider!.sipMediaApplicationId as string;
    const westApp = (await ready(h, sma('ivr-west', 'us-west-2'))).status.atProvider!.sipMediaApplicationId as string;
    expect(regionsOf('CreateSipMediaApplication')).toEqual(['us-east-1', 'us-west-2']);
    holdNumber(emu(), '+12065550100');
    emu().state.phoneNumbers['+12065550100'].ProductType = 'SipMediaApplicationDialIn';
    await ready(h, obj('PhoneNumber', 'main', { e164: '+12065550100', productType: 'SipMediaApplicationDialIn' }));
    calls = [];
    const ruleSpec = {
      trigger: { type: 'ToPhoneNumber', phoneNumberRef: { name: 'main' } },
      targetApplications: [
        { sipMediaApplicationRef: { name: 'ivr-east' }, priority: 1 },
        { sipMediaApplicationRef: { name: 'ivr-west' }, priority: 2 },
      ],
    };
    const r = await ready(h, obj('SipRule', 'inbound', ruleSpec));
    expect(regionsOf('CreateSipRule')).toEqual(['us-east-1']);
    const [rule] = (await voiceClient(emu(), 'us-east-1').send(new ListSipRulesCommand({}))).SipRules ?? [];
    expect(rule.SipRuleId).toBe(r.status.atProvider!.sipRuleId);
    expect(rule.TargetApplications?.map((t) => [t.SipMediaApplicationId, t.AwsRegion, t.Priority])).toEqual([
      [eastApp, 'us-east-1', 1],
      [westApp, 'us-west-2', 2],
    ]);
    calls = [];
    await h.reconcile(obj('SipRule', 'inbound', ruleSpec), { specChanged: false });
    await h.reconcile(sma('ivr-west', 'us-west-2'), { specChanged: false });
    expect(calls.filter(isWrite)).toEqual([]);

    // The us-west-2 application waits for the rule in the home region that targets it (S3).
    const blocked = await h.delete(sma('ivr-west', 'us-west-2'));
    expect(blocked.deleted).toBeFalsy();
    expect(blocked.status.conditions?.map((c) => c.message).join(' ')).toContain('SipRule default/inbound');
  });
});
