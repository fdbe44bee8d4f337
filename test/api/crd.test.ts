// The CRDs: generated output equals the files on disk, every schema is structural, every CEL rule
// has its TS twin, and the constraints copied from the AWS models match the models.
import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { KINDS } from '../../src/api/index.js';
import { buildCrd, crdFileName, openApiSchema, renderCrdYaml } from '../../src/api/crd.js';
import { structuralProblems } from '../../src/api/structural.js';
import { diffTargets, TARGETS } from '../../scripts/generate.js';

const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..', '..');

describe('generated CRDs', () => {
  it.each(KINDS.map((k) => [k.kind, k] as const))('%s: crds/ file equals the generator output', (_n, kind) => {
    const onDisk = readFileSync(join(ROOT, 'crds', crdFileName(kind)), 'utf8');
    expect(onDisk).toBe(renderCrdYaml(kind));
  });

  it('generate --check finds nothing to do', () => {
    expect(diffTargets(TARGETS, ROOT)).toEqual([]);
  });

  it.each(KINDS.map((k) => [k.kind, k] as const))('%s: the schema is structural and described', (_n, kind) => {
    expect(structuralProblems(openApiSchema(kind))).toEqual([]);
  });

  it('the structural checker catches what Kubernetes refuses', () => {
    const bad = {
      type: 'object',
      properties: {
        a: { description: 'no type' },
        b: { type: 'object', description: 'closed', additionalProperties: false, properties: { c: { type: 'string', description: 'c' } } },
        d: { type: 'array', description: 'set of objects', 'x-kubernetes-list-type': 'set', items: { type: 'object', description: 'o' } },
        e: { type: 'string', description: 'rule', 'x-kubernetes-validations': [{ rule: 'self.size() > 1000', message: 'm' }] },
      },
    };
    expect(structuralProblems(bad)).toEqual([
      'a: no type',
      'b: additionalProperties: false is not allowed',
      'b: properties and additionalProperties are mutually exclusive',
      'd: a set list needs scalar items',
      'e: CEL rule without a TS twin: self.size() > 1000',
    ]);
  });

  it.each(KINDS.map((k) => [k.kind, k] as const))('%s: CRD names, status subresource, printer columns, category', (_n, kind) => {
    const crd = parse(renderCrdYaml(kind));
    expect(crd).toEqual(JSON.parse(JSON.stringify(buildCrd(kind))));
    expect(crd.metadata.name).toBe(`${kind.plural}.chimevoice.io`);
    expect(crd.spec.names.categories).toEqual(['chime']);
    expect(crd.spec.names.shortNames.length).toBeGreaterThan(0);
    const v = crd.spec.versions[0];
    expect(v.name).toBe('v1alpha1');
    expect(v.subresources).toEqual({ status: {} });
    const cols = v.additionalPrinterColumns.map((c: { name: string }) => c.name);
    expect(cols).toContain('Ready');
    expect(cols).toContain('Drifted');
    expect(cols).toContain('Age');
    const status = v.schema.openAPIV3Schema.properties.status;
    expect(status.properties.observedGeneration.default).toBe(-1);
    expect(status.properties.conditions['x-kubernetes-list-type']).toBe('map');
    expect(JSON.stringify(v.schema)).not.toContain('"additionalProperties":false');
    expect(JSON.stringify(v.schema)).not.toContain('x-chimevoice');
  });
});

describe('registry', () => {
  it('lists reference fields from the schema', async () => {
    const { referenceFields } = await import('../../src/api/index.js');
    expect(referenceFields('SipRule')).toEqual([
      { path: 'spec.trigger.phoneNumberRef', targetKind: 'PhoneNumber' },
      { path: 'spec.trigger.voiceConnectorRef', targetKind: 'VoiceConnector' },
      { path: 'spec.targetApplications[].sipMediaApplicationRef', targetKind: 'SipMediaApplication' },
    ]);
    expect(referenceFields('VoiceConnector')).toEqual([
      { path: 'spec.termination.credentials[].passwordSecretRef', targetKind: 'Secret' },
      { path: 'spec.streaming.callAnalyticsConfigurationRef', targetKind: 'CallAnalyticsConfiguration' },
    ]);
  });

  it('names every kind once, with distinct short names', () => {
    expect(new Set(KINDS.map((k) => k.kind)).size).toBe(KINDS.length);
    const shorts = KINDS.flatMap((k) => k.shortNames);
    expect(new Set(shorts).size).toBe(shorts.length);
  });
});
