/**
 * CallAnalyticsConfiguration against the emulator through the real SDK clients (A1-A3): create
 * with every element, update, drift under Correct and Report, consent, deletion under each policy
 * and while connectors link it, crash safety and the steady state.
 */
import { describe, expect, it } from 'vitest';
import { CreateVoiceConnectorCommand, PutVoiceConnectorStreamingConfigurationCommand } from '@aws-sdk/client-chime-sdk-voice';
import {
  type MediaInsightsPipelineConfigurationElement,
  type RealTimeAlertConfiguration,
  CreateMediaInsightsPipelineConfigurationCommand,
  GetMediaInsightsPipelineConfigurationCommand,
  ListMediaInsightsPipelineConfigurationsCommand,
  ListTagsForResourceCommand,
  UpdateMediaInsightsPipelineConfigurationCommand,
} from '@aws-sdk/client-chime-sdk-media-pipelines';
import { OWNER_TAG_KEY } from '../../src/aws/ownership.js';
import { toAws } from '../../src/kinds/call-analytics-configuration/desired.js';
import { conditionOf } from '../../src/reconcile/conditions.js';
import type { ManagedObject } from '../../src/reconcile/types.js';
import { engineHarness, type EngineHarness } from '../helpers/engine.js';
import { engineSuite } from '../helpers/suite.js';
import { pipelinesClient, voiceClient } from '../helpers/emulator.js';

const { emu, mutatingCalls, callsByOperation } = engineSuite();
const pipelines = () => pipelinesClient(emu());
const ACCOUNT = '111122223333';
const ROLE = `arn:aws:iam::${ACCOUNT}:role/CallAnalytics`;
const ROLE2 = `arn:aws:iam::${ACCOUNT}:role/CallAnalyticsV2`;
const KDS = `arn:aws:kinesis:us-east-1:${ACCOUNT}:stream/insights`;
const SNS = `arn:aws:sns:us-east-1:${ACCOUNT}:voice-alerts`;
const SQS = `arn:aws:sqs:us-east-1:${ACCOUNT}:voice-alerts`;
const LAMBDA = `arn:aws:lambda:us-east-1:${ACCOUNT}:function:voice-alerts`;
const BUCKET = 'arn:aws:s3:::call-recordings';
const CONSENT = { acknowledged: true, acknowledgedBy: 'privacy@example.com' };

/** Every element type the model has, in one configuration the guide allows. */
const fullElements = () => [
  {
    type: 'AmazonTranscribeCallAnalyticsProcessor',
    amazonTranscribeCallAnalyticsProcessorConfiguration: {
      languageCode: 'en-US',
      vocabularyName: 'support-terms',
      vocabularyFilterName: 'profanity',
      vocabularyFilterMethod: 'mask',
      languageModelName: 'support-model',
      enablePartialResultsStabilization: true,
      partialResultsStability: 'high',
      contentRedactionType: 'PII',
      piiEntityTypes: 'NAME,ADDRESS',
      filterPartialResults: true,
      callAnalyticsStreamCategories: ['escalation', 'churn'],
    },
  },
  { type: 'VoiceAnalyticsProcessor', voiceAnalyticsProcessorConfiguration: { speakerSearchStatus: 'Enabled', voiceToneAnalysisStatus: 'Enabled' } },
  { type: 'KinesisDataStreamSink', kinesisDataStreamSinkConfiguration: { insightsTarget: KDS } },
  { type: 'S3RecordingSink', s3RecordingSinkConfiguration: { destination: BUCKET, recordingFileFormat: 'Opus' } },
  { type: 'VoiceEnhancementSink', voiceEnhancementSinkConfiguration: { disabled: false } },
  { type: 'SnsTopicSink', snsTopicSinkConfiguration: { insightsTarget: SNS } },
  { type: 'SqsQueueSink', sqsQueueSinkConfiguration: { insightsTarget: SQS } },
  { type: 'LambdaFunctionSink', lambdaFunctionSinkConfiguration: { insightsTarget: LAMBDA } },
];
const alerts = () => ({
  disabled: false,
  rules: [
    { type: 'KeywordMatch', keywordMatchConfiguration: { ruleName: 'cancel', keywords: ['cancel', 'close my account'], negate: false } },
    { type: 'Sentiment', sentimentConfiguration: { ruleName: 'unhappy', sentimentType: 'NEGATIVE', timePeriod: 120 } },
    { type: 'IssueDetection', issueDetectionConfiguration: { ruleName: 'issues' } },
  ],
});

function config(spec: Record<string, unknown> = {}, name = 'support', metadata: Partial<ManagedObject['metadata']> = {}): ManagedObject {
  return {
    apiVersion: 'chimevoice.io/v1alpha1',
    kind: 'CallAnalyticsConfiguration',
    metadata: { name, namespace: 'default', uid: `uid-${name}`, ...metadata },
    spec: { resourceAccessRoleArn: ROLE, elements: fullElements(), realTimeAlertConfiguration: alerts(), tags: { team: 'voice' }, consent: CONSENT, ...spec },
  };
}
/** A Transcribe-only configuration: no biometric element. */
const transcribeOnly = () => [
  { type: 'AmazonTranscribeProcessor', amazonTranscribeProcessorConfiguration: { languageCode: 'en-US', showSpeakerLabel: true } },
  { type: 'KinesisDataStreamSink', kinesisDataStreamSinkConfiguration: { insightsTarget: KDS } },
];

const awsConfigs = async () => (await pipelines().send(new ListMediaInsightsPipelineConfigurationsCommand({}))).MediaInsightsPipelineConfigurations ?? [];
const awsConfig = async (arn: string) => (await pipelines().send(new GetMediaInsightsPipelineConfigurationCommand({ Identifier: arn }))).MediaInsightsPipelineConfiguration!;
const awsTags = async (arn: string) => Object.fromEntries(((await pipelines().send(new ListTagsForResourceCommand({ ResourceARN: arn }))).Tags ?? []).map((t) => [t.Key, t.Value]));

async function created(h: EngineHarness, obj = config()) {
  const r = await h.reconcile(obj);
  expect(r.status.conditions?.find((c) => c.type === 'Ready')?.message).toBe(`CallAnalyticsConfiguration ${obj.metadata.name} matches its spec in AWS`);
  expect(r.phase).toBe('Ready');
  return { r, arn: r.status.atProvider!.arn as string };
}

/** A connector made outside the project whose streaming links `arn`. */
async function foreignConnector(arn: string | undefined, name = 'pbx-trunk'): Promise<string> {
  const voice = voiceClient(emu());
  const vc = (await voice.send(new CreateVoiceConnectorCommand({ Name: name, RequireEncryption: true, AwsRegion: 'us-east-1' }))).VoiceConnector!;
  await link(vc.VoiceConnectorId!, arn);
  return vc.VoiceConnectorId!;
}
async function link(voiceConnectorId: string, arn: string | undefined) {
  await voiceClient(emu()).send(
    new PutVoiceConnectorStreamingConfigurationCommand({
      VoiceConnectorId: voiceConnectorId,
      StreamingConfiguration: { DataRetentionInHours: 24, Disabled: false, ...(arn ? { MediaInsightsConfiguration: { Disabled: false, ConfigurationArn: arn } } : {}) },
    }),
  );
}

describe('CallAnalyticsConfiguration engine (A1-A3)', () => {
  it('creates with every element type, alert rules and tags (the marker in the create call), in one call', async () => {
    const h = engineHarness(emu());
    const { r, arn } = await created(h);
    expect(callsByOperation()).toEqual({
      ListMediaInsightsPipelineConfigurations: 2,
      CreateMediaInsightsPipelineConfiguration: 1,
      GetMediaInsightsPipelineConfiguration: 1,
      ListTagsForResource: 1,
    });
    const c = await awsConfig(arn);
    expect(c.MediaInsightsPipelineConfigurationName).toBe('support');
    expect(c.ResourceAccessRoleArn).toBe(ROLE);
    expect(c.Elements?.map((e) => e.Type)).toEqual(fullElements().map((e) => e.type));
    expect(c.Elements?.[0].AmazonTranscribeCallAnalyticsProcessorConfiguration).toEqual({
      LanguageCode: 'en-US',
      VocabularyName: 'support-terms',
      VocabularyFilterName: 'profanity',
      VocabularyFilterMethod: 'mask',
      LanguageModelName: 'support-model',
      EnablePartialResultsStabilization: true,
      PartialResultsStability: 'high',
      ContentRedactionType: 'PII',
      PiiEntityTypes: 'NAME,ADDRESS',
      FilterPartialResults: true,
      CallAnalyticsStreamCategories: ['escalation', 'churn'],
    });
    expect(c.Elements?.[3].S3RecordingSinkConfiguration).toEqual({ Destination: BUCKET, RecordingFileFormat: 'Opus' });
    expect(c.RealTimeAlertConfiguration?.Rules?.[1]).toEqual({ Type: 'Sentiment', SentimentConfiguration: { RuleName: 'unhappy', SentimentType: 'NEGATIVE', TimePeriod: 120 } });
    expect(await awsTags(arn)).toEqual({ team: 'voice', [OWNER_TAG_KEY]: 'default/support' });
    // What a VoiceConnector's streaming link resolves: ctx.resolve('CallAnalyticsConfiguration', name).arn.
    expect(r.status.atProvider).toEqual({ mediaInsightsPipelineConfigurationId: c.MediaInsightsPipelineConfigurationId, arn, appliedTagKeys: ['team'] });
  });

  it('makes zero mutating calls on the second reconcile', async () => {
    const h = engineHarness(emu());
    await created(h);
    emu().resetCounters();
    const r = await h.reconcile('CallAnalyticsConfiguration/support', { specChanged: false });
    expect(r.phase).toBe('Ready');
    expect(r.actions).toEqual([]);
    expect(mutatingCalls()).toEqual({});
    expect(callsByOperation()).toEqual({ ListMediaInsightsPipelineConfigurations: 1, GetMediaInsightsPipelineConfiguration: 1, ListTagsForResource: 1 });
  });

  it('updates the role, an element setting, the alert rules and a tag', async () => {
    const h = engineHarness(emu());
    const { arn } = await created(h);
    const elements = fullElements();
    elements[0].amazonTranscribeCallAnalyticsProcessorConfiguration!.languageCode = 'en-GB';
    elements[3].s3RecordingSinkConfiguration!.recordingFileFormat = 'Wav';
    const rules = alerts();
    rules.rules[0].keywordMatchConfiguration!.keywords = ['refund'];
    rules.rules.pop();
    emu().resetCounters();
    const r = await h.reconcile(config({ resourceAccessRoleArn: ROLE2, elements, realTimeAlertConfiguration: rules, tags: { team: 'telephony' } }));
    expect(r.phase).toBe('Ready');
    expect(mutatingCalls()).toEqual({ UpdateMediaInsightsPipelineConfiguration: 1, TagResource: 1 });
    expect(r.actions[0].action.fixes).toEqual([
      'resourceAccessRoleArn',
      'elements[0].amazonTranscribeCallAnalyticsProcessorConfiguration.languageCode',
      'elements[3].s3RecordingSinkConfiguration.recordingFileFormat',
      'realTimeAlertConfiguration.rules',
    ]);
    const c = await awsConfig(arn);
    expect(c.ResourceAccessRoleArn).toBe(ROLE2);
    expect(c.Elements?.[0].AmazonTranscribeCallAnalyticsProcessorConfiguration?.LanguageCode).toBe('en-GB');
    expect(c.Elements?.[3].S3RecordingSinkConfiguration?.RecordingFileFormat).toBe('Wav');
    expect(c.RealTimeAlertConfiguration?.Rules).toHaveLength(2);
    expect(c.RealTimeAlertConfiguration?.Rules?.[0].KeywordMatchConfiguration?.Keywords).toEqual(['refund']);
    expect((await awsTags(arn)).team).toBe('telephony');
    expect(await awsConfigs()).toHaveLength(1);
  });

  it('changes the elements to another set (Transcribe instead of Call Analytics) and keeps alerts it does not manage', async () => {
    const h = engineHarness(emu());
    const { arn } = await created(h, config({ realTimeAlertConfiguration: { rules: [{ type: 'KeywordMatch', keywordMatchConfiguration: { ruleName: 'cancel', keywords: ['cancel'] } }] } }));
    const r = await h.reconcile(config({ elements: transcribeOnly(), realTimeAlertConfiguration: undefined, consent: undefined }));
    expect(r.phase).toBe('Ready');
    const c = await awsConfig(arn);
    expect(c.Elements?.map((e) => e.Type)).toEqual(['AmazonTranscribeProcessor', 'KinesisDataStreamSink']);
    expect(c.RealTimeAlertConfiguration?.Rules?.[0].KeywordMatchConfiguration?.RuleName).toBe('cancel');
  });

  it('a name change is reported as needing replacement (the API cannot rename)', async () => {
    const h = engineHarness(emu());
    await created(h);
    emu().resetCounters();
    const r = await h.reconcile(config({ name: 'support-v2' }));
    expect(r.phase).toBe('Stalled');
    expect(conditionOf(r.status, 'Stalled')?.reason).toBe('ReplacementRequired');
    expect(mutatingCalls()).toEqual({});
  });

  it('corrects a configuration changed behind its back under driftPolicy Correct', async () => {
    const h = engineHarness(emu());
    const { arn } = await created(h);
    const before = await awsConfig(arn);
    const elements = structuredClone(before.Elements!);
    elements[0].AmazonTranscribeCallAnalyticsProcessorConfiguration!.LanguageCode = 'fr-FR';
    elements[1].VoiceAnalyticsProcessorConfiguration!.VoiceToneAnalysisStatus = 'Disabled';
    await pipelines().send(
      new UpdateMediaInsightsPipelineConfigurationCommand({ Identifier: arn, ResourceAccessRoleArn: ROLE2, Elements: elements, RealTimeAlertConfiguration: { Disabled: true } }),
    );
    emu().resetCounters();
    const r = await h.reconcile('CallAnalyticsConfiguration/support', { specChanged: false });
    expect(r.phase).toBe('Ready');
    expect(r.events[0]).toMatchObject({ reason: 'DriftDetected' });
    expect(r.events[0].message.split(' [DriftDetected]. Next: ')[0]).toBe(
      'AWS differs from the spec at resourceAccessRoleArn, elements[0].amazonTranscribeCallAnalyticsProcessorConfiguration.languageCode, elements[1].voiceAnalyticsProcessorConfiguration.voiceToneAnalysisStatus, realTimeAlertConfiguration.disabled, realTimeAlertConfiguration.rules',
    );
    expect(mutatingCalls()).toEqual({ UpdateMediaInsightsPipelineConfiguration: 1 });
    const after = await awsConfig(arn);
    expect(after.ResourceAccessRoleArn).toBe(ROLE);
    expect(after.Elements).toEqual(before.Elements);
    expect(after.RealTimeAlertConfiguration).toEqual(before.RealTimeAlertConfiguration);
    expect(r.status.drift).toEqual([]);
  });

  it('reports drift under driftPolicy Report, with its paths, and leaves AWS alone', async () => {
    const h = engineHarness(emu());
    const { arn } = await created(h, config({ driftPolicy: 'Report' }));
    const elements = structuredClone((await awsConfig(arn)).Elements!);
    elements[2].KinesisDataStreamSinkConfiguration!.InsightsTarget = `arn:aws:kinesis:us-east-1:${ACCOUNT}:stream/other`;
    await pipelines().send(new UpdateMediaInsightsPipelineConfigurationCommand({ Identifier: arn, ResourceAccessRoleArn: ROLE, Elements: elements, RealTimeAlertConfiguration: toAwsAlerts() }));
    emu().resetCounters();
    const r = await h.reconcile('CallAnalyticsConfiguration/support', { specChanged: false });
    expect(r.phase).toBe('Ready');
    expect(r.status.drift).toEqual([
      { path: 'elements[2].kinesisDataStreamSinkConfiguration.insightsTarget', desired: KDS, actual: `arn:aws:kinesis:us-east-1:${ACCOUNT}:stream/other` },
    ]);
    expect(conditionOf(r.status, 'Drifted')).toMatchObject({ status: 'True', reason: 'DriftReported' });
    expect(mutatingCalls()).toEqual({});
  });

  it('A3: voice analytics without the consent acknowledgement creates nothing, before any call', async () => {
    const h = engineHarness(emu());
    const r = await h.reconcile(config({ consent: { acknowledged: false } }));
    expect(r.phase).toBe('Stalled');
    expect(conditionOf(r.status, 'Stalled')?.reason).toBe('ConsentRequired');
    expect(conditionOf(r.status, 'Stalled')?.message).toContain('elements[1] is a VoiceAnalyticsProcessor');
    expect(emu().counters()).toEqual({});
    expect(await awsConfigs()).toEqual([]);
  });

  it('A3: a configuration without biometric elements needs no consent', async () => {
    const h = engineHarness(emu());
    await created(h, config({ elements: transcribeOnly(), realTimeAlertConfiguration: undefined, consent: undefined }));
  });

  it('A3: adding voice analytics to an existing configuration without consent changes nothing', async () => {
    const h = engineHarness(emu());
    const { arn } = await created(h, config({ elements: transcribeOnly(), realTimeAlertConfiguration: undefined, consent: undefined }));
    emu().resetCounters();
    const elements = [...transcribeOnly(), { type: 'VoiceAnalyticsProcessor', voiceAnalyticsProcessorConfiguration: { speakerSearchStatus: 'Enabled' } }];
    const r = await h.reconcile(config({ elements, realTimeAlertConfiguration: undefined, consent: undefined }));
    expect(conditionOf(r.status, 'Stalled')?.reason).toBe('ConsentRequired');
    expect(emu().counters()).toEqual({});
    expect((await awsConfig(arn)).Elements).toHaveLength(2);
  });

  it('A1: recording and post-call analytics both on: Ready, with a DuplicateRecording warning condition', async () => {
    const h = engineHarness(emu());
    const elements = fullElements();
    (elements[0].amazonTranscribeCallAnalyticsProcessorConfiguration as Record<string, unknown>).postCallAnalyticsSettings = {
      outputLocation: 's3://post-call/',
      dataAccessRoleArn: ROLE,
    };
    const r = await h.reconcile(config({ elements }));
    expect(conditionOf(r.status, 'DuplicateRecording')).toMatchObject({ status: 'True', reason: 'DuplicateRecording' });
    // The guide only advises against it and AWS accepts it: the configuration is created, with the warning.
    expect(r.phase).toBe('Ready');
    expect(conditionOf(r.status, 'DuplicateRecording')?.message).toMatch(/recorded twice/);
  });

  it('deletes under deletionPolicy Delete, and leaves it under Retain', async () => {
    const h = engineHarness(emu());
    const { arn } = await created(h);
    await created(h, config({ deletionPolicy: 'Retain', elements: transcribeOnly(), realTimeAlertConfiguration: undefined }, 'kept'));
    const d = await h.delete('CallAnalyticsConfiguration/support');
    expect(d.phase).toBe('Deleted');
    expect(d.actions.map((a) => a.action.operation)).toEqual(['DeleteMediaInsightsPipelineConfiguration']);
    expect(d.actions[0].action.description).toContain('cannot be undone');
    emu().resetCounters();
    const k = await h.delete('CallAnalyticsConfiguration/kept');
    expect(k.phase).toBe('Deleted');
    expect(mutatingCalls()).toEqual({});
    expect((await awsConfigs()).map((c) => c.MediaInsightsPipelineConfigurationName)).toEqual(['kept']);
    expect((await awsConfigs()).map((c) => c.MediaInsightsPipelineConfigurationArn)).not.toContain(arn);
  });

  it('A2: a connector not managed here that links the configuration blocks deletion, named; after unlinking, deletion proceeds', async () => {
    const h = engineHarness(emu());
    const { arn } = await created(h);
    const vcId = await foreignConnector(arn, 'pbx-trunk');
    emu().resetCounters();
    const blocked = await h.delete('CallAnalyticsConfiguration/support');
    expect(blocked.phase).toBe('Stalled');
    expect(conditionOf(blocked.status, 'Stalled')?.reason).toBe('DeletionBlocked');
    expect(conditionOf(blocked.status, 'Stalled')?.message).toContain(`Voice Connector ${vcId} ("pbx-trunk") streams to call analytics configuration "support"`);
    expect(mutatingCalls()).toEqual({});
    await link(vcId, undefined);
    const d = await h.delete('CallAnalyticsConfiguration/support');
    expect(d.phase).toBe('Deleted');
    expect(await awsConfigs()).toEqual([]);
  });

  it('A2: a VoiceConnector managed here that links it is waited for; once it is gone, deletion proceeds', async () => {
    const h = engineHarness(emu());
    await created(h);
    const vc: ManagedObject = {
      apiVersion: 'chimevoice.io/v1alpha1',
      kind: 'VoiceConnector',
      metadata: { name: 'office', namespace: 'default' },
      spec: { region: 'us-east-1', requireEncryption: true, streaming: { dataRetentionInHours: 24, callAnalyticsConfigurationRef: { name: 'support' } } },
    };
    const v = await h.reconcile(vc);
    expect(v.phase).toBe('Ready');
    emu().resetCounters();
    const waiting = await h.delete('CallAnalyticsConfiguration/support');
    expect(waiting.phase).toBe('DeleteBlocked');
    expect(conditionOf(waiting.status, 'Reconciling')?.message).toContain('VoiceConnector default/office to stop linking call analytics configuration "support"');
    expect(waiting.requeueAfterMs).toBeGreaterThan(0);
    expect(mutatingCalls()).toEqual({});
    expect((await h.delete('VoiceConnector/office')).phase).toBe('Deleted');
    const d = await h.delete('CallAnalyticsConfiguration/support');
    expect(d.phase).toBe('Deleted');
    expect(await awsConfigs()).toEqual([]);
  });

  it('refuses to take a same-named configuration it did not create', async () => {
    await pipelines().send(
      new CreateMediaInsightsPipelineConfigurationCommand({ MediaInsightsPipelineConfigurationName: 'support', ResourceAccessRoleArn: ROLE, Elements: toAwsElements(transcribeOnly()) }),
    );
    emu().resetCounters();
    const r = await engineHarness(emu()).reconcile(config());
    expect(conditionOf(r.status, 'Stalled')?.reason).toBe('OwnershipConflict');
    expect(mutatingCalls()).toEqual({});
  });

  it('adopts an existing configuration named by the external-id annotation', async () => {
    const out = await pipelines().send(
      new CreateMediaInsightsPipelineConfigurationCommand({ MediaInsightsPipelineConfigurationName: 'legacy', ResourceAccessRoleArn: ROLE, Elements: toAwsElements(transcribeOnly()) }),
    );
    const arn = out.MediaInsightsPipelineConfiguration!.MediaInsightsPipelineConfigurationArn!;
    const r = await engineHarness(emu()).reconcile(
      config({ name: 'legacy', elements: transcribeOnly(), realTimeAlertConfiguration: undefined }, 'legacy', { annotations: { 'chimevoice.io/external-id': arn } }),
    );
    expect(r.phase).toBe('Ready');
    expect(r.status.atProvider?.arn).toBe(arn);
    expect(await awsConfigs()).toHaveLength(1);
  });

  describe('crash safety on create', () => {
    it('a crash right after the create call: a fresh engine without status finds exactly one configuration', async () => {
      const h = engineHarness(emu());
      const send = h.aws.send.bind(h.aws);
      h.aws.send = (async (service: any, operation: string, input: any) => {
        const out = await send(service, operation, input);
        if (operation === 'CreateMediaInsightsPipelineConfiguration') throw new Error('crash after CreateMediaInsightsPipelineConfiguration');
        return out;
      }) as typeof h.aws.send;
      expect((await h.reconcile(config())).phase).not.toBe('Ready');
      const r = await engineHarness(emu()).reconcile(config());
      expect(r.phase).toBe('Ready');
      expect(mutatingCalls()).toEqual({ CreateMediaInsightsPipelineConfiguration: 1 });
      expect(await awsConfigs()).toHaveLength(1);
    });

    it('the reads after the create fail: the restart finds exactly one configuration', async () => {
      const h = engineHarness(emu());
      const send = h.aws.send.bind(h.aws);
      h.aws.send = (async (service: any, operation: string, input: any) => {
        const out = await send(service, operation, input);
        if (operation === 'CreateMediaInsightsPipelineConfiguration') {
          emu().setFaults({ errorRates: { ListMediaInsightsPipelineConfigurations: { probability: 1, status: 500 } } });
        }
        return out;
      }) as typeof h.aws.send;
      expect((await h.reconcile(config())).phase).toBe('Error');
      emu().setFaults({});
      const r = await engineHarness(emu()).reconcile(config());
      expect(r.phase).toBe('Ready');
      expect(await awsConfigs()).toHaveLength(1);
    });

    it('a retried create with the same deterministic client request token returns the first configuration', async () => {
      const h = engineHarness(emu());
      const handler = h.engine.handlerFor('CallAnalyticsConfiguration');
      const [create] = handler.plan(handler.desired(config(), { lenient: false, resolve: () => ({}), secret: () => '', digestSecret: () => '' }), undefined, []);
      type Created = { MediaInsightsPipelineConfiguration: { MediaInsightsPipelineConfigurationArn: string } };
      const a = await h.aws.send<Created>('mediaPipelines', 'CreateMediaInsightsPipelineConfiguration', create.input);
      const b = await h.aws.send<Created>('mediaPipelines', 'CreateMediaInsightsPipelineConfiguration', create.input);
      expect(b.MediaInsightsPipelineConfiguration.MediaInsightsPipelineConfigurationArn).toBe(a.MediaInsightsPipelineConfiguration.MediaInsightsPipelineConfigurationArn);
      expect(await awsConfigs()).toHaveLength(1);
    });
  });
});

// The spec's shapes in the model's names: what the SDK's input types describe.
function toAwsElements(elements: unknown[]) {
  return toAws(elements) as MediaInsightsPipelineConfigurationElement[];
}
function toAwsAlerts() {
  return toAws(alerts()) as RealTimeAlertConfiguration;
}
