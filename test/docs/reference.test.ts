// The generated documentation is up to date (as `npm run check` also verifies), and the kind
// reference covers what the CRDs in crds/ hold: every field path, printer column and CEL message.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'yaml';
import { describe, expect, it } from 'vitest';
import { KINDS } from '../../src/api/index.js';
import { crdFileName } from '../../src/api/crd.js';
import { diffTargets } from '../../scripts/generate.js';
import { DOC_TARGETS } from '../../scripts/docs/targets.js';
import { referenceFile } from '../../scripts/docs/reference.js';
import { ROOT } from '../../scripts/docs/reason-scan.js';

function paths(node: any, path: string, out: string[]): string[] {
  if (node.properties) for (const [k, v] of Object.entries(node.properties)) {
    out.push(`${path}.${k}`);
    paths(v, `${path}.${k}`, out);
  }
  if (node.items) paths(node.items, `${path}[]`, out);
  return out;
}

describe('docs/reference and docs/conditions.md', () => {
  it('are what scripts/generate.ts renders (run `npm run generate` after changing the code)', () => {
    expect(diffTargets(DOC_TARGETS)).toEqual([]);
  });

  for (const kind of KINDS) {
    it(`${kind.kind}: every spec and atProvider field, printer column and CEL message of the CRD`, () => {
      const doc = readFileSync(join(ROOT, 'docs/reference', referenceFile(kind.kind)), 'utf8');
      const crd = parse(readFileSync(join(ROOT, 'crds', crdFileName(kind)), 'utf8').replace(/^#.*\n/, ''));
      const version = crd.spec.versions[0];
      const schema = version.schema.openAPIV3Schema;
      const fields = [...paths(schema.properties.spec, 'spec', []), ...paths(schema.properties.status.properties.atProvider ?? {}, 'status.atProvider', [])];
      expect(fields.filter((p) => !doc.includes(`\`${p}\``))).toEqual([]);
      for (const c of version.additionalPrinterColumns) expect(doc).toContain(`| ${c.name} | ${c.type} |`);
      const messages: string[] = [];
      const walk = (n: any) => {
        for (const v of n['x-kubernetes-validations'] ?? []) messages.push(v.message);
        for (const c of Object.values(n.properties ?? {})) walk(c);
        if (n.items) walk(n.items);
        if (n.additionalProperties && typeof n.additionalProperties === 'object') walk(n.additionalProperties);
      };
      walk(schema.properties.spec);
      expect(messages.filter((m) => !doc.includes(m.replace(/\|/g, '\\|')))).toEqual([]);
      for (const s of crd.spec.names.shortNames ?? []) expect(doc).toContain(`\`${s}\``);
    });
  }
});
