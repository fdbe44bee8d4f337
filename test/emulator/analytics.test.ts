/**
 * Voice profile domains and voice profiles (A4) through the voice client, and media insights
 * pipeline configurations (A1, A2) through the media pipelines client.
 */
import { beforeEach, describe, expect, it } from 'vitest';
import {
  BadRequestException,
  ConflictException,
  CreateVoiceProfileCommand,
  CreateVoiceProfileDomainCommand,
  DeleteVoiceProfileCommand,
  DeleteVoiceProfileDomainCommand,
  GetVoiceProfileCommand,
  GetVoiceProfileDomainCommand,
  ListVoiceProfileDomainsCommand,
  ListVoiceProfilesCommand,
  NotFoundException,
  ResourceLimitExceededException,
  UpdateVoiceProfileCommand,
  UpdateVoiceProfileDomainCommand,
} from '@aws-sdk/client-chime-sdk-voice';
import {
  BadRequestException as PipelinesBadRequest,
  ConflictException as PipelinesConflict,
  CreateMediaInsightsPipelineConfigurationCommand,
  DeleteMediaInsightsPipelineConfigurationCommand,
  GetMediaInsightsPipelineConfigurationCommand,
  ListMediaInsightsPipelineConfigurationsCommand,
  NotFoundException as PipelinesNotFound,
  UpdateMediaInsightsPipelineConfigurationCommand,
  type MediaInsightsPipelineConfigurationElement,
  type CreateMediaInsightsPipelineConfigurationCommandInput,
} from '@aws-sdk/client-chime-sdk-media-pipelines';
import { randomUUID } from 'node:crypto';
import { sip } from '../../src/emulator/services/sip.js';
import { account } from '../../src/emulator/services/account.js';
import { analytics } from '../../src/emulator/services/analytics.js';
import { emptyState } from '../../src/emulator/core/state.js';
import { pipelinesClient, voiceClient, withEmulator } from '../helpers/emulator.js';

const ACCOUNT = '111122223333';
const KMS = `arn:aws:kms:us-east-1:${ACCOUNT}:key/1234abcd-12ab-34cd-56ef-1234567890ab`;
const ROLE = `arn:aws:iam::${ACCOUNT}:role/CallAnalytics`;
const KDS = `arn:aws:kinesis:us-east-1:${ACCOUNT}:stream/insights`;
const BUCKET = 'arn:aws:s3:::call-recordings';
const YEAR_MS = 365 * 24 * 3600 * 1000;

describe('voice analytics and call analytics', () => {
  const emu = withEmulator({ services: [sip, analytics, account], accountId: ACCOUNT });
  const voice = () => voiceClient(emu());
  const pipelines = () => pipelinesClient(emu());

  beforeEach(() => emu().resetState(emptyState()));

  const createDomain = (name = 'callers', extra: Record<string, unknown> = {}) =>
    voice()
      .send(new CreateVoiceProfileDomainCommand({ Name: name, ServerSideEncryptionConfiguration: { KmsKeyArn: KMS }, ...extra }))
      .then((o) => o.VoiceProfileDomain!);

  describe('voice profile domains (A4)', () => {
    it('A4: creates a domain with name, description, KMS key and tags; gets, lists, updates it', async () => {
      const out = await voice().send(
        new CreateVoiceProfileDomainCommand({
          Name: 'callers',
          Description: 'd'.repeat(1024),
          ServerSideEncryptionConfiguration: { KmsKeyArn: KMS },
          Tags: [{ Key: 'env', Value: 'test' }],
        }),
      );
      expect(out.$metadata.httpStatusCode).toBe(201);
      const d = out.VoiceProfileDomain!;
      expect(d.VoiceProfileDomainArn).toBe(`arn:aws:chime:us-east-1:${ACCOUNT}:voice-profile-domain/${d.VoiceProfileDomainId}`);
      expect(d.ServerSideEncryptionConfiguration).toEqual({ KmsKeyArn: KMS });
      expect(emu().state.tags[d.VoiceProfileDomainArn!]).toEqual([{ Key: 'env', Value: 'test' }]);

      const got = await voice().send(new GetVoiceProfileDomainCommand({ VoiceProfileDomainId: d.VoiceProfileDomainId }));
      expect(got.VoiceProfileDomain).toEqual(d);
      const list = await voice().send(new ListVoiceProfileDomainsCommand({}));
      expect(list.VoiceProfileDomains).toHaveLength(1);
      expect(list.VoiceProfileDomains![0]).not.toHaveProperty('ServerSideEncryptionConfiguration');
      expect(list.VoiceProfileDomains![0].Name).toBe('callers');

      const up = await voice().send(new UpdateVoiceProfileDomainCommand({ VoiceProfileDomainId: d.VoiceProfileDomainId, Name: 'renamed', Description: 'short' }));
      expect(up.VoiceProfileDomain).toMatchObject({ Name: 'renamed', Description: 'short', ServerSideEncryptionConfiguration: { KmsKeyArn: KMS } });
    });

    it('A4: a description over 1024 characters and a missing or non-KMS key are refused', async () => {
      await expect(
        voice().send(new CreateVoiceProfileDomainCommand({ Name: 'x', Description: 'd'.repeat(1025), ServerSideEncryptionConfiguration: { KmsKeyArn: KMS } })),
      ).rejects.toBeInstanceOf(BadRequestException);
      await expect(voice().send(new CreateVoiceProfileDomainCommand({ Name: 'x' } as any))).rejects.toBeInstanceOf(BadRequestException);
      await expect(
        voice().send(new CreateVoiceProfileDomainCommand({ Name: 'x', ServerSideEncryptionConfiguration: { KmsKeyArn: `arn:aws:s3:::bucket` } })),
      ).rejects.toThrow('KmsKeyArn arn:aws:s3:::bucket of voice profile domain x is not the ARN of a KMS key');
      expect(Object.keys(emu().state.voiceProfileDomains)).toHaveLength(0);
    });

    it('A4: at most 3 domains by default', async () => {
      for (const n of ['a', 'b', 'c']) await createDomain(n);
      const fourth = voice().send(new CreateVoiceProfileDomainCommand({ Name: 'd', ServerSideEncryptionConfiguration: { KmsKeyArn: KMS } }));
      await expect(fourth).rejects.toBeInstanceOf(ResourceLimitExceededException);
      await expect(voice().send(new CreateVoiceProfileDomainCommand({ Name: 'd', ServerSideEncryptionConfiguration: { KmsKeyArn: KMS } }))).rejects.toThrow(
        'Voice profile domain d would exceed the limit of 3 voice profile domains in us-east-1.',
      );
    });

    it('A4: a retried create with the same ClientRequestToken answers with the same domain', async () => {
      const a = await createDomain('one', { ClientRequestToken: 'token-1' });
      const b = await createDomain('one', { ClientRequestToken: 'token-1' });
      expect(b.VoiceProfileDomainId).toBe(a.VoiceProfileDomainId);
      expect(Object.keys(emu().state.voiceProfileDomains)).toHaveLength(1);
      await expect(createDomain('other', { ClientRequestToken: 'token-1' })).rejects.toBeInstanceOf(ConflictException);
    });

    it('A4: deleting a domain deletes all of its profiles', async () => {
      const d = await createDomain();
      const p1 = (await voice().send(new CreateVoiceProfileCommand({ SpeakerSearchTaskId: randomUUID() }))).VoiceProfile!;
      const p2 = (await voice().send(new CreateVoiceProfileCommand({ SpeakerSearchTaskId: randomUUID() }))).VoiceProfile!;
      const del = await voice().send(new DeleteVoiceProfileDomainCommand({ VoiceProfileDomainId: d.VoiceProfileDomainId }));
      expect(del.$metadata.httpStatusCode).toBe(204);
      for (const p of [p1, p2]) await expect(voice().send(new GetVoiceProfileCommand({ VoiceProfileId: p.VoiceProfileId }))).rejects.toBeInstanceOf(NotFoundException);
      await expect(voice().send(new GetVoiceProfileDomainCommand({ VoiceProfileDomainId: d.VoiceProfileDomainId }))).rejects.toThrow(
        `Voice profile domain ${d.VoiceProfileDomainId} not found.`,
      );
      expect(emu().state.tags[d.VoiceProfileDomainArn!]).toBeUndefined();
    });

    it('pages the domains (API3)', async () => {
      const ids: string[] = [];
      for (const n of ['a', 'b', 'c']) {
        ids.push((await createDomain(n)).VoiceProfileDomainId!);
        emu().clock.advance(5);
      }
      const p1 = await voice().send(new ListVoiceProfileDomainsCommand({ MaxResults: 2 }));
      const p2 = await voice().send(new ListVoiceProfileDomainsCommand({ MaxResults: 2, NextToken: p1.NextToken }));
      expect([...p1.VoiceProfileDomains!, ...p2.VoiceProfileDomains!].map((d) => d.VoiceProfileDomainId)).toEqual(ids);
      expect(p2.NextToken).toBeUndefined();
    });
  });

  describe('voice profiles', () => {
    it('creates a profile from a speaker search task id, expiring three years ahead; gets, lists, updates, deletes', async () => {
      const d = await createDomain();
      const out = await voice().send(new CreateVoiceProfileCommand({ SpeakerSearchTaskId: randomUUID() }));
      expect(out.$metadata.httpStatusCode).toBe(201);
      const p = out.VoiceProfile!;
      expect(p.VoiceProfileDomainId).toBe(d.VoiceProfileDomainId);
      expect(p.VoiceProfileArn).toBe(`arn:aws:chime:us-east-1:${ACCOUNT}:voice-profile/${p.VoiceProfileId}`);
      const threeYearsOn = new Date(p.CreatedTimestamp!);
      threeYearsOn.setUTCFullYear(threeYearsOn.getUTCFullYear() + 3);
      expect(p.ExpirationTimestamp).toEqual(threeYearsOn);

      expect((await voice().send(new GetVoiceProfileCommand({ VoiceProfileId: p.VoiceProfileId }))).VoiceProfile).toEqual(p);
      const list = await voice().send(new ListVoiceProfilesCommand({ VoiceProfileDomainId: d.VoiceProfileDomainId }));
      expect(list.VoiceProfiles?.map((v) => v.VoiceProfileId)).toEqual([p.VoiceProfileId]);

      emu().clock.advance(YEAR_MS);
      const up = await voice().send(new UpdateVoiceProfileCommand({ VoiceProfileId: p.VoiceProfileId, SpeakerSearchTaskId: randomUUID() }));
      const renewed = new Date(up.VoiceProfile!.UpdatedTimestamp!);
      renewed.setUTCFullYear(renewed.getUTCFullYear() + 3);
      expect(up.VoiceProfile!.ExpirationTimestamp).toEqual(renewed);
      expect(up.VoiceProfile!.ExpirationTimestamp!.getTime()).toBeGreaterThan(p.ExpirationTimestamp!.getTime() + YEAR_MS - 24 * 3600 * 1000);

      const del = await voice().send(new DeleteVoiceProfileCommand({ VoiceProfileId: p.VoiceProfileId }));
      expect(del.$metadata.httpStatusCode).toBe(204);
      await expect(voice().send(new GetVoiceProfileCommand({ VoiceProfileId: p.VoiceProfileId }))).rejects.toThrow(`Voice profile ${p.VoiceProfileId} not found.`);
    });

    it('refuses a task id of the wrong shape, a task used twice, and a create without any domain', async () => {
      await expect(voice().send(new CreateVoiceProfileCommand({ SpeakerSearchTaskId: randomUUID() }))).rejects.toBeInstanceOf(NotFoundException);
      await createDomain();
      await expect(voice().send(new CreateVoiceProfileCommand({ SpeakerSearchTaskId: 'task-1' }))).rejects.toThrow(
        "SpeakerSearchTaskId 'task-1' is not a speaker search task id (a UUID).",
      );
      const task = randomUUID();
      const p = (await voice().send(new CreateVoiceProfileCommand({ SpeakerSearchTaskId: task }))).VoiceProfile!;
      await expect(voice().send(new CreateVoiceProfileCommand({ SpeakerSearchTaskId: task }))).rejects.toThrow(
        `Speaker search task ${task} already enrolled voice profile ${p.VoiceProfileId}.`,
      );
      expect(Object.keys(emu().state.voiceProfiles)).toHaveLength(1);
    });

    it('a profile expires three years after its last voice print', async () => {
      const d = await createDomain();
      const p = (await voice().send(new CreateVoiceProfileCommand({ SpeakerSearchTaskId: randomUUID() }))).VoiceProfile!;
      emu().clock.advance(3 * YEAR_MS + 2 * 24 * 3600 * 1000);
      await expect(voice().send(new GetVoiceProfileCommand({ VoiceProfileId: p.VoiceProfileId }))).rejects.toBeInstanceOf(NotFoundException);
      const list = await voice().send(new ListVoiceProfilesCommand({ VoiceProfileDomainId: d.VoiceProfileDomainId }));
      expect(list.VoiceProfiles).toEqual([]);
    });

    it('lists profiles of a known domain only, page by page', async () => {
      const d = await createDomain();
      const ids: string[] = [];
      for (let i = 0; i < 3; i++) {
        ids.push((await voice().send(new CreateVoiceProfileCommand({ SpeakerSearchTaskId: randomUUID() }))).VoiceProfile!.VoiceProfileId!);
        emu().clock.advance(5);
      }
      const p1 = await voice().send(new ListVoiceProfilesCommand({ VoiceProfileDomainId: d.VoiceProfileDomainId, MaxResults: 2 }));
      expect(p1.VoiceProfiles).toHaveLength(2);
      const p2 = await voice().send(new ListVoiceProfilesCommand({ VoiceProfileDomainId: d.VoiceProfileDomainId, MaxResults: 2, NextToken: p1.NextToken }));
      expect([...p1.VoiceProfiles!, ...p2.VoiceProfiles!].map((p) => p.VoiceProfileId)).toEqual(ids);
      await expect(voice().send(new ListVoiceProfilesCommand({ VoiceProfileDomainId: randomUUID() }))).rejects.toBeInstanceOf(NotFoundException);
    });
  });

  describe('media insights pipeline configurations', () => {
    const transcribeCA: MediaInsightsPipelineConfigurationElement = {
      Type: 'AmazonTranscribeCallAnalyticsProcessor',
      AmazonTranscribeCallAnalyticsProcessorConfiguration: { LanguageCode: 'en-US' },
    };
    const transcribe: MediaInsightsPipelineConfigurationElement = {
      Type: 'AmazonTranscribeProcessor',
      AmazonTranscribeProcessorConfiguration: { LanguageCode: 'en-US' },
    };
    const kds: MediaInsightsPipelineConfigurationElement = { Type: 'KinesisDataStreamSink', KinesisDataStreamSinkConfiguration: { InsightsTarget: KDS } };
    const recording: MediaInsightsPipelineConfigurationElement = {
      Type: 'S3RecordingSink',
      S3RecordingSinkConfiguration: { Destination: BUCKET, RecordingFileFormat: 'Wav' },
    };
    const base = (name: string, elements = [transcribeCA, kds], extra: Partial<CreateMediaInsightsPipelineConfigurationCommandInput> = {}) =>
      new CreateMediaInsightsPipelineConfigurationCommand({ MediaInsightsPipelineConfigurationName: name, ResourceAccessRoleArn: ROLE, Elements: elements, ...extra });

    it('A1: creates a configuration; gets it by name and by ARN; lists; updates; deletes', async () => {
      const out = await pipelines().send(
        base('calls', [transcribeCA, kds], {
          RealTimeAlertConfiguration: {
            Disabled: false,
            Rules: [
              { Type: 'KeywordMatch', KeywordMatchConfiguration: { RuleName: 'cancel', Keywords: ['cancel'] } },
              { Type: 'Sentiment', SentimentConfiguration: { RuleName: 'angry', SentimentType: 'NEGATIVE', TimePeriod: 60 } },
            ],
          },
          Tags: [{ Key: 'k', Value: 'v' }],
        }),
      );
      expect(out.$metadata.httpStatusCode).toBe(201);
      const c = out.MediaInsightsPipelineConfiguration!;
      expect(c.MediaInsightsPipelineConfigurationArn).toBe(`arn:aws:chime:us-east-1:${ACCOUNT}:media-insights-pipeline-configuration/calls`);
      expect(c.MediaInsightsPipelineConfigurationId).toMatch(/^[0-9a-f-]{36}$/);
      expect(c.Elements).toEqual([transcribeCA, kds]);
      expect(c.RealTimeAlertConfiguration?.Rules).toHaveLength(2);

      const byName = await pipelines().send(new GetMediaInsightsPipelineConfigurationCommand({ Identifier: 'calls' }));
      expect(byName.MediaInsightsPipelineConfiguration).toEqual(c);
      const byArn = await pipelines().send(new GetMediaInsightsPipelineConfigurationCommand({ Identifier: c.MediaInsightsPipelineConfigurationArn }));
      expect(byArn.MediaInsightsPipelineConfiguration?.MediaInsightsPipelineConfigurationId).toBe(c.MediaInsightsPipelineConfigurationId);

      const list = await pipelines().send(new ListMediaInsightsPipelineConfigurationsCommand({}));
      expect(list.MediaInsightsPipelineConfigurations).toEqual([
        {
          MediaInsightsPipelineConfigurationName: 'calls',
          MediaInsightsPipelineConfigurationId: c.MediaInsightsPipelineConfigurationId,
          MediaInsightsPipelineConfigurationArn: c.MediaInsightsPipelineConfigurationArn,
        },
      ]);

      const up = await pipelines().send(
        new UpdateMediaInsightsPipelineConfigurationCommand({ Identifier: 'calls', ResourceAccessRoleArn: ROLE, Elements: [transcribe, kds] }),
      );
      expect(up.MediaInsightsPipelineConfiguration?.Elements).toEqual([transcribe, kds]);
      expect(up.MediaInsightsPipelineConfiguration?.RealTimeAlertConfiguration).toBeUndefined();

      const del = await pipelines().send(new DeleteMediaInsightsPipelineConfigurationCommand({ Identifier: c.MediaInsightsPipelineConfigurationArn }));
      expect(del.$metadata.httpStatusCode).toBe(204);
      await expect(pipelines().send(new GetMediaInsightsPipelineConfigurationCommand({ Identifier: 'calls' }))).rejects.toBeInstanceOf(PipelinesNotFound);
      expect(emu().state.tags[c.MediaInsightsPipelineConfigurationArn!]).toBeUndefined();
    });

    it('A1: real-time alert rules need Transcribe or Transcribe Call Analytics, and number 1 to 3', async () => {
      const rule = (n: number) => ({ Type: 'KeywordMatch' as const, KeywordMatchConfiguration: { RuleName: `r${n}`, Keywords: ['help'] } });
      await expect(
        pipelines().send(base('rec-alerts', [recording], { RealTimeAlertConfiguration: { Rules: [rule(1)] } })),
      ).rejects.toThrow('Media insights pipeline configuration rec-alerts: real-time alerts need Amazon Transcribe or Amazon Transcribe Call Analytics.');
      await expect(
        pipelines().send(base('too-many', [transcribe, kds], { RealTimeAlertConfiguration: { Rules: [rule(1), rule(2), rule(3), rule(4)] } })),
      ).rejects.toBeInstanceOf(PipelinesBadRequest);
      await expect(
        pipelines().send(
          base('issue-no-tca', [transcribe, kds], { RealTimeAlertConfiguration: { Rules: [{ Type: 'IssueDetection', IssueDetectionConfiguration: { RuleName: 'i' + 'x' } }] } }),
        ),
      ).rejects.toThrow(/IssueDetection insights come from Amazon Transcribe Call Analytics/);
      await expect(
        pipelines().send(base('mismatch', [transcribe, kds], { RealTimeAlertConfiguration: { Rules: [{ Type: 'KeywordMatch', IssueDetectionConfiguration: { RuleName: 'ix' } }] } })),
      ).rejects.toThrow(/needs its KeywordMatchConfiguration/);
      const ok = await pipelines().send(base('three', [transcribe, kds], { RealTimeAlertConfiguration: { Rules: [rule(1), rule(2), rule(3)] } }));
      expect(ok.MediaInsightsPipelineConfiguration?.RealTimeAlertConfiguration?.Rules).toHaveLength(3);
      expect(Object.keys(emu().state.mediaInsightsPipelineConfigurations)).toHaveLength(1);
    });

    it('A1: elements are validated: processors need a Kinesis sink, one Transcribe flavour, matching configs, sink ARNs', async () => {
      const refuse = (name: string, elements: MediaInsightsPipelineConfigurationElement[], message: string | RegExp) =>
        expect(pipelines().send(base(name, elements))).rejects.toThrow(message);
      await refuse('no-kds', [transcribe], 'Media insights pipeline configuration no-kds: AmazonTranscribeProcessor needs a KinesisDataStreamSink for their insights.');
      await refuse('both', [transcribe, transcribeCA, kds], /choose Amazon Transcribe or Amazon Transcribe Call Analytics, not both/);
      await refuse('cfgless', [{ Type: 'KinesisDataStreamSink' }, transcribe], /element 1 \(KinesisDataStreamSink\) needs its KinesisDataStreamSinkConfiguration/);
      await refuse('bad-kds', [transcribe, { Type: 'KinesisDataStreamSink', KinesisDataStreamSinkConfiguration: { InsightsTarget: BUCKET } }], /is not a Kinesis data stream ARN/);
      await refuse('lambda-no-va', [transcribe, kds, { Type: 'LambdaFunctionSink', LambdaFunctionSinkConfiguration: { InsightsTarget: `arn:aws:lambda:us-east-1:${ACCOUNT}:function:f` } }], /LambdaFunctionSink receives voice analytics notifications and needs a VoiceAnalyticsProcessor/);
      await refuse('enh', [{ Type: 'VoiceEnhancementSink' }, transcribe, kds], /a VoiceEnhancementSink enhances recordings and needs an S3RecordingSink/);
      await refuse('lang', [{ Type: 'AmazonTranscribeProcessor', AmazonTranscribeProcessorConfiguration: { LanguageCode: 'en-US', IdentifyLanguage: true, LanguageOptions: 'en-US,fr-FR' } }, kds], /exactly one of LanguageCode, IdentifyLanguage and IdentifyMultipleLanguages/);
      await refuse('pii', [{ Type: 'AmazonTranscribeProcessor', AmazonTranscribeProcessorConfiguration: { LanguageCode: 'en-US', ContentIdentificationType: 'PII', ContentRedactionType: 'PII' } }, kds], /ContentIdentificationType and ContentRedactionType cannot both be set/);
      await expect(pipelines().send(base('enum', [{ Type: 'Nope' as any }]))).rejects.toBeInstanceOf(PipelinesBadRequest);
      await expect(
        pipelines().send(new CreateMediaInsightsPipelineConfigurationCommand({ MediaInsightsPipelineConfigurationName: 'role', ResourceAccessRoleArn: KDS, Elements: [recording] })),
      ).rejects.toThrow(/ResourceAccessRoleArn .* is not an IAM role ARN/);
      expect(Object.keys(emu().state.mediaInsightsPipelineConfigurations)).toHaveLength(0);

      // Recording alone, with voice enhancement, and voice analytics with its notification sinks are fine.
      // So is post-call analytics with a recording sink: the guide advises against the duplicate
      // recordings (A1) but AWS accepts it; the operator reports it as a warning.
      await pipelines().send(
        base('dup-rec', [
          {
            Type: 'AmazonTranscribeCallAnalyticsProcessor',
            AmazonTranscribeCallAnalyticsProcessorConfiguration: {
              LanguageCode: 'en-US',
              PostCallAnalyticsSettings: { OutputLocation: 's3://bucket/pca', DataAccessRoleArn: ROLE },
            },
          },
          kds,
          recording,
        ]),
      );
      await pipelines().send(base('rec', [recording, { Type: 'VoiceEnhancementSink', VoiceEnhancementSinkConfiguration: { Disabled: false } }]));
      await pipelines().send(
        base('va', [
          { Type: 'VoiceAnalyticsProcessor', VoiceAnalyticsProcessorConfiguration: { SpeakerSearchStatus: 'Enabled', VoiceToneAnalysisStatus: 'Enabled' } },
          kds,
          { Type: 'SqsQueueSink', SqsQueueSinkConfiguration: { InsightsTarget: `arn:aws:sqs:us-east-1:${ACCOUNT}:q` } },
          { Type: 'SnsTopicSink', SnsTopicSinkConfiguration: { InsightsTarget: `arn:aws:sns:us-east-1:${ACCOUNT}:t` } },
        ]),
      );
      expect(Object.keys(emu().state.mediaInsightsPipelineConfigurations)).toHaveLength(3);
    });

    it('A1: an update is validated like a create and a refused update changes nothing', async () => {
      await pipelines().send(base('calls'));
      await expect(
        pipelines().send(new UpdateMediaInsightsPipelineConfigurationCommand({ Identifier: 'calls', ResourceAccessRoleArn: ROLE, Elements: [transcribe] })),
      ).rejects.toBeInstanceOf(PipelinesBadRequest);
      const got = await pipelines().send(new GetMediaInsightsPipelineConfigurationCommand({ Identifier: 'calls' }));
      expect(got.MediaInsightsPipelineConfiguration?.Elements).toEqual([transcribeCA, kds]);
      await expect(
        pipelines().send(new UpdateMediaInsightsPipelineConfigurationCommand({ Identifier: 'missing', ResourceAccessRoleArn: ROLE, Elements: [transcribe, kds] })),
      ).rejects.toThrow('Media insights pipeline configuration missing not found.');
    });

    it('the ClientRequestToken makes a create idempotent; a taken name is refused', async () => {
      const a = await pipelines().send(base('calls', undefined, { ClientRequestToken: 'tok-123' }));
      const b = await pipelines().send(base('calls', undefined, { ClientRequestToken: 'tok-123' }));
      expect(b.MediaInsightsPipelineConfiguration?.MediaInsightsPipelineConfigurationId).toBe(a.MediaInsightsPipelineConfiguration?.MediaInsightsPipelineConfigurationId);
      await expect(pipelines().send(base('calls', undefined, { ClientRequestToken: 'tok-456' }))).rejects.toThrow(
        'A media insights pipeline configuration named calls already exists.',
      );
      await expect(pipelines().send(base('other', undefined, { ClientRequestToken: 'tok-123' }))).rejects.toBeInstanceOf(PipelinesBadRequest);
      expect(Object.keys(emu().state.mediaInsightsPipelineConfigurations)).toHaveLength(1);
    });

    it('A2: a configuration used by a voice connector cannot be deleted; the message names the connector', async () => {
      const c = (await pipelines().send(base('in-use'))).MediaInsightsPipelineConfiguration!;
      const now = emu().clock.now().toISOString();
      const id = 'vc0123456789abcdefghij';
      emu().state.voiceConnectors[id] = {
        VoiceConnectorId: id,
        AwsRegion: 'us-east-1',
        Name: 'trunk',
        OutboundHostName: `${id}.voiceconnector.chime.aws`,
        RequireEncryption: true,
        CreatedTimestamp: now,
        UpdatedTimestamp: now,
        VoiceConnectorArn: `arn:aws:chime:us-east-1:${ACCOUNT}:vc/${id}`,
        NetworkType: 'IPV4_ONLY',
        _streaming: { DataRetentionInHours: 0, Disabled: false, MediaInsightsConfiguration: { Disabled: false, ConfigurationArn: c.MediaInsightsPipelineConfigurationArn } },
      };
      await expect(pipelines().send(new DeleteMediaInsightsPipelineConfigurationCommand({ Identifier: 'in-use' }))).rejects.toBeInstanceOf(PipelinesConflict);
      await expect(pipelines().send(new DeleteMediaInsightsPipelineConfigurationCommand({ Identifier: 'in-use' }))).rejects.toThrow(
        `Media insights pipeline configuration in-use is used by the streaming configuration of voice connector ${id}; remove it there before deleting it.`,
      );
      delete emu().state.voiceConnectors[id]._streaming;
      await pipelines().send(new DeleteMediaInsightsPipelineConfigurationCommand({ Identifier: 'in-use' }));
      expect(Object.keys(emu().state.mediaInsightsPipelineConfigurations)).toHaveLength(0);
    });

    it('pages the configurations (API3) and answers NotFound for unknown identifiers', async () => {
      for (const n of ['c1', 'c2', 'c3']) {
        await pipelines().send(base(n));
        emu().clock.advance(5);
      }
      const p1 = await pipelines().send(new ListMediaInsightsPipelineConfigurationsCommand({ MaxResults: 2 }));
      const p2 = await pipelines().send(new ListMediaInsightsPipelineConfigurationsCommand({ MaxResults: 2, NextToken: p1.NextToken }));
      expect([...p1.MediaInsightsPipelineConfigurations!, ...p2.MediaInsightsPipelineConfigurations!].map((c) => c.MediaInsightsPipelineConfigurationName)).toEqual([
        'c1',
        'c2',
        'c3',
      ]);
      await expect(pipelines().send(new DeleteMediaInsightsPipelineConfigurationCommand({ Identifier: 'zz' }))).rejects.toBeInstanceOf(PipelinesNotFound);
    });
  });
});
