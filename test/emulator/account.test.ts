/**
 * Global settings (GS1) and tags on every taggable ARN, through the voice client and, for media
 * insights configurations, the media pipelines client (same paths, same handlers).
 */
import { beforeEach, describe, expect, it } from 'vitest';
import {
  BadRequestException,
  CreateSipMediaApplicationCommand,
  CreateVoiceProfileDomainCommand,
  GetGlobalSettingsCommand,
  ListTagsForResourceCommand,
  NotFoundException,
  ResourceLimitExceededException,
  TagResourceCommand,
  UntagResourceCommand,
  UpdateGlobalSettingsCommand,
} from '@aws-sdk/client-chime-sdk-voice';
import {
  BadRequestException as PipelinesBadRequest,
  CreateMediaInsightsPipelineConfigurationCommand,
  ListTagsForResourceCommand as PipelinesListTags,
  NotFoundException as PipelinesNotFound,
  TagResourceCommand as PipelinesTag,
  UntagResourceCommand as PipelinesUntag,
} from '@aws-sdk/client-chime-sdk-media-pipelines';
import { sip } from '../../src/emulator/services/sip.js';
import { account } from '../../src/emulator/services/account.js';
import { analytics } from '../../src/emulator/services/analytics.js';
import { emptyState } from '../../src/emulator/core/state.js';
import { pipelinesClient, voiceClient, withEmulator } from '../helpers/emulator.js';

const ACCOUNT = '111122223333';

describe('global settings and tags', () => {
  const emu = withEmulator({ services: [sip, analytics, account], accountId: ACCOUNT });
  const voice = () => voiceClient(emu());
  const pipelines = () => pipelinesClient(emu());

  beforeEach(() => emu().resetState(emptyState()));

  it('GS1: one CDR bucket for the account, set, read back and cleared', async () => {
    const empty = await voice().send(new GetGlobalSettingsCommand({}));
    expect(empty.VoiceConnector?.CdrBucket).toBeUndefined();
    const put = await voice().send(new UpdateGlobalSettingsCommand({ VoiceConnector: { CdrBucket: 'my-cdr-bucket' } }));
    expect(put.$metadata.httpStatusCode).toBe(204);
    expect((await voice().send(new GetGlobalSettingsCommand({}))).VoiceConnector).toEqual({ CdrBucket: 'my-cdr-bucket' });
    await voice().send(new UpdateGlobalSettingsCommand({ VoiceConnector: { CdrBucket: 'other-bucket' } }));
    expect((await voice().send(new GetGlobalSettingsCommand({}))).VoiceConnector).toEqual({ CdrBucket: 'other-bucket' });
    await voice().send(new UpdateGlobalSettingsCommand({ VoiceConnector: {} }));
    expect((await voice().send(new GetGlobalSettingsCommand({}))).VoiceConnector?.CdrBucket).toBeUndefined();
  });

  it('GS1: a bucket name S3 would refuse is a bad request and changes nothing', async () => {
    await voice().send(new UpdateGlobalSettingsCommand({ VoiceConnector: { CdrBucket: 'good-bucket' } }));
    for (const bad of ['Upper_Case', 'xn--punycode', 'ab', 'bucket-s3alias']) {
      await expect(voice().send(new UpdateGlobalSettingsCommand({ VoiceConnector: { CdrBucket: bad } }))).rejects.toBeInstanceOf(BadRequestException);
    }
    expect((await voice().send(new GetGlobalSettingsCommand({}))).VoiceConnector).toEqual({ CdrBucket: 'good-bucket' });
  });

  it('tags a voice connector (tags written by its family at create), merging and overwriting by key', async () => {
    const id = 'abcdefghij0123456789ab';
    const arn = `arn:aws:chime:us-east-1:${ACCOUNT}:vc/${id}`;
    const now = emu().clock.now().toISOString();
    emu().state.voiceConnectors[id] = {
      VoiceConnectorId: id,
      AwsRegion: 'us-east-1',
      Name: 'trunk',
      OutboundHostName: `${id}.voiceconnector.chime.aws`,
      RequireEncryption: true,
      CreatedTimestamp: now,
      UpdatedTimestamp: now,
      VoiceConnectorArn: arn,
      NetworkType: 'IPV4_ONLY',
    };
    emu().state.tags[arn] = [{ Key: 'team', Value: 'voice' }];
    expect((await voice().send(new ListTagsForResourceCommand({ ResourceARN: arn }))).Tags).toEqual([{ Key: 'team', Value: 'voice' }]);
    const tag = await voice().send(new TagResourceCommand({ ResourceARN: arn, Tags: [{ Key: 'team', Value: 'pstn' }, { Key: 'cost', Value: '42' }] }));
    expect(tag.$metadata.httpStatusCode).toBe(204);
    expect((await voice().send(new ListTagsForResourceCommand({ ResourceARN: arn }))).Tags).toEqual([
      { Key: 'team', Value: 'pstn' },
      { Key: 'cost', Value: '42' },
    ]);
    await voice().send(new UntagResourceCommand({ ResourceARN: arn, TagKeys: ['team', 'absent'] }));
    expect((await voice().send(new ListTagsForResourceCommand({ ResourceARN: arn }))).Tags).toEqual([{ Key: 'cost', Value: '42' }]);
    await voice().send(new UntagResourceCommand({ ResourceARN: arn, TagKeys: ['cost'] }));
    expect((await voice().send(new ListTagsForResourceCommand({ ResourceARN: arn }))).Tags ?? []).toEqual([]);
  });

  it('tags SIP media applications and voice profile domains; an unknown ARN is NotFound', async () => {
    const app = (
      await voice().send(
        new CreateSipMediaApplicationCommand({ AwsRegion: 'us-east-1', Name: 'ivr', Endpoints: [{ LambdaArn: `arn:aws:lambda:us-east-1:${ACCOUNT}:function:f` }] }),
      )
    ).SipMediaApplication!;
    const domain = (
      await voice().send(
        new CreateVoiceProfileDomainCommand({ Name: 'd', ServerSideEncryptionConfiguration: { KmsKeyArn: `arn:aws:kms:us-east-1:${ACCOUNT}:key/abc-123` } }),
      )
    ).VoiceProfileDomain!;
    for (const arn of [app.SipMediaApplicationArn!, domain.VoiceProfileDomainArn!]) {
      await voice().send(new TagResourceCommand({ ResourceARN: arn, Tags: [{ Key: 'k', Value: 'v' }] }));
      expect((await voice().send(new ListTagsForResourceCommand({ ResourceARN: arn }))).Tags).toEqual([{ Key: 'k', Value: 'v' }]);
    }
    const unknown = `arn:aws:chime:us-east-1:${ACCOUNT}:sma/00000000-0000-4000-8000-000000000000`;
    await expect(voice().send(new ListTagsForResourceCommand({ ResourceARN: unknown }))).rejects.toBeInstanceOf(NotFoundException);
    await expect(voice().send(new TagResourceCommand({ ResourceARN: unknown, Tags: [{ Key: 'k', Value: 'v' }] }))).rejects.toThrow(
      `No taggable resource with ARN ${unknown} exists in account ${ACCOUNT}.`,
    );
    await expect(voice().send(new UntagResourceCommand({ ResourceARN: unknown, TagKeys: ['k'] }))).rejects.toBeInstanceOf(NotFoundException);
    expect(emu().state.tags[unknown]).toBeUndefined();
  });

  it('a resource has at most 50 tags; reserved and duplicate keys are refused; a refused call changes nothing', async () => {
    const app = (
      await voice().send(
        new CreateSipMediaApplicationCommand({ AwsRegion: 'us-east-1', Name: 'ivr', Endpoints: [{ LambdaArn: `arn:aws:lambda:us-east-1:${ACCOUNT}:function:f` }] }),
      )
    ).SipMediaApplication!;
    const arn = app.SipMediaApplicationArn!;
    const tags = (from: number, n: number) => Array.from({ length: n }, (_, i) => ({ Key: `k${from + i}`, Value: 'v' }));
    await voice().send(new TagResourceCommand({ ResourceARN: arn, Tags: tags(0, 40) }));
    await expect(voice().send(new TagResourceCommand({ ResourceARN: arn, Tags: tags(40, 11) }))).rejects.toBeInstanceOf(ResourceLimitExceededException);
    await expect(voice().send(new TagResourceCommand({ ResourceARN: arn, Tags: tags(40, 11) }))).rejects.toThrow(`${arn} would have 51 tags; a resource has at most 50.`);
    // Overwriting existing keys does not count twice.
    await voice().send(new TagResourceCommand({ ResourceARN: arn, Tags: [...tags(0, 5), ...tags(40, 10)] }));
    expect((await voice().send(new ListTagsForResourceCommand({ ResourceARN: arn }))).Tags).toHaveLength(50);
    await expect(voice().send(new TagResourceCommand({ ResourceARN: arn, Tags: [{ Key: 'aws:x', Value: 'v' }] }))).rejects.toThrow(/reserved prefix 'aws:'/);
    await expect(
      voice().send(new TagResourceCommand({ ResourceARN: arn, Tags: [{ Key: 'k0', Value: 'a' }, { Key: 'k0', Value: 'b' }] })),
    ).rejects.toThrow(/appears more than once/);
    expect((await voice().send(new ListTagsForResourceCommand({ ResourceARN: arn }))).Tags?.find((t) => t.Key === 'k0')?.Value).toBe('v');
    await expect(
      voice().send(
        new CreateSipMediaApplicationCommand({
          AwsRegion: 'us-east-1',
          Name: 'tagged',
          Endpoints: [{ LambdaArn: `arn:aws:lambda:us-east-1:${ACCOUNT}:function:f` }],
          Tags: [{ Key: 'aws:cloudformation', Value: 'x' }],
        }),
      ),
    ).rejects.toBeInstanceOf(BadRequestException);
    expect(Object.keys(emu().state.sipMediaApplications)).toHaveLength(1);
  });

  it('the media pipelines client tags media insights pipeline configurations through the same handlers', async () => {
    const c = (
      await pipelines().send(
        new CreateMediaInsightsPipelineConfigurationCommand({
          MediaInsightsPipelineConfigurationName: 'rec',
          ResourceAccessRoleArn: `arn:aws:iam::${ACCOUNT}:role/r`,
          Elements: [{ Type: 'S3RecordingSink', S3RecordingSinkConfiguration: { Destination: 'arn:aws:s3:::bucket', RecordingFileFormat: 'Opus' } }],
          Tags: [{ Key: 'a', Value: '1' }],
        }),
      )
    ).MediaInsightsPipelineConfiguration!;
    const arn = c.MediaInsightsPipelineConfigurationArn!;
    expect((await pipelines().send(new PipelinesListTags({ ResourceARN: arn }))).Tags).toEqual([{ Key: 'a', Value: '1' }]);
    await pipelines().send(new PipelinesTag({ ResourceARN: arn, Tags: [{ Key: 'b', Value: '2' }] }));
    await pipelines().send(new PipelinesUntag({ ResourceARN: arn, TagKeys: ['a'] }));
    expect((await pipelines().send(new PipelinesListTags({ ResourceARN: arn }))).Tags).toEqual([{ Key: 'b', Value: '2' }]);
    // Its model has no ResourceLimitExceededException on tag calls: over 50 tags is a bad request.
    const many = Array.from({ length: 50 }, (_, i) => ({ Key: `k${i}`, Value: 'v' }));
    await expect(pipelines().send(new PipelinesTag({ ResourceARN: arn, Tags: many }))).rejects.toBeInstanceOf(PipelinesBadRequest);
    await expect(
      pipelines().send(new PipelinesListTags({ ResourceARN: `arn:aws:chime:us-east-1:${ACCOUNT}:media-insights-pipeline-configuration/none` })),
    ).rejects.toBeInstanceOf(PipelinesNotFound);
  });
});
