/**
 * The emulator's whole state: plain JSON, so it snapshots to a file and back without loss.
 * Records keep the model's output member names (PascalCase) and ISO-8601 timestamps, so most
 * handlers return them as they are. Per-record bookkeeping the API never shows lives in `_`-prefixed
 * fields, which handlers strip before answering.
 */

export type Iso = string;

export interface TagRecord {
  Key: string;
  Value: string;
}

export interface PhoneNumberRecord {
  PhoneNumberId: string;
  E164PhoneNumber: string;
  PhoneNumberArn: string;
  Country: string;
  Type: 'Local' | 'TollFree';
  ProductType: 'VoiceConnector' | 'SipMediaApplicationDialIn';
  Status: string;
  Capabilities: Record<string, boolean>;
  Associations: Array<{ Value: string; Name: 'VoiceConnectorId' | 'VoiceConnectorGroupId' | 'SipRuleId'; AssociatedTimestamp: Iso }>;
  CallingName?: string;
  CallingNameStatus: 'Unassigned' | 'UpdateInProgress' | 'UpdateSucceeded' | 'UpdateFailed';
  CreatedTimestamp: Iso;
  UpdatedTimestamp: Iso;
  DeletionTimestamp?: Iso;
  OrderId?: string;
  Name?: string;
  /** PN6: when the calling name last changed (7-day cooldown) and when its 72-hour update completes. */
  _callingNameChangedAt?: Iso;
  _callingNameAppliesAt?: Iso;
}

export interface PhoneNumberOrderRecord {
  PhoneNumberOrderId: string;
  ProductType: 'VoiceConnector' | 'SipMediaApplicationDialIn';
  Status: string;
  OrderType: 'New' | 'Porting';
  OrderedPhoneNumbers: Array<{ E164PhoneNumber: string; Status: 'Processing' | 'Acquired' | 'Failed' }>;
  CreatedTimestamp: Iso;
  UpdatedTimestamp: Iso;
  FocDate?: string;
  /** The descriptive name given at order time; copied onto each acquired number. */
  _name?: string;
  /** When processing ends (PN1). */
  _completesAt?: Iso;
  /** New orders: what each number will turn out to be when processing ends (decided at order time). */
  _outcomes?: Record<string, 'Acquired' | 'Failed'>;
  /** Porting orders: the status walk still to come, each step with the time it starts. */
  _schedule?: Array<{ Status: string; At: Iso }>;
}

export interface VoiceConnectorRecord {
  VoiceConnectorId: string;
  AwsRegion: string;
  Name: string;
  OutboundHostName: string;
  RequireEncryption: boolean;
  CreatedTimestamp: Iso;
  UpdatedTimestamp: Iso;
  VoiceConnectorArn: string;
  IntegrationType?: string;
  NetworkType: 'IPV4_ONLY' | 'DUAL_STACK';
  /** Sub-configurations, absent until put; shapes as in the model. */
  _termination?: Record<string, unknown>;
  _terminationCredentials?: string[];
  _terminationHealth?: { Timestamp?: Iso; Source?: string };
  _origination?: Record<string, unknown>;
  _streaming?: Record<string, unknown>;
  _logging?: { EnableSIPLogs?: boolean; EnableMediaMetricLogs?: boolean };
  _emergencyCalling?: Record<string, unknown>;
  _externalSystems?: Record<string, unknown>;
  _proxy?: Record<string, unknown>;
}

export interface VoiceConnectorGroupRecord {
  VoiceConnectorGroupId: string;
  Name: string;
  VoiceConnectorItems: Array<{ VoiceConnectorId: string; Priority: number }>;
  CreatedTimestamp: Iso;
  UpdatedTimestamp: Iso;
  VoiceConnectorGroupArn: string;
  CallDistributionType?: string;
}

export interface SipMediaApplicationRecord {
  SipMediaApplicationId: string;
  AwsRegion: string;
  Name: string;
  Endpoints: Array<{ LambdaArn: string }>;
  CreatedTimestamp: Iso;
  UpdatedTimestamp: Iso;
  SipMediaApplicationArn: string;
  _logging?: { EnableSipMediaApplicationMessageLogs?: boolean };
  _alexaSkill?: { AlexaSkillStatus: string; AlexaSkillIds: string[] };
}

export interface SipRuleRecord {
  SipRuleId: string;
  Name: string;
  Disabled: boolean;
  TriggerType: 'ToPhoneNumber' | 'RequestUriHostname';
  TriggerValue: string;
  TargetApplications: Array<{ SipMediaApplicationId: string; Priority: number; AwsRegion: string }>;
  CreatedTimestamp: Iso;
  UpdatedTimestamp: Iso;
  /** The region whose endpoint created the rule (a rule has no ARN or AwsRegion to say it); the default region when absent. */
  _region?: string;
}

export interface VoiceProfileDomainRecord {
  VoiceProfileDomainId: string;
  VoiceProfileDomainArn: string;
  Name: string;
  Description?: string;
  ServerSideEncryptionConfiguration: { KmsKeyArn: string };
  CreatedTimestamp: Iso;
  UpdatedTimestamp: Iso;
  /** The create call's ClientRequestToken, so a retried create answers with this domain. */
  _clientRequestToken?: string;
}

export interface VoiceProfileRecord {
  VoiceProfileId: string;
  VoiceProfileArn: string;
  VoiceProfileDomainId: string;
  CreatedTimestamp: Iso;
  UpdatedTimestamp: Iso;
  ExpirationTimestamp: Iso;
  /** The speaker search task whose voice print the profile holds; one task enrolls one profile. */
  _speakerSearchTaskId?: string;
}

/** A media insights pipeline configuration, as chime-sdk-media-pipelines describes it. */
export interface MediaInsightsPipelineConfigurationRecord {
  MediaInsightsPipelineConfigurationName: string;
  MediaInsightsPipelineConfigurationArn: string;
  MediaInsightsPipelineConfigurationId: string;
  ResourceAccessRoleArn: string;
  RealTimeAlertConfiguration?: Record<string, unknown>;
  Elements: Array<Record<string, unknown>>;
  CreatedTimestamp: Iso;
  UpdatedTimestamp: Iso;
  /** The create call's ClientRequestToken (idempotency). */
  _clientRequestToken?: string;
}

export interface EmulatorState {
  /** Snapshot format version; a file of another version is refused. */
  version: 1;
  phoneNumbers: Record<string, PhoneNumberRecord>;
  phoneNumberOrders: Record<string, PhoneNumberOrderRecord>;
  voiceConnectors: Record<string, VoiceConnectorRecord>;
  voiceConnectorGroups: Record<string, VoiceConnectorGroupRecord>;
  sipMediaApplications: Record<string, SipMediaApplicationRecord>;
  sipRules: Record<string, SipRuleRecord>;
  voiceProfileDomains: Record<string, VoiceProfileDomainRecord>;
  voiceProfiles: Record<string, VoiceProfileRecord>;
  mediaInsightsPipelineConfigurations: Record<string, MediaInsightsPipelineConfigurationRecord>;
  globalSettings: { VoiceConnector?: { CdrBucket?: string } };
  phoneNumberSettings: { CallingName?: string; CallingNameUpdatedTimestamp?: Iso };
  /** Tags by resource ARN, for every taggable resource. */
  tags: Record<string, TagRecord[]>;
  /** E.164 numbers taken from the available pool (ordered, held, or released less than 7 days ago), by any account. */
  poolTaken: Record<string, true>;
  /** In a snapshot only: the states of accounts other than the default one, by account id. */
  accounts?: Record<string, EmulatorState>;
}

export function emptyState(): EmulatorState {
  return {
    version: 1,
    phoneNumbers: {},
    phoneNumberOrders: {},
    voiceConnectors: {},
    voiceConnectorGroups: {},
    sipMediaApplications: {},
    sipRules: {},
    voiceProfileDomains: {},
    voiceProfiles: {},
    mediaInsightsPipelineConfigurations: {},
    globalSettings: {},
    phoneNumberSettings: {},
    tags: {},
    poolTaken: {},
  };
}

/** Drops bookkeeping fields (`_`-prefixed) from a record before it is returned to a client. */
export function publicView<T extends object>(record: T): Partial<T> {
  const out: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(record)) if (!key.startsWith('_')) out[key] = value;
  return out as Partial<T>;
}
