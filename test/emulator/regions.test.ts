/**
 * Strict regions (docs/emulator.md#strict-regions): the region of a request's SigV4 credential
 * scope decides what it sees and where a create lands. Regional resources are NotFound through
 * another region's endpoint and missing from its listings; phone numbers and global settings stay
 * account-wide; a group and a SIP rule may name connectors and applications of other regions. Without
 * the option every endpoint sees every region, as before.
 */
import { beforeEach, describe, expect, it } from 'vitest';
import {
  CreateSipMediaApplicationCommand,
  CreateSipRuleCommand,
  CreateVoiceConnectorCommand,
  CreateVoiceConnectorGroupCommand,
  CreateVoiceProfileDomainCommand,
  GetSipMediaApplicationCommand,
  GetSipRuleCommand,
  GetVoiceConnectorCommand,
  GetVoiceConnectorGroupCommand,
  GetVoiceProfileDomainCommand,
  ListPhoneNumbersCommand,
  ListSipMediaApplicationsCommand,
  ListSipRulesCommand,
  ListTagsForResourceCommand,
  ListVoiceConnectorGroupsCommand,
  ListVoiceConnectorsCommand,
  ListVoiceProfileDomainsCommand,
  PutVoiceConnectorLoggingConfigurationCommand,
  UpdateGlobalSettingsCommand,
  GetGlobalSettingsCommand,
} from '@aws-sdk/client-chime-sdk-voice';
import {
  CreateMediaInsightsPipelineConfigurationCommand,
  GetMediaInsightsPipelineConfigurationCommand,
  ListMediaInsightsPipelineConfigurationsCommand,
} from '@aws-sdk/client-chime-sdk-media-pipelines';
import { emptyState } from '../../src/emulator/core/state.js';
import { holdNumber, pipelinesClient, voiceClient, withEmulator } from '../helpers/emulator.js';

const ACCOUNT = '111122223333';
const lambda = (region: string) => `arn:aws:lambda:${region}:${ACCOUNT}:function:ivr`;
const strict = withEmulator({ strictRegions: true });
const lenient = withEmulator();

beforeEach(() => {
  strict().resetState(emptyState());
  lenient().resetState(emptyState());
});

const east = () => voiceClient(strict(), 'us-east-1');
const west = () => voiceClient(strict(), 'us-west-2');
const notFound = { name: 'NotFoundException' };

describe('strict regions', () => {
  it('a connector created through us-west-2 lands there and is NotFound, unlisted and untaggable through us-east-1', async () => {
    const vc = (await west().send(new CreateVoiceConnectorCommand({ Name: 'w', RequireEncryption: true, Tags: [{ Key: 'k', Value: 'v' }] }))).VoiceConnector!;
    // Without AwsRegion it lands in the request's region, not in the API's default us-east-1.
    expect(vc.AwsRegion).toBe('us-west-2');
    expect(vc.VoiceConnectorArn).toMatch(/^arn:aws:chime:us-west-2:/);
    const id = vc.VoiceConnectorId!;
    await expect(east().send(new GetVoiceConnectorCommand({ VoiceConnectorId: id }))).rejects.toMatchObject(notFound);
    await expect(
      east().send(new PutVoiceConnectorLoggingConfigurationCommand({ VoiceConnectorId: id, LoggingConfiguration: { EnableSIPLogs: true } })),
    ).rejects.toMatchObject(notFound);
    await expect(east().send(new ListTagsForResourceCommand({ ResourceARN: vc.VoiceConnectorArn! }))).rejects.toMatchObject(notFound);
    await expect(east().send(new ListPhoneNumbersCommand({ FilterName: 'VoiceConnectorId', FilterValue: id }))).rejects.toMatchObject(notFound);
    expect((await east().send(new ListVoiceConnectorsCommand({}))).VoiceConnectors).toEqual([]);
    expect((await west().send(new ListVoiceConnectorsCommand({}))).VoiceConnectors?.map((c) => c.VoiceConnectorId)).toEqual([id]);
    expect((await west().send(new GetVoiceConnectorCommand({ VoiceConnectorId: id }))).VoiceConnector?.AwsRegion).toBe('us-west-2');
    expect((await west().send(new ListTagsForResourceCommand({ ResourceARN: vc.VoiceConnectorArn! }))).Tags).toEqual([{ Key: 'k', Value: 'v' }]);
    // Phone numbers and global settings are account-wide: every region sees the same.
    holdNumber(strict(), '+12065550100');
    for (const client of [east(), west()]) expect((await client.send(new ListPhoneNumbersCommand({}))).PhoneNumbers?.map((n) => n.E164PhoneNumber)).toEqual(['+12065550100']);
    await west().send(new UpdateGlobalSettingsCommand({ VoiceConnector: { CdrBucket: 'cdrs' } }));
    expect((await east().send(new GetGlobalSettingsCommand({}))).VoiceConnector).toEqual({ CdrBucket: 'cdrs' });
  });

  it('a create naming another region than the endpoint it is sent to is refused, and nothing is created', async () => {
    await expect(east().send(new CreateVoiceConnectorCommand({ Name: 'w', RequireEncryption: true, AwsRegion: 'us-west-2' }))).rejects.toMatchObject({
      name: 'BadRequestException',
      message: expect.stringContaining('must be created through the us-west-2 endpoint'),
    });
    await expect(
      east().send(new CreateSipMediaApplicationCommand({ AwsRegion: 'us-west-2', Name: 'ivr', Endpoints: [{ LambdaArn: lambda('us-west-2') }] })),
    ).rejects.toMatchObject({ name: 'BadRequestException' });
    expect(strict().state.voiceConnectors).toEqual({});
    expect(strict().state.sipMediaApplications).toEqual({});
  });

  it('a group of the home region holds connectors of two regions, and is seen through its own region only', async () => {
    const a = (await east().send(new CreateVoiceConnectorCommand({ Name: 'e', RequireEncryption: true, AwsRegion: 'us-east-1' }))).VoiceConnector!.VoiceConnectorId!;
    const b = (await west().send(new CreateVoiceConnectorCommand({ Name: 'w', RequireEncryption: true, AwsRegion: 'us-west-2' }))).VoiceConnector!.VoiceConnectorId!;
    const g = (
      await east().send(
        new CreateVoiceConnectorGroupCommand({
          Name: 'edge',
          VoiceConnectorItems: [
            { VoiceConnectorId: a, Priority: 1 },
            { VoiceConnectorId: b, Priority: 2 },
          ],
        }),
      )
    ).VoiceConnectorGroup!;
    expect(g.VoiceConnectorGroupArn).toMatch(/^arn:aws:chime:us-east-1:/);
    expect((await east().send(new GetVoiceConnectorGroupCommand({ VoiceConnectorGroupId: g.VoiceConnectorGroupId! }))).VoiceConnectorGroup?.VoiceConnectorItems).toHaveLength(2);
    await expect(west().send(new GetVoiceConnectorGroupCommand({ VoiceConnectorGroupId: g.VoiceConnectorGroupId! }))).rejects.toMatchObject(notFound);
    expect((await west().send(new ListVoiceConnectorGroupsCommand({}))).VoiceConnectorGroups).toEqual([]);
  });

  it('a SIP rule targets applications of two regions, each named with its own region, and lives where it was created', async () => {
    const appE = (await east().send(new CreateSipMediaApplicationCommand({ AwsRegion: 'us-east-1', Name: 'e', Endpoints: [{ LambdaArn: lambda('us-east-1') }] })))
      .SipMediaApplication!.SipMediaApplicationId!;
    const appW = (await west().send(new CreateSipMediaApplicationCommand({ AwsRegion: 'us-west-2', Name: 'w', Endpoints: [{ LambdaArn: lambda('us-west-2') }] })))
      .SipMediaApplication!.SipMediaApplicationId!;
    await expect(east().send(new GetSipMediaApplicationCommand({ SipMediaApplicationId: appW }))).rejects.toMatchObject(notFound);
    expect((await east().send(new ListSipMediaApplicationsCommand({}))).SipMediaApplications?.map((a) => a.SipMediaApplicationId)).toEqual([appE]);
    holdNumber(strict(), '+12065550100');
    strict().state.phoneNumbers['+12065550100'].ProductType = 'SipMediaApplicationDialIn';
    const rule = (
      await east().send(
        new CreateSipRuleCommand({
          Name: 'inbound',
          TriggerType: 'ToPhoneNumber',
          TriggerValue: '+12065550100',
          TargetApplications: [
            { SipMediaApplicationId: appE, Priority: 1, AwsRegion: 'us-east-1' },
            { SipMediaApplicationId: appW, Priority: 2, AwsRegion: 'us-west-2' },
          ],
        }),
      )
    ).SipRule!;
    expect(rule.TargetApplications?.map((t) => t.AwsRegion)).toEqual(['us-east-1', 'us-west-2']);
    expect((await east().send(new GetSipRuleCommand({ SipRuleId: rule.SipRuleId! }))).SipRule?.Name).toBe('inbound');
    await expect(west().send(new GetSipRuleCommand({ SipRuleId: rule.SipRuleId! }))).rejects.toMatchObject(notFound);
    expect((await west().send(new ListSipRulesCommand({}))).SipRules).toEqual([]);
    // The rule's bookkeeping region is not part of the API's answer.
    expect(Object.keys((await east().send(new ListSipRulesCommand({}))).SipRules![0])).not.toContain('_region');
  });

  it('voice profile domains and media insights pipeline configurations live in the region that created them', async () => {
    const key = `arn:aws:kms:us-west-2:${ACCOUNT}:key/1234abcd-12ab-34cd-56ef-1234567890ab`;
    const domain = (
      await west().send(new CreateVoiceProfileDomainCommand({ Name: 'd', ServerSideEncryptionConfiguration: { KmsKeyArn: key }, ClientRequestToken: 'token-1234567890' }))
    ).VoiceProfileDomain!;
    await expect(east().send(new GetVoiceProfileDomainCommand({ VoiceProfileDomainId: domain.VoiceProfileDomainId! }))).rejects.toMatchObject(notFound);
    expect((await east().send(new ListVoiceProfileDomainsCommand({}))).VoiceProfileDomains).toEqual([]);
    expect((await west().send(new ListVoiceProfileDomainsCommand({}))).VoiceProfileDomains).toHaveLength(1);

    const role = `arn:aws:iam::${ACCOUNT}:role/analytics`;
    const elements = [{ Type: 'S3RecordingSink' as const, S3RecordingSinkConfiguration: { Destination: 'arn:aws:s3:::recordings', RecordingFileFormat: 'Wav' as const } }];
    const westPipelines = pipelinesClient(strict(), 'us-west-2');
    const eastPipelines = pipelinesClient(strict(), 'us-east-1');
    const config = (
      await westPipelines.send(new CreateMediaInsightsPipelineConfigurationCommand({ MediaInsightsPipelineConfigurationName: 'calls', ResourceAccessRoleArn: role, Elements: elements }))
    ).MediaInsightsPipelineConfiguration!;
    expect(config.MediaInsightsPipelineConfigurationArn).toMatch(/^arn:aws:chime:us-west-2:/);
    await expect(eastPipelines.send(new GetMediaInsightsPipelineConfigurationCommand({ Identifier: 'calls' }))).rejects.toMatchObject(notFound);
    expect((await eastPipelines.send(new ListMediaInsightsPipelineConfigurationsCommand({}))).MediaInsightsPipelineConfigurations).toEqual([]);
    // Names are unique per account and region: the same name is free in another region.
    await eastPipelines.send(new CreateMediaInsightsPipelineConfigurationCommand({ MediaInsightsPipelineConfigurationName: 'calls', ResourceAccessRoleArn: role, Elements: elements }));
  });
});

describe('without strict regions', () => {
  it('every endpoint sees every region, and a create without AwsRegion takes the API default us-east-1; the call hook names each call\'s region', async () => {
    const regions: string[] = [];
    lenient().setCallHook((e) => {
      if (e.phase === 'answered') regions.push(`${e.operation} ${e.region}`);
    });
    const westLenient = voiceClient(lenient(), 'us-west-2');
    const vc = (await voiceClient(lenient(), 'us-east-1').send(new CreateVoiceConnectorCommand({ Name: 'w', RequireEncryption: true, AwsRegion: 'us-west-2' }))).VoiceConnector!;
    expect((await westLenient.send(new GetVoiceConnectorCommand({ VoiceConnectorId: vc.VoiceConnectorId! }))).VoiceConnector?.AwsRegion).toBe('us-west-2');
    const plain = (await westLenient.send(new CreateVoiceConnectorCommand({ Name: 'd', RequireEncryption: true }))).VoiceConnector!;
    expect(plain.AwsRegion).toBe('us-east-1');
    lenient().setCallHook(undefined);
    expect(regions).toEqual(['CreateVoiceConnector us-east-1', 'GetVoiceConnector us-west-2', 'CreateVoiceConnector us-west-2']);
  });
});
