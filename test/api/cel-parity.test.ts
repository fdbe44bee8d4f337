// Every CEL rule of every generated CRD (x-kubernetes-validations, what the API server enforces at
// admission) is evaluated by a CEL implementation (@marcbachmann/cel-js) and by its TypeScript twin
// (src/api/schema.ts `cel(...)`, what `validate` and directory mode run), on the same values, and
// the two must agree. The values are every node the rule applies to in the examples and fixtures,
// and mutations of each (a member removed, a boolean flipped, a list emptied or duplicated, a
// string changed), so that each rule sees values that pass and values that fail.
import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { evaluate } from '@marcbachmann/cel-js';
import { parseAllDocuments, parse } from 'yaml';
import { describe, expect, it } from 'vitest';
import { KINDS } from '../../src/api/index.js';
import { celCheckFor, isTransitionRule } from '../../src/api/schema.js';

const ROOT = join(import.meta.dirname, '../..');
type Json = null | boolean | number | string | Json[] | { [k: string]: Json };

interface RuleSite {
  kind: string;
  /** Steps from the object root: a property name, `[]` for each item, `{}` for each map value. */
  path: string[];
  rule: string;
}

function rulesOf(schema: any, path: string[], kind: string, out: RuleSite[]): void {
  if (!schema || typeof schema !== 'object') return;
  for (const v of schema['x-kubernetes-validations'] ?? []) out.push({ kind, path, rule: v.rule });
  for (const [name, sub] of Object.entries(schema.properties ?? {})) rulesOf(sub, [...path, name], kind, out);
  if (schema.items) rulesOf(schema.items, [...path, '[]'], kind, out);
  if (schema.additionalProperties && typeof schema.additionalProperties === 'object') rulesOf(schema.additionalProperties, [...path, '{}'], kind, out);
}

const sites: RuleSite[] = [];
for (const file of readdirSync(join(ROOT, 'crds')).filter((f) => f.endsWith('.yaml'))) {
  const crd = parse(readFileSync(join(ROOT, 'crds', file), 'utf8'));
  for (const version of crd.spec.versions) rulesOf(version.schema.openAPIV3Schema, [], crd.spec.names.kind, sites);
}

function yamlFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) => (e.isDirectory() ? yamlFiles(join(dir, e.name)) : /\.ya?ml$/.test(e.name) ? [join(dir, e.name)] : []));
}

/** Every manifest of a kind of ours in the examples and test fixtures. */
const objects: Array<{ kind: string } & Record<string, Json>> = [];
for (const file of [...yamlFiles(join(ROOT, 'examples')), ...yamlFiles(join(ROOT, 'test/fixtures'))]) {
  let docs;
  try {
    docs = parseAllDocuments(readFileSync(file, 'utf8')).map((d) => d.toJS());
  } catch {
    continue;
  }
  for (const d of docs) if (d && typeof d === 'object' && KINDS.some((k) => k.kind === d.kind)) objects.push(d);
}

/**
 * Values for rules the examples never take to one side (a combination no example writes): each is
 * mutated like the nodes found in manifests, so it yields both passing and failing values.
 */
const SEEDS: Record<string, Json[]> = {
  // No example holds an AwsAccount (examples/ is applied as managed objects); both shapes of a requirement.
  'AwsAccount spec.tenancy.namespaceSelector.matchExpressions.[]': [
    { key: 'chimevoice.io/tier', operator: 'In', values: ['production'] },
    { key: 'chimevoice.io/tier', operator: 'Exists' },
  ],
  'CallAnalyticsConfiguration spec.elements.[].amazonTranscribeCallAnalyticsProcessorConfiguration': [
    { languageCode: 'en-US', contentIdentificationType: 'PII', contentRedactionType: 'PII', piiEntityTypes: 'ALL' },
    { languageCode: 'en-US', piiEntityTypes: 'ALL' },
  ],
  'CallAnalyticsConfiguration spec.elements.[].amazonTranscribeProcessorConfiguration': [
    { languageCode: 'en-US', identifyLanguage: true, contentIdentificationType: 'PII', contentRedactionType: 'PII', piiEntityTypes: 'ALL' },
    { languageCode: 'en-US', piiEntityTypes: 'ALL' },
  ],
  'PhoneNumber spec': [{ productType: 'VoiceConnector', e164: '+18005550100', callingName: 'ACME', order: { numberType: 'TollFree', tollFreePrefix: '800' } }],
  'PhoneNumber spec.order': [{ country: 'US', areaCode: '206', numberType: 'TollFree' }],
  'SipRule spec.targetApplications.[]': [{ sipMediaApplicationId: 'abc', priority: 1 }],
  'VoiceConnector spec': [
    {
      requireEncryption: true,
      origination: { routes: [{ host: 'pbx.example.com', protocol: 'UDP' }] },
      termination: { disabled: true },
      emergencyCalling: { dnis: [{ emergencyPhoneNumber: '+12065550100' }] },
    },
  ],
  'VoiceConnector spec.networkType': ['IPV4_ONLY'],
  'VoiceConnector spec.streaming': [{ dataRetentionInHours: 24, callAnalyticsConfigurationArn: 'arn:aws:chime:us-east-1:123456789012:media-insights-pipeline-configuration/x', callAnalyticsConfigurationRef: { name: 'x' } }],
};

function nodesAt(value: Json | undefined, path: string[]): Json[] {
  if (value === undefined) return [];
  if (path.length === 0) return [value];
  const [step, ...rest] = path;
  if (step === '[]') return Array.isArray(value) ? value.flatMap((v) => nodesAt(v, rest)) : [];
  if (value === null || typeof value !== 'object' || Array.isArray(value)) return [];
  if (step === '{}') return Object.values(value).flatMap((v) => nodesAt(v, rest));
  return nodesAt(value[step], rest);
}

function tweaks(v: Json): Json[] {
  if (typeof v === 'boolean') return [!v];
  if (typeof v === 'string') return [`${v}x`, 'xn--a', 'a-s3alias', '+44207946000', 'TollFree', 'Local', 'US', 'GB', ''];
  if (typeof v === 'number') return [v + 1, 0];
  if (Array.isArray(v)) return v.length > 0 ? [[], [...v, v[0]], v.slice(1)] : [[]];
  return [];
}

/** The value, and values one edit away (two for nested members). */
function mutations(v: Json): Json[] {
  const out: Json[] = [v, ...tweaks(v)];
  if (v && typeof v === 'object' && !Array.isArray(v)) {
    out.push({ ...v, 'aws:owner': 'x' });
    for (const [k, child] of Object.entries(v)) {
      const { [k]: _removed, ...without } = v;
      out.push(without);
      for (const t of tweaks(child)) out.push({ ...v, [k]: t });
      if (child && typeof child === 'object' && !Array.isArray(child)) {
        for (const [ck, grand] of Object.entries(child)) {
          const { [ck]: _gone, ...smaller } = child;
          out.push({ ...v, [k]: smaller });
          for (const t of tweaks(grand)) out.push({ ...v, [k]: { ...child, [ck]: t } });
        }
      }
      if (Array.isArray(child)) child.forEach((item, i) => mutations(item).slice(1, 12).forEach((m) => out.push({ ...v, [k]: child.map((c, j) => (i === j ? m : c)) })));
    }
    // Each kind's discriminators, tried on every object node: rules keyed on `type` need both branches.
    for (const t of ['KeywordMatch', 'Sentiment', 'IssueDetection', 'ToPhoneNumber', 'RequestUriHostname', 'AmazonTranscribeCallAnalyticsProcessor', 'AmazonTranscribeProcessor']) {
      if ('type' in v) out.push({ ...v, type: t });
    }
    if ('productType' in v) out.push({ ...v, productType: 'SipMediaApplicationDialIn' });
  }
  return out;
}

/** CEL's verdict: a rule that errors (no such key on a value the schema would refuse) is not a pass. */
function celVerdict(rule: string, self: Json, oldSelf: Json | undefined): boolean | 'error' | 'unreachable' {
  try {
    return evaluate(rule, oldSelf === undefined ? { self } : { self, oldSelf }) === true;
  } catch (err) {
    // A required member removed: the API server refuses the object by its schema before any rule runs.
    if (/no such key/i.test((err as Error).message)) return 'unreachable';
    return 'error';
  }
}

function twinVerdict(rule: string, self: Json, oldSelf: Json | undefined): boolean | 'error' {
  const twin = celCheckFor(rule);
  if (!twin) throw new Error(`CEL rule without a TypeScript twin: ${rule}`);
  try {
    return twin.check(self, oldSelf);
  } catch {
    return 'error';
  }
}

describe('CEL rules of the CRDs agree with their TypeScript twins', () => {
  it('found the rules and the objects to try them on', () => {
    expect(sites.length).toBeGreaterThan(40);
    expect(new Set(objects.map((o) => o.kind)).size).toBe(KINDS.length);
  });

  const distinct = new Map<string, RuleSite[]>();
  for (const s of sites) distinct.set(`${s.kind} ${s.path.join('.')} ${s.rule}`, [...(distinct.get(`${s.kind} ${s.path.join('.')} ${s.rule}`) ?? []), s]);

  for (const [name, [site]] of distinct) {
    it(name, () => {
      const transition = isTransitionRule(site.rule);
      const originals = [...objects.filter((o) => o.kind === site.kind).flatMap((o) => nodesAt(o, site.path)), ...(SEEDS[`${site.kind} ${site.path.join('.')}`] ?? [])];
      const seen = { pass: 0, fail: 0 };
      const disagreements: string[] = [];
      for (const original of originals) {
        for (const self of mutations(original)) {
          // Transition rules run on updates: the old value is the original, the new one the mutation.
          const oldSelf = transition ? original : undefined;
          const twin = twinVerdict(site.rule, self, oldSelf);
          const lib = celVerdict(site.rule, self, oldSelf);
          // A value of a shape the schema refuses: the twin cannot judge it (validate skips it), and admission refuses it by schema first.
          if (twin === 'error' || lib === 'unreachable') continue;
          if ((lib === true) !== twin) disagreements.push(`self=${JSON.stringify(self)}${transition ? ` oldSelf=${JSON.stringify(oldSelf)}` : ''}: CEL ${String(lib)}, TypeScript ${String(twin)}`);
          seen[twin ? 'pass' : 'fail']++;
        }
      }
      expect(disagreements.slice(0, 5)).toEqual([]);
      // The rule was really exercised both ways.
      expect(seen.pass, 'values that pass').toBeGreaterThan(0);
      expect(seen.fail, 'values that fail').toBeGreaterThan(0);
    });
  }
});
