/**
 * VoiceConnector: the observation after a plan ran, folded from its writes' answers (answers.ts).
 * A table of {before, desired, executed} → {observed parts, parts left to read}.
 */
import { describe, expect, it } from 'vitest';
import { TERMINATION_HEALTH_EVERY_MS, voiceConnectorAnswered } from '../../src/kinds/voice-connector/answers.js';
import type { VoiceConnectorDesired } from '../../src/kinds/voice-connector/desired.js';
import type { VoiceConnectorObserved } from '../../src/kinds/voice-connector/observe.js';
import { planVoiceConnector } from '../../src/kinds/voice-connector/plan.js';
import { SecretDigest } from '../../src/reconcile/secret-digest.js';
import type { ExecutedAction, PlannedAction } from '../../src/reconcile/types.js';

const NOW = new Date('2026-12-01T12:00:00Z');
const OWNER = { 'chimevoice.io/owner': 'default/office' };
const VC_ARN = 'arn:aws:chime:us-east-1:123456789012:vc/vc1';
const digests = new SecretDigest(() => Buffer.alloc(32, 7));
const HEALTH_FRESH = { source: '10.0.0.1', timestamp: '2026-12-01T11:59:00.000Z', readAt: '2026-12-01T11:58:00.000Z' };

const before = (o: Partial<VoiceConnectorObserved> = {}): VoiceConnectorObserved => ({
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
const action = (operation: string, input: Record<string, unknown> = { VoiceConnectorId: 'vc1' }): PlannedAction => ({ service: 'voice', operation, input, description: operation });
const ok = (operation: string, output?: unknown, input?: Record<string, unknown>): ExecutedAction => ({ action: action(operation, input), ok: true, ...(output !== undefined ? { output } : {}) });
const failed = (operation: string): ExecutedAction => ({ action: action(operation), ok: false, error: 'ServiceFailureException' });

const TERMINATION_ANSWER = { Termination: { CpsLimit: 3, CallingRegions: ['US'], CidrAllowedList: ['54.239.98.0/24'], Disabled: false } };
const TERMINATION_DESIRED = { cpsLimit: 3, callingRegions: ['US'], cidrAllowedList: ['54.239.98.0/24'] };

interface Case {
  name: string;
  before: VoiceConnectorObserved | undefined;
  desired: VoiceConnectorDesired;
  executed: ExecutedAction[];
  /** Members the folded observation must have (toMatchObject). */
  observed?: Partial<VoiceConnectorObserved>;
  unread?: string[];
  /** The fold gives up: the engine observes in full. */
  full?: true;
}

const CASES: Case[] = [
  {
    name: "a Put's answer is the stored sub-configuration, AWS's values rather than the spec's (nothing read)",
    before: before({ termination: null, terminationHealth: HEALTH_FRESH }),
    desired: desired({ termination: { ...TERMINATION_DESIRED, cpsLimit: 1 } }),
    executed: [ok('PutVoiceConnectorTermination', TERMINATION_ANSWER)],
    observed: { termination: { disabled: false, cpsLimit: 3, callingRegions: ['US'], cidrAllowedList: ['54.239.98.0/24'] }, terminationHealth: HEALTH_FRESH },
    unread: [],
  },
  {
    name: 'every Put with a stored shape is folded; parts not written keep what was observed before the writes',
    before: before({ origination: null, logging: { enableSIPLogs: false, enableMediaMetricLogs: false }, streaming: { disabled: true, notificationTargets: [] } }),
    desired: desired({ logging: { enableSIPLogs: true, enableMediaMetricLogs: false }, origination: {}, streaming: {} }),
    executed: [
      ok('PutVoiceConnectorOrigination', { Origination: { Disabled: false, Routes: [{ Host: 'sbc.example.com', Port: 5061, Priority: 1, Weight: 10 }] } }),
      ok('PutVoiceConnectorLoggingConfiguration', { LoggingConfiguration: { EnableSIPLogs: true } }),
      ok('PutVoiceConnectorEmergencyCallingConfiguration', { EmergencyCallingConfiguration: { DNIS: [{ EmergencyPhoneNumber: '+12065550110', CallingCountry: 'US' }] } }),
      ok('PutVoiceConnectorProxy', { Proxy: { DefaultSessionExpiryMinutes: 60, PhoneNumberCountries: ['US'], Disabled: false } }),
      ok('PutVoiceConnectorExternalSystemsConfiguration', { ExternalSystemsConfiguration: { SessionBorderControllerTypes: ['RIBBON_SBC'] } }),
    ],
    observed: {
      // The encrypted connector's implied protocol, as a read would give it.
      origination: { disabled: false, routes: [{ host: 'sbc.example.com', port: 5061, protocol: 'TCP', priority: 1, weight: 10 }] },
      logging: { enableSIPLogs: true, enableMediaMetricLogs: false },
      emergencyCalling: { dnis: [{ emergencyPhoneNumber: '+12065550110', callingCountry: 'US' }] },
      proxy: { disabled: false, defaultSessionExpiryMinutes: 60, phoneNumberCountries: ['US'] },
      externalSystems: { sessionBorderControllerTypes: ['RIBBON_SBC'], contactCenterSystemTypes: [] },
      streaming: { disabled: true, notificationTargets: [] },
    },
    unread: [],
  },
  {
    name: 'a Put that failed leaves its part to read',
    before: before({ termination: null, terminationHealth: HEALTH_FRESH }),
    desired: desired({ termination: TERMINATION_DESIRED }),
    executed: [failed('PutVoiceConnectorTermination')],
    unread: ['termination'],
  },
  {
    name: 'a Put whose answer lacks the stored shape leaves its part to read',
    before: before({ logging: { enableSIPLogs: false, enableMediaMetricLogs: false } }),
    desired: desired({ logging: { enableSIPLogs: true, enableMediaMetricLogs: false } }),
    executed: [ok('PutVoiceConnectorLoggingConfiguration', {})],
    unread: ['logging'],
  },
  {
    name: 'writes that answer nothing (credentials, tags, a deleted block) leave their parts to read',
    before: before({ credentialUsernames: [], emergencyCalling: { dnis: [] }, terminationHealth: HEALTH_FRESH }),
    desired: desired({ termination: { credentials: [{ username: 'alice', password: 'pw', passwordHash: digests.of('pw') }] } }),
    executed: [
      ok('TagResource', undefined, { ResourceARN: VC_ARN, Tags: [] }),
      ok('DeleteVoiceConnectorEmergencyCallingConfiguration'),
      ok('PutVoiceConnectorTerminationCredentials', undefined, { VoiceConnectorId: 'vc1', Credentials: [] }),
    ],
    // The password AWS never returns is known from the successful write.
    observed: { credentialHashes: { alice: digests.of('pw') } },
    unread: ['tags', 'emergencyCalling', 'credentials'],
  },
  {
    name: "UpdateVoiceConnector's answer is the connector's identity",
    before: before({ requireEncryption: false, terminationHealth: HEALTH_FRESH }),
    desired: desired({ name: 'office-2', requireEncryption: true }),
    executed: [ok('UpdateVoiceConnector', { VoiceConnector: { VoiceConnectorId: 'vc1', Name: 'office-2', RequireEncryption: true, VoiceConnectorArn: VC_ARN } })],
    observed: { name: 'office-2', requireEncryption: true },
    unread: [],
  },
  {
    name: 'termination health due on its cadence is read, written or not',
    before: before({ termination: null, terminationHealth: { ...HEALTH_FRESH, readAt: new Date(NOW.getTime() - TERMINATION_HEALTH_EVERY_MS).toISOString() } }),
    desired: desired({ termination: TERMINATION_DESIRED }),
    executed: [ok('PutVoiceConnectorTermination', TERMINATION_ANSWER)],
    unread: ['terminationHealth'],
  },
  {
    name: 'an operation the fold does not know: observe in full',
    before: before(),
    desired: desired(),
    executed: [ok('DeleteVoiceConnectorOrigination')],
    full: true,
  },
  {
    name: 'a create without its answer (no id): observe in full',
    before: undefined,
    desired: desired(),
    executed: [ok('CreateVoiceConnector', {}, { Name: 'office', Tags: [] })],
    full: true,
  },
];

describe('VoiceConnector answers: the observation after the writes', () => {
  for (const c of CASES) {
    it(c.name, () => {
      const folded = voiceConnectorAnswered(c.before, c.desired, c.executed, NOW);
      if (c.full) {
        expect(folded).toBeUndefined();
        return;
      }
      expect(folded).toBeDefined();
      if (c.observed) expect(folded!.observed).toMatchObject(c.observed);
      expect([...folded!.unread].sort()).toEqual([...(c.unread ?? [])].sort());
    });
  }

  it('leaves the observation before the writes unchanged (pure)', () => {
    const b = before({ termination: null });
    const copy = structuredClone(b);
    voiceConnectorAnswered(b, desired({ termination: TERMINATION_DESIRED }), [ok('PutVoiceConnectorTermination', TERMINATION_ANSWER)], NOW);
    expect(b).toEqual(copy);
  });

  it("a create's answer is the new connector, with the tags it carried; managed parts no Put answered are read", () => {
    const d = desired({
      tags: { ...OWNER, team: 'voice' },
      termination: TERMINATION_DESIRED,
      // Logging as AWS creates it: planned against the fresh connector, no Put is needed, so nothing told it.
      logging: { enableSIPLogs: false, enableMediaMetricLogs: false },
    });
    const [create, ...puts] = planVoiceConnector(d, undefined, []);
    expect(puts.map((p) => p.operation)).toEqual(['PutVoiceConnectorTermination']);
    const created = { VoiceConnector: { VoiceConnectorId: 'new1', Name: 'office', AwsRegion: 'us-east-1', RequireEncryption: true, NetworkType: 'IPV4_ONLY', VoiceConnectorArn: VC_ARN, OutboundHostName: 'new1.voiceconnector.chime.aws' } };
    const folded = voiceConnectorAnswered(undefined, d, [{ action: create, ok: true, output: created }, { action: puts[0], ok: true, output: TERMINATION_ANSWER }], NOW)!;
    expect(folded.observed).toMatchObject({
      voiceConnectorId: 'new1',
      arn: VC_ARN,
      outboundHostName: 'new1.voiceconnector.chime.aws',
      tags: { ...OWNER, team: 'voice' },
      termination: { disabled: false, cpsLimit: 3, callingRegions: ['US'], cidrAllowedList: ['54.239.98.0/24'] },
    });
    // Health has never been read for a new connector; logging was assumed, not answered.
    expect([...folded.unread].sort()).toEqual(['logging', 'terminationHealth']);
  });
});
