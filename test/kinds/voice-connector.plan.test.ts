/** VoiceConnector: plan and planDelete (VC1-VC8): the actions, their inputs and their order. */
import { SecretDigest } from '../../src/reconcile/secret-digest.js';
import { describe, expect, it } from 'vitest';
import type { VoiceConnectorDesired } from '../../src/kinds/voice-connector/desired.js';
import { diffVoiceConnector } from '../../src/kinds/voice-connector/diff.js';
import type { VoiceConnectorObserved } from '../../src/kinds/voice-connector/observe.js';
import { planVoiceConnector, planVoiceConnectorDelete } from '../../src/kinds/voice-connector/plan.js';
import { printableInput } from '../../src/reconcile/executor.js';
import { InvalidSpecError } from '../../src/reconcile/errors.js';
import type { ManagedObject } from '../../src/reconcile/types.js';
import { MemoryWorld } from '../../src/reconcile/world.js';

const OWNER = { 'chimevoice.io/owner': 'default/office' };
const CIDR = '54.239.98.0/24';
const ARN = 'arn:aws:chime:us-east-1:123456789012:media-insights-pipeline-configuration/a';
const VC_ARN = 'arn:aws:chime:us-east-1:123456789012:vc/vc1';
const digests = new SecretDigest(() => Buffer.alloc(32, 7));
const sha = (v: string) => digests.of(v);
const cred = (username: string, password: string) => ({ username, password, passwordHash: sha(password) });
const ROUTE = { host: 'sbc.example.com', port: 5060, priority: 1, weight: 10 };
const DNIS = [{ emergencyPhoneNumber: '+12065550110', callingCountry: 'US' }];

/** A bare connector; sub-configurations are added per case (null: read, not configured). */
const observed = (o: Partial<VoiceConnectorObserved> = {}): VoiceConnectorObserved => ({
  voiceConnectorId: 'vc1',
  arn: VC_ARN,
  name: 'office',
  region: 'us-east-1',
  requireEncryption: true,
  networkType: 'IPV4_ONLY',
  tags: { ...OWNER },
  credentialHashes: {},
  ...o,
});
const desired = (d: Partial<VoiceConnectorDesired> = {}): VoiceConnectorDesired => ({ name: 'office', tags: { ...OWNER }, ...d });
const plan = (d: VoiceConnectorDesired, o: VoiceConnectorObserved | undefined) =>
  planVoiceConnector(d, o, o ? diffVoiceConnector(d, o).filter((x) => !x.requiresReplacement) : []);
const ops = (actions: Array<{ operation: string }>) => actions.map((a) => a.operation);
/** The operations as the executor sends them: each inner list goes out side by side, the lists one after another. */
const steps = (actions: Array<{ operation: string; alongside?: true }>) =>
  actions.reduce<string[][]>((out, a) => (a.alongside && out.length > 0 ? [...out.slice(0, -1), [...out[out.length - 1], a.operation]] : [...out, [a.operation]]), []);

const TERM_ON = { disabled: false, callingRegions: ['US'], cidrAllowedList: [CIDR], cpsLimit: 1 };
const ORIG_ON = { disabled: false, routes: [{ ...ROUTE, protocol: 'TCP' as const }] };

describe('VoiceConnector plan: create', () => {
  it('a bare spec is one CreateVoiceConnector with AWS defaults and the ownership tag, capturing the id', () => {
    const actions = plan(desired({ tags: { ...OWNER, team: 'voice' } }), undefined);
    expect(actions).toHaveLength(1);
    expect(actions[0]).toMatchObject({
      service: 'voice',
      operation: 'CreateVoiceConnector',
      input: {
        Name: 'office',
        AwsRegion: 'us-east-1',
        RequireEncryption: true,
        NetworkType: 'IPV4_ONLY',
        Tags: [
          { Key: 'chimevoice.io/owner', Value: 'default/office' },
          { Key: 'team', Value: 'voice' },
        ],
      },
      captures: { VoiceConnectorId: 'VoiceConnector.VoiceConnectorId' },
    });
  });

  it('sends region, encryption and network type as the spec sets them', () => {
    expect(plan(desired({ region: 'eu-west-2', requireEncryption: false, networkType: 'DUAL_STACK' }), undefined)[0].input).toMatchObject({
      AwsRegion: 'eu-west-2',
      RequireEncryption: false,
      NetworkType: 'DUAL_STACK',
    });
  });

  it('VC5: every setting follows the create in order, addressed to the new id; emergency calling after termination and origination', () => {
    const actions = plan(
      desired({
        termination: { ...TERM_ON, credentials: [cred('alice', 'pw')] },
        origination: ORIG_ON,
        streaming: { dataRetentionInHours: 24, notificationTargets: ['SNS'], callAnalyticsConfigurationArn: ARN, callAnalyticsPath: 'streaming.callAnalyticsConfigurationArn' },
        logging: { enableSIPLogs: true, enableMediaMetricLogs: false },
        emergencyCalling: { dnis: DNIS },
        proxy: { defaultSessionExpiryMinutes: 60, phoneNumberCountries: ['US'] },
        externalSystems: { sessionBorderControllerTypes: ['RIBBON_SBC'] },
      }),
      undefined,
    );
    expect(ops(actions)).toEqual([
      'CreateVoiceConnector',
      'PutVoiceConnectorTermination',
      'PutVoiceConnectorOrigination',
      'PutVoiceConnectorTerminationCredentials',
      'PutVoiceConnectorEmergencyCallingConfiguration',
      'PutVoiceConnectorStreamingConfiguration',
      'PutVoiceConnectorLoggingConfiguration',
      'PutVoiceConnectorProxy',
      'PutVoiceConnectorExternalSystemsConfiguration',
    ]);
    // Three steps after the create, each sent side by side: termination and origination; then
    // what needs them (credentials VC3, emergency calling VC5) with the independent rest.
    expect(steps(actions)).toEqual([
      ['CreateVoiceConnector'],
      ['PutVoiceConnectorTermination', 'PutVoiceConnectorOrigination'],
      [
        'PutVoiceConnectorTerminationCredentials',
        'PutVoiceConnectorEmergencyCallingConfiguration',
        'PutVoiceConnectorStreamingConfiguration',
        'PutVoiceConnectorLoggingConfiguration',
        'PutVoiceConnectorProxy',
        'PutVoiceConnectorExternalSystemsConfiguration',
      ],
    ]);
    for (const a of actions.slice(1)) expect(a.input.VoiceConnectorId).toEqual({ $output: 'VoiceConnectorId' });
    expect(actions.some((a) => a.operation === 'TagResource' || a.operation === 'UpdateVoiceConnector')).toBe(false);
  });

  it('skips Puts that would only restate a new connector\'s defaults (logging off, no external systems, no emergency calling)', () => {
    const actions = plan(
      desired({ logging: { enableSIPLogs: false, enableMediaMetricLogs: false }, externalSystems: {}, emergencyCalling: { dnis: [] } }),
      undefined,
    );
    expect(ops(actions)).toEqual(['CreateVoiceConnector']);
  });

  it('marks passwords sensitive: plan output masks them', () => {
    const a = plan(desired({ termination: { ...TERM_ON, credentials: [cred('alice', 'hunter2')] } }), undefined).find((x) => x.operation === 'PutVoiceConnectorTerminationCredentials')!;
    expect(a.sensitive).toEqual(['Password']);
    expect(a.input.Credentials).toEqual([{ Username: 'alice', Password: 'hunter2' }]);
    expect(JSON.stringify(printableInput(a))).not.toContain('hunter2');
    expect(a.description).not.toContain('hunter2');
    // The observation after the write learns of it from the executed actions (ObserveArgs.executed), not from a capture.
    expect(a.captures).toBeUndefined();
  });
});

describe('VoiceConnector plan: update, one action per block', () => {
  const cases: Array<[string, Partial<VoiceConnectorDesired>, Partial<VoiceConnectorObserved>, string[], Record<string, unknown> | undefined]> = [
    ['in sync: nothing', { termination: TERM_ON }, { termination: { ...TERM_ON } }, [], undefined],
    ['name', { name: 'trunk' }, {}, ['UpdateVoiceConnector'], { VoiceConnectorId: 'vc1', Name: 'trunk', RequireEncryption: true }],
    ['requireEncryption off', { requireEncryption: false }, {}, ['UpdateVoiceConnector'], { VoiceConnectorId: 'vc1', Name: 'office', RequireEncryption: false }],
    ['tags: only the differing keys are tagged', { tags: { ...OWNER, team: 'voice', env: 'prod' } }, { tags: { ...OWNER, env: 'prod', other: 'x' } }, ['TagResource'], {
      ResourceARN: VC_ARN,
      Tags: [{ Key: 'team', Value: 'voice' }],
    }],
    ['termination: a managed member changes, unmanaged ones are sent back as AWS has them', { termination: { callingRegions: ['US', 'CA'] } }, {
      termination: { disabled: false, cpsLimit: 7, callingRegions: ['US'], cidrAllowedList: [CIDR], defaultPhoneNumber: '+12065550100' },
    }, ['PutVoiceConnectorTermination'], {
      VoiceConnectorId: 'vc1',
      Termination: { CpsLimit: 7, CallingRegions: ['US', 'CA'], CidrAllowedList: [CIDR], DefaultPhoneNumber: '+12065550100', Disabled: false },
    }],
    ['termination cidrAllowedList', { termination: { ...TERM_ON, cidrAllowedList: [CIDR, '3.80.16.0/23'] } }, { termination: { ...TERM_ON } }, ['PutVoiceConnectorTermination'], undefined],
    ['credentials: a new user', { termination: { ...TERM_ON, credentials: [cred('alice', 'pw'), cred('bob', 'pw2')] } }, {
      termination: { ...TERM_ON },
      credentialUsernames: ['alice'],
      credentialHashes: { alice: sha('pw') },
    }, ['PutVoiceConnectorTerminationCredentials'], { VoiceConnectorId: 'vc1', Credentials: [{ Username: 'bob', Password: 'pw2' }] }],
    ['credentials: a changed Secret sends that password only', { termination: { ...TERM_ON, credentials: [cred('alice', 'new'), cred('bob', 'pw2')] } }, {
      termination: { ...TERM_ON },
      credentialUsernames: ['alice', 'bob'],
      credentialHashes: { alice: sha('old'), bob: sha('pw2') },
    }, ['PutVoiceConnectorTerminationCredentials'], { VoiceConnectorId: 'vc1', Credentials: [{ Username: 'alice', Password: 'new' }] }],
    ['credentials: a user removed', { termination: { ...TERM_ON, credentials: [cred('alice', 'pw')] } }, {
      termination: { ...TERM_ON },
      credentialUsernames: ['alice', 'zed'],
      credentialHashes: { alice: sha('pw') },
    }, ['DeleteVoiceConnectorTerminationCredentials'], { VoiceConnectorId: 'vc1', Usernames: ['zed'] }],
    ['origination routes: defaults made explicit', { origination: { routes: [{ ...ROUTE, weight: 20 }] } }, { origination: { disabled: false, routes: [{ ...ROUTE, protocol: 'TCP' }] } }, ['PutVoiceConnectorOrigination'], {
      VoiceConnectorId: 'vc1',
      Origination: { Routes: [{ Host: 'sbc.example.com', Port: 5060, Protocol: 'TCP', Priority: 1, Weight: 20 }], Disabled: false },
    }],
    ['origination disabled: the routes AWS has are kept', { origination: { disabled: true } }, { origination: { disabled: false, routes: [{ ...ROUTE, protocol: 'TCP' }] } }, ['PutVoiceConnectorOrigination'], {
      VoiceConnectorId: 'vc1',
      Origination: { Routes: [{ Host: 'sbc.example.com', Port: 5060, Protocol: 'TCP', Priority: 1, Weight: 10 }], Disabled: true },
    }],
    ['streaming: retention, the analytics link AWS has is kept when not managed', { streaming: { dataRetentionInHours: 48 } }, {
      streaming: { disabled: false, dataRetentionInHours: 24, notificationTargets: ['SNS'], callAnalyticsConfigurationArn: ARN, mediaInsights: { Disabled: false, ConfigurationArn: ARN } },
    }, ['PutVoiceConnectorStreamingConfiguration'], {
      VoiceConnectorId: 'vc1',
      StreamingConfiguration: { DataRetentionInHours: 48, Disabled: false, StreamingNotificationTargets: [{ NotificationTarget: 'SNS' }], MediaInsightsConfiguration: { Disabled: false, ConfigurationArn: ARN } },
    }],
    ['streaming disabled without retention keeps the retention AWS has', { streaming: { disabled: true } }, {
      streaming: { disabled: false, dataRetentionInHours: 24, notificationTargets: [] },
    }, ['PutVoiceConnectorStreamingConfiguration'], { VoiceConnectorId: 'vc1', StreamingConfiguration: { DataRetentionInHours: 24, Disabled: true } }],
    ['streaming: the analytics link', { streaming: { dataRetentionInHours: 24, callAnalyticsConfigurationArn: ARN, callAnalyticsPath: 'streaming.callAnalyticsConfigurationArn' } }, {
      streaming: { disabled: false, dataRetentionInHours: 24, notificationTargets: [] },
    }, ['PutVoiceConnectorStreamingConfiguration'], {
      VoiceConnectorId: 'vc1',
      StreamingConfiguration: { DataRetentionInHours: 24, Disabled: false, MediaInsightsConfiguration: { Disabled: false, ConfigurationArn: ARN } },
    }],
    ['logging', { logging: { enableSIPLogs: true, enableMediaMetricLogs: true } }, { logging: { enableSIPLogs: false, enableMediaMetricLogs: false } }, ['PutVoiceConnectorLoggingConfiguration'], {
      VoiceConnectorId: 'vc1',
      LoggingConfiguration: { EnableSIPLogs: true, EnableMediaMetricLogs: true },
    }],
    ['emergency calling numbers change', { termination: TERM_ON, origination: ORIG_ON, emergencyCalling: { dnis: [{ emergencyPhoneNumber: '+12065550120', testPhoneNumber: '+12065550121', callingCountry: 'US' }] } }, {
      termination: { ...TERM_ON },
      origination: { ...ORIG_ON, routes: [{ ...ROUTE, protocol: 'TCP' }] },
      emergencyCalling: { dnis: DNIS },
    }, ['PutVoiceConnectorEmergencyCallingConfiguration'], {
      VoiceConnectorId: 'vc1',
      EmergencyCallingConfiguration: { DNIS: [{ EmergencyPhoneNumber: '+12065550120', TestPhoneNumber: '+12065550121', CallingCountry: 'US' }] },
    }],
    ['emergency calling removed by an empty list', { emergencyCalling: { dnis: [] } }, { emergencyCalling: { dnis: DNIS } }, ['DeleteVoiceConnectorEmergencyCallingConfiguration'], { VoiceConnectorId: 'vc1' }],
    ['proxy: the fallback number AWS has is kept when not managed', { proxy: { defaultSessionExpiryMinutes: 30, phoneNumberCountries: ['US'] } }, {
      proxy: { defaultSessionExpiryMinutes: 60, phoneNumberCountries: ['US'], fallBackPhoneNumber: '+12065550199', disabled: false },
    }, ['PutVoiceConnectorProxy'], { VoiceConnectorId: 'vc1', DefaultSessionExpiryMinutes: 30, PhoneNumberPoolCountries: ['US'], FallBackPhoneNumber: '+12065550199', Disabled: false }],
    ['external systems: the other list is kept', { externalSystems: { sessionBorderControllerTypes: ['AVAYA_SBCE'] } }, {
      externalSystems: { sessionBorderControllerTypes: ['RIBBON_SBC'], contactCenterSystemTypes: ['AVAYA_AURA_CONTACT_CENTER'] },
    }, ['PutVoiceConnectorExternalSystemsConfiguration'], { VoiceConnectorId: 'vc1', SessionBorderControllerTypes: ['AVAYA_SBCE'], ContactCenterSystemTypes: ['AVAYA_AURA_CONTACT_CENTER'] }],
    ['external systems: none of either is a delete', { externalSystems: { sessionBorderControllerTypes: [], contactCenterSystemTypes: [] } }, {
      externalSystems: { sessionBorderControllerTypes: ['RIBBON_SBC'], contactCenterSystemTypes: [] },
    }, ['DeleteVoiceConnectorExternalSystemsConfiguration'], { VoiceConnectorId: 'vc1' }],
  ];
  it.each(cases)('%s', (_name, d, o, operations, input) => {
    const actions = plan(desired(d), observed(o));
    expect(ops(actions)).toEqual(operations);
    if (input) expect(actions[0].input).toEqual(input);
    for (const a of actions) expect(a.fixes?.length).toBeGreaterThan(0);
  });

  it('VC1: replacement differences plan nothing (the engine reports them)', () => {
    expect(plan(desired({ region: 'eu-west-2', networkType: 'DUAL_STACK' }), observed())).toEqual([]);
  });

  it('names the fixed paths on each action', () => {
    const [a] = plan(desired({ termination: { ...TERM_ON, cpsLimit: 3, cidrAllowedList: [] } }), observed({ termination: { ...TERM_ON } }));
    expect(a.fixes).toEqual(['termination.cpsLimit', 'termination.cidrAllowedList']);
  });
});

describe('VoiceConnector plan: ordering rules', () => {
  it('VC5: emergency calling goes on after termination and origination are enabled', () => {
    const actions = plan(
      desired({ termination: TERM_ON, origination: ORIG_ON, emergencyCalling: { dnis: DNIS } }),
      observed({ termination: { ...TERM_ON, disabled: true }, origination: { disabled: true, routes: [] }, emergencyCalling: null }),
    );
    expect(steps(actions)).toEqual([['PutVoiceConnectorTermination', 'PutVoiceConnectorOrigination'], ['PutVoiceConnectorEmergencyCallingConfiguration']]);
  });

  it('VC5: emergency calling comes off before termination and origination are disabled', () => {
    const actions = plan(
      desired({ termination: { disabled: true }, origination: { disabled: true }, emergencyCalling: { dnis: [] } }),
      observed({ termination: { ...TERM_ON }, origination: { ...ORIG_ON, routes: [{ ...ROUTE, protocol: 'TCP' }] }, emergencyCalling: { dnis: DNIS } }),
    );
    expect(steps(actions)).toEqual([['DeleteVoiceConnectorEmergencyCallingConfiguration'], ['PutVoiceConnectorTermination', 'PutVoiceConnectorOrigination']]);
  });

  it('VC5: emergency calling comes off even before a rename or a tag', () => {
    const actions = plan(
      desired({ name: 'trunk', tags: { ...OWNER, a: 'b' }, termination: { disabled: true }, emergencyCalling: { dnis: [] } }),
      observed({ termination: { ...TERM_ON }, emergencyCalling: { dnis: DNIS } }),
    );
    const order = steps(actions);
    const stepOf = (operation: string) => order.findIndex((step) => step.includes(operation));
    expect(stepOf('DeleteVoiceConnectorEmergencyCallingConfiguration')).toBeLessThan(stepOf('PutVoiceConnectorTermination'));
    expect(stepOf('DeleteVoiceConnectorEmergencyCallingConfiguration')).toBe(stepOf('UpdateVoiceConnector'));
  });

  it('VC5: turning termination or origination off while emergency calling the spec does not manage is on is an invalid spec, not a failed call', () => {
    const on = observed({ termination: { ...TERM_ON }, origination: { ...ORIG_ON, routes: [{ ...ROUTE, protocol: 'TCP' }] }, emergencyCalling: { dnis: DNIS } });
    expect(() => plan(desired({ termination: { disabled: true } }), on)).toThrow(InvalidSpecError);
    expect(() => plan(desired({ origination: { disabled: true } }), on)).toThrow(/VC5/);
  });

  it('VC2: encryption goes on after routes leave UDP, and off before routes move to UDP', () => {
    const udp = { disabled: false, routes: [{ ...ROUTE, protocol: 'UDP' as const }] };
    const tcp = { disabled: false, routes: [{ ...ROUTE, protocol: 'TCP' as const }] };
    expect(steps(plan(desired({ requireEncryption: true, origination: tcp }), observed({ requireEncryption: false, origination: udp })))).toEqual([
      ['PutVoiceConnectorOrigination'],
      ['UpdateVoiceConnector'],
    ]);
    expect(steps(plan(desired({ requireEncryption: false, origination: udp }), observed({ requireEncryption: true, origination: tcp })))).toEqual([
      ['UpdateVoiceConnector'],
      ['PutVoiceConnectorOrigination'],
    ]);
  });

  it('credentials are written after the termination they belong to', () => {
    const actions = plan(
      desired({ termination: { ...TERM_ON, cpsLimit: 2, credentials: [cred('new', 'pw')] } }),
      observed({ termination: { ...TERM_ON }, credentialUsernames: ['old'] }),
    );
    // Removals and additions name different users: they go out together, after the termination.
    expect(steps(actions)).toEqual([['PutVoiceConnectorTermination'], ['DeleteVoiceConnectorTerminationCredentials', 'PutVoiceConnectorTerminationCredentials']]);
  });
});

describe('VoiceConnector planDelete (VC5, VC8)', () => {
  const world = (objects: ManagedObject[] = []) => new MemoryWorld(objects);
  const pn = (name: string, e164: string): ManagedObject => ({
    apiVersion: 'chimevoice.io/v1alpha1',
    kind: 'PhoneNumber',
    metadata: { name, namespace: 'default' },
    spec: { e164, productType: 'VoiceConnector' },
    status: { atProvider: { e164 } },
  });
  const grp = (name: string, id: string): ManagedObject => ({
    apiVersion: 'chimevoice.io/v1alpha1',
    kind: 'VoiceConnectorGroup',
    metadata: { name, namespace: 'default' },
    spec: {},
    status: { atProvider: { voiceConnectorGroupId: id } },
  });

  it('a bare connector is deleted with one call', () => {
    const p = planVoiceConnectorDelete(desired(), observed({ phoneNumbers: [], groups: [] }), world());
    expect(p.blockers).toEqual([]);
    expect(ops(p.actions)).toEqual(['DeleteVoiceConnector']);
  });

  it('VC5: emergency calling goes before termination, then the connector', () => {
    const p = planVoiceConnectorDelete(desired(), observed({ termination: { ...TERM_ON }, emergencyCalling: { dnis: DNIS }, phoneNumbers: [], groups: [] }), world());
    expect(ops(p.actions)).toEqual(['DeleteVoiceConnectorEmergencyCallingConfiguration', 'DeleteVoiceConnectorTermination', 'DeleteVoiceConnector']);
    for (const a of p.actions) expect(a.input).toEqual({ VoiceConnectorId: 'vc1' });
  });

  it('VC8: a number a PhoneNumber object manages is a managed blocker (that object releases it first)', () => {
    const p = planVoiceConnectorDelete(desired(), observed({ phoneNumbers: [{ e164: '+12065550100', phoneNumberId: '+12065550100' }], groups: [] }), world([pn('main', '+12065550100')]));
    expect(p.blockers).toEqual([{ managed: true, message: expect.stringContaining('PhoneNumber default/main') }]);
  });

  it('VC8: a number no object manages is an unmanaged blocker naming it', () => {
    const p = planVoiceConnectorDelete(desired(), observed({ phoneNumbers: [{ e164: '+12065550101' }], groups: [] }), world([pn('main', '+12065550100')]));
    expect(p.blockers).toEqual([{ managed: false, message: expect.stringContaining('+12065550101') }]);
    expect(p.blockers[0].message).toContain('VC8');
  });

  it('a group holding the connector: managed when a VoiceConnectorGroup object manages it, else unmanaged and named', () => {
    const o = observed({ phoneNumbers: [], groups: [{ voiceConnectorGroupId: 'g1', name: 'edge' }, { voiceConnectorGroupId: 'g2' }] });
    const p = planVoiceConnectorDelete(desired(), o, world([grp('edge', 'g1')]));
    expect(p.blockers).toEqual([
      { managed: true, message: expect.stringContaining('VoiceConnectorGroup default/edge') },
      { managed: false, message: expect.stringContaining('Voice Connector group g2') },
    ]);
  });
});
