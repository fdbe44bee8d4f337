/**
 * The systematic part of the bad-manifest corpus, generated from the schema (whose ranges, lengths,
 * enums and patterns come from the AWS model and the limits table): for every field of every
 * kind's spec, one manifest per constraint it has, with the value just past it. Every integer past
 * its maximum and below its minimum, every string one character past its maximum length, every
 * enum with a value outside it, every pattern with a value it refuses, every list one item past its
 * maximum. A field added to the schema gets its cases without anything written here.
 */
import { stringify } from 'yaml';
import { KINDS } from '../../src/api/index.js';
import { CHIME_FORMAT_KEYWORD } from '../../src/api/schema.js';

export interface GeneratedCase {
  name: string;
  /** The constraint broken, as the header of a hand-written case would name it. */
  rule: string;
  /** The spec path of the field (`spec.origination.routes[0].port`), where the error must be reported. */
  path: string;
  /** A fragment of the expected message. */
  expect: string;
  yaml: string;
}

/** A valid object of each kind, into which one bad value is put. */
const BASES: Record<string, Record<string, unknown>> = {
  VoiceConnector: { region: 'us-east-1', requireEncryption: true },
  VoiceConnectorGroup: { voiceConnectors: [] },
  VoiceGlobalSettings: { voiceConnector: { cdrBucket: 'acme-cdrs' } },
  PhoneNumber: { e164: '+12065550100', productType: 'VoiceConnector' },
  SipMediaApplication: { region: 'us-east-1', endpoint: { lambdaArn: 'arn:aws:lambda:us-east-1:123456789012:function:ivr' } },
  SipRule: {
    trigger: { type: 'ToPhoneNumber', e164: '+12065550100' },
    targetApplications: [{ sipMediaApplicationId: 'app', priority: 1, region: 'us-east-1' }],
  },
  VoiceProfileDomain: { kmsKeyArn: 'arn:aws:kms:us-east-1:123456789012:key/abc', consent: { acknowledged: true } },
  CallAnalyticsConfiguration: {
    resourceAccessRoleArn: 'arn:aws:iam::123456789012:role/ChimeMediaInsightsAccess',
    consent: { acknowledged: true },
    elements: [{ type: 'KinesisDataStreamSink', kinesisDataStreamSinkConfiguration: { insightsTarget: 'arn:aws:kinesis:us-east-1:123456789012:stream/s' } }],
  },
};

type Segment = { key: string } | { index: true } | { mapKey: true };

interface Leaf {
  segments: Segment[];
  schema: any;
}

function leaves(schema: any, segments: Segment[] = []): Leaf[] {
  if (!schema || typeof schema !== 'object') return [];
  const out: Leaf[] = [{ segments, schema }];
  for (const [k, v] of Object.entries<any>(schema.properties ?? {})) out.push(...leaves(v, [...segments, { key: k }]));
  if (schema.items) out.push(...leaves(schema.items, [...segments, { index: true }]));
  if (schema.additionalProperties && typeof schema.additionalProperties === 'object') out.push(...leaves(schema.additionalProperties, [...segments, { mapKey: true }]));
  return out;
}

function pathOf(segments: Segment[]): string {
  let out = 'spec';
  for (const s of segments) out += 'key' in s ? `.${s.key}` : 'index' in s ? '[0]' : '.k';
  return out;
}

/** The spec with `value` at the path, creating the objects and lists on the way. */
function withValue(base: Record<string, unknown>, segments: Segment[], value: unknown): Record<string, unknown> {
  const spec = structuredClone(base);
  let cur: any = spec;
  segments.forEach((s, i) => {
    const last = i === segments.length - 1;
    const next = segments[i + 1];
    const fresh = () => (next && 'index' in next ? [] : {});
    if ('index' in s) {
      if (last) cur[0] = value;
      else {
        if (cur[0] === undefined || cur[0] === null || typeof cur[0] !== 'object') cur[0] = fresh();
        cur = cur[0];
      }
    } else {
      const key = 'key' in s ? s.key : 'k';
      if (last) cur[key] = value;
      else {
        if (cur[key] === undefined || cur[key] === null || typeof cur[key] !== 'object') cur[key] = fresh();
        cur = cur[key];
      }
    }
  });
  return spec;
}

/** A value the pattern refuses, or undefined when none of the candidates is refused. */
function refusedBy(pattern: string): string | undefined {
  const re = new RegExp(pattern, 'u');
  return ['~~~', ' ', 'no spaces allowed here', 'Ω', '-', '0', 'UPPER_case'].find((v) => !re.test(v));
}

/** One manifest per constraint of every spec field of every kind. */
export function generatedCases(): GeneratedCase[] {
  const out: GeneratedCase[] = [];
  for (const kind of KINDS) {
    const base = BASES[kind.kind];
    if (!base) throw new Error(`no base object for ${kind.kind}: add one to BASES`);
    for (const { segments, schema } of leaves(kind.spec)) {
      if (segments.length === 0) continue;
      const path = pathOf(segments);
      const add = (what: string, rule: string, expect: string, value: unknown) => {
        const spec = withValue(base, segments, value);
        const yaml = stringify({ apiVersion: 'chimevoice.io/v1alpha1', kind: kind.kind, metadata: { name: 'generated' }, spec }, { lineWidth: 0 });
        out.push({ name: `${kind.kind} ${path} ${what}`, rule, path, expect, yaml });
      };
      if (schema.type === 'integer') {
        if (typeof schema.maximum === 'number') add(`= ${schema.maximum + 1}`, `maximum ${schema.maximum}`, `must be at most ${schema.maximum}`, schema.maximum + 1);
        if (typeof schema.minimum === 'number') add(`= ${schema.minimum - 1}`, `minimum ${schema.minimum}`, `must be at least ${schema.minimum}`, schema.minimum - 1);
        add('= "1" (a string)', 'type integer', 'must be an integer', '1');
      }
      if (schema.type === 'string') {
        if (Array.isArray(schema.enum)) add('outside the enum', `enum ${schema.enum.join('|')}`, 'must be one of', 'NotOneOfThem');
        else {
          if (typeof schema.maxLength === 'number') add(`of ${schema.maxLength + 1} characters`, `maxLength ${schema.maxLength}`, `must be at most ${schema.maxLength} characters long`, 'a'.repeat(schema.maxLength + 1));
          if (typeof schema.pattern === 'string' && !schema[CHIME_FORMAT_KEYWORD]) {
            const bad = refusedBy(schema.pattern);
            if (bad !== undefined) add(`not matching ${schema.pattern}`, `pattern ${schema.pattern}`, 'does not match the pattern', bad);
          }
        }
      }
      if (schema.type === 'array' && typeof schema.maxItems === 'number' && schema.maxItems <= 300) {
        const item = schema.items?.type === 'string' && !schema.items.enum ? (i: number) => `x${i}` : (i: number) => ({ n: i });
        add(`with ${schema.maxItems + 1} items`, `maxItems ${schema.maxItems}`, `must have at most ${schema.maxItems} items`, Array.from({ length: schema.maxItems + 1 }, (_, i) => item(i)));
      }
      if (schema.type === 'object' && typeof schema.maxProperties === 'number') {
        add(
          `with ${schema.maxProperties + 1} entries`,
          `maxProperties ${schema.maxProperties}`,
          `must have at most ${schema.maxProperties} entries`,
          Object.fromEntries(Array.from({ length: schema.maxProperties + 1 }, (_, i) => [`k${i}`, 'v'])),
        );
      }
      if (schema.type === 'boolean') add('= "true" (a string)', 'type boolean', 'must be a boolean', 'true');
    }
  }
  return out;
}
