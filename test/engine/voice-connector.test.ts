/**
 * VoiceConnector against the emulator through the real SDK (VC1-VC9): create with every setting,
 * update of each setting, drift made behind the engine's back, password changes seen through the
 * Secret's hash, replacement (VC1), emergency calling order (VC5), deletion order and blockers
 * (VC8), crash safety and the steady state.
 */
import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import {
  AssociatePhoneNumbersWithVoiceConnectorCommand,
  CreatePhoneNumberOrderCommand,
  CreateVoiceConnectorCommand,
  CreateVoiceConnectorGroupCommand,
  DisassociatePhoneNumbersFromVoiceConnectorCommand,
  GetVoiceConnectorCommand,
  GetVoiceConnectorEmergencyCallingConfigurationCommand,
  GetVoiceConnectorExternalSystemsConfigurationCommand,
  GetVoiceConnectorLoggingConfigurationCommand,
  GetVoiceConnectorOriginationCommand,
  GetVoiceConnectorProxyCommand,
  GetVoiceConnectorStreamingConfigurationCommand,
  GetVoiceConnectorTerminationCommand,
  ListTagsForResourceCommand,
  ListVoiceConnectorTerminationCredentialsCommand,
  ListVoiceConnectorsCommand,
  PutVoiceConnectorEmergencyCallingConfigurationCommand,
  PutVoiceConnectorOriginationCommand,
  PutVoiceConnectorTerminationCommand,
  PutVoiceConnectorTerminationCredentialsCommand,
  SearchAvailablePhoneNumbersCommand,
  TagResourceCommand,
  UpdateVoiceConnectorGroupCommand,
} from '@aws-sdk/client-chime-sdk-voice';
import { ORDER_PROCESSING_MS } from '../../src/emulator/services/phone-numbers.js';
import { conditionOf } from '../../src/reconcile/conditions.js';
import { printableInput } from '../../src/reconcile/executor.js';
import type { ManagedObject } from '../../src/reconcile/types.js';
import { TERMINATION_HEALTH_EVERY_MS } from '../../src/kinds/voice-connector/observe.js';
import { engineHarness, type EngineHarness } from '../helpers/engine.js';
import { crashAfterEachCall } from '../helpers/crash.js';
import { engineSuite } from '../helpers/suite.js';
import { assertNoSecretLeak } from '../helpers/secrets.js';
import { SecretDigest } from '../../src/reconcile/secret-digest.js';
import { voiceClient } from '../helpers/emulator.js';

const { emu, mutatingCalls, callsByOperation } = engineSuite();
const client = () => voiceClient(emu());
const ACCOUNT = '123456789012';
const NOW = '2024-01-01T00:00:00Z';
const CIDR = '54.239.98.0/24';
/** One digest key for the file's harnesses, as one installation has one. */
const digests = new SecretDigest(() => Buffer.alloc(32, 9));
const sha = (v: string) => digests.of(v);
const plainSha = (v: string) => createHash('sha256').update(v).digest('hex');

function connector(spec: Record<string, unknown>, name = 'office', metadata: Partial<ManagedObject['metadata']> = {}): ManagedObject {
  return { apiVersion: 'chimevoice.io/v1alpha1', kind: 'VoiceConnector', metadata: { name, namespace: 'default', ...metadata }, spec };
}

const totalCalls = () => Object.values(callsByOperation()).reduce((a, b) => a + b, 0);
const operations = (r: { actions: Array<{ action: { operation: string } }> }) => r.actions.map((a) => a.action.operation);
const awsConnectors = async () => (await client().send(new ListVoiceConnectorsCommand({}))).VoiceConnectors ?? [];
const vcId = (r: { status: { atProvider?: Record<string, any> } }) => r.status.atProvider!.voiceConnectorId as string;

/** A number in the account inventory, ordered from the emulator's pool. */
async function orderNumber(): Promise<string> {
  const [number] = (await client().send(new SearchAvailablePhoneNumbersCommand({ AreaCode: '206', MaxResults: 1 }))).E164PhoneNumbers!;
  await client().send(new CreatePhoneNumberOrderCommand({ ProductType: 'VoiceConnector', E164PhoneNumbers: [number] }));
  emu().clock.advance(ORDER_PROCESSING_MS);
  return number;
}

function seedAnalyticsConfiguration(name: string): string {
  const arn = `arn:aws:chime:us-east-1:${ACCOUNT}:media-insights-pipeline-configuration/${name}`;
  const now = emu().clock.now().toISOString();
  emu().state.mediaInsightsPipelineConfigurations[name] = {
    MediaInsightsPipelineConfigurationName: name,
    MediaInsightsPipelineConfigurationArn: arn,
    MediaInsightsPipelineConfigurationId: '11111111-2222-4333-8444-555555555555',
    ResourceAccessRoleArn: `arn:aws:iam::${ACCOUNT}:role/analytics`,
    Elements: [],
    CreatedTimestamp: now,
    UpdatedTimestamp: now,
  } as any;
  return arn;
}

const TERMINATION = { disabled: false, cpsLimit: 5, callingRegions: ['US', 'CA'], cidrAllowedList: [CIDR] };
const ROUTES = [
  { host: 'sbc1.example.com', port: 5061, protocol: 'TCP', priority: 1, weight: 10 },
  { host: 'sbc2.example.com', priority: 2, weight: 5 },
];
const DNIS = [{ emergencyPhoneNumber: '+12065550100', testPhoneNumber: '+12065550101', callingCountry: 'US' }];

/** A spec with every setting; the default caller id and the analytics configuration exist in AWS. */
async function fullSpec(h: EngineHarness, extra: Record<string, unknown> = {}) {
  const number = await orderNumber();
  const analytics = seedAnalyticsConfiguration('office-analytics');
  h.secrets.set('default/sip', { alice: 'alice-pw-1', bob: 'bob-pw-1' });
  return {
    number,
    analytics,
    spec: {
      name: 'office-trunk',
      region: 'us-east-1',
      requireEncryption: true,
      networkType: 'IPV4_ONLY',
      tags: { team: 'voice', env: 'prod' },
      termination: { ...TERMINATION, defaultPhoneNumber: number, credentials: [{ username: 'alice', passwordSecretRef: { name: 'sip', key: 'alice' } }] },
      origination: { disabled: false, routes: ROUTES },
      streaming: { disabled: false, dataRetentionInHours: 24, notificationTargets: ['SNS', 'EventBridge'], callAnalyticsConfigurationArn: analytics },
      logging: { enableSIPLogs: true, enableMediaMetricLogs: true },
      emergencyCalling: { dnis: DNIS },
      proxy: { defaultSessionExpiryMinutes: 60, phoneNumberCountries: ['US'], fallBackPhoneNumber: '+12065550199' },
      externalSystems: { sessionBorderControllerTypes: ['RIBBON_SBC'], contactCenterSystemTypes: ['AVAYA_AURA_CONTACT_CENTER'] },
      ...extra,
    } as Record<string, any>,
  };
}

const CREATE_ORDER = [
  'CreateVoiceConnector',
  'PutVoiceConnectorTermination',
  'PutVoiceConnectorOrigination',
  'PutVoiceConnectorTerminationCredentials',
  'PutVoiceConnectorEmergencyCallingConfiguration',
  'PutVoiceConnectorStreamingConfiguration',
  'PutVoiceConnectorLoggingConfiguration',
  'PutVoiceConnectorProxy',
  'PutVoiceConnectorExternalSystemsConfiguration',
];

const get = async <T>(Command: new (input: any) => any, id: string, member: string): Promise<T> => ((await client().send(new Command({ VoiceConnectorId: id }))) as any)[member];

describe('VoiceConnector create and steady state', () => {
  it('creates a connector with every setting in one create and the Puts (VC5 order), and the second reconcile makes zero mutating calls', async () => {
    const h = engineHarness(emu(), { secretDigest: digests });
    const { spec, number, analytics } = await fullSpec(h);
    emu().resetCounters();
    const r = await h.reconcile(connector(spec));
    expect(r.phase).toBe('Ready');
    expect(r.events.map((e) => e.reason)).toEqual(['Created']);
    expect(operations(r)).toEqual(CREATE_ORDER);
    // The create: one listing (the new connector is added to it, not listed again), the create and 8 Puts.
    // Their answers are what AWS stored: only the credentials (whose Put answers nothing) and termination
    // health (status, never written) are read afterwards.
    expect(callsByOperation()).toEqual({
      ListVoiceConnectors: 1,
      CreateVoiceConnector: 1,
      PutVoiceConnectorTermination: 1,
      PutVoiceConnectorTerminationCredentials: 1,
      PutVoiceConnectorOrigination: 1,
      PutVoiceConnectorEmergencyCallingConfiguration: 1,
      PutVoiceConnectorStreamingConfiguration: 1,
      PutVoiceConnectorLoggingConfiguration: 1,
      PutVoiceConnectorProxy: 1,
      PutVoiceConnectorExternalSystemsConfiguration: 1,
      ListVoiceConnectorTerminationCredentials: 1,
      GetVoiceConnectorTerminationHealth: 1,
    });
    // The password is sensitive: masked in plan output, absent from status.
    const credAction = r.actions.find((a) => a.action.operation === 'PutVoiceConnectorTerminationCredentials')!.action;
    expect(credAction.sensitive).toEqual(['Password']);
    expect(JSON.stringify(r.status)).not.toContain('alice-pw-1');
    expect(JSON.stringify(r.events)).not.toContain('alice-pw-1');

    const id = vcId(r);
    const at = r.status.atProvider!;
    expect(at).toMatchObject({ region: 'us-east-1', networkType: 'IPV4_ONLY', outboundHostName: `${id}.voiceconnector.chime.aws` });
    expect(at.arn).toMatch(/vc\//);
    expect(at.terminationCredentials).toEqual([{ username: 'alice', passwordHash: sha('alice-pw-1') }]);
    expect((at.terminationHealth as { source?: string } | undefined)?.source).toBeDefined();

    const vc = await get<any>(GetVoiceConnectorCommand, id, 'VoiceConnector');
    expect(vc).toMatchObject({ Name: 'office-trunk', AwsRegion: 'us-east-1', RequireEncryption: true, NetworkType: 'IPV4_ONLY' });
    const tags = (await client().send(new ListTagsForResourceCommand({ ResourceARN: vc.VoiceConnectorArn }))).Tags!;
    expect(Object.fromEntries(tags.map((t) => [t.Key, t.Value]))).toEqual({ team: 'voice', env: 'prod', 'chimevoice.io/owner': 'default/office' });
    expect(await get(GetVoiceConnectorTerminationCommand, id, 'Termination')).toEqual({
      CpsLimit: 5,
      CallingRegions: ['US', 'CA'],
      CidrAllowedList: [CIDR],
      DefaultPhoneNumber: number,
      Disabled: false,
    });
    expect((await client().send(new ListVoiceConnectorTerminationCredentialsCommand({ VoiceConnectorId: id }))).Usernames).toEqual(['alice']);
    expect(await get(GetVoiceConnectorOriginationCommand, id, 'Origination')).toEqual({
      Disabled: false,
      Routes: [
        { Host: 'sbc1.example.com', Port: 5061, Protocol: 'TCP', Priority: 1, Weight: 10 },
        { Host: 'sbc2.example.com', Port: 5060, Protocol: 'TCP', Priority: 2, Weight: 5 },
      ],
    });
    expect(await get(GetVoiceConnectorStreamingConfigurationCommand, id, 'StreamingConfiguration')).toEqual({
      DataRetentionInHours: 24,
      Disabled: false,
      StreamingNotificationTargets: [{ NotificationTarget: 'SNS' }, { NotificationTarget: 'EventBridge' }],
      MediaInsightsConfiguration: { Disabled: false, ConfigurationArn: analytics },
    });
    expect(await get(GetVoiceConnectorLoggingConfigurationCommand, id, 'LoggingConfiguration')).toEqual({ EnableSIPLogs: true, EnableMediaMetricLogs: true });
    expect(await get(GetVoiceConnectorEmergencyCallingConfigurationCommand, id, 'EmergencyCallingConfiguration')).toEqual({
      DNIS: [{ EmergencyPhoneNumber: '+12065550100', TestPhoneNumber: '+12065550101', CallingCountry: 'US' }],
    });
    expect(await get(GetVoiceConnectorProxyCommand, id, 'Proxy')).toMatchObject({ DefaultSessionExpiryMinutes: 60, PhoneNumberCountries: ['US'], FallBackPhoneNumber: '+12065550199', Disabled: false });
    expect(await get(GetVoiceConnectorExternalSystemsConfigurationCommand, id, 'ExternalSystemsConfiguration')).toEqual({
      SessionBorderControllerTypes: ['RIBBON_SBC'],
      ContactCenterSystemTypes: ['AVAYA_AURA_CONTACT_CENTER'],
    });

    emu().resetCounters();
    const again = await h.reconcile(connector(spec), { specChanged: false });
    expect(again.phase).toBe('Ready');
    expect(again.actions).toEqual([]);
    expect(again.status.drift).toEqual([]);
    // What the answers told after the create is what a full observation finds.
    expect(again.status.atProvider).toEqual(r.status.atProvider);
    expect(mutatingCalls()).toEqual({});
    // A steady-state resync: the shared listing, the tags, and one read per managed sub-configuration
    // (termination health, read at the create, is not read again yet: it is status, not drift).
    expect(totalCalls()).toBe(10);
    expect(await awsConnectors()).toHaveLength(1);
  });

  it('termination health is read on its own cadence: carried over by resyncs, read again TERMINATION_HEALTH_EVERY_MS after the last read', async () => {
    const h = engineHarness(emu(), { secretDigest: digests });
    const spec = { termination: TERMINATION };
    const created = await h.reconcile(connector(spec, 'health'));
    expect(created.phase).toBe('Ready');
    const health = created.status.atProvider!.terminationHealth as { readAt?: string; source?: string };
    const firstRead = Date.parse(health.readAt!);
    expect(firstRead).toBeLessThanOrEqual(emu().clock.now().getTime());

    emu().resetCounters();
    emu().clock.advance(TERMINATION_HEALTH_EVERY_MS - 1_000);
    const resync = await h.reconcile('VoiceConnector/health', { specChanged: false });
    expect(resync.phase).toBe('Ready');
    expect(emu().counters().GetVoiceConnectorTerminationHealth).toBeUndefined();
    expect(resync.status.atProvider!.terminationHealth).toEqual(health);

    emu().clock.advance(1_000);
    const later = await h.reconcile('VoiceConnector/health', { specChanged: false });
    expect(Object.values(emu().counters().GetVoiceConnectorTerminationHealth ?? {}).reduce((a, b) => a + b, 0)).toBe(1);
    expect(Date.parse((later.status.atProvider!.terminationHealth as { readAt: string }).readAt)).toBeGreaterThanOrEqual(firstRead + TERMINATION_HEALTH_EVERY_MS);
  });

  it('a minimal spec creates the connector alone with AWS defaults; nothing unmanaged is read', async () => {
    const h = engineHarness(emu(), { secretDigest: digests });
    const r = await h.reconcile(connector({}, 'bare'));
    expect(r.phase).toBe('Ready');
    expect(operations(r)).toEqual(['CreateVoiceConnector']);
    const vc = await get<any>(GetVoiceConnectorCommand, vcId(r), 'VoiceConnector');
    expect(vc).toMatchObject({ Name: 'bare', AwsRegion: 'us-east-1', RequireEncryption: true, NetworkType: 'IPV4_ONLY' });
    emu().resetCounters();
    await h.reconcile('VoiceConnector/bare', { specChanged: false });
    expect(callsByOperation()).toEqual({ ListVoiceConnectors: 1, ListTagsForResource: 1 });
  });

  it('omitted fields are not managed: AWS values the spec does not name are kept and never reported', async () => {
    const h = engineHarness(emu(), { secretDigest: digests });
    const r = await h.reconcile(connector({ termination: { callingRegions: ['US'] }, origination: { routes: [{ host: 'sbc.example.com', priority: 1, weight: 1 }] } }));
    const id = vcId(r);
    // Someone sets a CPS limit and allowed hosts: the spec does not manage them.
    await client().send(new PutVoiceConnectorTerminationCommand({ VoiceConnectorId: id, Termination: { CallingRegions: ['US'], CpsLimit: 9, CidrAllowedList: [CIDR], Disabled: false } }));
    emu().resetCounters();
    const again = await h.reconcile('VoiceConnector/office', { specChanged: false });
    expect(again.status.drift).toEqual([]);
    expect(mutatingCalls()).toEqual({});
    // A managed change keeps the unmanaged members as AWS has them (a Put replaces the whole block).
    await h.reconcile(connector({ termination: { callingRegions: ['US', 'GB'] }, origination: { routes: [{ host: 'sbc.example.com', priority: 1, weight: 1 }] } }));
    expect(await get(GetVoiceConnectorTerminationCommand, id, 'Termination')).toMatchObject({ CpsLimit: 9, CidrAllowedList: [CIDR], CallingRegions: ['US', 'GB'] });
  });
});

describe('VoiceConnector updates', () => {
  it('updates each setting in place with exactly the call it needs, then plans nothing', async () => {
    const h = engineHarness(emu(), { secretDigest: digests });
    const { spec } = await fullSpec(h);
    const id = vcId(await h.reconcile(connector(spec)));
    const other = seedAnalyticsConfiguration('other-analytics');
    const steps: Array<[string, (s: Record<string, any>) => void, Record<string, number>, () => Promise<void>]> = [
      ['name', (s) => (s.name = 'renamed'), { UpdateVoiceConnector: 1 }, async () => expect((await get<any>(GetVoiceConnectorCommand, id, 'VoiceConnector')).Name).toBe('renamed')],
      ['tags', (s) => (s.tags = { team: 'voice', cost: 'x1' }), { TagResource: 1, UntagResource: 1 }, async () => {
        const arn = (await get<any>(GetVoiceConnectorCommand, id, 'VoiceConnector')).VoiceConnectorArn;
        const tags = Object.fromEntries((await client().send(new ListTagsForResourceCommand({ ResourceARN: arn }))).Tags!.map((t) => [t.Key, t.Value]));
        // env was declared and no longer is: removed (a tag the spec never declared would stay).
        expect(tags).toEqual({ team: 'voice', cost: 'x1', 'chimevoice.io/owner': 'default/office' });
      }],
      ['termination.cpsLimit', (s) => (s.termination.cpsLimit = 10), { PutVoiceConnectorTermination: 1 }, async () => expect((await get<any>(GetVoiceConnectorTerminationCommand, id, 'Termination')).CpsLimit).toBe(10)],
      ['termination.callingRegions', (s) => (s.termination.callingRegions = ['US']), { PutVoiceConnectorTermination: 1 }, async () => expect((await get<any>(GetVoiceConnectorTerminationCommand, id, 'Termination')).CallingRegions).toEqual(['US'])],
      ['termination.cidrAllowedList', (s) => (s.termination.cidrAllowedList = [CIDR, '3.80.16.0/23']), { PutVoiceConnectorTermination: 1 }, async () => expect((await get<any>(GetVoiceConnectorTerminationCommand, id, 'Termination')).CidrAllowedList).toEqual([CIDR, '3.80.16.0/23'])],
      ['termination.credentials (add)', (s) => s.termination.credentials.push({ username: 'bob', passwordSecretRef: { name: 'sip', key: 'bob' } }), { PutVoiceConnectorTerminationCredentials: 1 }, async () =>
        expect((await client().send(new ListVoiceConnectorTerminationCredentialsCommand({ VoiceConnectorId: id }))).Usernames).toEqual(['alice', 'bob'])],
      ['termination.credentials (remove)', (s) => (s.termination.credentials = s.termination.credentials.filter((c: any) => c.username !== 'alice')), { DeleteVoiceConnectorTerminationCredentials: 1 }, async () =>
        expect((await client().send(new ListVoiceConnectorTerminationCredentialsCommand({ VoiceConnectorId: id }))).Usernames).toEqual(['bob'])],
      ['origination.routes', (s) => (s.origination.routes = [{ host: 'sbc3.example.com', port: 5061, protocol: 'TCP', priority: 1, weight: 1 }]), { PutVoiceConnectorOrigination: 1 }, async () =>
        expect((await get<any>(GetVoiceConnectorOriginationCommand, id, 'Origination')).Routes).toEqual([{ Host: 'sbc3.example.com', Port: 5061, Protocol: 'TCP', Priority: 1, Weight: 1 }])],
      ['emergencyCalling.dnis', (s) => (s.emergencyCalling.dnis = [{ emergencyPhoneNumber: '+12065550110', callingCountry: 'US' }]), { PutVoiceConnectorEmergencyCallingConfiguration: 1 }, async () =>
        expect(await get(GetVoiceConnectorEmergencyCallingConfigurationCommand, id, 'EmergencyCallingConfiguration')).toEqual({ DNIS: [{ EmergencyPhoneNumber: '+12065550110', CallingCountry: 'US' }] })],
      ['streaming', (s) => (s.streaming = { ...s.streaming, dataRetentionInHours: 48, notificationTargets: ['SQS'], callAnalyticsConfigurationArn: other }), { PutVoiceConnectorStreamingConfiguration: 1 }, async () =>
        expect(await get(GetVoiceConnectorStreamingConfigurationCommand, id, 'StreamingConfiguration')).toEqual({
          DataRetentionInHours: 48,
          Disabled: false,
          StreamingNotificationTargets: [{ NotificationTarget: 'SQS' }],
          MediaInsightsConfiguration: { Disabled: false, ConfigurationArn: other },
        })],
      ['logging', (s) => (s.logging = { enableSIPLogs: true }), { PutVoiceConnectorLoggingConfiguration: 1 }, async () =>
        expect(await get(GetVoiceConnectorLoggingConfigurationCommand, id, 'LoggingConfiguration')).toEqual({ EnableSIPLogs: true, EnableMediaMetricLogs: false })],
      ['proxy', (s) => (s.proxy = { defaultSessionExpiryMinutes: 30, phoneNumberCountries: ['US', 'CA'], disabled: true }), { PutVoiceConnectorProxy: 1 }, async () =>
        expect(await get(GetVoiceConnectorProxyCommand, id, 'Proxy')).toMatchObject({ DefaultSessionExpiryMinutes: 30, PhoneNumberCountries: ['US', 'CA'], Disabled: true, FallBackPhoneNumber: '+12065550199' })],
      ['externalSystems', (s) => (s.externalSystems = { sessionBorderControllerTypes: ['AVAYA_SBCE', 'RIBBON_SBC'] }), { PutVoiceConnectorExternalSystemsConfiguration: 1 }, async () =>
        expect(await get(GetVoiceConnectorExternalSystemsConfigurationCommand, id, 'ExternalSystemsConfiguration')).toEqual({
          SessionBorderControllerTypes: ['AVAYA_SBCE', 'RIBBON_SBC'],
          ContactCenterSystemTypes: ['AVAYA_AURA_CONTACT_CENTER'],
        })],
      ['requireEncryption', (s) => (s.requireEncryption = false), { UpdateVoiceConnector: 1 }, async () => expect((await get<any>(GetVoiceConnectorCommand, id, 'VoiceConnector')).RequireEncryption).toBe(false)],
    ];
    for (const [what, change, calls, check] of steps) {
      change(spec);
      emu().resetCounters();
      const r = await h.reconcile(connector(spec));
      expect(r.phase, what).toBe('Ready');
      expect(r.events.map((e) => e.reason), what).toEqual(['Updated']);
      expect(mutatingCalls(), what).toEqual(calls);
      await check();
      emu().resetCounters();
      expect((await h.reconcile(connector(spec), { specChanged: false })).actions, `${what}: steady`).toEqual([]);
      expect(mutatingCalls(), `${what}: steady`).toEqual({});
    }
    expect(await awsConnectors()).toHaveLength(1);
  });

  it('VC2: turning encryption on moves UDP routes to TCP first, then requires encryption', async () => {
    const h = engineHarness(emu(), { secretDigest: digests });
    const base = { requireEncryption: false, origination: { routes: [{ host: 'sbc.example.com', protocol: 'UDP', priority: 1, weight: 1 }] } };
    const id = vcId(await h.reconcile(connector(base)));
    const r = await h.reconcile(connector({ requireEncryption: true, origination: { routes: [{ host: 'sbc.example.com', protocol: 'TCP', priority: 1, weight: 1 }] } }));
    expect(r.phase).toBe('Ready');
    expect(operations(r)).toEqual(['PutVoiceConnectorOrigination', 'UpdateVoiceConnector']);
    expect((await get<any>(GetVoiceConnectorCommand, id, 'VoiceConnector')).RequireEncryption).toBe(true);
    // And back: encryption off first, then the UDP route.
    const back = await h.reconcile(connector(base));
    expect(operations(back)).toEqual(['UpdateVoiceConnector', 'PutVoiceConnectorOrigination']);
    expect(back.phase).toBe('Ready');
  });
});

describe('VoiceConnector termination passwords from Secrets', () => {
  it('a password changed in the Secret is found from the hash in status and sent again; status keeps only the new hash', async () => {
    const h = engineHarness(emu(), { secretDigest: digests });
    h.secrets.set('default/sip', { alice: 'first-password' });
    const spec = { termination: { callingRegions: ['US'], credentials: [{ username: 'alice', passwordSecretRef: { name: 'sip', key: 'alice' } }] } };
    const created = await h.reconcile(connector(spec));
    expect(created.status.atProvider!.terminationCredentials).toEqual([{ username: 'alice', passwordHash: sha('first-password') }]);

    h.secrets.set('default/sip', { alice: 'second-password' });
    emu().resetCounters();
    const r = await h.reconcile(connector(spec), { specChanged: false });
    expect(r.phase).toBe('Ready');
    expect(r.events[0]).toMatchObject({ reason: 'DriftDetected', message: expect.stringContaining('termination.credentials[alice].password (password changed)') });
    expect(operations(r)).toEqual(['PutVoiceConnectorTerminationCredentials']);
    // Neither password, nor any unkeyed digest or encoding of either, in anything the pass produced.
    assertNoSecretLeak(JSON.stringify([r.status, r.events, r.drift, r.actions.map((a) => printableInput(a.action))]), ['first-password', 'second-password']);
    expect(mutatingCalls()).toEqual({ PutVoiceConnectorTerminationCredentials: 1 });
    // Corrected in the same pass: the read-back knows the new password was sent.
    expect(r.drift).toEqual([]);
    expect(r.status.atProvider!.terminationCredentials).toEqual([{ username: 'alice', passwordHash: sha('second-password') }]);
    expect(JSON.stringify([r.status, r.events, r.drift])).not.toMatch(/first-password|second-password/);
    expect(JSON.stringify(printableInput(r.actions[0].action))).not.toContain('second-password');

    emu().resetCounters();
    await h.reconcile(connector(spec), { specChanged: false });
    expect(mutatingCalls()).toEqual({});
  });

  it('under driftPolicy Report, a changed Secret is reported and keeps being reported: the old hash stays until the password is sent', async () => {
    const h = engineHarness(emu(), { secretDigest: digests });
    h.secrets.set('default/sip', { alice: 'first-password' });
    const spec = { driftPolicy: 'Report', termination: { callingRegions: ['US'], credentials: [{ username: 'alice', passwordSecretRef: { name: 'sip', key: 'alice' } }] } };
    await h.reconcile(connector(spec));
    h.secrets.set('default/sip', { alice: 'second-password' });
    for (let pass = 0; pass < 2; pass++) {
      emu().resetCounters();
      const r = await h.reconcile(connector(spec), { specChanged: false });
      expect(mutatingCalls()).toEqual({});
      expect(r.status.drift).toEqual([{ path: 'termination.credentials[alice].password', message: 'password changed' }]);
      expect(conditionOf(r.status, 'Drifted')).toMatchObject({ status: 'True', reason: 'DriftReported', message: expect.stringContaining('(password changed)') });
      assertNoSecretLeak(JSON.stringify([r.status, r.events]), ['first-password', 'second-password']);
      expect(r.status.atProvider!.terminationCredentials).toEqual([{ username: 'alice', passwordHash: sha('first-password') }]);
    }
  });

  it('plan mode shows the password change without recording the new hash', async () => {
    const h = engineHarness(emu(), { secretDigest: digests });
    h.secrets.set('default/sip', { alice: 'first-password' });
    const spec = { termination: { callingRegions: ['US'], credentials: [{ username: 'alice', passwordSecretRef: { name: 'sip', key: 'alice' } }] } };
    const created = await h.reconcile(connector(spec));
    const planner = engineHarness(emu(), { secretDigest: digests, dryRun: true, objects: [{ ...connector(spec), status: created.status }] });
    planner.secrets.set('default/sip', { alice: 'second-password' });
    emu().resetCounters();
    const r = await planner.reconcile('VoiceConnector/office');
    expect(r.phase).toBe('Planned');
    expect(operations(r)).toEqual(['PutVoiceConnectorTerminationCredentials']);
    expect(mutatingCalls()).toEqual({});
    expect(r.status.atProvider!.terminationCredentials).toEqual([{ username: 'alice', passwordHash: sha('first-password') }]);
  });

  it('a lost digest key (another key now): the password counts as unknown, is sent once, and then nothing is written', async () => {
    const h = engineHarness(emu(), { secretDigest: digests });
    h.secrets.set('default/sip', { alice: 'first-password' });
    const spec = { termination: { callingRegions: ['US'], credentials: [{ username: 'alice', passwordSecretRef: { name: 'sip', key: 'alice' } }] } };
    const created = await h.reconcile(connector(spec));
    const newKey = new SecretDigest(() => Buffer.alloc(32, 10));
    const after = engineHarness(emu(), { secretDigest: newKey, objects: [{ ...connector(spec), status: created.status }] });
    after.secrets.set('default/sip', { alice: 'first-password' });
    emu().resetCounters();
    const r = await after.reconcile('VoiceConnector/office', { specChanged: false });
    expect(r.events[0]).toMatchObject({ reason: 'DriftDetected', message: expect.stringContaining('password not known to be in AWS') });
    expect(mutatingCalls()).toEqual({ PutVoiceConnectorTerminationCredentials: 1 });
    expect(r.phase).toBe('Ready');
    expect(r.status.atProvider!.terminationCredentials).toEqual([{ username: 'alice', passwordHash: newKey.of('first-password') }]);
    for (let pass = 0; pass < 2; pass++) {
      emu().resetCounters();
      const steady = await after.reconcile('VoiceConnector/office', { specChanged: false });
      expect(mutatingCalls()).toEqual({});
      expect(steady.drift).toEqual([]);
    }
  });

  it('a plain sha256 an older release kept in status is never trusted nor kept: one write, then only the keyed digest', async () => {
    const h = engineHarness(emu(), { secretDigest: digests });
    h.secrets.set('default/sip', { alice: 'first-password' });
    const spec = { termination: { callingRegions: ['US'], credentials: [{ username: 'alice', passwordSecretRef: { name: 'sip', key: 'alice' } }] } };
    const created = await h.reconcile(connector(spec));
    const legacy = { ...created.status, atProvider: { ...created.status.atProvider, terminationCredentials: [{ username: 'alice', passwordHash: `sha256:${plainSha('first-password')}` }] } };
    const upgraded = engineHarness(emu(), { secretDigest: digests, objects: [{ ...connector(spec), status: legacy }] });
    upgraded.secrets.set('default/sip', { alice: 'first-password' });
    emu().resetCounters();
    const r = await upgraded.reconcile('VoiceConnector/office', { specChanged: false });
    expect(mutatingCalls()).toEqual({ PutVoiceConnectorTerminationCredentials: 1 });
    expect(r.status.atProvider!.terminationCredentials).toEqual([{ username: 'alice', passwordHash: sha('first-password') }]);
    assertNoSecretLeak(JSON.stringify([r.status, r.events, r.drift]), ['first-password']);
    emu().resetCounters();
    await upgraded.reconcile('VoiceConnector/office', { specChanged: false });
    expect(mutatingCalls()).toEqual({});
  });

  it('a credential added or removed behind the engine\'s back is drift on its user name', async () => {
    const h = engineHarness(emu(), { secretDigest: digests });
    h.secrets.set('default/sip', { alice: 'pw' });
    const spec = { termination: { callingRegions: ['US'], credentials: [{ username: 'alice', passwordSecretRef: { name: 'sip', key: 'alice' } }] } };
    const id = vcId(await h.reconcile(connector(spec)));
    await client().send(new PutVoiceConnectorTerminationCredentialsCommand({ VoiceConnectorId: id, Credentials: [{ Username: 'mallory', Password: 'x' }] }));
    emu().resetCounters();
    const r = await h.reconcile(connector(spec), { specChanged: false });
    expect(r.events[0]).toMatchObject({ reason: 'DriftDetected', message: expect.stringContaining('termination.credentials[mallory]') });
    expect(mutatingCalls()).toEqual({ DeleteVoiceConnectorTerminationCredentials: 1 });
    expect((await client().send(new ListVoiceConnectorTerminationCredentialsCommand({ VoiceConnectorId: id }))).Usernames).toEqual(['alice']);
  });

  it('a missing Secret key is an invalid spec, found before any call', async () => {
    const h = engineHarness(emu(), { secretDigest: digests });
    h.secrets.set('default/sip', {});
    const r = await h.reconcile(connector({ termination: { callingRegions: ['US'], credentials: [{ username: 'alice', passwordSecretRef: { name: 'sip', key: 'alice' } }] } }));
    expect(r.phase).toBe('Stalled');
    expect(conditionOf(r.status, 'Stalled')).toMatchObject({ reason: 'InvalidSpec', message: expect.stringContaining('has no key alice') });
    expect(emu().counters()).toEqual({});
  });

  it('a missing Secret: an invalid spec in a folder (its Secrets are all there is); in a cluster a reference to wait for, with no Warning, until it exists', async () => {
    const spec = { termination: { callingRegions: ['US'], credentials: [{ username: 'alice', passwordSecretRef: { name: 'sip', key: 'alice' } }] } };
    const folder = engineHarness(emu(), { secretDigest: digests });
    const stalled = await folder.reconcile(connector(spec));
    expect(stalled.phase).toBe('Stalled');
    expect(conditionOf(stalled.status, 'Stalled')).toMatchObject({ reason: 'InvalidSpec', message: 'Secret default/sip does not exist' });

    const cluster = engineHarness(emu(), { secretDigest: digests, secretsMayArriveLater: true });
    const waiting = await cluster.reconcile(connector(spec));
    expect(waiting.phase).toBe('Waiting');
    expect(conditionOf(waiting.status, 'Reconciling')).toMatchObject({ reason: 'ReferenceNotFound', message: 'Secret default/sip does not exist yet; VoiceConnector office waits for it' });
    expect(conditionOf(waiting.status, 'Stalled')).toBeUndefined();
    expect(waiting.events.filter((e) => e.type === 'Warning')).toEqual([]);
    expect(waiting.requeueAfterMs).toBeGreaterThan(0);
    expect(emu().counters()).toEqual({});

    cluster.secrets.set('default/sip', { alice: 'alice-pw-1' });
    const created = await cluster.reconcile(connector(spec));
    expect(created.phase).toBe('Ready');
  });
});

describe('VoiceConnector drift', () => {
  async function drifted(driftPolicy: 'Correct' | 'Report') {
    const h = engineHarness(emu(), { secretDigest: digests });
    const spec = {
      driftPolicy,
      termination: { callingRegions: ['US'], cidrAllowedList: [CIDR] },
      origination: { routes: [{ host: 'sbc.example.com', protocol: 'TCP', priority: 1, weight: 10 }] },
    };
    const id = vcId(await h.reconcile(connector(spec)));
    // Behind the engine's back, through the SDK: another allowed host, another route.
    await client().send(new PutVoiceConnectorTerminationCommand({ VoiceConnectorId: id, Termination: { CallingRegions: ['US'], CidrAllowedList: [CIDR, '3.80.16.0/23'], Disabled: false } }));
    await client().send(
      new PutVoiceConnectorOriginationCommand({
        VoiceConnectorId: id,
        Origination: { Disabled: false, Routes: [{ Host: 'rogue.example.net', Port: 5061, Protocol: 'TCP', Priority: 1, Weight: 1 }] },
      }),
    );
    emu().resetCounters();
    const r = await h.reconcile(connector(spec), { specChanged: false });
    return { h, r, id, spec };
  }

  it('drift of termination CIDRs and origination routes is found with its paths and corrected under Correct', async () => {
    const { h, r, id, spec } = await drifted('Correct');
    expect(r.phase).toBe('Ready');
    expect(r.drift.map((d) => d.path)).toEqual([]);
    expect(r.events.map((e) => e.reason)).toEqual(['DriftDetected', 'DriftCorrected']);
    expect(r.events[0].message).toContain('termination.cidrAllowedList, origination.routes');
    expect(mutatingCalls()).toEqual({ PutVoiceConnectorTermination: 1, PutVoiceConnectorOrigination: 1 });
    expect((await get<any>(GetVoiceConnectorTerminationCommand, id, 'Termination')).CidrAllowedList).toEqual([CIDR]);
    expect((await get<any>(GetVoiceConnectorOriginationCommand, id, 'Origination')).Routes).toEqual([{ Host: 'sbc.example.com', Port: 5060, Protocol: 'TCP', Priority: 1, Weight: 10 }]);
    expect(conditionOf(r.status, 'Drifted')?.status).toBe('False');
    emu().resetCounters();
    await h.reconcile(connector(spec), { specChanged: false });
    expect(mutatingCalls()).toEqual({});
  });

  it('drift is reported in status with its paths, and left alone, under Report', async () => {
    const { r, id } = await drifted('Report');
    expect(r.phase).toBe('Ready');
    expect(mutatingCalls()).toEqual({});
    expect(r.status.drift!.map((d) => d.path)).toEqual(['termination.cidrAllowedList', 'origination.routes']);
    expect(JSON.parse(r.status.drift![0].actual!)).toEqual(['3.80.16.0/23', CIDR]);
    expect(conditionOf(r.status, 'Drifted')).toMatchObject({ status: 'True', reason: 'DriftReported', message: expect.stringContaining('driftPolicy Report') });
    expect(r.events.map((e) => e.reason)).toEqual(['DriftDetected']);
    expect((await get<any>(GetVoiceConnectorOriginationCommand, id, 'Origination')).Routes[0].Host).toBe('rogue.example.net');
  });

  it('a removed ownership tag is drift, put back with TagResource; other tags are left alone', async () => {
    const h = engineHarness(emu(), { secretDigest: digests });
    const r0 = await h.reconcile(connector({ tags: { team: 'voice' } }));
    await client().send(new TagResourceCommand({ ResourceARN: r0.status.atProvider!.arn as string, Tags: [{ Key: 'team', Value: 'other' }, { Key: 'extra', Value: '1' }] }));
    emu().resetCounters();
    const r = await h.reconcile('VoiceConnector/office', { specChanged: false });
    expect(r.events[0].message).toContain('tags.team');
    expect(mutatingCalls()).toEqual({ TagResource: 1 });
  });
});

describe('VoiceConnector replacement (VC1)', () => {
  it('VC1: a region change is reported as needing replacement (Stalled), never applied or ignored', async () => {
    const h = engineHarness(emu(), { secretDigest: digests });
    const id = vcId(await h.reconcile(connector({ region: 'us-east-1' })));
    emu().resetCounters();
    const r = await h.reconcile(connector({ region: 'us-west-2' }));
    expect(r.phase).toBe('Stalled');
    expect(r.drift).toEqual([{ path: 'region', desired: 'us-west-2', actual: 'us-east-1', requiresReplacement: true }]);
    expect(conditionOf(r.status, 'Stalled')).toMatchObject({ reason: 'ReplacementRequired', message: expect.stringContaining('region cannot change in place') });
    expect(mutatingCalls()).toEqual({});
    expect(r.status.atProvider!.voiceConnectorId).toBe(id);
    expect(await awsConnectors()).toHaveLength(1);
  });

  it('VC1: a network type change is reported as needing replacement; other changes still apply', async () => {
    const h = engineHarness(emu(), { secretDigest: digests });
    await h.reconcile(connector({ networkType: 'IPV4_ONLY' }));
    emu().resetCounters();
    const r = await h.reconcile(connector({ networkType: 'DUAL_STACK', name: 'renamed' }));
    expect(r.phase).toBe('Stalled');
    expect(r.drift.filter((d) => d.requiresReplacement).map((d) => d.path)).toEqual(['networkType']);
    expect(mutatingCalls()).toEqual({ UpdateVoiceConnector: 1 });
  });
});

describe('VoiceConnector emergency calling order (VC5)', () => {
  it('VC5: emergency calling goes on after termination and origination are enabled', async () => {
    const h = engineHarness(emu(), { secretDigest: digests });
    const off = { termination: { disabled: true }, origination: { disabled: true } };
    const id = vcId(await h.reconcile(connector(off)));
    const on = {
      termination: { disabled: false, callingRegions: ['US'] },
      origination: { disabled: false, routes: [{ host: 'sbc.example.com', priority: 1, weight: 1 }] },
      emergencyCalling: { dnis: DNIS },
    };
    const r = await h.reconcile(connector(on));
    expect(r.phase).toBe('Ready');
    expect(operations(r)).toEqual(['PutVoiceConnectorTermination', 'PutVoiceConnectorOrigination', 'PutVoiceConnectorEmergencyCallingConfiguration']);
    expect(await get(GetVoiceConnectorEmergencyCallingConfigurationCommand, id, 'EmergencyCallingConfiguration')).toBeDefined();
  });

  it('VC5: emergency calling comes off before termination and origination are disabled', async () => {
    const h = engineHarness(emu(), { secretDigest: digests });
    const on = {
      termination: { callingRegions: ['US'] },
      origination: { routes: [{ host: 'sbc.example.com', priority: 1, weight: 1 }] },
      emergencyCalling: { dnis: DNIS },
    };
    const id = vcId(await h.reconcile(connector(on)));
    const r = await h.reconcile(connector({ termination: { disabled: true }, origination: { disabled: true }, emergencyCalling: { dnis: [] } }));
    expect(r.phase).toBe('Ready');
    expect(operations(r)).toEqual(['DeleteVoiceConnectorEmergencyCallingConfiguration', 'PutVoiceConnectorTermination', 'PutVoiceConnectorOrigination']);
    expect(r.actions.every((a) => a.ok)).toBe(true);
    await expect(get(GetVoiceConnectorEmergencyCallingConfigurationCommand, id, 'EmergencyCallingConfiguration')).rejects.toThrow(/no emergency calling/);
    expect(await get(GetVoiceConnectorTerminationCommand, id, 'Termination')).toMatchObject({ Disabled: true, CallingRegions: ['US'] });
  });

  it('VC5: disabling termination while emergency calling the spec does not manage is on is refused before any write', async () => {
    const h = engineHarness(emu(), { secretDigest: digests });
    const id = vcId(await h.reconcile(connector({ termination: { callingRegions: ['US'] }, origination: { routes: [{ host: 'sbc.example.com', priority: 1, weight: 1 }] } })));
    await client().send(
      new PutVoiceConnectorEmergencyCallingConfigurationCommand({
        VoiceConnectorId: id,
        EmergencyCallingConfiguration: { DNIS: [{ EmergencyPhoneNumber: '+12065550100', CallingCountry: 'US' }] },
      }),
    );
    emu().resetCounters();
    const r = await h.reconcile(connector({ termination: { disabled: true } }));
    expect(r.phase).toBe('Stalled');
    expect(conditionOf(r.status, 'Stalled')).toMatchObject({ reason: 'InvalidSpec', message: expect.stringContaining('VC5') });
    expect(mutatingCalls()).toEqual({});
  });
});

describe('VoiceConnector deletion (VC8)', () => {
  it('VC5/VC8: under Delete, emergency calling goes before termination, then the connector', async () => {
    const h = engineHarness(emu(), { secretDigest: digests });
    const obj = connector({
      deletionPolicy: 'Delete',
      termination: { callingRegions: ['US'] },
      origination: { routes: [{ host: 'sbc.example.com', priority: 1, weight: 1 }] },
      emergencyCalling: { dnis: DNIS },
    });
    await h.reconcile(obj);
    emu().resetCounters();
    const r = await h.delete(obj);
    expect(r).toMatchObject({ phase: 'Deleted', deleted: true });
    expect(operations(r)).toEqual(['DeleteVoiceConnectorEmergencyCallingConfiguration', 'DeleteVoiceConnectorTermination', 'DeleteVoiceConnector']);
    expect(await awsConnectors()).toEqual([]);
  });

  it('under Retain, the connector stays in AWS untouched', async () => {
    const h = engineHarness(emu(), { secretDigest: digests });
    const obj = connector({ deletionPolicy: 'Retain', termination: { callingRegions: ['US'] } });
    await h.reconcile(obj);
    emu().resetCounters();
    expect(await h.delete(obj)).toMatchObject({ phase: 'Deleted', deleted: true });
    expect(emu().counters()).toEqual({});
    expect(await awsConnectors()).toHaveLength(1);
  });

  it('VC8: a number associated outside the project blocks deletion (Stalled, the number named); once it is gone the delete proceeds', async () => {
    const h = engineHarness(emu(), { secretDigest: digests });
    const obj = connector({});
    const id = vcId(await h.reconcile(obj));
    const number = await orderNumber();
    await client().send(new AssociatePhoneNumbersWithVoiceConnectorCommand({ VoiceConnectorId: id, E164PhoneNumbers: [number] }));
    emu().resetCounters();
    const blocked = await h.delete(obj);
    expect(blocked.phase).toBe('Stalled');
    expect(conditionOf(blocked.status, 'Stalled')).toMatchObject({ reason: 'DeletionBlocked', message: expect.stringContaining(number) });
    expect(mutatingCalls()).toEqual({});

    await client().send(new DisassociatePhoneNumbersFromVoiceConnectorCommand({ VoiceConnectorId: id, E164PhoneNumbers: [number] }));
    const done = await h.delete(obj);
    expect(done).toMatchObject({ phase: 'Deleted', deleted: true });
    expect(await awsConnectors()).toEqual([]);
  });

  it('VC8: a number a PhoneNumber object manages makes the deletion wait for that object to release it', async () => {
    const h = engineHarness(emu(), { secretDigest: digests });
    const obj = connector({});
    const id = vcId(await h.reconcile(obj));
    const number = await orderNumber();
    await client().send(new AssociatePhoneNumbersWithVoiceConnectorCommand({ VoiceConnectorId: id, E164PhoneNumbers: [number] }));
    h.world.put({
      apiVersion: 'chimevoice.io/v1alpha1',
      kind: 'PhoneNumber',
      metadata: { name: 'main-line', namespace: 'default' },
      spec: { e164: number, productType: 'VoiceConnector', assignment: { voiceConnectorRef: { name: 'office' } } },
      status: { atProvider: { e164: number } },
    });
    emu().resetCounters();
    const r = await h.delete(obj);
    expect(r.phase).toBe('DeleteBlocked');
    expect(conditionOf(r.status, 'Reconciling')).toMatchObject({ reason: 'DeletionWaiting', message: expect.stringContaining('PhoneNumber default/main-line') });
    expect(r.requeueAfterMs).toBeGreaterThan(0);
    expect(mutatingCalls()).toEqual({});
  });

  it('VC8: a group holding the connector blocks it: waiting when a VoiceConnectorGroup object manages the group, Stalled otherwise', async () => {
    const h = engineHarness(emu(), { secretDigest: digests });
    const obj = connector({});
    const id = vcId(await h.reconcile(obj));
    const groupId = (await client().send(new CreateVoiceConnectorGroupCommand({ Name: 'edge', VoiceConnectorItems: [{ VoiceConnectorId: id, Priority: 1 }] }))).VoiceConnectorGroup!
      .VoiceConnectorGroupId!;
    const unmanaged = await h.delete(obj);
    expect(unmanaged.phase).toBe('Stalled');
    expect(conditionOf(unmanaged.status, 'Stalled')!.message).toContain(groupId);

    h.world.put({
      apiVersion: 'chimevoice.io/v1alpha1',
      kind: 'VoiceConnectorGroup',
      metadata: { name: 'edge', namespace: 'default' },
      spec: { voiceConnectors: [] },
      status: { conditions: [{ type: 'Ready', status: 'True', reason: 'Available', message: '', lastTransitionTime: NOW }], atProvider: { voiceConnectorGroupId: groupId } },
    });
    const waiting = await h.delete(obj);
    expect(waiting.phase).toBe('DeleteBlocked');
    expect(conditionOf(waiting.status, 'Reconciling')!.message).toContain('VoiceConnectorGroup default/edge');

    await client().send(new UpdateVoiceConnectorGroupCommand({ VoiceConnectorGroupId: groupId, Name: 'edge', VoiceConnectorItems: [] }));
    expect(await h.delete(obj)).toMatchObject({ phase: 'Deleted', deleted: true });
    expect(await awsConnectors()).toEqual([]);
  });
});

describe('VoiceConnector identity and ownership', () => {
  it('adopting a connector by annotation writes only the spec\'s tags: no ownership marker (the annotation identifies it), its other tags left alone', async () => {
    const h = engineHarness(emu(), { secretDigest: digests });
    const vc = (await client().send(new CreateVoiceConnectorCommand({ Name: 'legacy', RequireEncryption: true, AwsRegion: 'us-east-1', Tags: [{ Key: 'owner', Value: 'ops' }] }))).VoiceConnector!;
    emu().resetCounters();
    const r = await h.reconcile(connector({ name: 'legacy', tags: { team: 'voice' } }, 'legacy', { annotations: { 'chimevoice.io/external-id': vc.VoiceConnectorId! } }));
    expect(r.phase).toBe('Ready');
    expect(mutatingCalls()).toEqual({ TagResource: 1 });
    const tags = Object.fromEntries((await client().send(new ListTagsForResourceCommand({ ResourceARN: vc.VoiceConnectorArn }))).Tags!.map((t) => [t.Key, t.Value]));
    expect(tags).toEqual({ owner: 'ops', team: 'voice' });
    emu().resetCounters();
    await h.reconcile('VoiceConnector/legacy', { specChanged: false });
    expect(mutatingCalls()).toEqual({});
  });

  it('a same-named connector without the marker is a conflict, never taken silently', async () => {
    const h = engineHarness(emu(), { secretDigest: digests });
    await client().send(new CreateVoiceConnectorCommand({ Name: 'office', RequireEncryption: true }));
    emu().resetCounters();
    const r = await h.reconcile(connector({}));
    expect(r.phase).toBe('Stalled');
    expect(conditionOf(r.status, 'Stalled')?.reason).toBe('OwnershipConflict');
    expect(mutatingCalls()).toEqual({});
    expect(await awsConnectors()).toHaveLength(1);
  });

  it('VC6: links call analytics through a CallAnalyticsConfiguration reference, waiting while it is not Ready', async () => {
    const h = engineHarness(emu(), { secretDigest: digests });
    const arn = seedAnalyticsConfiguration('insights');
    const analytics: ManagedObject = {
      apiVersion: 'chimevoice.io/v1alpha1',
      kind: 'CallAnalyticsConfiguration',
      metadata: { name: 'insights', namespace: 'default' },
      spec: {},
      status: { conditions: [{ type: 'Ready', status: 'False', reason: 'Progressing', message: '', lastTransitionTime: NOW }] },
    };
    h.world.put(analytics);
    const obj = connector({ streaming: { dataRetentionInHours: 0, callAnalyticsConfigurationRef: { name: 'insights' } } });
    const waiting = await h.reconcile(obj);
    expect(waiting.phase).toBe('Waiting');
    expect(await awsConnectors()).toEqual([]);
    h.world.put({ ...analytics, status: { conditions: [{ type: 'Ready', status: 'True', reason: 'Available', message: '', lastTransitionTime: NOW }], atProvider: { arn } } });
    const r = await h.reconcile(obj);
    expect(r.phase).toBe('Ready');
    expect((await get<any>(GetVoiceConnectorStreamingConfigurationCommand, vcId(r), 'StreamingConfiguration')).MediaInsightsConfiguration).toEqual({ Disabled: false, ConfigurationArn: arn });
    emu().resetCounters();
    await h.reconcile(obj, { specChanged: false });
    expect(mutatingCalls()).toEqual({});
  });
});

describe('VoiceConnector crash safety', () => {
  it('a restart without status after each API call of a full create finds the connector instead of creating a second one', async () => {
    const probe = engineHarness(emu(), { secretDigest: digests });
    const { spec } = await fullSpec(probe);
    emu().resetCounters();
    await probe.reconcile(connector(spec));
    // Up to the last write: a crash during the read-back leaves nothing more to learn.
    const writes = CREATE_ORDER.length + 1;

    await crashAfterEachCall({
      emu,
      calls: writes,
      round: async () => {
        const dying = engineHarness(emu(), { secretDigest: digests });
        const { spec: s } = await fullSpec(dying);
        const restart = () => {
          const fresh = engineHarness(emu(), { secretDigest: digests });
          fresh.secrets.set('default/sip', { alice: 'alice-pw-1', bob: 'bob-pw-1' });
          return fresh;
        };
        return { dying, restart, object: () => connector(s) };
      },
      noun: 'connectors',
      list: awsConnectors,
      check: (r, one) => expect(vcId(r)).toBe(one.VoiceConnectorId),
      steady: (steady) => expect(steady.phase).toBe('Ready'),
    });
  });
});
