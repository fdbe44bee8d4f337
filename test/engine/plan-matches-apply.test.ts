/**
 * `plan` never leaves out a write `apply` makes: for a fresh object of every creating kind, the
 * operations the dry run lists (those that run now and those marked as waiting for AWS) are
 * exactly the mutating calls `apply` then makes until the object is Ready, counted by the
 * emulator. The writes that must wait (a number's calling name and assignment wait for its order)
 * carry `after` in the plan and are not sent in the pass that plans them.
 */
import { describe, expect, it } from 'vitest';
import { isReadOperation } from '../../src/aws/context.js';
import { seedPortingOrder } from '../../src/emulator/services/index.js';
import { ORDER_PROCESSING_MS } from '../../src/emulator/services/phone-numbers.js';
import { handlers as allHandlers } from '../../src/kinds/index.js';
import { createPhoneNumberHandler } from '../../src/kinds/phone-number/index.js';
import { anyKind, type AnyKindHandler, type ManagedObject, type ReconcileResult } from '../../src/reconcile/types.js';
import { engineHarness, type EngineHarness } from '../helpers/engine.js';
import { callsOf, engineSuite } from '../helpers/suite.js';

const { emu } = engineSuite();
const ACCOUNT = '123456789012';

const handlers = (): ReadonlyMap<string, AnyKindHandler> =>
  new Map<string, AnyKindHandler>([...allHandlers, ['PhoneNumber', anyKind(createPhoneNumberHandler({ now: () => emu().clock.now() }))]]);

const obj = (kind: string, name: string, spec: Record<string, unknown>): ManagedObject => ({
  apiVersion: 'chimevoice.io/v1alpha1',
  kind,
  metadata: { name, namespace: 'default', uid: `uid-${name}` },
  spec,
});

const CONSENT = { acknowledged: true, acknowledgedBy: 'privacy@example.com', reference: 'TICKET-42' };
const lambda = (region: string) => `arn:aws:lambda:${region}:${ACCOUNT}:function:ivr`;
const trunk = () => obj('VoiceConnector', 'trunk', { region: 'us-east-1', requireEncryption: true });
const ivrApp = () => obj('SipMediaApplication', 'ivr', { region: 'us-east-1', endpoint: { lambdaArn: lambda('us-east-1') } });

interface Scenario {
  /** Objects made Ready first (their calls are not counted). */
  before: ManagedObject[];
  subject: ManagedObject;
  secrets?: Record<string, Record<string, string>>;
  /** Runs once the objects of `before` are Ready: AWS as the subject finds it. */
  setup?: () => void;
}

const SCENARIOS: Record<string, () => Scenario> = {
  'VoiceConnector with every setting': () => ({
    before: [obj('CallAnalyticsConfiguration', 'insights', {
      resourceAccessRoleArn: `arn:aws:iam::${ACCOUNT}:role/analytics`,
      elements: [
        { type: 'AmazonTranscribeProcessor', amazonTranscribeProcessorConfiguration: { languageCode: 'en-US' } },
        { type: 'KinesisDataStreamSink', kinesisDataStreamSinkConfiguration: { insightsTarget: `arn:aws:kinesis:us-east-1:${ACCOUNT}:stream/x` } },
      ],
    })],
    secrets: { 'default/sip': { alice: 'alice-pw-1' } },
    subject: obj('VoiceConnector', 'office', {
      name: 'office-trunk',
      region: 'us-east-1',
      requireEncryption: true,
      tags: { team: 'voice' },
      termination: { cpsLimit: 5, callingRegions: ['US'], cidrAllowedList: ['54.239.98.0/24'], credentials: [{ username: 'alice', passwordSecretRef: { name: 'sip', key: 'alice' } }] },
      origination: { routes: [{ host: 'sbc1.example.com', port: 5061, protocol: 'TCP', priority: 1, weight: 10 }] },
      streaming: { dataRetentionInHours: 24, notificationTargets: ['SNS'], callAnalyticsConfigurationRef: { name: 'insights' } },
      logging: { enableSIPLogs: true, enableMediaMetricLogs: true },
      emergencyCalling: { dnis: [{ emergencyPhoneNumber: '+12065550100', testPhoneNumber: '+12065550101', callingCountry: 'US' }] },
      proxy: { defaultSessionExpiryMinutes: 60, phoneNumberCountries: ['US'] },
      externalSystems: { sessionBorderControllerTypes: ['RIBBON_SBC'] },
    }),
  }),
  'VoiceConnectorGroup': () => ({
    before: [trunk()],
    subject: obj('VoiceConnectorGroup', 'group', { name: 'contact-center', callDistributionType: 'PriorityWeightedDistribution', voiceConnectors: [{ voiceConnectorRef: { name: 'trunk' }, priority: 1 }] }),
  }),
  'PhoneNumber ordered, named, with a calling name, assigned to a connector': () => ({
    before: [trunk()],
    subject: obj('PhoneNumber', 'front-desk', {
      order: { country: 'US', areaCode: '206' },
      productType: 'VoiceConnector',
      name: 'Front desk',
      callingName: 'Front desk',
      assignment: { voiceConnectorRef: { name: 'trunk' } },
    }),
  }),
  'PhoneNumber ordered and assigned to a group': () => ({
    before: [trunk(), obj('VoiceConnectorGroup', 'group', { name: 'cc', voiceConnectors: [{ voiceConnectorRef: { name: 'trunk' }, priority: 1 }] })],
    subject: obj('PhoneNumber', 'support', { order: { country: 'US', numberType: 'TollFree', tollFreePrefix: '833' }, productType: 'VoiceConnector', assignment: { voiceConnectorGroupRef: { name: 'group' } } }),
  }),
  'PhoneNumber claimed while it is being ported in, named, with a calling name, assigned': () => ({
    before: [trunk()],
    setup: () => void seedPortingOrder(emu().state, emu().clock.now(), { numbers: ['+13125550100'], productType: 'VoiceConnector', stepMs: 60_000 }),
    subject: obj('PhoneNumber', 'ported', { e164: '+13125550100', productType: 'VoiceConnector', name: 'Ported line', callingName: 'Ported', assignment: { voiceConnectorRef: { name: 'trunk' } } }),
  }),
  'SipMediaApplication with logging and Alexa skills': () => ({
    before: [],
    subject: obj('SipMediaApplication', 'ivr-west', {
      name: 'ivr-west',
      region: 'us-west-2',
      endpoint: { lambdaArn: lambda('us-west-2') },
      tags: { team: 'voice' },
      logging: { enableSipLogs: true },
      alexaSkills: { status: 'ACTIVE', skillIds: ['amzn1.application-oa2-client.0123456789abcdef0123456789abcdef'] },
    }),
  }),
  'SipRule': () => ({
    before: [trunk(), ivrApp()],
    subject: obj('SipRule', 'rule', {
      name: 'ivr-rule',
      trigger: { type: 'RequestUriHostname', voiceConnectorRef: { name: 'trunk' } },
      targetApplications: [{ sipMediaApplicationRef: { name: 'ivr' }, priority: 1, region: 'us-east-1' }],
    }),
  }),
  'VoiceProfileDomain': () => ({
    before: [],
    subject: obj('VoiceProfileDomain', 'speakers', {
      name: 'speakers',
      description: 'enrolled callers',
      kmsKeyArn: `arn:aws:kms:us-east-1:${ACCOUNT}:key/1234abcd-12ab-34cd-56ef-1234567890ab`,
      consent: CONSENT,
      tags: { team: 'voice' },
    }),
  }),
  'CallAnalyticsConfiguration': () => ({
    before: [],
    subject: obj('CallAnalyticsConfiguration', 'insights', {
      resourceAccessRoleArn: `arn:aws:iam::${ACCOUNT}:role/analytics`,
      elements: [
        { type: 'AmazonTranscribeCallAnalyticsProcessor', amazonTranscribeCallAnalyticsProcessorConfiguration: { languageCode: 'en-US' } },
        { type: 'KinesisDataStreamSink', kinesisDataStreamSinkConfiguration: { insightsTarget: `arn:aws:kinesis:us-east-1:${ACCOUNT}:stream/x` } },
      ],
      realTimeAlertConfiguration: { rules: [{ type: 'IssueDetection', issueDetectionConfiguration: { ruleName: 'issues' } }] },
      tags: { team: 'voice' },
    }),
  }),
  'VoiceGlobalSettings': () => ({
    before: [],
    subject: obj('VoiceGlobalSettings', 'account', { voiceConnector: { cdrBucket: 'example-cdrs' } }),
  }),
};

/** Reconciles until Ready, letting emulated time pass for whatever AWS is doing (an order). */
async function untilReady(h: EngineHarness, o: ManagedObject): Promise<ReconcileResult> {
  let r = await h.reconcile(o);
  for (let i = 0; i < 20 && r.phase !== 'Ready'; i++) {
    emu().clock.advance(Math.max(r.requeueAfterMs ?? 0, ORDER_PROCESSING_MS));
    r = await h.reconcile(o);
  }
  expect(r.phase, `${o.kind} ${o.metadata.name}: ${r.status.conditions?.map((c) => `${c.type} ${c.reason}: ${c.message}`).join('; ')}`).toBe('Ready');
  return r;
}

const sorted = (ops: string[]) => [...ops].sort();
const mutatingCalls = () => Object.entries(callsOf(emu(), (op) => !isReadOperation(op))).flatMap(([op, n]) => Array<string>(n).fill(op));

describe('plan lists every write apply makes for a fresh object', () => {
  for (const [name, make] of Object.entries(SCENARIOS)) {
    it(name, async () => {
      const s = make();
      const h = engineHarness(emu(), { handlers: handlers() });
      for (const [k, v] of Object.entries(s.secrets ?? {})) h.secrets.set(k, v);
      for (const o of s.before) await untilReady(h, o);
      s.setup?.();
      h.world.put(s.subject);

      const dry = engineHarness(emu(), { handlers: handlers(), dryRun: true, objects: h.world.all() });
      for (const [k, v] of Object.entries(s.secrets ?? {})) dry.secrets.set(k, v);
      emu().resetCounters();
      const planned = await dry.reconcile(s.subject);
      expect(mutatingCalls(), 'plan writes nothing').toEqual([]);
      const plannedOps = planned.actions.map((a) => a.action.operation);

      await untilReady(h, s.subject);
      expect(sorted(mutatingCalls())).toEqual(sorted(plannedOps));
    });
  }
});

describe("the engine's delete in dry-run mode (destroy --dry-run, plan --prune)", () => {
  const frontDesk = () => obj('PhoneNumber', 'front-desk', { order: { country: 'US', areaCode: '206' }, productType: 'VoiceConnector', assignment: { voiceConnectorRef: { name: 'trunk' } } });

  it('lists the calls delete then makes, writing nothing; a deletion waiting for another object of the project is marked after it', async () => {
    const h = engineHarness(emu(), { handlers: handlers() });
    await untilReady(h, trunk());
    await untilReady(h, frontDesk());
    const dry = engineHarness(emu(), { handlers: handlers(), dryRun: true, objects: h.world.all() });
    emu().resetCounters();
    const trunkPreview = await dry.engine.delete(h.get('VoiceConnector', 'trunk'), dry.world);
    expect(trunkPreview.phase).toBe('Planned');
    expect(trunkPreview.actions.map((a) => [a.action.operation, a.action.after?.awaits])).toEqual([
      ['DeleteVoiceConnector', expect.stringMatching(/^phone number \+1206\d{7} \(PhoneNumber default\/front-desk\) to leave Voice Connector /)],
    ]);
    const numberPreview = await dry.engine.delete(h.get('PhoneNumber', 'front-desk'), dry.world);
    expect(mutatingCalls()).toEqual([]);

    const deleted = await h.delete('PhoneNumber/front-desk');
    expect(deleted.deleted).toBe(true);
    expect(sorted(mutatingCalls())).toEqual(sorted(numberPreview.actions.map((a) => a.action.operation)));
  });

  it('a number whose order is still in flight shows as waiting, with no calls', async () => {
    const h = engineHarness(emu(), { handlers: handlers() });
    await untilReady(h, trunk());
    let r = await h.reconcile(frontDesk());
    for (let i = 0; i < 5 && r.status.atProvider?.orderId === undefined; i++) r = await h.reconcile(frontDesk());
    expect(r.status.conditions?.find((c) => c.type === 'Ready')?.reason).toBe('OrderProcessing');
    const dry = engineHarness(emu(), { handlers: handlers(), dryRun: true, objects: h.world.all() });
    const preview = await dry.engine.delete(h.get('PhoneNumber', 'front-desk'), dry.world);
    expect([preview.phase, preview.actions]).toEqual(['DeleteBlocked', []]);
  });
});
