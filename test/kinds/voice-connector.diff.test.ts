/** VoiceConnector: desired and diff, field by field (VC1-VC7): differs, equal, and omitted (not managed). */
import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { assertNoSecretLeak } from '../helpers/secrets.js';
import { voiceConnectorDesired, type VoiceConnectorDesired } from '../../src/kinds/voice-connector/desired.js';
import { diffVoiceConnector } from '../../src/kinds/voice-connector/diff.js';
import type { VoiceConnectorObserved } from '../../src/kinds/voice-connector/observe.js';
import { voiceConnectorAtProvider } from '../../src/kinds/voice-connector/index.js';
import { InvalidSpecError, ReferenceNotReadyError } from '../../src/reconcile/errors.js';
import { SecretDigest } from '../../src/reconcile/secret-digest.js';
import type { DesiredContext, ManagedObject } from '../../src/reconcile/types.js';

const OWNER = { 'chimevoice.io/owner': 'default/office' };
const CIDR = '54.239.98.0/24';
const ARN = 'arn:aws:chime:us-east-1:123456789012:media-insights-pipeline-configuration/a';
const digests = new SecretDigest(() => Buffer.alloc(32, 7));
/** The keyed digest status keeps, under this file's test key. */
const dig = (v: string) => digests.of(v);
/** The plain SHA-256 an older release kept: recoverable by brute force, so never shown nor trusted. */
const plainSha = (v: string) => createHash('sha256').update(v).digest('hex');

/** A connector with every sub-configuration read back, as AWS fills it in. */
const observed = (o: Partial<VoiceConnectorObserved> = {}): VoiceConnectorObserved => ({
  voiceConnectorId: 'vc1',
  arn: 'arn:aws:chime:us-east-1:123456789012:vc/vc1',
  name: 'office',
  region: 'us-east-1',
  requireEncryption: true,
  networkType: 'IPV4_ONLY',
  outboundHostName: 'vc1.voiceconnector.chime.aws',
  tags: { ...OWNER, team: 'voice' },
  termination: { disabled: false, cpsLimit: 1, callingRegions: ['US', 'CA'], cidrAllowedList: [CIDR], defaultPhoneNumber: '+12065550100' },
  credentialUsernames: ['alice'],
  credentialHashes: { alice: dig('pw') },
  origination: { disabled: false, routes: [{ host: 'sbc.example.com', port: 5060, protocol: 'TCP', priority: 1, weight: 10 }] },
  streaming: { disabled: false, dataRetentionInHours: 24, notificationTargets: ['SNS', 'SQS'], callAnalyticsConfigurationArn: ARN, mediaInsights: { Disabled: false, ConfigurationArn: ARN } },
  logging: { enableSIPLogs: true, enableMediaMetricLogs: false },
  emergencyCalling: { dnis: [{ emergencyPhoneNumber: '+12065550110', testPhoneNumber: '+12065550111', callingCountry: 'US' }] },
  proxy: { defaultSessionExpiryMinutes: 60, phoneNumberCountries: ['US', 'CA'], fallBackPhoneNumber: '+12065550199', disabled: false },
  externalSystems: { sessionBorderControllerTypes: ['RIBBON_SBC'], contactCenterSystemTypes: [] },
  ...o,
});

const desired = (d: Partial<VoiceConnectorDesired> = {}): VoiceConnectorDesired => ({ name: 'office', tags: { ...OWNER }, ...d });
const cred = (username: string, password: string) => ({ username, password, passwordHash: dig(password) });

describe('VoiceConnector diff', () => {
  const t = (x: object) => ({ termination: { callingRegions: ['US', 'CA'], ...x } });
  const route = { host: 'sbc.example.com', port: 5060, priority: 1, weight: 10 };
  const cases: Array<[string, Partial<VoiceConnectorDesired>, Partial<VoiceConnectorObserved>, string[]]> = [
    ['nothing managed but the name: in sync', {}, {}, []],
    ['name differs', { name: 'trunk' }, {}, ['name']],
    ['region equal', { region: 'us-east-1' }, {}, []],
    ['region differs (VC1)', { region: 'us-west-2' }, {}, ['region']],
    ['region omitted: not compared', {}, { region: 'eu-west-2' }, []],
    ['networkType equal', { networkType: 'IPV4_ONLY' }, {}, []],
    ['networkType differs (VC1)', { networkType: 'DUAL_STACK' }, {}, ['networkType']],
    ['networkType omitted: not compared', {}, { networkType: 'DUAL_STACK' }, []],
    ['requireEncryption equal', { requireEncryption: true }, {}, []],
    ['requireEncryption differs', { requireEncryption: false }, {}, ['requireEncryption']],
    ['requireEncryption omitted: not compared', {}, { requireEncryption: false }, []],
    ['tags equal', { tags: { ...OWNER, team: 'voice' } }, {}, []],
    ['a tag differs', { tags: { ...OWNER, team: 'core' } }, {}, ['tags.team']],
    ['a tag missing in AWS', { tags: { ...OWNER, env: 'prod' } }, {}, ['tags.env']],
    ['tags the spec does not list are left alone', { tags: { ...OWNER } }, { tags: { ...OWNER, other: 'x' } }, []],
    ['the ownership marker missing (adoption)', {}, { tags: { team: 'voice' } }, ['tags.chimevoice.io/owner']],

    ['termination.disabled equal', t({ disabled: false }), {}, []],
    ['termination.disabled differs', t({ disabled: true }), {}, ['termination.disabled']],
    ['termination.disabled omitted: not compared', t({}), { termination: { ...observed().termination!, disabled: true } }, []],
    ['termination.cpsLimit equal', t({ cpsLimit: 1 }), {}, []],
    ['termination.cpsLimit differs', t({ cpsLimit: 5 }), {}, ['termination.cpsLimit']],
    ['termination.cpsLimit 1 matches AWS default when not reported', t({ cpsLimit: 1 }), { termination: { ...observed().termination!, cpsLimit: undefined } }, []],
    ['termination.cpsLimit omitted: not compared', t({}), { termination: { ...observed().termination!, cpsLimit: 9 } }, []],
    ['termination.callingRegions equal in another order', t({ callingRegions: ['CA', 'US'] }), {}, []],
    ['termination.callingRegions differs', t({ callingRegions: ['US'] }), {}, ['termination.callingRegions']],
    ['termination.cidrAllowedList equal', t({ cidrAllowedList: [CIDR] }), {}, []],
    ['termination.cidrAllowedList differs', t({ cidrAllowedList: [CIDR, '3.80.16.0/23'] }), {}, ['termination.cidrAllowedList']],
    ['termination.cidrAllowedList omitted: not compared', t({}), { termination: { ...observed().termination!, cidrAllowedList: ['3.80.16.0/23'] } }, []],
    ['termination.defaultPhoneNumber equal', t({ defaultPhoneNumber: '+12065550100' }), {}, []],
    ['termination.defaultPhoneNumber differs', t({ defaultPhoneNumber: '+12065550101' }), {}, ['termination.defaultPhoneNumber']],
    ['termination.defaultPhoneNumber omitted: not compared', t({}), {}, []],
    ['termination not configured in AWS', t({ disabled: false, cidrAllowedList: [CIDR] }), { termination: null }, ['termination.disabled', 'termination.callingRegions', 'termination.cidrAllowedList']],
    ['termination omitted: not compared', {}, { termination: null }, []],
    ['credentials equal (user names and password hashes)', t({ credentials: [cred('alice', 'pw')] }), {}, []],
    ['credentials: a user name missing in AWS', t({ credentials: [cred('alice', 'pw'), cred('bob', 'pw2')] }), {}, ['termination.credentials[bob]']],
    ['credentials: an extra user name in AWS', t({ credentials: [] }), {}, ['termination.credentials[alice]']],
    ['credentials: the Secret changed (hash differs)', t({ credentials: [cred('alice', 'new')] }), {}, ['termination.credentials[alice].password']],
    ['credentials: a hash unknown to status counts as different', t({ credentials: [cred('alice', 'pw')] }), { credentialHashes: {} }, ['termination.credentials[alice].password']],
    ['credentials: a digest made under another key (a lost key file) counts as unknown', t({ credentials: [cred('alice', 'pw')] }), { credentialHashes: { alice: new SecretDigest(() => Buffer.alloc(32, 8)).of('pw') } }, ['termination.credentials[alice].password']],
    ['credentials: a plain sha256 of an older release counts as unknown', t({ credentials: [cred('alice', 'pw')] }), { credentialHashes: { alice: `sha256:${plainSha('pw')}` } }, ['termination.credentials[alice].password']],
    ['credentials omitted: not compared', t({}), { credentialUsernames: ['zed'] }, []],

    ['origination.disabled equal', { origination: { disabled: false, routes: [route] } }, {}, []],
    ['origination.disabled differs', { origination: { disabled: true } }, {}, ['origination.disabled']],
    ['origination.disabled omitted: not compared', { origination: { routes: [route] } }, { origination: { disabled: true, routes: observed().origination!.routes } }, []],
    ['origination.routes equal, protocol defaulted to TCP on an encrypted connector', { origination: { routes: [route] } }, {}, []],
    ['origination.routes: the UDP default of an unencrypted connector', { origination: { routes: [route] } }, { requireEncryption: false }, ['origination.routes']],
    ['origination.routes: host case and order do not matter', {
      origination: { routes: [{ host: 'b.example.com', port: 5060, priority: 2, weight: 1 }, { ...route, host: 'SBC.example.com' }] },
    }, { origination: { disabled: false, routes: [observed().origination!.routes[0], { host: 'b.example.com', port: 5060, protocol: 'TCP', priority: 2, weight: 1 }] } }, []],
    ['origination.routes: a weight differs', { origination: { routes: [{ ...route, weight: 20 }] } }, {}, ['origination.routes']],
    ['origination.routes: a port differs', { origination: { routes: [{ ...route, port: 5061 }] } }, {}, ['origination.routes']],
    ['origination.routes: an extra route in AWS', { origination: { routes: [route] } }, {
      origination: { disabled: false, routes: [...observed().origination!.routes, { host: 'rogue.example.net', port: 5060, protocol: 'TCP', priority: 1, weight: 1 }] },
    }, ['origination.routes']],
    ['origination not configured in AWS', { origination: { routes: [route] } }, { origination: null }, ['origination.routes']],
    ['origination omitted: not compared', {}, { origination: null }, []],

    ['streaming.disabled equal', { streaming: { disabled: false } }, {}, []],
    ['streaming.disabled differs', { streaming: { disabled: true } }, {}, ['streaming.disabled']],
    ['streaming.dataRetentionInHours equal', { streaming: { dataRetentionInHours: 24 } }, {}, []],
    ['streaming.dataRetentionInHours differs', { streaming: { dataRetentionInHours: 0 } }, {}, ['streaming.dataRetentionInHours']],
    ['streaming.notificationTargets equal in another order', { streaming: { notificationTargets: ['SQS', 'SNS'] } }, {}, []],
    ['streaming.notificationTargets differs', { streaming: { notificationTargets: ['EventBridge'] } }, {}, ['streaming.notificationTargets']],
    ['streaming.callAnalyticsConfigurationArn equal', { streaming: { callAnalyticsConfigurationArn: ARN, callAnalyticsPath: 'streaming.callAnalyticsConfigurationArn' } }, {}, []],
    ['streaming.callAnalyticsConfigurationArn differs', { streaming: { callAnalyticsConfigurationArn: `${ARN}2`, callAnalyticsPath: 'streaming.callAnalyticsConfigurationArn' } }, {}, ['streaming.callAnalyticsConfigurationArn']],
    ['streaming.callAnalyticsConfigurationRef differs (path of the reference)', { streaming: { callAnalyticsConfigurationArn: `${ARN}2`, callAnalyticsPath: 'streaming.callAnalyticsConfigurationRef' } }, {}, ['streaming.callAnalyticsConfigurationRef']],
    ['streaming analytics link omitted: not compared', { streaming: { dataRetentionInHours: 24 } }, { streaming: { ...observed().streaming!, callAnalyticsConfigurationArn: undefined } }, []],
    ['streaming not configured in AWS', { streaming: { disabled: false, dataRetentionInHours: 24 } }, { streaming: null }, ['streaming.disabled', 'streaming.dataRetentionInHours']],
    ['streaming omitted: not compared', {}, { streaming: null }, []],

    ['logging equal', { logging: { enableSIPLogs: true, enableMediaMetricLogs: false } }, {}, []],
    ['logging.enableSIPLogs differs', { logging: { enableSIPLogs: false, enableMediaMetricLogs: false } }, {}, ['logging.enableSIPLogs']],
    ['logging.enableMediaMetricLogs differs', { logging: { enableSIPLogs: true, enableMediaMetricLogs: true } }, {}, ['logging.enableMediaMetricLogs']],
    ['logging omitted: not compared', {}, { logging: { enableSIPLogs: true, enableMediaMetricLogs: true } }, []],

    ['emergencyCalling equal', { emergencyCalling: { dnis: [{ emergencyPhoneNumber: '+12065550110', testPhoneNumber: '+12065550111', callingCountry: 'US' }] } }, {}, []],
    ['emergencyCalling: a number differs', { emergencyCalling: { dnis: [{ emergencyPhoneNumber: '+12065550120', callingCountry: 'US' }] } }, {}, ['emergencyCalling.dnis']],
    ['emergencyCalling: an empty list removes it', { emergencyCalling: { dnis: [] } }, {}, ['emergencyCalling.dnis']],
    ['emergencyCalling: an empty list, none in AWS', { emergencyCalling: { dnis: [] } }, { emergencyCalling: null }, []],
    ['emergencyCalling omitted: not compared', {}, {}, []],

    ['proxy equal', { proxy: { defaultSessionExpiryMinutes: 60, phoneNumberCountries: ['CA', 'US'], fallBackPhoneNumber: '+12065550199', disabled: false } }, {}, []],
    ['proxy.defaultSessionExpiryMinutes differs', { proxy: { defaultSessionExpiryMinutes: 30, phoneNumberCountries: ['US', 'CA'] } }, {}, ['proxy.defaultSessionExpiryMinutes']],
    ['proxy.phoneNumberCountries differs', { proxy: { defaultSessionExpiryMinutes: 60, phoneNumberCountries: ['US'] } }, {}, ['proxy.phoneNumberCountries']],
    ['proxy.fallBackPhoneNumber differs', { proxy: { defaultSessionExpiryMinutes: 60, phoneNumberCountries: ['US', 'CA'], fallBackPhoneNumber: '+12065550198' } }, {}, ['proxy.fallBackPhoneNumber']],
    ['proxy.disabled differs', { proxy: { defaultSessionExpiryMinutes: 60, phoneNumberCountries: ['US', 'CA'], disabled: true } }, {}, ['proxy.disabled']],
    ['proxy.fallBackPhoneNumber and disabled omitted: not compared', { proxy: { defaultSessionExpiryMinutes: 60, phoneNumberCountries: ['US', 'CA'] } }, { proxy: { ...observed().proxy!, disabled: true } }, []],
    ['proxy not configured in AWS', { proxy: { defaultSessionExpiryMinutes: 60, phoneNumberCountries: ['US'] } }, { proxy: null }, ['proxy.defaultSessionExpiryMinutes', 'proxy.phoneNumberCountries']],
    ['proxy omitted: not compared', {}, { proxy: null }, []],

    ['externalSystems equal', { externalSystems: { sessionBorderControllerTypes: ['RIBBON_SBC'], contactCenterSystemTypes: [] } }, {}, []],
    ['externalSystems.sessionBorderControllerTypes differs', { externalSystems: { sessionBorderControllerTypes: ['AVAYA_SBCE'] } }, {}, ['externalSystems.sessionBorderControllerTypes']],
    ['externalSystems.contactCenterSystemTypes differs', { externalSystems: { contactCenterSystemTypes: ['AVAYA_AURA_CONTACT_CENTER'] } }, {}, ['externalSystems.contactCenterSystemTypes']],
    ['externalSystems: a list omitted is not compared', { externalSystems: { contactCenterSystemTypes: [] } }, {}, []],
    ['externalSystems not configured in AWS', { externalSystems: { sessionBorderControllerTypes: ['RIBBON_SBC'] } }, { externalSystems: null }, ['externalSystems.sessionBorderControllerTypes']],
    ['externalSystems omitted: not compared', {}, {}, []],
  ];
  it.each(cases)('%s', (_name, d, o, paths) => {
    expect(diffVoiceConnector(desired(d), observed(o)).map((x) => x.path)).toEqual(paths);
  });

  it('VC1: region and network type differences require replacement; nothing else does', () => {
    const diffs = diffVoiceConnector(desired({ region: 'eu-west-2', networkType: 'DUAL_STACK', name: 'x' }), observed());
    expect(diffs).toEqual([
      { path: 'name', desired: 'x', actual: 'office' },
      { path: 'region', desired: 'eu-west-2', actual: 'us-east-1', requiresReplacement: true },
      { path: 'networkType', desired: 'DUAL_STACK', actual: 'IPV4_ONLY', requiresReplacement: true },
    ]);
  });

  it('a password change is said in words: no value, no digest of either password', () => {
    const diffs = diffVoiceConnector(desired(t({ credentials: [cred('alice', 'secret-new')] })), observed());
    expect(diffs).toEqual([{ path: 'termination.credentials[alice].password', desired: '(secret)', actual: '(secret)', redacted: 'password changed' }]);
    assertNoSecretLeak(JSON.stringify(diffs), ['secret-new']);
    expect(JSON.stringify(diffs)).not.toContain(dig('secret-new').split(':')[2]);
  });

  it('a password status cannot vouch for (another key, an older plain hash) is unknown, not changed', () => {
    const [d] = diffVoiceConnector(desired(t({ credentials: [cred('alice', 'pw')] })), observed({ credentialHashes: { alice: `sha256:${plainSha('pw')}` } }));
    expect(d).toEqual({ path: 'termination.credentials[alice].password', desired: '(secret)', actual: undefined, redacted: 'password not known to be in AWS' });
  });

  it('reports sets sorted, with desired and actual values', () => {
    const [d] = diffVoiceConnector(desired(t({ cidrAllowedList: ['3.80.16.0/23', CIDR] })), observed());
    expect(d).toEqual({ path: 'termination.cidrAllowedList', desired: ['3.80.16.0/23', CIDR], actual: [CIDR] });
  });
});

function ctx(secrets: Record<string, Record<string, string>> = {}, refs: Record<string, Record<string, unknown>> = {}, lenient = false): DesiredContext {
  return {
    lenient,
    resolve: (kind, name) => {
      const found = refs[`${kind}/${name}`];
      if (!found) {
        if (lenient) return { arn: `(arn of ${kind} ${name}, known after apply)` };
        throw new ReferenceNotReadyError(`${kind} ${name} is not Ready yet`, 'ReferenceNotReady');
      }
      return found;
    },
    secret: (name, key) => {
      const v = secrets[name]?.[key];
      if (v === undefined) throw new InvalidSpecError(`Secret default/${name} has no key ${key}`);
      return v;
    },
    digestSecret: (value) => digests.of(value),
  };
}

const obj = (spec: Record<string, unknown>, metadata: Partial<ManagedObject['metadata']> = {}): ManagedObject => ({
  apiVersion: 'chimevoice.io/v1alpha1',
  kind: 'VoiceConnector',
  metadata: { name: 'office', namespace: 'default', ...metadata },
  spec,
});

describe('VoiceConnector desired', () => {
  it('defaults the AWS name to metadata.name and always carries the ownership marker; unmanaged blocks stay undefined', () => {
    expect(voiceConnectorDesired(obj({ tags: { team: 'voice' } }), ctx())).toEqual({
      name: 'office',
      tags: { team: 'voice', 'chimevoice.io/owner': 'default/office' },
    });
  });

  it('reads credentials from Secrets and keeps their keyed digest, never a plain hash', () => {
    const d = voiceConnectorDesired(
      obj({ termination: { callingRegions: ['US'], credentials: [{ username: 'alice', passwordSecretRef: { name: 'sip', key: 'a' } }] } }),
      ctx({ sip: { a: 'pw' } }),
    );
    expect(d.termination!.credentials).toEqual([{ username: 'alice', password: 'pw', passwordHash: dig('pw') }]);
    expect(d.termination!.credentials![0].passwordHash).toMatch(/^hmac-sha256:[0-9a-f]{16}:[0-9a-f]{64}$/);
    expect(d.termination!.credentials![0].passwordHash).not.toContain(plainSha('pw'));
  });

  it('fills AWS defaults the schema documents: port 5060, logging members off, calling country US', () => {
    const d = voiceConnectorDesired(
      obj({
        origination: { routes: [{ host: 'sbc.example.com', priority: 1, weight: 1 }] },
        logging: { enableSIPLogs: true },
        emergencyCalling: { dnis: [{ emergencyPhoneNumber: '+12065550100' }] },
        termination: { callingRegions: ['US'] },
      }),
      ctx(),
    );
    expect(d.origination!.routes).toEqual([{ host: 'sbc.example.com', port: 5060, priority: 1, weight: 1 }]);
    expect(d.logging).toEqual({ enableSIPLogs: true, enableMediaMetricLogs: false });
    expect(d.emergencyCalling!.dnis).toEqual([{ emergencyPhoneNumber: '+12065550100', callingCountry: 'US' }]);
  });

  it('VC6: resolves the call analytics reference to its ARN, waits when it is not Ready, and shows a placeholder in plan mode', () => {
    const spec = { streaming: { dataRetentionInHours: 1, callAnalyticsConfigurationRef: { name: 'ca' } } };
    expect(voiceConnectorDesired(obj(spec), ctx({}, { 'CallAnalyticsConfiguration/ca': { arn: ARN } })).streaming).toEqual({
      dataRetentionInHours: 1,
      callAnalyticsConfigurationArn: ARN,
      callAnalyticsPath: 'streaming.callAnalyticsConfigurationRef',
    });
    expect(() => voiceConnectorDesired(obj(spec), ctx())).toThrow(ReferenceNotReadyError);
    expect(voiceConnectorDesired(obj(spec), ctx({}, {}, true)).streaming!.callAnalyticsConfigurationArn).toContain('known after apply');
  });

  const invalid: Array<[string, Record<string, unknown>, RegExp]> = [
    ['VC2: a UDP route on a connector that requires encryption (the default)', { origination: { routes: [{ host: 'h.example.com', protocol: 'UDP', priority: 1, weight: 1 }] } }, /UDP.*VC2/],
    ['VC5: emergency calling with termination disabled', { termination: { disabled: true }, emergencyCalling: { dnis: [{ emergencyPhoneNumber: '+12065550100' }] } }, /VC5/],
    ['VC5: two DNIS entries for one country', { emergencyCalling: { dnis: [{ emergencyPhoneNumber: '+12065550100' }, { emergencyPhoneNumber: '+12065550101' }] } }, /already has a DNIS/],
    ['VC3: termination enabled without calling regions', { termination: { cidrAllowedList: [CIDR] } }, /callingRegions/],
    ['VC4: origination enabled without routes', { origination: {} }, /at least one route/],
    ['VC6: streaming enabled without retention', { streaming: { notificationTargets: ['SNS'] } }, /dataRetentionInHours/],
    ['a duplicate credential user name', {
      termination: { callingRegions: ['US'], credentials: [{ username: 'a', passwordSecretRef: { name: 'sip', key: 'a' } }, { username: 'a', passwordSecretRef: { name: 'sip', key: 'a' } }] },
    }, /more than once/],
    ['a password that is not printable US-ASCII', { termination: { callingRegions: ['US'], credentials: [{ username: 'a', passwordSecretRef: { name: 'sip', key: 'bad' } }] } }, /printable US-ASCII/],
    ['a missing Secret key', { termination: { callingRegions: ['US'], credentials: [{ username: 'a', passwordSecretRef: { name: 'sip', key: 'nope' } }] } }, /no key nope/],
    ['the ownership tag set in the spec', { tags: { 'chimevoice.io/owner': 'x' } }, /ownership marker/],
    ['a duplicate CIDR', { termination: { callingRegions: ['US'], cidrAllowedList: [CIDR, CIDR] } }, /more than once/],
    ['both an analytics ARN and reference', { streaming: { dataRetentionInHours: 1, callAnalyticsConfigurationArn: ARN, callAnalyticsConfigurationRef: { name: 'x' } } }, /not both/],
  ];
  it.each(invalid)('InvalidSpecError: %s', (_name, spec, message) => {
    const run = () => voiceConnectorDesired(obj(spec), ctx({ sip: { a: 'pw', bad: 'pässword' } }));
    expect(run).toThrow(InvalidSpecError);
    expect(run).toThrow(message);
  });

  it('an error about a password names the Secret, never the value', () => {
    try {
      voiceConnectorDesired(obj({ termination: { callingRegions: ['US'], credentials: [{ username: 'a', passwordSecretRef: { name: 'sip', key: 'bad' } }] } }), ctx({ sip: { bad: 'pässword' } }));
      expect.unreachable();
    } catch (err) {
      expect((err as Error).message).toContain('Secret sip key bad');
      expect((err as Error).message).not.toContain('pässword');
    }
  });
});

describe('VoiceConnector atProvider', () => {
  it('keeps identity, health and the hashes of passwords AWS is known to hold, never a password', () => {
    const at = voiceConnectorAtProvider(observed({ credentialUsernames: ['bob', 'alice'], credentialHashes: { alice: dig('pw') }, terminationHealth: { timestamp: '2024-01-01T00:00:00.000Z', source: '54.239.98.1' } }), desired({ tags: { ...OWNER, team: 'voice' } }));
    expect(at).toEqual({
      voiceConnectorId: 'vc1',
      appliedTagKeys: ['team'],
      arn: 'arn:aws:chime:us-east-1:123456789012:vc/vc1',
      outboundHostName: 'vc1.voiceconnector.chime.aws',
      region: 'us-east-1',
      networkType: 'IPV4_ONLY',
      terminationCredentials: [{ username: 'alice', passwordHash: dig('pw') }],
      terminationHealth: { timestamp: '2024-01-01T00:00:00.000Z', source: '54.239.98.1' },
    });
  });
});
