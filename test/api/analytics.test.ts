// VoiceProfileDomain and CallAnalyticsConfiguration validation tables (issue 5). Rule ids: A1 A3 A4.
import { describe, expect, it } from 'vitest';
import { needsConsent, recordsTwice, type CallAnalyticsConfigurationSpec } from '../../src/api/index.js';
import { check, obj, withSpec, type Case } from './helpers.js';

const kms = 'arn:aws:kms:us-east-1:111122223333:key/1234abcd-12ab-34cd-56ef-1234567890ab';
const domain = obj('VoiceProfileDomain', {
  name: 'Callers',
  description: 'Known callers',
  kmsKeyArn: kms,
  tags: { team: 'fraud' },
  consent: { acknowledged: true, acknowledgedBy: 'privacy@example.com' },
});

const domainCases: Case[] = [
  { name: 'domain with consent (A3, A4)', rules: ['A3', 'A4'], object: domain, errors: [] },
  { name: 'domain without consent is valid; the controller waits (A3)', rules: ['A3'], object: withSpec(domain, (s) => delete s.consent), errors: [] },
  {
    name: 'KMS key missing (A4)',
    rules: ['A4'],
    object: withSpec(domain, (s) => delete s.kmsKeyArn),
    errors: [{ path: 'spec.kmsKeyArn', message: 'required field is missing' }],
  },
  {
    name: 'description too long (A4)',
    rules: ['A4'],
    object: withSpec(domain, (s) => (s.description = 'x'.repeat(1025))),
    errors: [{ path: 'spec.description', message: 'must be at most 1024 characters long' }],
  },
  {
    name: 'KMS key change refused (A4)',
    rules: ['A4'],
    object: withSpec(domain, (s) => (s.kmsKeyArn = `${kms}x`)),
    old: domain,
    errors: [{ path: 'spec.kmsKeyArn', message: 'kmsKeyArn cannot change after creation; AWS keeps the key of a domain for its lifetime' }],
  },
  {
    name: 'consent of the wrong type (A3)',
    rules: ['A3'],
    object: withSpec(domain, (s) => (s.consent.acknowledged = 'yes')),
    errors: [{ path: 'spec.consent.acknowledged', message: 'must be a boolean (true or false)' }],
  },
];

const role = 'arn:aws:iam::111122223333:role/insights';
const cac = obj('CallAnalyticsConfiguration', {
  resourceAccessRoleArn: role,
  elements: [
    {
      type: 'AmazonTranscribeCallAnalyticsProcessor',
      amazonTranscribeCallAnalyticsProcessorConfiguration: { languageCode: 'en-US', contentRedactionType: 'PII', piiEntityTypes: 'ALL' },
    },
    { type: 'KinesisDataStreamSink', kinesisDataStreamSinkConfiguration: { insightsTarget: 'arn:aws:kinesis:us-east-1:111122223333:stream/insights' } },
    { type: 'VoiceEnhancementSink' },
  ],
  realTimeAlertConfiguration: {
    rules: [
      { type: 'KeywordMatch', keywordMatchConfiguration: { ruleName: 'cancel', keywords: ['cancel my account'] } },
      { type: 'Sentiment', sentimentConfiguration: { ruleName: 'angry', sentimentType: 'NEGATIVE', timePeriod: 60 } },
    ],
  },
  tags: { app: 'insights' },
});

const cacCases: Case[] = [
  { name: 'Transcribe Call Analytics with a Kinesis sink and alerts (A1)', rules: ['A1'], object: cac, errors: [] },
  {
    name: 'element without its configuration (A1)',
    rules: ['A1'],
    object: withSpec(cac, (s) => delete s.elements[1].kinesisDataStreamSinkConfiguration),
    errors: [
      {
        path: 'spec.elements[1]',
        message: 'the configuration member matching type is required (for example type S3RecordingSink needs s3RecordingSinkConfiguration)',
      },
    ],
  },
  {
    name: 'element with the configuration of another type (A1)',
    rules: ['A1'],
    object: withSpec(cac, (s) => (s.elements[1].sqsQueueSinkConfiguration = {})),
    errors: [{ path: 'spec.elements[1]', message: 'only the configuration member matching type may be set' }],
  },
  {
    name: 'alerts without Transcribe (A1)',
    rules: ['A1'],
    object: withSpec(cac, (s) => s.elements.shift()),
    errors: [
      {
        path: 'spec.realTimeAlertConfiguration',
        message: 'real-time alerts need an AmazonTranscribeCallAnalyticsProcessor or AmazonTranscribeProcessor element (A1)',
      },
    ],
  },
  {
    name: 'four alert rules (A1)',
    rules: ['A1'],
    object: withSpec(cac, (s) => s.realTimeAlertConfiguration.rules.push(...s.realTimeAlertConfiguration.rules)),
    errors: [{ path: 'spec.realTimeAlertConfiguration.rules', message: 'must have at most 3 items' }],
  },
  {
    name: 'alert rule without its configuration (A1)',
    rules: ['A1'],
    object: withSpec(cac, (s) => (s.realTimeAlertConfiguration.rules[1] = { type: 'IssueDetection' })),
    errors: [{ path: 'spec.realTimeAlertConfiguration.rules[1]', message: 'set the configuration member matching type, and only that one' }],
  },
  {
    name: 'sentiment period out of range (A1)',
    rules: ['A1'],
    object: withSpec(cac, (s) => (s.realTimeAlertConfiguration.rules[1].sentimentConfiguration.timePeriod = 30)),
    errors: [{ path: 'spec.realTimeAlertConfiguration.rules[1].sentimentConfiguration.timePeriod', message: 'must be at least 60' }],
  },
  {
    name: 'redaction and identification together',
    object: withSpec(cac, (s) => (s.elements[0].amazonTranscribeCallAnalyticsProcessorConfiguration.contentIdentificationType = 'PII')),
    errors: [
      { path: 'spec.elements[0].amazonTranscribeCallAnalyticsProcessorConfiguration.contentRedactionType', message: 'set contentIdentificationType or contentRedactionType, not both' },
    ],
  },
  {
    name: 'Transcribe with a language code and language identification',
    object: withSpec(cac, (s) => (s.elements[0] = { type: 'AmazonTranscribeProcessor', amazonTranscribeProcessorConfiguration: { languageCode: 'en-US', identifyLanguage: true } })),
    errors: [
      { path: 'spec.elements[0].amazonTranscribeProcessorConfiguration', message: 'set exactly one of languageCode, identifyLanguage: true or identifyMultipleLanguages: true' },
    ],
  },
  {
    name: 'bad language code enum',
    object: withSpec(cac, (s) => (s.elements[0].amazonTranscribeCallAnalyticsProcessorConfiguration.languageCode = 'en-IN')),
    errors: [
      {
        path: 'spec.elements[0].amazonTranscribeCallAnalyticsProcessorConfiguration.languageCode',
        message: 'must be one of "en-US", "en-GB", "es-US", "fr-CA", "fr-FR", "en-AU", "it-IT", "de-DE", "pt-BR" (got "en-IN")',
      },
    ],
  },
  {
    name: 'metadata.name too long to stand in for the AWS name',
    object: { ...cac, metadata: { name: 'a'.repeat(65) } },
    errors: [
      {
        path: 'metadata.name',
        message: 'the AWS name defaults to metadata.name, which must then be at most 64 characters and match ^[0-9a-zA-Z._-]+$; set spec.name',
      },
    ],
  },
  {
    name: 'unknown field in an element',
    object: withSpec(cac, (s) => (s.elements[1].kinesisDataStreamSinkConfiguration.streamArn = 'x')),
    errors: [{ path: 'spec.elements[1].kinesisDataStreamSinkConfiguration.streamArn', message: 'unknown field "streamArn"' }],
  },
];

describe('VoiceProfileDomain validation', () => {
  it.each(domainCases.map((c) => [c.name, c] as const))('%s', (_n, c) => check(c));
});

describe('CallAnalyticsConfiguration validation', () => {
  it.each(cacCases.map((c) => [c.name, c] as const))('%s', (_n, c) => check(c));

  it('flags recording plus post-call analytics (A1 warning) and voice analytics consent (A3)', () => {
    const spec = structuredClone(cac.spec) as CallAnalyticsConfigurationSpec;
    expect(recordsTwice(spec)).toBe(false);
    spec.elements[0].amazonTranscribeCallAnalyticsProcessorConfiguration!.postCallAnalyticsSettings = {
      outputLocation: 's3://bucket/out',
      dataAccessRoleArn: role,
    };
    spec.elements.push({ type: 'S3RecordingSink', s3RecordingSinkConfiguration: { destination: 'arn:aws:s3:::bucket', recordingFileFormat: 'Wav' } });
    expect(recordsTwice(spec)).toBe(true);
    expect(needsConsent(spec)).toBe(false);
    spec.elements.push({ type: 'VoiceAnalyticsProcessor', voiceAnalyticsProcessorConfiguration: { speakerSearchStatus: 'Enabled' } });
    expect(needsConsent(spec)).toBe(true);
  });
});
