// CallAnalyticsConfiguration: a media insights pipeline configuration of the Chime SDK media
// pipelines API (issue 5; A1-A3). The elements mirror MediaInsightsPipelineConfigurationElement of
// the chime-sdk-media-pipelines 2021-07-15 model member for member, in lowerCamelCase.
import type { Static } from '@sinclair/typebox';
import { PATTERNS, Region, StatusSchema, Tags, AppliedTagKeys, commonSpecFields, type ChimeObject, type CommonStatus } from '../common.js';
import { ageColumn, defineKind, readyDriftedColumns } from '../kind.js';
import { Bool, Int, List, Obj, Optional, Str, StringEnum, cel, has } from '../schema.js';
import { BiometricConsent } from './voice-profile-domain.js';

export const ELEMENT_TYPES = [
  'AmazonTranscribeCallAnalyticsProcessor',
  'VoiceAnalyticsProcessor',
  'AmazonTranscribeProcessor',
  'KinesisDataStreamSink',
  'LambdaFunctionSink',
  'SqsQueueSink',
  'SnsTopicSink',
  'S3RecordingSink',
  'VoiceEnhancementSink',
] as const;
export type ElementType = (typeof ELEMENT_TYPES)[number];
export const CALL_ANALYTICS_LANGUAGE_CODES = ['en-US', 'en-GB', 'es-US', 'fr-CA', 'fr-FR', 'en-AU', 'it-IT', 'de-DE', 'pt-BR'] as const;
export const VOCABULARY_FILTER_METHODS = ['remove', 'mask', 'tag'] as const;
export const PARTIAL_RESULTS_STABILITIES = ['high', 'medium', 'low'] as const;
export const CONTENT_TYPES = ['PII'] as const;
export const CONTENT_REDACTION_OUTPUTS = ['redacted', 'redacted_and_unredacted'] as const;
export const RECORDING_FILE_FORMATS = ['Wav', 'Opus'] as const;
export const VOICE_ANALYTICS_STATUSES = ['Enabled', 'Disabled'] as const;
export const REAL_TIME_ALERT_RULE_TYPES = ['KeywordMatch', 'Sentiment', 'IssueDetection'] as const;
export const SENTIMENT_TYPES = ['NEGATIVE'] as const;

/** Name patterns of the media pipelines model (RuleName, VocabularyName, ModelName, CategoryName, ...), anchored. */
const NAME = '^[0-9a-zA-Z._-]+$';
const arn = (description: string) => Str(description, { minLength: 1, maxLength: 1024, pattern: PATTERNS.arn });
const vocabName = (description: string) => Str(description, { minLength: 1, maxLength: 200, pattern: NAME });

const piiRules = [
  cel(
    '!(has(self.contentIdentificationType) && has(self.contentRedactionType))',
    'set contentIdentificationType or contentRedactionType, not both',
    (self) => !(has(self, 'contentIdentificationType') && has(self, 'contentRedactionType')),
    { fieldPath: '.contentRedactionType' },
  ),
  cel(
    '!has(self.piiEntityTypes) || has(self.contentIdentificationType) || has(self.contentRedactionType)',
    'piiEntityTypes needs contentIdentificationType or contentRedactionType',
    (self) => !has(self, 'piiEntityTypes') || has(self, 'contentIdentificationType') || has(self, 'contentRedactionType'),
    { fieldPath: '.piiEntityTypes' },
  ),
];

const sharedTranscribe = {
  vocabularyName: Optional(vocabName('The name of the custom vocabulary to use (case sensitive).')),
  vocabularyFilterName: Optional(vocabName('The name of the custom vocabulary filter to use (case sensitive).')),
  vocabularyFilterMethod: Optional(StringEnum(VOCABULARY_FILTER_METHODS, 'How the vocabulary filter applies: mask replaces words with ***, remove deletes them, tag flags them.')),
  languageModelName: Optional(vocabName('The name of the custom language model to use (case sensitive).')),
  enablePartialResultsStabilization: Optional(Bool('Enables partial result stabilization: lower latency, possibly lower accuracy.')),
  partialResultsStability: Optional(StringEnum(PARTIAL_RESULTS_STABILITIES, 'The stability level with partial results stabilization: high, medium or low.')),
  contentIdentificationType: Optional(StringEnum(CONTENT_TYPES, 'Labels personally identifiable information (PII) in the transcript. Not with contentRedactionType.')),
  contentRedactionType: Optional(StringEnum(CONTENT_TYPES, 'Redacts personally identifiable information (PII) in the transcript. Not with contentIdentificationType.')),
  piiEntityTypes: Optional(
    Str('The PII types to identify or redact, comma-separated (such as NAME,ADDRESS, or ALL).', { minLength: 1, maxLength: 300, pattern: '^[A-Z_, ]+$' }),
  ),
};

export const AmazonTranscribeCallAnalyticsProcessorConfiguration = Obj(
  {
    languageCode: StringEnum(CALL_ANALYTICS_LANGUAGE_CODES, 'The language of the audio.'),
    ...sharedTranscribe,
    filterPartialResults: Optional(Bool('If true, partial utterance events are filtered out of the insights target.')),
    postCallAnalyticsSettings: Optional(
      Obj(
        {
          outputLocation: Str('The S3 URL where post-call analytics are written.', { maxLength: 4096 }),
          dataAccessRoleArn: Str('The ARN of the role Amazon Transcribe uses to write the post-call analysis.', { maxLength: 4096 }),
          contentRedactionOutput: Optional(StringEnum(CONTENT_REDACTION_OUTPUTS, 'redacted or redacted_and_unredacted.')),
          outputEncryptionKMSKeyId: Optional(Str('The KMS key that encrypts the output.', { maxLength: 4096 })),
        },
        'Post-call analytics. With an S3RecordingSink element too, calls are recorded twice (A1).',
      ),
    ),
    callAnalyticsStreamCategories: Optional(
      List(Str('A category name.', { minLength: 1, maxLength: 200, pattern: NAME }), 'Only these categories are sent to the insights target (1 to 20); all when omitted.', {
        minItems: 1,
        maxItems: 20,
      }),
    ),
  },
  'Amazon Transcribe Call Analytics processor settings.',
  { rules: piiRules },
);

export const AmazonTranscribeProcessorConfiguration = Obj(
  {
    languageCode: Optional(StringEnum(CALL_ANALYTICS_LANGUAGE_CODES, 'The language of the audio. Exactly one of languageCode, identifyLanguage, identifyMultipleLanguages.')),
    ...sharedTranscribe,
    showSpeakerLabel: Optional(Bool('Enables speaker partitioning (diarization).')),
    filterPartialResults: Optional(Bool('If true, partial transcript events are filtered out of the insights target.')),
    identifyLanguage: Optional(Bool('Turns automatic language identification on.')),
    identifyMultipleLanguages: Optional(Bool('Turns identification of multiple languages on.')),
    languageOptions: Optional(Str('The candidate languages for identification, comma-separated.', { minLength: 1, maxLength: 200, pattern: '^[a-zA-Z,-]+$' })),
    preferredLanguage: Optional(StringEnum(CALL_ANALYTICS_LANGUAGE_CODES, 'The preferred language for identification.')),
    vocabularyNames: Optional(Str('The custom vocabularies to use with language identification, comma-separated.', { minLength: 1, maxLength: 3000, pattern: '^[a-zA-Z0-9,._-]+$' })),
    vocabularyFilterNames: Optional(Str('The custom vocabulary filters to use with language identification, comma-separated.', { minLength: 1, maxLength: 3000, pattern: '^[a-zA-Z0-9,._-]+$' })),
  },
  'Amazon Transcribe processor settings.',
  {
    rules: [
      ...piiRules,
      cel(
        '(has(self.languageCode) ? 1 : 0) + (has(self.identifyLanguage) && self.identifyLanguage ? 1 : 0) + (has(self.identifyMultipleLanguages) && self.identifyMultipleLanguages ? 1 : 0) == 1',
        'set exactly one of languageCode, identifyLanguage: true or identifyMultipleLanguages: true',
        (self) => (has(self, 'languageCode') ? 1 : 0) + (self.identifyLanguage === true ? 1 : 0) + (self.identifyMultipleLanguages === true ? 1 : 0) === 1,
      ),
    ],
  },
);

const insightsTarget = (what: string, desc: string) => Obj({ insightsTarget: Optional(arn(`The ARN of the ${what}.`)) }, desc);

/** Element type -> its configuration member (camelCase of the model's member). */
export const ELEMENT_CONFIGURATIONS = {
  AmazonTranscribeCallAnalyticsProcessor: 'amazonTranscribeCallAnalyticsProcessorConfiguration',
  AmazonTranscribeProcessor: 'amazonTranscribeProcessorConfiguration',
  KinesisDataStreamSink: 'kinesisDataStreamSinkConfiguration',
  S3RecordingSink: 's3RecordingSinkConfiguration',
  VoiceAnalyticsProcessor: 'voiceAnalyticsProcessorConfiguration',
  LambdaFunctionSink: 'lambdaFunctionSinkConfiguration',
  SqsQueueSink: 'sqsQueueSinkConfiguration',
  SnsTopicSink: 'snsTopicSinkConfiguration',
  VoiceEnhancementSink: 'voiceEnhancementSinkConfiguration',
} as const satisfies Record<ElementType, string>;
/** Element types whose configuration may be omitted. */
const OPTIONAL_CONFIGURATION: ElementType[] = ['VoiceEnhancementSink'];
const configEntries = Object.entries(ELEMENT_CONFIGURATIONS) as [ElementType, string][];

export const MediaInsightsPipelineConfigurationElement = Obj(
  {
    type: StringEnum(ELEMENT_TYPES, 'The element type; the configuration member of that type goes with it.'),
    amazonTranscribeCallAnalyticsProcessorConfiguration: Optional(AmazonTranscribeCallAnalyticsProcessorConfiguration),
    amazonTranscribeProcessorConfiguration: Optional(AmazonTranscribeProcessorConfiguration),
    kinesisDataStreamSinkConfiguration: Optional(insightsTarget('Kinesis data stream', 'Kinesis Data Stream sink settings.')),
    s3RecordingSinkConfiguration: Optional(
      Obj(
        {
          destination: Optional(arn('The ARN of the S3 bucket recordings go to.')),
          recordingFileFormat: Optional(StringEnum(RECORDING_FILE_FORMATS, 'The recording file format: Wav or Opus.')),
        },
        'S3 recording sink settings.',
      ),
    ),
    voiceAnalyticsProcessorConfiguration: Optional(
      Obj(
        {
          speakerSearchStatus: Optional(StringEnum(VOICE_ANALYTICS_STATUSES, 'Speaker search: Enabled or Disabled (biometric, A3).')),
          voiceToneAnalysisStatus: Optional(StringEnum(VOICE_ANALYTICS_STATUSES, 'Voice tone analysis: Enabled or Disabled.')),
        },
        'Voice analytics processor settings. Needs spec.consent.acknowledged (A3).',
      ),
    ),
    lambdaFunctionSinkConfiguration: Optional(insightsTarget('Lambda function', 'Lambda function sink settings.')),
    sqsQueueSinkConfiguration: Optional(insightsTarget('SQS queue', 'SQS queue sink settings.')),
    snsTopicSinkConfiguration: Optional(insightsTarget('SNS topic', 'SNS topic sink settings.')),
    voiceEnhancementSinkConfiguration: Optional(Obj({ disabled: Optional(Bool('Disables the voice enhancement sink.')) }, 'Voice enhancement sink settings.')),
  },
  'An element of the pipeline: a processor or a sink.',
  {
    rules: [
      cel(
        configEntries.map(([t, f]) => `(!has(self.${f}) || self.type == '${t}')`).join(' && '),
        'only the configuration member matching type may be set',
        (self) => configEntries.every(([t, f]) => !has(self, f) || self.type === t),
      ),
      cel(
        configEntries
          .filter(([t]) => !OPTIONAL_CONFIGURATION.includes(t))
          .map(([t, f]) => `(self.type != '${t}' || has(self.${f}))`)
          .join(' && '),
        'the configuration member matching type is required (for example type S3RecordingSink needs s3RecordingSinkConfiguration)',
        (self) => configEntries.every(([t, f]) => OPTIONAL_CONFIGURATION.includes(t) || self.type !== t || has(self, f)),
      ),
    ],
  },
);

const ruleName = (what: string) => Str(`The name of the ${what} rule.`, { minLength: 2, maxLength: 64, pattern: NAME });

export const RealTimeAlertRule = Obj(
  {
    type: StringEnum(REAL_TIME_ALERT_RULE_TYPES, 'KeywordMatch, Sentiment or IssueDetection.'),
    keywordMatchConfiguration: Optional(
      Obj(
        {
          ruleName: ruleName('keyword match'),
          keywords: List(Str('A keyword or phrase.', { minLength: 1, maxLength: 100, pattern: "^[\\s0-9a-zA-Z'-]+$" }), 'The keywords or phrases to match (1 to 10).', {
            minItems: 1,
            maxItems: 10,
          }),
          negate: Optional(Bool('If true, the rule matches when all the keywords are absent.')),
        },
        'Keyword match settings.',
      ),
    ),
    sentimentConfiguration: Optional(
      Obj(
        {
          ruleName: ruleName('sentiment'),
          sentimentType: StringEnum(SENTIMENT_TYPES, 'The sentiment to detect.'),
          timePeriod: Int('The analysis interval in seconds, 60 to 1800.', { minimum: 60, maximum: 1800 }),
        },
        'Sentiment settings.',
      ),
    ),
    issueDetectionConfiguration: Optional(Obj({ ruleName: ruleName('issue detection') }, 'Issue detection settings.')),
  },
  'A real-time alert rule.',
  {
    rules: [
      cel(
        "(self.type == 'KeywordMatch') == has(self.keywordMatchConfiguration) && (self.type == 'Sentiment') == has(self.sentimentConfiguration) && (self.type == 'IssueDetection') == has(self.issueDetectionConfiguration)",
        'set the configuration member matching type, and only that one',
        (self) =>
          (self.type === 'KeywordMatch') === has(self, 'keywordMatchConfiguration') &&
          (self.type === 'Sentiment') === has(self, 'sentimentConfiguration') &&
          (self.type === 'IssueDetection') === has(self, 'issueDetectionConfiguration'),
      ),
    ],
  },
);

const TRANSCRIBE_TYPES = ['AmazonTranscribeCallAnalyticsProcessor', 'AmazonTranscribeProcessor'];

export const CallAnalyticsConfigurationSpec = Obj(
  {
    name: Optional(
      Str('The configuration name in AWS (2 to 64 characters). Defaults to metadata.name.', { minLength: 2, maxLength: 64, pattern: NAME }),
    ),
    region: Optional(Region('The AWS Region of the configuration. Cannot change after creation.')),
    resourceAccessRoleArn: arn('The ARN of the role the service uses to reach AWS resources (Transcribe, sinks) on your behalf.'),
    realTimeAlertConfiguration: Optional(
      Obj(
        {
          disabled: Optional(Bool('Turns real-time alerts off.')),
          rules: Optional(List(RealTimeAlertRule, 'The alert rules (1 to 3).', { minItems: 1, maxItems: 3 })),
        },
        'Real-time alerts (A1); they need an Amazon Transcribe or Transcribe Call Analytics element.',
      ),
    ),
    elements: List(MediaInsightsPipelineConfigurationElement, 'The processors and sinks of the pipeline (A1).', { minItems: 1, maxItems: 20 }),
    tags: Optional(Tags()),
    consent: Optional(BiometricConsent),
    ...commonSpecFields,
  },
  'The desired state of the call analytics configuration. Deletion cannot be undone, and waits until no managed Voice Connector uses it (A2).',
  {
    rules: [
      cel(
        "!has(self.realTimeAlertConfiguration) || (has(self.realTimeAlertConfiguration.disabled) && self.realTimeAlertConfiguration.disabled) || self.elements.exists(e, e.type == 'AmazonTranscribeCallAnalyticsProcessor' || e.type == 'AmazonTranscribeProcessor')",
        'real-time alerts need an AmazonTranscribeCallAnalyticsProcessor or AmazonTranscribeProcessor element (A1)',
        (self) =>
          !has(self, 'realTimeAlertConfiguration') ||
          self.realTimeAlertConfiguration.disabled === true ||
          self.elements.some((e: { type: string }) => TRANSCRIBE_TYPES.includes(e.type)),
        { fieldPath: '.realTimeAlertConfiguration' },
      ),
    ],
  },
);
export type CallAnalyticsConfigurationSpec = Static<typeof CallAnalyticsConfigurationSpec>;
export type MediaInsightsPipelineConfigurationElement = Static<typeof MediaInsightsPipelineConfigurationElement>;

export const CallAnalyticsConfigurationAtProvider = Obj(
  {
    mediaInsightsPipelineConfigurationId: Optional(Str('The configuration id.')),
    arn: Optional(Str('The configuration ARN; what a Voice Connector streaming block links to.')),
    appliedTagKeys: Optional(AppliedTagKeys()),
  },
  'The configuration in AWS.',
);
export type CallAnalyticsConfigurationAtProvider = Static<typeof CallAnalyticsConfigurationAtProvider>;

export const CallAnalyticsConfigurationStatus = StatusSchema('CallAnalyticsConfiguration', CallAnalyticsConfigurationAtProvider);
export type CallAnalyticsConfigurationStatus = CommonStatus<CallAnalyticsConfigurationAtProvider>;
export type CallAnalyticsConfiguration = ChimeObject<'CallAnalyticsConfiguration', CallAnalyticsConfigurationSpec, CallAnalyticsConfigurationStatus>;

/** A1: recording and post-call analytics both on records calls twice; the engine sets this warning condition. */
export const DUPLICATE_RECORDING_CONDITION = 'DuplicateRecording';

/** True when recording and post-call analytics are both on (A1 warning, not an error). */
export function recordsTwice(spec: CallAnalyticsConfigurationSpec): boolean {
  const els = spec.elements;
  return (
    els.some((e) => e.type === 'S3RecordingSink') &&
    els.some((e) => e.type === 'AmazonTranscribeCallAnalyticsProcessor' && e.amazonTranscribeCallAnalyticsProcessorConfiguration?.postCallAnalyticsSettings !== undefined)
  );
}

/** True when an element processes biometric data and so needs consent (A3). */
export function needsConsent(spec: CallAnalyticsConfigurationSpec): boolean {
  const els = spec.elements;
  return els.some((e) => e.type === 'VoiceAnalyticsProcessor');
}

export const CallAnalyticsConfigurationKind = defineKind({
  kind: 'CallAnalyticsConfiguration',
  plural: 'callanalyticsconfigurations',
  singular: 'callanalyticsconfiguration',
  shortNames: ['cac'],
  categories: ['chime'],
  description:
    'An Amazon Chime SDK call analytics configuration (media insights pipeline configuration): recording, Transcribe or Transcribe Call Analytics, voice analytics, sinks and real-time alerts. A VoiceConnector streaming block links to it.',
  spec: CallAnalyticsConfigurationSpec,
  status: CallAnalyticsConfigurationStatus,
  printerColumns: [
    ...readyDriftedColumns(),
    { name: 'ID', type: 'string', jsonPath: '.status.atProvider.mediaInsightsPipelineConfigurationId', description: 'The configuration id.' },
    ageColumn,
  ],
  extraConditionTypes: [DUPLICATE_RECORDING_CONDITION, 'ConsentRequired'],
  awsName: { maxLength: 64, pattern: NAME },
});
