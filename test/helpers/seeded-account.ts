/**
 * An account as years of console work leave it, built through the real SDK clients against the
 * emulator: every kind and every setting, and phone numbers in every status (assigned to a
 * connector, a group and a SIP rule, unassigned, in the deletion queue, being ported in). The
 * porting order is the one thing the public API cannot make; it goes through the emulator's
 * control API as AWS Support would. `writeSeededState` saves it as a state file, the fixture of
 * the import tests (generated, never written by hand).
 */
import {
  AssociatePhoneNumbersWithVoiceConnectorCommand,
  AssociatePhoneNumbersWithVoiceConnectorGroupCommand,
  CreatePhoneNumberOrderCommand,
  CreateSipMediaApplicationCommand,
  CreateSipRuleCommand,
  CreateVoiceConnectorCommand,
  CreateVoiceConnectorGroupCommand,
  CreateVoiceProfileDomainCommand,
  DeletePhoneNumberCommand,
  PutSipMediaApplicationLoggingConfigurationCommand,
  PutVoiceConnectorEmergencyCallingConfigurationCommand,
  PutVoiceConnectorExternalSystemsConfigurationCommand,
  PutVoiceConnectorLoggingConfigurationCommand,
  PutVoiceConnectorOriginationCommand,
  PutVoiceConnectorProxyCommand,
  PutVoiceConnectorStreamingConfigurationCommand,
  PutVoiceConnectorTerminationCommand,
  PutVoiceConnectorTerminationCredentialsCommand,
  SearchAvailablePhoneNumbersCommand,
  UpdateGlobalSettingsCommand,
  UpdatePhoneNumberCommand,
} from '@aws-sdk/client-chime-sdk-voice';
import { CreateMediaInsightsPipelineConfigurationCommand } from '@aws-sdk/client-chime-sdk-media-pipelines';
import { startEmulator, type Emulator } from '../../src/emulator/index.js';
import { pipelinesClient, voiceClient } from './emulator.js';

const ACCOUNT = '123456789012';
export const SEEDED = {
  cdrBucket: 'acme-call-records',
  kmsKeyArn: `arn:aws:kms:us-east-1:${ACCOUNT}:key/2a1b3c4d-1111-2222-3333-444455556666`,
  roleArn: `arn:aws:iam::${ACCOUNT}:role/ChimeMediaInsights`,
  portingNumber: '+12065550188',
};

/** What the seeding made, by role, for assertions. */
export interface SeededIds {
  connectors: { office: string; backup: string; officeTwin: string };
  group: string;
  apps: { main: string; west: string };
  rules: { mainLine: string; trunk: string };
  domain: string;
  configurations: { analytics: string; speakerSearch: string };
  numbers: { office: string[]; group: string; unassigned: string; deleted: string; dialIn: string; porting: string };
  /** Every resource's AWS identity (id, ARN for configurations, E.164 for numbers), once. */
  all: string[];
}

async function orderNumbers(emu: Emulator, count: number, productType: 'VoiceConnector' | 'SipMediaApplicationDialIn', areaCode: string): Promise<string[]> {
  const voice = voiceClient(emu);
  const found = await voice.send(new SearchAvailablePhoneNumbersCommand({ AreaCode: areaCode, MaxResults: count }));
  const numbers = found.E164PhoneNumbers!.slice(0, count);
  await voice.send(new CreatePhoneNumberOrderCommand({ ProductType: productType, E164PhoneNumbers: numbers }));
  emu.clock.advance(15_000);
  return numbers;
}

export async function seedAccount(emu: Emulator): Promise<SeededIds> {
  const voice = voiceClient(emu);
  const west = voiceClient(emu, 'us-west-2');
  const pipelines = pipelinesClient(emu);

  await voice.send(new UpdateGlobalSettingsCommand({ VoiceConnector: { CdrBucket: SEEDED.cdrBucket } }));

  const analytics = (
    await pipelines.send(
      new CreateMediaInsightsPipelineConfigurationCommand({
        MediaInsightsPipelineConfigurationName: 'contact-center-analytics',
        ResourceAccessRoleArn: SEEDED.roleArn,
        RealTimeAlertConfiguration: {
          Disabled: false,
          Rules: [{ Type: 'KeywordMatch', KeywordMatchConfiguration: { RuleName: 'escalation', Keywords: ['supervisor', 'cancel my account'], Negate: false } }],
        },
        Elements: [
          {
            Type: 'AmazonTranscribeCallAnalyticsProcessor',
            AmazonTranscribeCallAnalyticsProcessorConfiguration: { LanguageCode: 'en-US', ContentRedactionType: 'PII', PiiEntityTypes: 'NAME,ADDRESS' },
          },
          { Type: 'KinesisDataStreamSink', KinesisDataStreamSinkConfiguration: { InsightsTarget: `arn:aws:kinesis:us-east-1:${ACCOUNT}:stream/call-insights` } },
        ],
        Tags: [{ Key: 'team', Value: 'contact-center' }],
      }),
    )
  ).MediaInsightsPipelineConfiguration!.MediaInsightsPipelineConfigurationArn!;
  const speakerSearch = (
    await pipelines.send(
      new CreateMediaInsightsPipelineConfigurationCommand({
        MediaInsightsPipelineConfigurationName: 'speaker-search',
        ResourceAccessRoleArn: SEEDED.roleArn,
        Elements: [
          { Type: 'VoiceAnalyticsProcessor', VoiceAnalyticsProcessorConfiguration: { SpeakerSearchStatus: 'Enabled', VoiceToneAnalysisStatus: 'Disabled' } },
          { Type: 'KinesisDataStreamSink', KinesisDataStreamSinkConfiguration: { InsightsTarget: `arn:aws:kinesis:us-east-1:${ACCOUNT}:stream/speaker-events` } },
        ],
      }),
    )
  ).MediaInsightsPipelineConfiguration!.MediaInsightsPipelineConfigurationArn!;

  const domain = (
    await voice.send(
      new CreateVoiceProfileDomainCommand({
        Name: 'Support Voices',
        Description: 'voice prints of the support line',
        ServerSideEncryptionConfiguration: { KmsKeyArn: SEEDED.kmsKeyArn },
        Tags: [{ Key: 'team', Value: 'support' }],
      }),
    )
  ).VoiceProfileDomain!.VoiceProfileDomainId!;

  const office = (
    await voice.send(new CreateVoiceConnectorCommand({ Name: 'Office Trunk', RequireEncryption: true, AwsRegion: 'us-east-1', Tags: [{ Key: 'team', Value: 'voice' }, { Key: 'cost-center', Value: '4711' }] }))
  ).VoiceConnector!;
  const backup = (await west.send(new CreateVoiceConnectorCommand({ Name: 'Backup Trunk', RequireEncryption: false, AwsRegion: 'us-west-2' }))).VoiceConnector!;
  // Another connector whose name differs only in case and spaces: the same DNS name, a collision to resolve.
  const officeTwin = (await voice.send(new CreateVoiceConnectorCommand({ Name: 'office  trunk', RequireEncryption: true, AwsRegion: 'us-east-1' }))).VoiceConnector!;
  const officeId = office.VoiceConnectorId!;

  const officeNumbers = await orderNumbers(emu, 2, 'VoiceConnector', '206');
  const [groupNumber, unassigned, deleted] = await orderNumbers(emu, 3, 'VoiceConnector', '212');
  const [dialIn] = await orderNumbers(emu, 1, 'SipMediaApplicationDialIn', '415');

  await voice.send(
    new PutVoiceConnectorTerminationCommand({
      VoiceConnectorId: officeId,
      Termination: { CpsLimit: 5, CallingRegions: ['US', 'CA'], CidrAllowedList: ['54.239.98.0/24'], DefaultPhoneNumber: officeNumbers[0], Disabled: false },
    }),
  );
  await voice.send(
    new PutVoiceConnectorTerminationCredentialsCommand({
      VoiceConnectorId: officeId,
      Credentials: [
        { Username: 'pbx-main', Password: 'main-secret-1' },
        { Username: 'pbx-branch', Password: 'branch-secret-2' },
      ],
    }),
  );
  await voice.send(
    new PutVoiceConnectorOriginationCommand({
      VoiceConnectorId: officeId,
      Origination: {
        Disabled: false,
        Routes: [
          { Host: 'sbc1.example.com', Port: 5061, Protocol: 'TCP', Priority: 1, Weight: 10 },
          { Host: 'sbc2.example.com', Port: 5061, Protocol: 'TCP', Priority: 2, Weight: 5 },
        ],
      },
    }),
  );
  await voice.send(
    new PutVoiceConnectorStreamingConfigurationCommand({
      VoiceConnectorId: officeId,
      StreamingConfiguration: {
        DataRetentionInHours: 24,
        Disabled: false,
        StreamingNotificationTargets: [{ NotificationTarget: 'SNS' }, { NotificationTarget: 'EventBridge' }],
        MediaInsightsConfiguration: { Disabled: false, ConfigurationArn: analytics },
      },
    }),
  );
  await voice.send(new PutVoiceConnectorLoggingConfigurationCommand({ VoiceConnectorId: officeId, LoggingConfiguration: { EnableSIPLogs: true, EnableMediaMetricLogs: false } }));
  await voice.send(
    new PutVoiceConnectorEmergencyCallingConfigurationCommand({
      VoiceConnectorId: officeId,
      EmergencyCallingConfiguration: { DNIS: [{ EmergencyPhoneNumber: '+12065550911', TestPhoneNumber: '+12065550933', CallingCountry: 'US' }] },
    }),
  );
  await voice.send(
    new PutVoiceConnectorProxyCommand({ VoiceConnectorId: officeId, DefaultSessionExpiryMinutes: 60, PhoneNumberPoolCountries: ['US'], FallBackPhoneNumber: officeNumbers[1], Disabled: false }),
  );
  await voice.send(
    new PutVoiceConnectorExternalSystemsConfigurationCommand({
      VoiceConnectorId: officeId,
      SessionBorderControllerTypes: ['RIBBON_SBC'],
      ContactCenterSystemTypes: ['GENESYS_ENGAGE_ON_PREMISES'],
    }),
  );
  await west.send(new PutVoiceConnectorTerminationCommand({ VoiceConnectorId: backup.VoiceConnectorId!, Termination: { CallingRegions: ['US'], CidrAllowedList: ['3.5.140.0/22'], Disabled: true } }));
  await west.send(
    new PutVoiceConnectorOriginationCommand({
      VoiceConnectorId: backup.VoiceConnectorId!,
      Origination: { Disabled: false, Routes: [{ Host: '52.94.10.20', Port: 5060, Protocol: 'UDP', Priority: 1, Weight: 1 }] },
    }),
  );

  const group = (
    await voice.send(
      new CreateVoiceConnectorGroupCommand({
        Name: 'East West',
        VoiceConnectorItems: [
          { VoiceConnectorId: officeId, Priority: 1 },
          { VoiceConnectorId: backup.VoiceConnectorId!, Priority: 2 },
        ],
      }),
    )
  ).VoiceConnectorGroup!.VoiceConnectorGroupId!;

  await voice.send(new AssociatePhoneNumbersWithVoiceConnectorCommand({ VoiceConnectorId: officeId, E164PhoneNumbers: officeNumbers }));
  await voice.send(new AssociatePhoneNumbersWithVoiceConnectorGroupCommand({ VoiceConnectorGroupId: group, E164PhoneNumbers: [groupNumber] }));
  await voice.send(new UpdatePhoneNumberCommand({ PhoneNumberId: officeNumbers[0], Name: 'reception main line' }));
  await voice.send(new UpdatePhoneNumberCommand({ PhoneNumberId: officeNumbers[0], CallingName: 'ACME Reception' }));
  await voice.send(new UpdatePhoneNumberCommand({ PhoneNumberId: unassigned, Name: 'spare' }));
  await voice.send(new DeletePhoneNumberCommand({ PhoneNumberId: deleted }));

  const main = (
    await voice.send(
      new CreateSipMediaApplicationCommand({
        Name: 'IVR Main',
        AwsRegion: 'us-east-1',
        Endpoints: [{ LambdaArn: `arn:aws:lambda:us-east-1:${ACCOUNT}:function:ivr-main` }],
        Tags: [{ Key: 'team', Value: 'voice' }],
      }),
    )
  ).SipMediaApplication!.SipMediaApplicationId!;
  await voice.send(new PutSipMediaApplicationLoggingConfigurationCommand({ SipMediaApplicationId: main, SipMediaApplicationLoggingConfiguration: { EnableSipMediaApplicationMessageLogs: true } }));
  const westApp = (
    await west.send(
      new CreateSipMediaApplicationCommand({ Name: 'IVR West', AwsRegion: 'us-west-2', Endpoints: [{ LambdaArn: `arn:aws:lambda:us-west-2:${ACCOUNT}:function:ivr-west` }] }),
    )
  ).SipMediaApplication!.SipMediaApplicationId!;

  const mainLine = (
    await voice.send(
      new CreateSipRuleCommand({
        Name: 'Main Line',
        TriggerType: 'ToPhoneNumber',
        TriggerValue: dialIn,
        Disabled: false,
        TargetApplications: [
          { SipMediaApplicationId: main, Priority: 1, AwsRegion: 'us-east-1' },
          { SipMediaApplicationId: westApp, Priority: 2, AwsRegion: 'us-west-2' },
        ],
      }),
    )
  ).SipRule!.SipRuleId!;
  const trunk = (
    await voice.send(
      new CreateSipRuleCommand({
        Name: 'Trunk to IVR',
        TriggerType: 'RequestUriHostname',
        TriggerValue: office.OutboundHostName!,
        Disabled: true,
        TargetApplications: [{ SipMediaApplicationId: main, Priority: 1, AwsRegion: 'us-east-1' }],
      }),
    )
  ).SipRule!.SipRuleId!;

  // A port, as AWS Support opens one: the number arrives in days, PortinInProgress until then.
  const res = await fetch(`${emu.url}/_emulator/seed-porting-order`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ numbers: [SEEDED.portingNumber], productType: 'VoiceConnector' }),
  });
  if (!res.ok) throw new Error(`seed-porting-order: ${res.status} ${await res.text()}`);

  const ids: SeededIds = {
    connectors: { office: officeId, backup: backup.VoiceConnectorId!, officeTwin: officeTwin.VoiceConnectorId! },
    group,
    apps: { main, west: westApp },
    rules: { mainLine, trunk },
    domain,
    configurations: { analytics, speakerSearch },
    numbers: { office: officeNumbers, group: groupNumber, unassigned, deleted, dialIn, porting: SEEDED.portingNumber },
    all: [],
  };
  ids.all = [
    officeId,
    ids.connectors.backup,
    ids.connectors.officeTwin,
    group,
    main,
    westApp,
    mainLine,
    trunk,
    domain,
    analytics,
    speakerSearch,
    ...officeNumbers,
    groupNumber,
    unassigned,
    deleted,
    dialIn,
    SEEDED.portingNumber,
  ];
  return ids;
}

/** Seeds a fresh emulator and saves its state to `file`: the seeded account as a state file. */
export async function writeSeededState(file: string): Promise<SeededIds> {
  const emu = await startEmulator({ stateFile: file, strictRegions: true });
  try {
    return await seedAccount(emu);
  } finally {
    await emu.stop();
  }
}
