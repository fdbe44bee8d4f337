// The constraints the schemas copy from the vendored AWS models (enums, lengths, ranges, patterns)
// are checked against the models themselves, so a typo or a model update shows up here.
import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { KINDS, envelopeSchema, getKind } from '../../src/api/index.js';
import { INT32_MAX, INT32_MIN, LIMITS } from '../../src/domain/limits.js';

const MODELS = join(dirname(fileURLToPath(import.meta.url)), '..', '..', 'src', 'emulator', 'model');
const load = (f: string) => JSON.parse(readFileSync(join(MODELS, f), 'utf8')).shapes as Record<string, any>;
const models = { voice: load('chime-sdk-voice-2022-08-03.json'), media: load('chime-sdk-media-pipelines-2021-07-15.json') };

/** The schema node at `spec.a.b[].c` of a kind. */
function node(kind: string, path: string): any {
  let cur: any = getKind(kind);
  for (const seg of path.split('.')) {
    const list = seg.endsWith('[]');
    const key = list ? seg.slice(0, -2) : seg;
    cur = cur.kind !== undefined && cur.spec ? cur[key] : cur.properties?.[key];
    if (list) cur = cur.items;
    if (!cur) throw new Error(`no ${path} in ${kind}`);
  }
  return cur;
}

type Row = [kind: string, path: string, model: 'voice' | 'media', shape: string, checks: ('enum' | 'length' | 'range' | 'pattern' | 'items')[]];

const rows: Row[] = [
  ['VoiceConnector', 'spec.name', 'voice', 'VoiceConnectorName', ['length', 'pattern']],
  ['VoiceConnector', 'spec.region', 'voice', 'VoiceConnectorAwsRegion', ['enum']],
  ['VoiceConnector', 'spec.networkType', 'voice', 'NetworkType', ['enum']],
  ['VoiceConnector', 'spec.termination.cpsLimit', 'voice', 'CpsLimit', ['range']],
  ['VoiceConnector', 'spec.origination.routes[].port', 'voice', 'Port', ['range']],
  ['VoiceConnector', 'spec.origination.routes[].protocol', 'voice', 'OriginationRouteProtocol', ['enum']],
  ['VoiceConnector', 'spec.origination.routes[].priority', 'voice', 'OriginationRoutePriority', ['range']],
  ['VoiceConnector', 'spec.origination.routes[].weight', 'voice', 'OriginationRouteWeight', ['range']],
  ['VoiceConnector', 'spec.streaming.dataRetentionInHours', 'voice', 'DataRetentionInHours', ['range']],
  ['VoiceConnector', 'spec.streaming.notificationTargets', 'voice', 'StreamingNotificationTargetList', ['items']],
  ['VoiceConnector', 'spec.streaming.notificationTargets[]', 'voice', 'NotificationTarget', ['enum']],
  ['VoiceConnector', 'spec.streaming.callAnalyticsConfigurationArn', 'voice', 'Arn', ['length']],
  ['VoiceConnector', 'spec.proxy.phoneNumberCountries', 'voice', 'CountryList', ['items']],
  ['VoiceConnector', 'spec.externalSystems.sessionBorderControllerTypes[]', 'voice', 'SessionBorderControllerType', ['enum']],
  ['VoiceConnector', 'spec.externalSystems.contactCenterSystemTypes[]', 'voice', 'ContactCenterSystemType', ['enum']],
  ['VoiceConnectorGroup', 'spec.name', 'voice', 'VoiceConnectorGroupName', ['length', 'pattern']],
  ['VoiceConnectorGroup', 'spec.voiceConnectors[].priority', 'voice', 'VoiceConnectorItemPriority', ['range']],
  ['VoiceConnectorGroup', 'spec.voiceConnectors[].voiceConnectorId', 'voice', 'VoiceConnectorId', ['pattern']],
  ['VoiceConnectorGroup', 'spec.callDistributionType', 'voice', 'CallDistributionType', ['enum']],
  ['VoiceGlobalSettings', 'spec.voiceConnector.cdrBucket', 'voice', 'S3BucketName', []],
  ['PhoneNumber', 'spec.productType', 'voice', 'PhoneNumberProductType', ['enum']],
  ['PhoneNumber', 'spec.order.numberType', 'voice', 'PhoneNumberType', ['enum']],
  ['PhoneNumber', 'spec.order.tollFreePrefix', 'voice', 'TollFreePrefix', ['length', 'pattern']],
  ['PhoneNumber', 'spec.callingName', 'voice', 'CallingName', ['pattern']],
  ['PhoneNumber', 'spec.name', 'voice', 'PhoneNumberName', ['length']],
  ['PhoneNumber', 'status.atProvider.numberStatus', 'voice', 'PhoneNumberStatus', ['enum']],
  ['PhoneNumber', 'status.atProvider.orderStatus', 'voice', 'PhoneNumberOrderStatus', ['enum']],
  ['PhoneNumber', 'status.atProvider.orderType', 'voice', 'PhoneNumberOrderType', ['enum']],
  ['PhoneNumber', 'status.atProvider.orderedNumberStatus', 'voice', 'OrderedPhoneNumberStatus', ['enum']],
  ['PhoneNumber', 'status.atProvider.callingNameStatus', 'voice', 'CallingNameStatus', ['enum']],
  ['PhoneNumber', 'status.atProvider.associations[].name', 'voice', 'PhoneNumberAssociationName', ['enum']],
  ['SipMediaApplication', 'spec.name', 'voice', 'SipMediaApplicationName', ['length', 'pattern']],
  ['SipMediaApplication', 'spec.endpoint.lambdaArn', 'voice', 'FunctionArn', []],
  ['SipMediaApplication', 'spec.alexaSkills.status', 'voice', 'AlexaSkillStatus', ['enum']],
  ['SipMediaApplication', 'spec.alexaSkills.skillIds', 'voice', 'AlexaSkillIdList', ['items']],
  ['SipMediaApplication', 'spec.alexaSkills.skillIds[]', 'voice', 'AlexaSkillId', ['pattern']],
  ['SipRule', 'spec.name', 'voice', 'SipRuleName', ['length', 'pattern']],
  ['SipRule', 'spec.trigger.type', 'voice', 'SipRuleTriggerType', ['enum']],
  ['SipRule', 'spec.targetApplications', 'voice', 'SipRuleTargetApplicationList', ['items']],
  ['SipRule', 'spec.targetApplications[].priority', 'voice', 'SipApplicationPriority', ['range']],
  ['VoiceProfileDomain', 'spec.name', 'voice', 'VoiceProfileDomainName', ['length', 'pattern']],
  ['VoiceProfileDomain', 'spec.description', 'voice', 'VoiceProfileDomainDescription', ['length']],
  ['VoiceProfileDomain', 'spec.kmsKeyArn', 'voice', 'Arn', ['length']],
  ['CallAnalyticsConfiguration', 'spec.name', 'media', 'MediaInsightsPipelineConfigurationNameString', ['length', 'pattern']],
  ['CallAnalyticsConfiguration', 'spec.resourceAccessRoleArn', 'media', 'Arn', ['length']],
  ['CallAnalyticsConfiguration', 'spec.elements[].type', 'media', 'MediaInsightsPipelineConfigurationElementType', ['enum']],
  ['CallAnalyticsConfiguration', 'spec.elements[].amazonTranscribeCallAnalyticsProcessorConfiguration.languageCode', 'media', 'CallAnalyticsLanguageCode', ['enum']],
  ['CallAnalyticsConfiguration', 'spec.elements[].amazonTranscribeCallAnalyticsProcessorConfiguration.vocabularyFilterMethod', 'media', 'VocabularyFilterMethod', ['enum']],
  ['CallAnalyticsConfiguration', 'spec.elements[].amazonTranscribeCallAnalyticsProcessorConfiguration.partialResultsStability', 'media', 'PartialResultsStability', ['enum']],
  ['CallAnalyticsConfiguration', 'spec.elements[].amazonTranscribeCallAnalyticsProcessorConfiguration.piiEntityTypes', 'media', 'PiiEntityTypes', ['length']],
  ['CallAnalyticsConfiguration', 'spec.elements[].amazonTranscribeCallAnalyticsProcessorConfiguration.vocabularyName', 'media', 'VocabularyName', ['length', 'pattern']],
  ['CallAnalyticsConfiguration', 'spec.elements[].amazonTranscribeCallAnalyticsProcessorConfiguration.postCallAnalyticsSettings.contentRedactionOutput', 'media', 'ContentRedactionOutput', ['enum']],
  ['CallAnalyticsConfiguration', 'spec.elements[].amazonTranscribeCallAnalyticsProcessorConfiguration.callAnalyticsStreamCategories', 'media', 'CategoryNameList', ['items']],
  ['CallAnalyticsConfiguration', 'spec.elements[].amazonTranscribeProcessorConfiguration.languageOptions', 'media', 'LanguageOptions', ['length']],
  ['CallAnalyticsConfiguration', 'spec.elements[].s3RecordingSinkConfiguration.recordingFileFormat', 'media', 'RecordingFileFormat', ['enum']],
  ['CallAnalyticsConfiguration', 'spec.elements[].voiceAnalyticsProcessorConfiguration.speakerSearchStatus', 'media', 'VoiceAnalyticsConfigurationStatus', ['enum']],
  ['CallAnalyticsConfiguration', 'spec.realTimeAlertConfiguration.rules', 'media', 'RealTimeAlertRuleList', ['items']],
  ['CallAnalyticsConfiguration', 'spec.realTimeAlertConfiguration.rules[].type', 'media', 'RealTimeAlertRuleType', ['enum']],
  ['CallAnalyticsConfiguration', 'spec.realTimeAlertConfiguration.rules[].keywordMatchConfiguration.ruleName', 'media', 'RuleName', ['length', 'pattern']],
  ['CallAnalyticsConfiguration', 'spec.realTimeAlertConfiguration.rules[].keywordMatchConfiguration.keywords', 'media', 'KeywordMatchWordList', ['items']],
  ['CallAnalyticsConfiguration', 'spec.realTimeAlertConfiguration.rules[].sentimentConfiguration.sentimentType', 'media', 'SentimentType', ['enum']],
  ['CallAnalyticsConfiguration', 'spec.realTimeAlertConfiguration.rules[].sentimentConfiguration.timePeriod', 'media', 'SentimentTimePeriodInSeconds', ['range']],
];

/** Integers whose maximum comes from the limits table (src/domain/limits.ts), not the model. */
const TABLE_MAXIMUM: Record<string, number> = {
  'VoiceConnector spec.streaming.dataRetentionInHours': LIMITS.streamingDataRetentionHours.max,
};

/** Every integer node of a schema, with its path (`spec.a.b[].c`). */
function integers(schema: any, path = ''): Array<{ path: string; node: any }> {
  const out: Array<{ path: string; node: any }> = [];
  if (!schema || typeof schema !== 'object') return out;
  if (schema.type === 'integer') out.push({ path, node: schema });
  for (const [k, v] of Object.entries<any>(schema.properties ?? {})) out.push(...integers(v, path ? `${path}.${k}` : k));
  if (schema.items) out.push(...integers(schema.items, `${path}[]`));
  if (schema.additionalProperties && typeof schema.additionalProperties === 'object') out.push(...integers(schema.additionalProperties, `${path}{}`));
  for (const alt of [...(schema.anyOf ?? []), ...(schema.oneOf ?? []), ...(schema.allOf ?? [])]) out.push(...integers(alt, path));
  return out;
}

/** The model's pattern made whole-value (anchored), as the schemas write it. */
const anchored = (p: string) => `${p.startsWith('^') ? '' : '^'}${p}${p.endsWith('$') ? '' : '$'}`;

describe('constraints copied from the AWS models', () => {
  it.each(rows.map((r) => [`${r[0]} ${r[1]} = ${r[3]}`, r] as const))('%s', (_n, [kind, path, model, shape, checks]) => {
    const s = node(kind, path);
    const m = models[model][shape];
    expect(m, `${shape} in the ${model} model`).toBeDefined();
    for (const c of checks) {
      if (c === 'enum') expect(s.enum).toEqual(m.enum);
      if (c === 'length') {
        if (m.min !== undefined && m.min > 0) expect(s.minLength).toBe(m.min);
        expect(s.maxLength).toBe(m.max);
      }
      if (c === 'range') {
        expect(s.minimum).toBe(m.min);
        // The model's integers are 32-bit: without a model maximum, a limit of the table or int32's.
        expect(s.maximum).toBe(m.max ?? TABLE_MAXIMUM[`${kind} ${path}`] ?? INT32_MAX);
      }
      if (c === 'items') {
        if (m.min !== undefined) expect(s.minItems).toBe(m.min);
        expect(s.maxItems).toBe(m.max);
      }
      if (c === 'pattern') expect(s.pattern).toBe(anchored(m.pattern));
    }
  });

  it('patterns rewritten for unicode/RE2 regexps accept and refuse the same values as the model', () => {
    // Arn: the model escapes characters inside a class; FunctionArn: `0-9-_` written as `0-9_-`.
    const pairs: [string, string, string[]][] = [
      [models.voice.Arn.pattern, node('VoiceProfileDomain', 'spec.kmsKeyArn').pattern, ['arn:aws:kms:us-east-1:1:key/a_b.c-d', 'arn x', 'arn', 'arn:a*b']],
      [
        models.voice.FunctionArn.pattern,
        node('SipMediaApplication', 'spec.endpoint.lambdaArn').pattern,
        ['arn:aws:lambda:us-east-1:111122223333:function:f-1_x', 'arn:aws:lambda:us-east-1:111122223333:function:f:$LATEST', 'arn:aws:lambda:us-east-1:1:function:f'],
      ],
      [models.voice.PhoneNumberName.pattern, node('PhoneNumber', 'spec.name').pattern, ['Main line', 'a,b.c_d-e', 'a/b', ' x', '']],
      [models.voice.S3BucketName.pattern, node('VoiceGlobalSettings', 'spec.voiceConnector.cdrBucket').pattern, ['acme-cdrs', 'Acme', 'a', 'abc-']],
    ];
    for (const [modelPattern, ours, samples] of pairs) {
      const m = new RegExp(anchored(modelPattern));
      const o = new RegExp(ours, 'u');
      for (const v of samples) expect(o.test(v), `${v} against ${ours}`).toBe(m.test(v));
    }
  });

  it('E.164 requires the leading + that the model leaves optional', () => {
    expect(models.voice.E164PhoneNumber.pattern).toBe('^\\+?[1-9]\\d{1,14}$');
    expect(node('PhoneNumber', 'spec.e164').pattern).toBe('^\\+[1-9]\\d{1,14}$');
  });
});

describe('every integer is bounded (the model\'s integers are 32-bit)', () => {
  const all = KINDS.flatMap((k) => integers(envelopeSchema(k.kind, k.spec, k.status)).map((i) => ({ kind: k.kind, ...i })));
  const modelRows = new Map(rows.filter((r) => r[4].includes('range')).map((r) => [`${r[0]} ${r[1]}`, r]));

  it('finds the integers (the walk itself works)', () => {
    expect(all.map((i) => `${i.kind} ${i.path}`)).toContain('VoiceConnector spec.termination.cpsLimit');
    expect(all.length).toBeGreaterThan(20);
  });

  it.each(all.map((i) => [`${i.kind} ${i.path}`, i] as const))('%s has a minimum and a maximum within int32', (_n, { node: s }) => {
    expect(s.maximum, 'maximum').toBeTypeOf('number');
    expect(s.minimum, 'minimum').toBeTypeOf('number');
    expect(s.maximum).toBeLessThanOrEqual(INT32_MAX);
    expect(s.minimum).toBeGreaterThanOrEqual(INT32_MIN);
  });

  it('every integer of a spec is tied to its model shape in the table above, so its range is the model\'s', () => {
    // A spec integer is sent to AWS: it must name the shape that bounds it (or be a limit of the table).
    const unmapped = all
      .filter((i) => i.path.startsWith('spec.'))
      .map((i) => `${i.kind} ${i.path}`)
      .filter((k) => !modelRows.has(k) && !UNMODELLED_INTEGERS.has(k));
    expect(unmapped).toEqual([]);
  });
});

/** Spec integers whose model shape has no range (the model's plain Integer); bounded by the limits table. */
const UNMODELLED_INTEGERS = new Set(['VoiceConnector spec.proxy.defaultSessionExpiryMinutes']);

it('a proxy session expiry is bounded by the limits table, as the emulator bounds it', () => {
  const s = node('VoiceConnector', 'spec.proxy.defaultSessionExpiryMinutes');
  expect([s.minimum, s.maximum]).toEqual([LIMITS.proxySessionExpiryMinutes.min, LIMITS.proxySessionExpiryMinutes.max]);
});
