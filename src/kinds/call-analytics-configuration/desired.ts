/**
 * The desired call analytics configuration (a media insights pipeline configuration; A1-A3), in
 * the spec's own camelCase: elements and alert rules mirror the media pipelines model member for
 * member, so `toAws` / `fromAws` only change the case of the first letter of each member name.
 * The rules the model documents but the schema cannot express are checked here, before any call.
 */
import { needsConsent, recordsTwice, type CallAnalyticsConfigurationSpec, type MediaInsightsPipelineConfigurationElement, type CallAnalyticsConfigurationAtProvider } from '../../api/kinds/call-analytics-configuration.js';
import { InvalidSpecError } from '../../reconcile/errors.js';
import type { DesiredContext, ManagedObject } from '../../reconcile/types.js';
import { declaredTags, type DesiredTags } from '../shared/tags.js';
import { clientRequestToken, consentGiven, consentRequired } from '../voice-profile-domain/desired.js';

/** CreateMediaInsightsPipelineConfiguration takes at most 200 tags, the ownership marker included. */
export const MAX_CONFIGURATION_TAGS = 200;

export type Element = MediaInsightsPipelineConfigurationElement;
export type AlertConfiguration = NonNullable<CallAnalyticsConfigurationSpec['realTimeAlertConfiguration']>;

export interface CallAnalyticsConfigurationDesired {
  /** The AWS name: spec.name, else metadata.name. The API cannot rename a configuration. */
  name: string;
  region?: string;
  resourceAccessRoleArn: string;
  /** The complete, ordered list of elements (UpdateMediaInsightsPipelineConfiguration replaces it whole). */
  elements: Element[];
  /** Undefined when the spec does not manage the alerts: AWS's are then sent back as they are. */
  realTimeAlertConfiguration?: AlertConfiguration;
  /** The spec's tags plus the ownership marker (src/kinds/shared/tags.ts). */
  tags: DesiredTags;
  clientRequestToken: string;
  /** A1: recording and post-call analytics both on record every call twice (a warning, not an error). */
  recordsTwice: boolean;
  /** Set in plan and delete mode when voice analytics lacks the consent acknowledgement (A3); plan refuses. */
  consentMissing?: string;
}

const IAM_ROLE_ARN = /^arn:aws[a-zA-Z-]*:iam::\d{12}:role\/[\w+=,.@/-]+$/;
/** The service each sink's target must belong to. */
const SINK_TARGET: Partial<Record<Element['type'], { member: 'insightsTarget' | 'destination'; arn: RegExp; what: string }>> = {
  KinesisDataStreamSink: { member: 'insightsTarget', arn: /^arn:aws[a-zA-Z-]*:kinesis:[a-z0-9-]+:\d{12}:stream\/.+$/, what: 'a Kinesis data stream ARN' },
  LambdaFunctionSink: { member: 'insightsTarget', arn: /^arn:aws[a-zA-Z-]*:lambda:[a-z0-9-]+:\d{12}:function:.+$/, what: 'a Lambda function ARN' },
  SqsQueueSink: { member: 'insightsTarget', arn: /^arn:aws[a-zA-Z-]*:sqs:[a-z0-9-]+:\d{12}:.+$/, what: 'an SQS queue ARN' },
  SnsTopicSink: { member: 'insightsTarget', arn: /^arn:aws[a-zA-Z-]*:sns:[a-z0-9-]+:\d{12}:.+$/, what: 'an SNS topic ARN' },
  S3RecordingSink: { member: 'destination', arn: /^arn:aws[a-zA-Z-]*:s3:::[a-z0-9][a-z0-9.-]{1,61}[a-z0-9](\/.*)?$/, what: 'an S3 bucket ARN (arn:aws:s3:::bucket[/prefix])' },
};
const CONFIG_MEMBER: Record<Element['type'], keyof Element> = {
  AmazonTranscribeCallAnalyticsProcessor: 'amazonTranscribeCallAnalyticsProcessorConfiguration',
  AmazonTranscribeProcessor: 'amazonTranscribeProcessorConfiguration',
  VoiceAnalyticsProcessor: 'voiceAnalyticsProcessorConfiguration',
  KinesisDataStreamSink: 'kinesisDataStreamSinkConfiguration',
  S3RecordingSink: 's3RecordingSinkConfiguration',
  LambdaFunctionSink: 'lambdaFunctionSinkConfiguration',
  SqsQueueSink: 'sqsQueueSinkConfiguration',
  SnsTopicSink: 'snsTopicSinkConfiguration',
  VoiceEnhancementSink: 'voiceEnhancementSinkConfiguration',
};
/** Element types a configuration may hold several of (notification sinks). */
const REPEATABLE = new Set<Element['type']>(['LambdaFunctionSink', 'SqsQueueSink', 'SnsTopicSink']);
const PROCESSORS: Element['type'][] = ['AmazonTranscribeCallAnalyticsProcessor', 'AmazonTranscribeProcessor', 'VoiceAnalyticsProcessor'];

function invalid(message: string, path: string): never {
  throw new InvalidSpecError(`${path}: ${message}`, path);
}

type TranscribeSettings = {
  contentIdentificationType?: string;
  contentRedactionType?: string;
  piiEntityTypes?: string;
  partialResultsStability?: string;
  enablePartialResultsStabilization?: boolean;
};

function checkTranscribe(cfg: TranscribeSettings, path: string): void {
  if (cfg.partialResultsStability !== undefined && cfg.enablePartialResultsStabilization !== true) {
    invalid('partialResultsStability needs enablePartialResultsStabilization: true', `${path}.partialResultsStability`);
  }
}

/** The A1 rules of the model's documentation that the schema cannot express, with the field to fix. */
export function checkConfiguration(spec: CallAnalyticsConfigurationSpec): void {
  if (!IAM_ROLE_ARN.test(spec.resourceAccessRoleArn)) invalid(`${spec.resourceAccessRoleArn} is not an IAM role ARN (arn:aws:iam::<account>:role/<name>)`, 'resourceAccessRoleArn');
  const first = new Map<Element['type'], number>();
  spec.elements.forEach((el, i) => {
    const path = `elements[${i}]`;
    const earlier = first.get(el.type);
    if (earlier !== undefined && !REPEATABLE.has(el.type)) invalid(`a configuration holds one ${el.type} element; elements[${earlier}] is one already`, path);
    if (earlier === undefined) first.set(el.type, i);
    const member = CONFIG_MEMBER[el.type];
    const cfg = el[member] as Record<string, unknown> | undefined;
    const sink = SINK_TARGET[el.type];
    if (sink) {
      const target = cfg?.[sink.member] as string | undefined;
      if (!target) invalid(`${el.type} needs ${sink.member}`, `${path}.${member}.${sink.member}`);
      if (!sink.arn.test(target)) invalid(`${target} is not ${sink.what}`, `${path}.${member}.${sink.member}`);
    }
    if (el.type === 'AmazonTranscribeProcessor') {
      const c = el.amazonTranscribeProcessorConfiguration!;
      const at = `${path}.amazonTranscribeProcessorConfiguration`;
      const identify = c.identifyLanguage === true || c.identifyMultipleLanguages === true;
      if (identify) {
        const options = (c.languageOptions ?? '').split(',').filter(Boolean);
        if (options.length < 2) invalid('automatic language identification needs languageOptions with at least two languages', `${at}.languageOptions`);
        if (c.languageModelName !== undefined) invalid('automatic language identification cannot use a custom language model', `${at}.languageModelName`);
        if (c.contentRedactionType !== undefined) invalid('automatic language identification cannot be combined with content redaction', `${at}.contentRedactionType`);
      } else {
        if (c.languageOptions !== undefined) invalid('languageOptions applies only with identifyLanguage or identifyMultipleLanguages', `${at}.languageOptions`);
        if (c.preferredLanguage !== undefined) invalid('preferredLanguage applies only with identifyLanguage or identifyMultipleLanguages', `${at}.preferredLanguage`);
      }
      checkTranscribe(c, at);
    }
    if (el.type === 'AmazonTranscribeCallAnalyticsProcessor') checkTranscribe(el.amazonTranscribeCallAnalyticsProcessorConfiguration!, `${path}.amazonTranscribeCallAnalyticsProcessorConfiguration`);
  });
  const has = (t: Element['type']) => first.has(t);
  if (has('AmazonTranscribeProcessor') && has('AmazonTranscribeCallAnalyticsProcessor')) {
    invalid('choose Amazon Transcribe or Amazon Transcribe Call Analytics, not both', `elements[${first.get('AmazonTranscribeCallAnalyticsProcessor')}]`);
  }
  const processors = PROCESSORS.filter(has);
  if (processors.length === 0 && !has('S3RecordingSink')) invalid('a configuration needs a processor (Transcribe, Transcribe Call Analytics, voice analytics) or an S3RecordingSink', 'elements');
  if (processors.length > 0 && !has('KinesisDataStreamSink')) invalid(`${processors.join(' and ')} deliver insights to a KinesisDataStreamSink element, which is missing`, 'elements');
  const notification = spec.elements.findIndex((e) => REPEATABLE.has(e.type));
  if (notification >= 0 && !has('VoiceAnalyticsProcessor')) {
    invalid(`${spec.elements[notification].type} receives voice analytics notifications and needs a VoiceAnalyticsProcessor element`, `elements[${notification}]`);
  }
  if (has('VoiceEnhancementSink') && !has('S3RecordingSink')) invalid('a VoiceEnhancementSink enhances recordings and needs an S3RecordingSink element', `elements[${first.get('VoiceEnhancementSink')}]`);

  const rules = spec.realTimeAlertConfiguration?.rules ?? [];
  const names = new Map<string, number>();
  rules.forEach((rule, i) => {
    const path = `realTimeAlertConfiguration.rules[${i}]`;
    if (rule.type !== 'KeywordMatch' && !has('AmazonTranscribeCallAnalyticsProcessor')) {
      invalid(`${rule.type} alerts come from Amazon Transcribe Call Analytics, which the elements do not include`, path);
    }
    const name = (rule.keywordMatchConfiguration ?? rule.sentimentConfiguration ?? rule.issueDetectionConfiguration)?.ruleName;
    if (name !== undefined) {
      const dup = names.get(name);
      if (dup !== undefined) invalid(`rule name ${name} is already used by realTimeAlertConfiguration.rules[${dup}]`, path);
      names.set(name, i);
    }
  });
}

export function callAnalyticsConfigurationDesired(obj: ManagedObject<CallAnalyticsConfigurationSpec, CallAnalyticsConfigurationAtProvider>, ctx: DesiredContext): CallAnalyticsConfigurationDesired {
  const spec = obj.spec;
  const name = spec.name ?? obj.metadata.name;
  // metadata.name may be valid for Kubernetes and not for AWS (one character, or a dot-less rule).
  if (!/^[0-9a-zA-Z._-]{2,64}$/.test(name)) {
    throw new InvalidSpecError(`name "${name}" (spec.name, else metadata.name): a configuration name has 2 to 64 of the characters 0-9 a-z A-Z . _ -`, 'name');
  }
  const tags = declaredTags(obj, spec.tags, MAX_CONFIGURATION_TAGS);
  checkConfiguration(spec);
  const desired: CallAnalyticsConfigurationDesired = {
    name,
    resourceAccessRoleArn: spec.resourceAccessRoleArn,
    elements: spec.elements,
    tags,
    clientRequestToken: clientRequestToken('CallAnalyticsConfiguration', obj, name),
    recordsTwice: recordsTwice(spec),
  };
  if (spec.region !== undefined) desired.region = spec.region;
  if (spec.realTimeAlertConfiguration !== undefined) desired.realTimeAlertConfiguration = spec.realTimeAlertConfiguration;
  if (needsConsent(spec) && !consentGiven(spec.consent)) {
    const at = spec.elements.findIndex((e) => e.type === 'VoiceAnalyticsProcessor');
    const message =
      `elements[${at}] is a VoiceAnalyticsProcessor: speaker search and voice tone analysis process biometric data, so set spec.consent.acknowledged: true ` +
      `once the required notices and consents are in place (A3); nothing was created or changed`;
    if (!ctx.lenient) throw consentRequired(message);
    desired.consentMissing = message;
  }
  return desired;
}

/** The spec's camelCase members to the model's PascalCase (the model's names, first letter upper-cased). */
export function toAws(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(toAws);
  if (value && typeof value === 'object') {
    return Object.fromEntries(Object.entries(value).filter(([, v]) => v !== undefined).map(([k, v]) => [k.charAt(0).toUpperCase() + k.slice(1), toAws(v)]));
  }
  return value;
}

/** The model's PascalCase members back to the spec's camelCase. */
export function fromAws(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(fromAws);
  if (value && typeof value === 'object' && !(value instanceof Date)) {
    return Object.fromEntries(Object.entries(value).filter(([, v]) => v !== undefined).map(([k, v]) => [k.charAt(0).toLowerCase() + k.slice(1), fromAws(v)]));
  }
  return value;
}
