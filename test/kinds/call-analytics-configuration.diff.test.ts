/**
 * CallAnalyticsConfiguration: desired (A1 rules the schema cannot express, A3 consent, the
 * camelCase-to-model mapping) and diff, field by field: every leaf of every element and alert rule
 * is checked differing, equal, and omitted from the spec while AWS has a value.
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { OWNER_TAG_KEY } from '../../src/aws/ownership.js';
import { BlockedError, InvalidSpecError, classify } from '../../src/reconcile/errors.js';
import type { CallAnalyticsConfigurationAtProvider, CallAnalyticsConfigurationSpec } from '../../src/api/kinds/call-analytics-configuration.js';
import type { DesiredContext, ManagedObject } from '../../src/reconcile/types.js';
import {
  callAnalyticsConfigurationDesired,
  fromAws,
  toAws,
  type CallAnalyticsConfigurationDesired,
  type Element,
} from '../../src/kinds/call-analytics-configuration/desired.js';
import { diffCallAnalyticsConfiguration } from '../../src/kinds/call-analytics-configuration/diff.js';
import type { CallAnalyticsConfigurationObserved } from '../../src/kinds/call-analytics-configuration/observe.js';
import { callAnalyticsConfigurationHandler } from '../../src/kinds/call-analytics-configuration/index.js';
import { ACCOUNT, KDS, MARKER, ROLE, configurationFixtures, type Alerts } from '../helpers/fixtures/call-analytics-configuration.js';

export const fullElements = (): Element[] => [
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
      postCallAnalyticsSettings: { outputLocation: 's3://post-call/', dataAccessRoleArn: ROLE, contentRedactionOutput: 'redacted', outputEncryptionKMSKeyId: 'key-1' },
      callAnalyticsStreamCategories: ['escalation', 'churn'],
    },
  },
  { type: 'VoiceAnalyticsProcessor', voiceAnalyticsProcessorConfiguration: { speakerSearchStatus: 'Enabled', voiceToneAnalysisStatus: 'Enabled' } },
  { type: 'KinesisDataStreamSink', kinesisDataStreamSinkConfiguration: { insightsTarget: KDS } },
  { type: 'SnsTopicSink', snsTopicSinkConfiguration: { insightsTarget: `arn:aws:sns:us-east-1:${ACCOUNT}:alerts` } },
  { type: 'SqsQueueSink', sqsQueueSinkConfiguration: { insightsTarget: `arn:aws:sqs:us-east-1:${ACCOUNT}:alerts` } },
  { type: 'LambdaFunctionSink', lambdaFunctionSinkConfiguration: { insightsTarget: `arn:aws:lambda:us-east-1:${ACCOUNT}:function:alerts` } },
];
/** The elements the first list cannot hold with the guide's rules: Transcribe (with language identification), recording, enhancement. */
export const otherElements = (): Element[] => [
  {
    type: 'AmazonTranscribeProcessor',
    amazonTranscribeProcessorConfiguration: {
      identifyLanguage: true,
      languageOptions: 'en-US,es-US',
      preferredLanguage: 'en-US',
      vocabularyNames: 'a,b',
      vocabularyFilterNames: 'c,d',
      vocabularyFilterMethod: 'tag',
      showSpeakerLabel: true,
      enablePartialResultsStabilization: true,
      partialResultsStability: 'low',
      contentIdentificationType: 'PII',
      piiEntityTypes: 'ALL',
      filterPartialResults: false,
    },
  },
  { type: 'KinesisDataStreamSink', kinesisDataStreamSinkConfiguration: { insightsTarget: KDS } },
  { type: 'S3RecordingSink', s3RecordingSinkConfiguration: { destination: 'arn:aws:s3:::recordings', recordingFileFormat: 'Wav' } },
  { type: 'VoiceEnhancementSink', voiceEnhancementSinkConfiguration: { disabled: true } },
];
export const fullAlerts = (): Alerts => ({
  disabled: false,
  rules: [
    { type: 'KeywordMatch', keywordMatchConfiguration: { ruleName: 'cancel', keywords: ['cancel', 'close my account'], negate: true } },
    { type: 'Sentiment', sentimentConfiguration: { ruleName: 'unhappy', sentimentType: 'NEGATIVE', timePeriod: 120 } },
    { type: 'IssueDetection', issueDetectionConfiguration: { ruleName: 'issues' } },
  ],
});

const ctx = (lenient = false): DesiredContext => ({ lenient, resolve: () => ({}), secret: () => '', digestSecret: () => '' });
const obj = (spec: Record<string, unknown> = {}): ManagedObject<CallAnalyticsConfigurationSpec, CallAnalyticsConfigurationAtProvider> => ({
  apiVersion: 'chimevoice.io/v1alpha1',
  kind: 'CallAnalyticsConfiguration',
  metadata: { name: 'support', namespace: 'default', uid: 'u-1' },
  spec: { resourceAccessRoleArn: ROLE, elements: fullElements(), consent: { acknowledged: true }, ...spec } as CallAnalyticsConfigurationSpec,
});
const { desired, observed } = configurationFixtures({ elements: fullElements, alerts: fullAlerts, tags: () => ({ ...MARKER }), clientRequestToken: 'cvo-x' });

/** Every leaf of a value, as [path segments, value]; scalar lists are leaves. */
function leaves(value: unknown, at: Array<string | number> = []): Array<[Array<string | number>, unknown]> {
  if (Array.isArray(value)) {
    if (value.every((v) => v === null || typeof v !== 'object')) return [[at, value]];
    return value.flatMap((v, i) => leaves(v, [...at, i]));
  }
  if (value && typeof value === 'object') return Object.entries(value).flatMap(([k, v]) => (k === 'type' ? [] : leaves(v, [...at, k])));
  return [[at, value]];
}
const pathOf = (segments: Array<string | number>) => segments.map((s, i) => (typeof s === 'number' ? `[${s}]` : i === 0 ? s : `.${s}`)).join('');
function setAt(root: any, segments: Array<string | number>, v: unknown): void {
  const parent = segments.slice(0, -1).reduce((o, k) => o[k], root);
  const last = segments[segments.length - 1];
  if (v === undefined) delete parent[last];
  else parent[last] = v;
}
const changed = (v: unknown): unknown => (typeof v === 'boolean' ? !v : typeof v === 'number' ? v + 60 : Array.isArray(v) ? [...v, 'extra'] : `${String(v)}-changed`);

describe('CallAnalyticsConfiguration desired', () => {
  it('keeps the spec’s fields, adds the marker, a deterministic token and the A1 flags', () => {
    const d = callAnalyticsConfigurationDesired(obj({ tags: { team: 'voice' }, region: 'us-east-1', realTimeAlertConfiguration: fullAlerts() }), ctx());
    expect(d).toMatchObject({ name: 'support', region: 'us-east-1', resourceAccessRoleArn: ROLE, elements: fullElements(), realTimeAlertConfiguration: fullAlerts() });
    expect(d.tags).toEqual({ team: 'voice', ...MARKER });
    expect(d.clientRequestToken).toMatch(/^[-_a-zA-Z0-9]{2,64}$/);
    expect(d.clientRequestToken).toBe(callAnalyticsConfigurationDesired(obj(), ctx()).clientRequestToken);
  });

  it('A1: flags recording and post-call analytics both on (a warning, not an error)', () => {
    const withRecording = [...fullElements(), { type: 'S3RecordingSink' as const, s3RecordingSinkConfiguration: { destination: 'arn:aws:s3:::rec' } }];
    const d = callAnalyticsConfigurationDesired(obj({ elements: withRecording }), ctx());
    expect(d.recordsTwice).toBe(true);
    expect(callAnalyticsConfigurationHandler.warnings!(d, undefined)).toEqual([
      { type: 'DuplicateRecording', reason: 'DuplicateRecording', message: expect.stringContaining('recorded twice (A1)') },
    ]);
    const noPostCall = fullElements();
    delete noPostCall[0].amazonTranscribeCallAnalyticsProcessorConfiguration!.postCallAnalyticsSettings;
    const quiet = callAnalyticsConfigurationDesired(obj({ elements: [...noPostCall, withRecording[6]] }), ctx());
    expect(quiet.recordsTwice).toBe(false);
    expect(callAnalyticsConfigurationHandler.warnings!(quiet, undefined)).toEqual([]);
    expect(callAnalyticsConfigurationDesired(obj(), ctx()).recordsTwice).toBe(false);
  });

  it('A3: voice analytics without consent is a terminal ConsentRequired error naming the element; carried in lenient mode', () => {
    let err: unknown;
    try {
      callAnalyticsConfigurationDesired(obj({ consent: { acknowledged: false } }), ctx());
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(BlockedError);
    expect(classify(err)).toMatchObject({ terminal: true, reason: 'ConsentRequired' });
    expect((err as Error).message).toContain('elements[1] is a VoiceAnalyticsProcessor');
    expect(callAnalyticsConfigurationDesired(obj({ consent: undefined }), ctx(true)).consentMissing).toContain('elements[1]');
    expect(() => callAnalyticsConfigurationDesired(obj({ consent: undefined, elements: otherElements() }), ctx())).not.toThrow();
  });

  const without = (type: string) => fullElements().filter((e) => e.type !== type);
  it.each<[string, Record<string, unknown>, string]>([
    ['a role that is not an IAM role', { resourceAccessRoleArn: 'arn:aws:s3:::bucket' }, 'resourceAccessRoleArn: arn:aws:s3:::bucket is not an IAM role ARN'],
    ['two Kinesis sinks', { elements: [...fullElements(), fullElements()[2]] }, 'elements[6]: a configuration holds one KinesisDataStreamSink element; elements[2] is one already'],
    ['Transcribe and Call Analytics together', { elements: [...fullElements(), otherElements()[0]] }, 'elements[0]: choose Amazon Transcribe or Amazon Transcribe Call Analytics, not both'],
    ['a processor without a Kinesis sink', { elements: without('KinesisDataStreamSink') }, 'elements: AmazonTranscribeCallAnalyticsProcessor and VoiceAnalyticsProcessor deliver insights to a KinesisDataStreamSink element'],
    ['nothing to do', { elements: [fullElements()[2]] }, 'elements: a configuration needs a processor'],
    ['a notification sink without voice analytics', { elements: without('VoiceAnalyticsProcessor') }, 'elements[2]: SnsTopicSink receives voice analytics notifications'],
    ['voice enhancement without recording', { elements: [...fullElements(), { type: 'VoiceEnhancementSink' }] }, 'elements[6]: a VoiceEnhancementSink enhances recordings and needs an S3RecordingSink'],
    [
      'a Kinesis sink target of another service',
      { elements: [fullElements()[0], { type: 'KinesisDataStreamSink', kinesisDataStreamSinkConfiguration: { insightsTarget: 'arn:aws:sqs:us-east-1:111122223333:q' } }] },
      'elements[1].kinesisDataStreamSinkConfiguration.insightsTarget: arn:aws:sqs:us-east-1:111122223333:q is not a Kinesis data stream ARN',
    ],
    [
      'a recording sink without a destination',
      { elements: [{ type: 'S3RecordingSink', s3RecordingSinkConfiguration: {} }] },
      'elements[0].s3RecordingSinkConfiguration.destination: S3RecordingSink needs destination',
    ],
    [
      'partial results stability without stabilization',
      { elements: [{ type: 'AmazonTranscribeProcessor', amazonTranscribeProcessorConfiguration: { languageCode: 'en-US', partialResultsStability: 'high' } }, fullElements()[2]] },
      'elements[0].amazonTranscribeProcessorConfiguration.partialResultsStability: partialResultsStability needs enablePartialResultsStabilization: true',
    ],
    [
      'language identification with one language',
      { elements: [{ type: 'AmazonTranscribeProcessor', amazonTranscribeProcessorConfiguration: { identifyLanguage: true, languageOptions: 'en-US' } }, fullElements()[2]] },
      'elements[0].amazonTranscribeProcessorConfiguration.languageOptions: automatic language identification needs languageOptions with at least two languages',
    ],
    [
      'language options without identification',
      { elements: [{ type: 'AmazonTranscribeProcessor', amazonTranscribeProcessorConfiguration: { languageCode: 'en-US', languageOptions: 'en-US,es-US' } }, fullElements()[2]] },
      'elements[0].amazonTranscribeProcessorConfiguration.languageOptions: languageOptions applies only with identifyLanguage',
    ],
    [
      'language identification with redaction',
      {
        elements: [
          { type: 'AmazonTranscribeProcessor', amazonTranscribeProcessorConfiguration: { identifyLanguage: true, languageOptions: 'en-US,es-US', contentRedactionType: 'PII' } },
          fullElements()[2],
        ],
      },
      'elements[0].amazonTranscribeProcessorConfiguration.contentRedactionType: automatic language identification cannot be combined with content redaction',
    ],
    [
      'a sentiment alert without Call Analytics',
      { elements: otherElements().slice(0, 2), realTimeAlertConfiguration: { rules: [fullAlerts().rules![1]] } },
      'realTimeAlertConfiguration.rules[0]: Sentiment alerts come from Amazon Transcribe Call Analytics',
    ],
    [
      'two alert rules with one name',
      { realTimeAlertConfiguration: { rules: [fullAlerts().rules![0], { type: 'IssueDetection', issueDetectionConfiguration: { ruleName: 'cancel' } }] } },
      'realTimeAlertConfiguration.rules[1]: rule name cancel is already used by realTimeAlertConfiguration.rules[0]',
    ],
    ['a one-character AWS name', { name: 'c' }, 'name "c" (spec.name, else metadata.name): a configuration name has 2 to 64'],
    ['the ownership marker in spec tags', { tags: { [OWNER_TAG_KEY]: 'x' } }, 'tags: the key chimevoice.io/owner is the controller'],
  ])('rejects %s before any call, at the field to fix', (_l, spec, message) => {
    let err: unknown;
    try {
      callAnalyticsConfigurationDesired(obj(spec), ctx());
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(InvalidSpecError);
    expect((err as Error).message.slice(0, message.length)).toBe(message);
  });

  it('maps every spec member to a member of the model’s shapes (PascalCase), and back', () => {
    const model = JSON.parse(readFileSync('src/emulator/model/chime-sdk-media-pipelines-2021-07-15.json', 'utf8')) as { shapes: Record<string, any> };
    const check = (value: unknown, shape: string, at: string): void => {
      const s = model.shapes[shape];
      if (s.type === 'list') {
        (value as unknown[]).forEach((v, i) => check(v, s.member.shape, `${at}[${i}]`));
        return;
      }
      if (s.type !== 'structure') return;
      for (const [k, v] of Object.entries(value as Record<string, unknown>)) {
        expect(s.members[k], `${at}.${k} is a member of ${shape}`).toBeDefined();
        check(v, s.members[k].shape, `${at}.${k}`);
      }
    };
    const all = [...fullElements(), ...otherElements()];
    check(toAws(all), 'MediaInsightsPipelineConfigurationElements', 'Elements');
    check(toAws(fullAlerts()), 'RealTimeAlertConfiguration', 'RealTimeAlertConfiguration');
    expect((toAws(fullElements()[0]) as { AmazonTranscribeCallAnalyticsProcessorConfiguration: { PostCallAnalyticsSettings: unknown } }).AmazonTranscribeCallAnalyticsProcessorConfiguration.PostCallAnalyticsSettings).toEqual({
      OutputLocation: 's3://post-call/',
      DataAccessRoleArn: ROLE,
      ContentRedactionOutput: 'redacted',
      OutputEncryptionKMSKeyId: 'key-1',
    });
    expect(fromAws(toAws(all))).toEqual(all);
    expect(fromAws(toAws(fullAlerts()))).toEqual(fullAlerts());
  });
});

describe('CallAnalyticsConfiguration diff', () => {
  const diff = (d: CallAnalyticsConfigurationDesired, o: CallAnalyticsConfigurationObserved) => diffCallAnalyticsConfiguration(d, o);

  it('finds nothing in the steady state', () => {
    expect(diff(desired(), observed())).toEqual([]);
    expect(diff(desired({ elements: otherElements() }), observed({ elements: otherElements() }))).toEqual([]);
  });

  it.each<[string, Partial<CallAnalyticsConfigurationDesired>, Partial<CallAnalyticsConfigurationObserved>, unknown[]]>([
    ['name differs (replacement: no rename in the API)', { name: 'other' }, {}, [{ path: 'name', desired: 'other', actual: 'support', requiresReplacement: true }]],
    ['name equal', { name: 'support' }, {}, []],
    ['region differs (replacement)', { region: 'us-west-2' }, {}, [{ path: 'region', desired: 'us-west-2', actual: 'us-east-1', requiresReplacement: true }]],
    ['region equal', { region: 'us-east-1' }, {}, []],
    ['region omitted', {}, { region: 'eu-west-2' }, []],
    ['role differs', { resourceAccessRoleArn: `${ROLE}V2` }, {}, [{ path: 'resourceAccessRoleArn', desired: `${ROLE}V2`, actual: ROLE }]],
    ['role equal', { resourceAccessRoleArn: ROLE }, {}, []],
    ['tag differs', { tags: { ...MARKER, team: 'a' } }, { tags: { ...MARKER, team: 'b' } }, [{ path: 'tags.team', desired: 'a', actual: 'b' }]],
    ['tag equal', { tags: { ...MARKER, team: 'a' } }, { tags: { ...MARKER, team: 'a' } }, []],
    ['tags the spec omits are left alone', {}, { tags: { ...MARKER, extra: 'x' } }, []],
    ['marker removed', {}, { tags: {} }, [{ path: `tags.${OWNER_TAG_KEY}`, desired: 'default/support', actual: undefined }]],
    ['alerts omitted from the spec: not managed', { realTimeAlertConfiguration: undefined }, { realTimeAlertConfiguration: { disabled: true } }, []],
    [
      'alerts in the spec, none in AWS',
      { realTimeAlertConfiguration: { rules: [fullAlerts().rules![2]] } },
      { realTimeAlertConfiguration: undefined },
      [{ path: 'realTimeAlertConfiguration', desired: { rules: [fullAlerts().rules![2]] }, actual: undefined }],
    ],
    [
      'a rule removed behind our back: the list differs whole',
      {},
      { realTimeAlertConfiguration: { disabled: false, rules: fullAlerts().rules!.slice(0, 2) } },
      [{ path: 'realTimeAlertConfiguration.rules', desired: fullAlerts().rules, actual: fullAlerts().rules!.slice(0, 2) }],
    ],
    [
      'rules reordered: the list differs whole (order is priority for the reader)',
      {},
      { realTimeAlertConfiguration: { disabled: false, rules: [...fullAlerts().rules!].reverse() } },
      [{ path: 'realTimeAlertConfiguration.rules', desired: fullAlerts().rules, actual: [...fullAlerts().rules!].reverse() }],
    ],
    [
      'an element added behind our back',
      {},
      { elements: [...fullElements(), otherElements()[2]] },
      [{ path: 'elements', desired: fullElements(), actual: [...fullElements(), otherElements()[2]] }],
    ],
    [
      'elements reordered',
      {},
      { elements: [fullElements()[1], fullElements()[0], ...fullElements().slice(2)] },
      [{ path: 'elements', desired: fullElements(), actual: [fullElements()[1], fullElements()[0], ...fullElements().slice(2)] }],
    ],
    ['a false flag matches an absent one', { realTimeAlertConfiguration: { disabled: false } }, { realTimeAlertConfiguration: {} }, []],
    [
      'keywords are a set: order does not matter',
      {},
      { realTimeAlertConfiguration: { ...fullAlerts(), rules: [{ type: 'KeywordMatch', keywordMatchConfiguration: { ruleName: 'cancel', keywords: ['close my account', 'cancel'], negate: true } }, ...fullAlerts().rules!.slice(1)] } },
      [],
    ],
  ])('%s', (_l, d, o, expected) => {
    expect(diff(desired(d), observed(o))).toEqual(expected);
  });

  // Every leaf of every element and alert rule, three ways.
  const fieldPath = (field: string, segs: Array<string | number>) => `${field}${pathOf(segs).startsWith('[') ? '' : '.'}${pathOf(segs)}`;
  const cases: Array<[string, 'elements' | 'realTimeAlertConfiguration', Array<string | number>, unknown]> = [
    ...[fullElements(), otherElements()].flatMap((els, set) => leaves(els).map(([segs, v]) => [`${set}:${fieldPath('elements', segs)}`, 'elements', segs, v] as [string, 'elements', Array<string | number>, unknown])),
    ...leaves(fullAlerts()).map(([segs, v]) => [`0:${fieldPath('realTimeAlertConfiguration', segs)}`, 'realTimeAlertConfiguration', segs, v] as [string, 'realTimeAlertConfiguration', Array<string | number>, unknown]),
  ];
  const base = (label: string) => (label.startsWith('1:') ? otherElements() : fullElements());
  const spec = (field: string, label: string) => (field === 'elements' ? base(label) : fullAlerts());

  it.each(cases)('%s: differs, equal, omitted', (label, field, segs, value) => {
    const aws = spec(field, label);
    setAt(aws, segs, changed(value));
    const want = spec(field, label);
    const d = desired({ [field]: want });
    const o = observed({ elements: field === 'elements' ? (aws as Element[]) : base(label), realTimeAlertConfiguration: field === 'elements' ? fullAlerts() : (aws as any) });
    const eq = observed({ elements: base(label) });
    if (field === 'elements') d.realTimeAlertConfiguration = fullAlerts();
    // differs: exactly that path
    const diffs = diffCallAnalyticsConfiguration(d, o);
    expect(diffs).toHaveLength(1);
    expect(diffs[0].path).toBe(fieldPath(field, segs));
    expect(diffs[0].desired).toEqual(Array.isArray(value) ? [...(value as unknown[])].sort() : value);
    // equal
    expect(diffCallAnalyticsConfiguration({ ...d }, field === 'elements' ? eq : observed())).toEqual([]);
    // omitted from the spec while AWS has a (different) value: not managed, no diff
    const omitted = spec(field, label);
    setAt(omitted, segs, undefined);
    expect(diffCallAnalyticsConfiguration(desired({ [field]: omitted, ...(field === 'elements' ? { realTimeAlertConfiguration: fullAlerts() } : {}) }), o)).toEqual([]);
  });

  it('covers every leaf (sanity of the table above)', () => {
    expect(cases.length).toBeGreaterThan(35);
    expect(cases.map((c) => c[0])).toContain('0:elements[0].amazonTranscribeCallAnalyticsProcessorConfiguration.postCallAnalyticsSettings.outputEncryptionKMSKeyId');
    expect(cases.map((c) => c[0])).toContain('0:realTimeAlertConfiguration.rules[1].sentimentConfiguration.timePeriod');
  });
});
