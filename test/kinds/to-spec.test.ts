/**
 * Each kind's `toSpec` (what `import` writes) as a table: an observation of AWS, the spec written
 * for it, and the round trip that proves it: `desired` of that spec, for an object adopting the
 * resource, diffs to nothing against the same observation. Referenced objects resolve to the
 * identities the import named them by.
 */
import { describe, expect, it } from 'vitest';
import { assignNames, dnsLabel } from '../../src/cli/import-account.js';
import { callAnalyticsConfigurationDesired } from '../../src/kinds/call-analytics-configuration/desired.js';
import { diffCallAnalyticsConfiguration } from '../../src/kinds/call-analytics-configuration/diff.js';
import type { CallAnalyticsConfigurationObserved } from '../../src/kinds/call-analytics-configuration/observe.js';
import { callAnalyticsConfigurationToSpec } from '../../src/kinds/call-analytics-configuration/to-spec.js';
import { phoneNumberDesired } from '../../src/kinds/phone-number/desired.js';
import { diffPhoneNumber } from '../../src/kinds/phone-number/diff.js';
import type { PnNumber } from '../../src/kinds/phone-number/observe.js';
import { phoneNumberToSpec } from '../../src/kinds/phone-number/to-spec.js';
import type { ImportNames } from '../../src/kinds/shared/import.js';
import { smaDesired } from '../../src/kinds/sip-media-application/desired.js';
import { diffSma } from '../../src/kinds/sip-media-application/diff.js';
import type { SmaObserved } from '../../src/kinds/sip-media-application/observe.js';
import { sipMediaApplicationToSpec } from '../../src/kinds/sip-media-application/to-spec.js';
import { ruleDesired } from '../../src/kinds/sip-rule/desired.js';
import { diffRule } from '../../src/kinds/sip-rule/diff.js';
import type { ObservedRule } from '../../src/kinds/sip-rule/observe.js';
import { sipRuleToSpec } from '../../src/kinds/sip-rule/to-spec.js';
import { groupDesired } from '../../src/kinds/voice-connector-group/desired.js';
import { diffGroup } from '../../src/kinds/voice-connector-group/diff.js';
import type { GroupObserved } from '../../src/kinds/voice-connector-group/observe.js';
import { voiceConnectorGroupToSpec } from '../../src/kinds/voice-connector-group/to-spec.js';
import { voiceConnectorDesired } from '../../src/kinds/voice-connector/desired.js';
import { diffVoiceConnector } from '../../src/kinds/voice-connector/diff.js';
import type { VoiceConnectorObserved } from '../../src/kinds/voice-connector/observe.js';
import { voiceConnectorToSpec } from '../../src/kinds/voice-connector/to-spec.js';
import { planVoiceConnector } from '../../src/kinds/voice-connector/plan.js';
import { globalSettingsDesired } from '../../src/kinds/voice-global-settings/desired.js';
import { diffGlobalSettings } from '../../src/kinds/voice-global-settings/diff.js';
import { voiceGlobalSettingsToSpec } from '../../src/kinds/voice-global-settings/to-spec.js';
import { voiceProfileDomainDesired } from '../../src/kinds/voice-profile-domain/desired.js';
import { diffVoiceProfileDomain } from '../../src/kinds/voice-profile-domain/diff.js';
import type { VoiceProfileDomainObserved } from '../../src/kinds/voice-profile-domain/observe.js';
import { voiceProfileDomainToSpec } from '../../src/kinds/voice-profile-domain/to-spec.js';
import { InvalidSpecError, ReferenceNotReadyError } from '../../src/reconcile/errors.js';
import { SecretDigest } from '../../src/reconcile/secret-digest.js';
import type { DesiredContext, ManagedObject } from '../../src/reconcile/types.js';

const CAC_ARN = 'arn:aws:chime:us-east-1:123456789012:media-insights-pipeline-configuration/cc';
/** The imported objects other objects refer to, with the identity their status would hold. */
const IMPORTED: Record<string, Record<string, Record<string, string>>> = {
  VoiceConnector: { office: { voiceConnectorId: 'vc1', outboundHostName: 'vc1.voiceconnector.chime.aws' } },
  VoiceConnectorGroup: { 'east-west': { voiceConnectorGroupId: 'g1' } },
  SipMediaApplication: { 'ivr-main': { sipMediaApplicationId: 'sma1', region: 'us-east-1' } },
  CallAnalyticsConfiguration: { cc: { arn: CAC_ARN } },
  PhoneNumber: { 'pn-14155550100': { e164: '+14155550100', productType: 'SipMediaApplicationDialIn' } },
};
const IDS: Record<string, string> = { vc1: 'office', 'vc1.voiceconnector.chime.aws': 'office', g1: 'east-west', sma1: 'ivr-main', [CAC_ARN]: 'cc', '+14155550100': 'pn-14155550100' };
const names: ImportNames = { nameOf: (_kind, id) => IDS[id] };
const nothingImported: ImportNames = { nameOf: () => undefined };

const digests = SecretDigest.ephemeral();
const ctx: DesiredContext = {
  resolve(kind, name) {
    const at = IMPORTED[kind]?.[name];
    if (!at) throw new ReferenceNotReadyError(`${kind} ${name} not found`, 'ReferenceNotFound');
    return at;
  },
  // Imported credentials have no password yet.
  secret: (name, key) => {
    throw new InvalidSpecError(`Secret default/${name} has no key ${key}`);
  },
  digestSecret: (v) => digests.of(v),
  lenient: false,
};
const adopting = (kind: string, id: string, spec: object): ManagedObject => ({
  // The spec as toSpec wrote it, checked by the kind's desired below.
  apiVersion: 'chimevoice.io/v1alpha1',
  kind,
  metadata: { name: 'imported', namespace: 'default', annotations: { 'chimevoice.io/external-id': id } },
  spec: spec as ManagedObject['spec'],
});

const connector = (o: Partial<VoiceConnectorObserved> = {}): VoiceConnectorObserved => ({
  voiceConnectorId: 'vc1',
  arn: 'arn:aws:chime:us-east-1:123456789012:vc/vc1',
  name: 'Office Trunk',
  region: 'us-east-1',
  requireEncryption: true,
  networkType: 'IPV4_ONLY',
  outboundHostName: 'vc1.voiceconnector.chime.aws',
  tags: { team: 'voice', 'aws:cloudformation:stack-name': 'legacy', 'chimevoice.io/owner': 'ops/old' },
  termination: { disabled: false, cpsLimit: 5, callingRegions: ['US', 'CA'], cidrAllowedList: ['54.239.98.0/24'], defaultPhoneNumber: '+12065550100' },
  credentialUsernames: ['pbx-main', 'pbx-branch'],
  credentialHashes: {},
  origination: { disabled: false, routes: [{ host: 'sbc2.example.com', port: 5061, protocol: 'TCP', priority: 2, weight: 5 }, { host: 'sbc1.example.com', port: 5060, protocol: 'TCP', priority: 1, weight: 10 }] },
  streaming: { disabled: false, dataRetentionInHours: 24, notificationTargets: ['SNS'], callAnalyticsConfigurationArn: CAC_ARN, mediaInsights: { Disabled: false, ConfigurationArn: CAC_ARN } },
  logging: { enableSIPLogs: true, enableMediaMetricLogs: false },
  emergencyCalling: { dnis: [{ emergencyPhoneNumber: '+12065550911', testPhoneNumber: '+12065550933', callingCountry: 'US' }] },
  proxy: { defaultSessionExpiryMinutes: 60, phoneNumberCountries: ['US'], fallBackPhoneNumber: '+12065550101', disabled: false },
  externalSystems: { sessionBorderControllerTypes: ['RIBBON_SBC'], contactCenterSystemTypes: [] },
  ...o,
});

const credentialSecret = (u: string) => ({ name: `office-sip-${u}`, key: 'password' });

describe('VoiceConnector toSpec', () => {
  const cases: Array<[string, VoiceConnectorObserved, ImportNames]> = [
    ['every block configured, references to imported objects', connector(), names],
    ['the call analytics configuration not imported: linked by ARN', connector(), nothingImported],
    ['termination off, no credentials, streaming off', connector({ termination: { disabled: true, callingRegions: [], cidrAllowedList: [] }, credentialUsernames: [], streaming: { disabled: true, notificationTargets: [] }, emergencyCalling: null }), names],
    ['nothing configured but the connector itself', connector({ termination: null, credentialUsernames: [], origination: null, streaming: null, emergencyCalling: null, proxy: null, externalSystems: null, tags: {} }), names],
    ['unencrypted, with a UDP route', connector({ requireEncryption: false, origination: { disabled: false, routes: [{ host: '52.94.10.20', port: 5060, protocol: 'UDP', priority: 1, weight: 1 }] } }), names],
  ];
  it.each(cases)('%s: desired of the spec diffs to nothing', (_name, observed, n) => {
    const spec = voiceConnectorToSpec(observed, { names: n, credentialSecret });
    const desired = voiceConnectorDesired(adopting('VoiceConnector', observed.voiceConnectorId, spec) as never, ctx);
    expect(diffVoiceConnector(desired, observed)).toEqual([]);
  });

  it('writes references, omits blocks AWS never configured, and leaves out AWS\'s and the ownership tags', () => {
    expect(voiceConnectorToSpec(connector(), { names, credentialSecret })).toMatchObject({
      name: 'Office Trunk',
      tags: { team: 'voice' },
      streaming: { callAnalyticsConfigurationRef: { name: 'cc' } },
      termination: {
        callingRegions: ['CA', 'US'],
        credentials: [
          { username: 'pbx-branch', passwordSecretRef: { name: 'office-sip-pbx-branch', key: 'password', optional: true } },
          { username: 'pbx-main', passwordSecretRef: { name: 'office-sip-pbx-main', key: 'password', optional: true } },
        ],
      },
      origination: { routes: [{ host: 'sbc1.example.com', priority: 1 }, { host: 'sbc2.example.com', priority: 2 }] },
    });
    const bare = voiceConnectorToSpec(connector({ termination: null, credentialUsernames: [], proxy: null, tags: { 'aws:x': 'y' } }), { names, credentialSecret });
    expect(bare).not.toHaveProperty('termination');
    expect(bare).not.toHaveProperty('proxy');
    expect(bare).not.toHaveProperty('tags');
    expect(voiceConnectorToSpec(connector(), { names: nothingImported, credentialSecret }).streaming).toMatchObject({ callAnalyticsConfigurationArn: CAC_ARN });
  });

  it('a credential whose optional Secret holds no password is left alone, while one AWS lacks cannot be made without it', () => {
    const spec = voiceConnectorToSpec(connector(), { names, credentialSecret });
    const desired = voiceConnectorDesired(adopting('VoiceConnector', 'vc1', spec) as never, ctx);
    expect(desired.termination!.credentials!.map((c) => [c.username, c.password])).toEqual([
      ['pbx-branch', undefined],
      ['pbx-main', undefined],
    ]);
    // Without `optional`, a missing password is the error it always was.
    const strict = { ...spec, termination: { ...spec.termination!, credentials: [{ username: 'pbx-main', passwordSecretRef: { name: 'office-sip-pbx-main', key: 'password' } }] } };
    expect(() => voiceConnectorDesired(adopting('VoiceConnector', 'vc1', strict) as never, ctx)).toThrow(InvalidSpecError);
    const lacking = diffVoiceConnector(desired, connector({ credentialUsernames: ['pbx-main'] }));
    expect(lacking.map((d) => d.path)).toEqual(['termination.credentials[pbx-branch]']);
    // Planning it is an error naming the Secret to fill: no PutVoiceConnectorTerminationCredentials without a password.
    expect(() => planVoiceConnector(desired, connector({ credentialUsernames: ['pbx-main'] }), lacking)).toThrow(
      /has no credential pbx-branch yet, and Secret office-sip-pbx-branch key password holds no password; supply the password to create it/,
    );
    // While both are in AWS, nothing is planned for them.
    expect(planVoiceConnector(desired, connector(), diffVoiceConnector(desired, connector()))).toEqual([]);
  });
});

describe('the other kinds\' toSpec', () => {
  it('VoiceConnectorGroup: connectors by reference when imported, by id when not', () => {
    const observed: GroupObserved = { voiceConnectorGroupId: 'g1', name: 'East West', items: [{ voiceConnectorId: 'vc2', priority: 2 }, { voiceConnectorId: 'vc1', priority: 1 }], callDistributionType: 'PriorityWeightedDistribution' };
    const spec = voiceConnectorGroupToSpec(observed, { names });
    expect(spec.voiceConnectors).toEqual([{ voiceConnectorRef: { name: 'office' }, priority: 1 }, { voiceConnectorId: 'vc2', priority: 2 }]);
    expect(diffGroup(groupDesired(adopting('VoiceConnectorGroup', 'g1', spec) as never, ctx), observed)).toEqual([]);
  });

  it('SipMediaApplication: endpoint, region, logging and tags', () => {
    const observed: SmaObserved = { sipMediaApplicationId: 'sma2', arn: 'arn:aws:chime:us-west-2:123456789012:sma/sma2', name: 'IVR West', region: 'us-west-2', lambdaArn: 'arn:aws:lambda:us-west-2:123456789012:function:ivr', tags: { team: 'voice' }, enableSipLogs: true };
    const spec = sipMediaApplicationToSpec(observed);
    expect(spec).toEqual({ name: 'IVR West', region: 'us-west-2', endpoint: { lambdaArn: observed.lambdaArn }, tags: { team: 'voice' }, logging: { enableSipLogs: true } });
    expect(diffSma(smaDesired(adopting('SipMediaApplication', 'sma2', spec) as never, ctx), observed)).toEqual([]);
  });

  const rules: Array<[string, ObservedRule, ImportNames]> = [
    ['a number trigger, targets by reference', { sipRuleId: 'r1', name: 'Main Line', disabled: false, triggerType: 'ToPhoneNumber', triggerValue: '+14155550100', targets: [{ sipMediaApplicationId: 'sma1', priority: 1, awsRegion: 'us-east-1' }, { sipMediaApplicationId: 'sma9', priority: 2, awsRegion: 'us-west-2' }] }, names],
    ['a host name trigger of an imported connector, disabled', { sipRuleId: 'r2', name: 'Trunk', disabled: true, triggerType: 'RequestUriHostname', triggerValue: 'vc1.voiceconnector.chime.aws', targets: [{ sipMediaApplicationId: 'sma1', priority: 1, awsRegion: 'us-east-1' }] }, names],
    ['nothing imported: everything by value', { sipRuleId: 'r3', name: 'Other', disabled: false, triggerType: 'RequestUriHostname', triggerValue: 'vc7.voiceconnector.chime.aws', targets: [{ sipMediaApplicationId: 'sma1', priority: 1, awsRegion: 'us-east-1' }] }, nothingImported],
  ];
  it.each(rules)('SipRule, %s: diffs to nothing', (_name, observed, n) => {
    const spec = sipRuleToSpec(observed, { names: n });
    expect(diffRule(ruleDesired(adopting('SipRule', observed.sipRuleId, spec) as never, ctx), { ...observed, stale: [] })).toEqual([]);
  });

  it('VoiceProfileDomain: consent only when someone gives it', () => {
    const observed: VoiceProfileDomainObserved = { voiceProfileDomainId: 'd1', arn: 'arn:aws:chime:us-east-1:123456789012:voice-profile-domain/d1', name: 'Support Voices', region: 'us-east-1', description: 'support', kmsKeyArn: 'arn:aws:kms:us-east-1:123456789012:key/k', tags: {} };
    const spec = voiceProfileDomainToSpec(observed, { acknowledgedBy: 'privacy@example.com' });
    expect(spec.consent).toMatchObject({ acknowledged: true, acknowledgedBy: 'privacy@example.com' });
    expect(diffVoiceProfileDomain(voiceProfileDomainDesired(adopting('VoiceProfileDomain', 'd1', spec) as never, ctx), observed)).toEqual([]);
    expect(voiceProfileDomainToSpec(observed, {}).consent).toEqual({ acknowledged: false });
  });

  it('CallAnalyticsConfiguration: elements and alerts as AWS holds them; consent for voice analytics only', () => {
    const observed: CallAnalyticsConfigurationObserved = {
      mediaInsightsPipelineConfigurationId: 'c1',
      arn: CAC_ARN,
      name: 'cc',
      region: 'us-east-1',
      resourceAccessRoleArn: 'arn:aws:iam::123456789012:role/R',
      elements: [
        { type: 'VoiceAnalyticsProcessor', voiceAnalyticsProcessorConfiguration: { speakerSearchStatus: 'Enabled', voiceToneAnalysisStatus: 'Disabled' } },
        { type: 'KinesisDataStreamSink', kinesisDataStreamSinkConfiguration: { insightsTarget: 'arn:aws:kinesis:us-east-1:123456789012:stream/s' } },
      ],
      tags: { team: 'cc' },
    };
    const spec = callAnalyticsConfigurationToSpec(observed, { acknowledgedBy: 'privacy' });
    expect(spec.consent?.acknowledged).toBe(true);
    expect(diffCallAnalyticsConfiguration(callAnalyticsConfigurationDesired(adopting('CallAnalyticsConfiguration', CAC_ARN, spec) as never, ctx), observed)).toEqual([]);
    const plain = { ...observed, elements: [observed.elements[1]] };
    expect(callAnalyticsConfigurationToSpec(plain, {})).not.toHaveProperty('consent');
  });

  it('VoiceGlobalSettings: the bucket', () => {
    const spec = voiceGlobalSettingsToSpec({ cdrBucket: 'acme-cdrs' });
    expect(diffGlobalSettings(globalSettingsDesired({ ...adopting('VoiceGlobalSettings', 'x', spec), metadata: { name: 'g' } } as never, ctx), { cdrBucket: 'acme-cdrs' })).toEqual([]);
  });

  const number = (o: Partial<PnNumber> = {}): PnNumber => ({
    phoneNumberId: '+12065550100',
    e164: '+12065550100',
    country: 'US',
    type: 'Local',
    productType: 'VoiceConnector',
    status: 'Assigned',
    name: 'reception',
    callingName: 'ACME',
    associations: [{ name: 'VoiceConnectorId', value: 'vc1', label: 'voice connector vc1' }],
    ...o,
  });
  const numbers: Array<[string, PnNumber, ImportNames, Record<string, unknown>]> = [
    ['assigned to an imported connector', number(), names, { assignment: { voiceConnectorRef: { name: 'office' } } }],
    ['assigned to an imported group', number({ associations: [{ name: 'VoiceConnectorGroupId', value: 'g1', label: 'g' }] }), names, { assignment: { voiceConnectorGroupRef: { name: 'east-west' } } }],
    ['assigned to a connector not imported: assignment not managed', number(), nothingImported, {}],
    ['unassigned, no name', number({ status: 'Unassigned', associations: [], name: undefined, callingName: undefined }), names, {}],
    ['in the deletion queue: Report', number({ status: 'DeleteInProgress', associations: [], deletionTimestamp: '2026-12-01T00:00:00.000Z' }), names, { driftPolicy: 'Report' }],
    ['a dial-in number of a SIP rule', number({ e164: '+14155550100', phoneNumberId: '+14155550100', productType: 'SipMediaApplicationDialIn', callingName: undefined, associations: [{ name: 'SipRuleId', value: 'r1', label: 'r' }] }), names, { productType: 'SipMediaApplicationDialIn' }],
    ['being ported in', number({ status: 'PortinInProgress', associations: [] }), names, {}],
  ];
  it.each(numbers)('PhoneNumber %s: diffs to nothing', (_name, n, nameMap, expected) => {
    const { spec } = phoneNumberToSpec(n, { names: nameMap });
    expect(spec).toMatchObject({ e164: n.e164, ...expected });
    if (!('assignment' in expected)) expect(spec).not.toHaveProperty('assignment');
    const desired = phoneNumberDesired(adopting('PhoneNumber', n.e164, spec) as never, ctx);
    expect(diffPhoneNumber(desired, { phase: 'present', number: n, nowMs: 0 })).toEqual([]);
  });
});

describe('import names', () => {
  it('DNS labels from AWS names; colliding names get a digest of the id, whatever the listing order', () => {
    expect(dnsLabel('Office Trunk (NYC) #2')).toBe('office-trunk-nyc-2');
    const items = [
      { id: 'a1', awsName: 'Office Trunk' },
      { id: 'b2', awsName: 'office  trunk' },
      { id: 'c3', awsName: 'Backup' },
      { id: 'd4', awsName: '!!!' },
    ];
    const names1 = assignNames(items, 'voice-connector');
    const names2 = assignNames([...items].reverse(), 'voice-connector');
    expect([...names1.entries()].sort()).toEqual([...names2.entries()].sort());
    expect(names1.get('c3')).toBe('backup');
    expect(names1.get('d4')).toBe('voice-connector-d4');
    expect(names1.get('a1')).toMatch(/^office-trunk-[0-9a-f]{6}$/);
    expect(names1.get('a1')).not.toBe(names1.get('b2'));
  });
});
