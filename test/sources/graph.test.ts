import path from 'node:path';
import type { TSchema } from '@sinclair/typebox';
import { describe, expect, it } from 'vitest';
import { KINDS } from '../../src/api/index.js';
import { loadDirectory } from '../../src/sources/directory.js';
import {
  REFERENCE_FIELDS,
  creationOrder,
  deletionOrder,
  dependentsOf,
  findCycles,
  findDanglingReferences,
  objectKey,
  referencesOf,
  type ObjectLike,
  type ReferenceTable,
} from '../../src/sources/graph.js';

const obj = (kind: string, name: string, spec: unknown = {}, namespace?: string): ObjectLike => ({
  kind,
  metadata: namespace ? { name, namespace } : { name },
  spec,
});

/** Every `...Ref` property of a schema, as table paths (`[]` for list items), with what its description names. */
function refsInSchema(schema: TSchema, at: string, out: Array<{ path: string; description: string }>): void {
  if (schema.type === 'array' && schema.items) return refsInSchema(schema.items as TSchema, `${at}[]`, out);
  if (schema.type !== 'object' || !schema.properties) return;
  for (const [key, child] of Object.entries(schema.properties as Record<string, TSchema>)) {
    const p = `${at}.${key}`;
    // spec.accountRef names a cluster-scoped AwsAccount: configuration the controller reads, not an object it waits for (no graph edge).
    if (p === 'spec.accountRef') continue;
    if (key.endsWith('Ref')) out.push({ path: p, description: String(child.description ?? '') });
    else refsInSchema(child, p, out);
  }
}

describe('REFERENCE_FIELDS', () => {
  it('spells out every reference of every kind', () => {
    expect(REFERENCE_FIELDS).toEqual({
      VoiceGlobalSettings: [],
      VoiceConnector: [
        { path: 'spec.termination.credentials[].passwordSecretRef', targetKind: 'Secret' },
        { path: 'spec.streaming.callAnalyticsConfigurationRef', targetKind: 'CallAnalyticsConfiguration' },
      ],
      VoiceConnectorGroup: [{ path: 'spec.voiceConnectors[].voiceConnectorRef', targetKind: 'VoiceConnector' }],
      PhoneNumber: [
        { path: 'spec.assignment.voiceConnectorRef', targetKind: 'VoiceConnector' },
        { path: 'spec.assignment.voiceConnectorGroupRef', targetKind: 'VoiceConnectorGroup' },
      ],
      SipMediaApplication: [],
      SipRule: [
        { path: 'spec.trigger.phoneNumberRef', targetKind: 'PhoneNumber' },
        { path: 'spec.trigger.voiceConnectorRef', targetKind: 'VoiceConnector' },
        { path: 'spec.targetApplications[].sipMediaApplicationRef', targetKind: 'SipMediaApplication' },
      ],
      VoiceProfileDomain: [],
      CallAnalyticsConfiguration: [],
    });
  });

  it('misses no `...Ref` field of any schema (a reference without its marker would be no edge)', () => {
    for (const kind of KINDS) {
      const found: Array<{ path: string; description: string }> = [];
      refsInSchema(kind.spec, 'spec', found);
      const table = REFERENCE_FIELDS[kind.kind];
      expect([...table.map((f) => f.path)].sort(), kind.kind).toEqual(found.map((f) => f.path).sort());
      for (const f of found) {
        const target = table.find((t) => t.path === f.path)!.targetKind;
        if (f.path.endsWith('SecretRef')) expect(target).toBe('Secret');
        else expect(f.description, `${kind.kind} ${f.path}`).toContain(`Reference to a ${target} `);
      }
    }
  });
});

describe('referencesOf', () => {
  it('expands list items into concrete paths and keeps Secret keys', () => {
    const vc = obj('VoiceConnector', 'a', {
      streaming: { dataRetentionInHours: 0, callAnalyticsConfigurationRef: { name: 'cac' } },
      termination: {
        credentials: [
          { username: 'u1', passwordSecretRef: { name: 's', key: 'p1' } },
          { username: 'u2', passwordSecretRef: { name: 's', key: 'p2' } },
        ],
      },
    });
    expect(referencesOf(vc)).toEqual([
      { path: 'spec.termination.credentials[0].passwordSecretRef', targetKind: 'Secret', name: 's', namespace: 'default', key: 'p1' },
      { path: 'spec.termination.credentials[1].passwordSecretRef', targetKind: 'Secret', name: 's', namespace: 'default', key: 'p2' },
      { path: 'spec.streaming.callAnalyticsConfigurationRef', targetKind: 'CallAnalyticsConfiguration', name: 'cac', namespace: 'default' },
    ]);
  });

  it('skips by-id items and malformed references', () => {
    const g = obj(
      'VoiceConnectorGroup',
      'g',
      { voiceConnectors: [{ voiceConnectorId: 'abcdefghijklmnopqrstu', priority: 1 }, { voiceConnectorRef: { name: 'b' }, priority: 2 }, { voiceConnectorRef: {} }] },
      'voice',
    );
    expect(referencesOf(g)).toEqual([{ path: 'spec.voiceConnectors[1].voiceConnectorRef', targetKind: 'VoiceConnector', name: 'b', namespace: 'voice' }]);
    expect(referencesOf(obj('Unknown', 'x', { aRef: { name: 'y' } }))).toEqual([]);
  });

  it('covers the kinds of the next issues', () => {
    const rule = obj('SipRule', 'r', {
      trigger: { phoneNumberRef: { name: 'n' } },
      targetApplications: [{ sipMediaApplicationRef: { name: 'east' } }, { sipMediaApplicationRef: { name: 'west' } }],
    });
    expect(referencesOf(rule).map((r) => `${r.path} → ${r.targetKind}/${r.name}`)).toEqual([
      'spec.trigger.phoneNumberRef → PhoneNumber/n',
      'spec.targetApplications[0].sipMediaApplicationRef → SipMediaApplication/east',
      'spec.targetApplications[1].sipMediaApplicationRef → SipMediaApplication/west',
    ]);
    expect(referencesOf(obj('PhoneNumber', 'n', { assignment: { voiceConnectorGroupRef: { name: 'g' } } }))[0].targetKind).toBe('VoiceConnectorGroup');
  });
});

describe('findDanglingReferences', () => {
  it('reports missing objects, missing Secrets and missing keys; namespaces are separate', () => {
    const a = obj('VoiceConnector', 'a', { termination: { credentials: [{ username: 'u', passwordSecretRef: { name: 's', key: 'password' } }] } });
    const g = obj('VoiceConnectorGroup', 'g', { voiceConnectors: [{ voiceConnectorRef: { name: 'a' }, priority: 1 }, { voiceConnectorRef: { name: 'b' }, priority: 2 }] });
    const other = obj('VoiceConnectorGroup', 'g', { voiceConnectors: [{ voiceConnectorRef: { name: 'a' }, priority: 1 }] }, 'other');
    const d = findDanglingReferences([a, g, other], [{ name: 's', namespace: 'default', data: { user: 'x' } }]);
    expect(d.map((x) => [objectKey(x.from), x.ref.path, x.missing, x.message])).toEqual([
      ['VoiceConnector/default/a', 'spec.termination.credentials[0].passwordSecretRef', 'key', 'Secret default/s has no key "password" (keys: user)'],
      ['VoiceConnectorGroup/default/g', 'spec.voiceConnectors[1].voiceConnectorRef', 'object', 'VoiceConnector default/b not found'],
      ['VoiceConnectorGroup/other/g', 'spec.voiceConnectors[0].voiceConnectorRef', 'object', 'VoiceConnector other/a not found'],
    ]);
    expect(findDanglingReferences([a], [])[0].message).toBe('Secret default/s not found');
    expect(d[0].file).toBeUndefined();
  });

  it('gives the file:line of the field for objects read from a folder', async () => {
    const dir = path.join('test/fixtures/invalid/dangling-reference');
    const r = await loadDirectory(dir);
    const d = findDanglingReferences(r.objects.map((o) => o.object));
    expect(d.map((x) => [x.file, x.line, x.column, x.ref.path])).toEqual([[path.join(dir, 'group.yaml'), 18, 9, 'spec.voiceConnectors[1].voiceConnectorRef']]);
  });
});

// Under the real table no kind can reach itself yet, so cycles are tested with a table that closes one.
const cyclic: ReferenceTable = {
  ...REFERENCE_FIELDS,
  VoiceConnector: [{ path: 'spec.streaming.callAnalyticsConfigurationRef', targetKind: 'VoiceConnectorGroup' }],
};
const vcTo = (name: string, group: string) => obj('VoiceConnector', name, { streaming: { dataRetentionInHours: 0, callAnalyticsConfigurationRef: { name: group } } });
const group = (name: string, ...vcs: string[]) => obj('VoiceConnectorGroup', name, { voiceConnectors: vcs.map((v, i) => ({ voiceConnectorRef: { name: v }, priority: i + 1 })) });

describe('findCycles', () => {
  it('finds none in a tree', () => {
    expect(findCycles([group('g', 'a', 'b'), obj('VoiceConnector', 'a'), obj('VoiceConnector', 'b')])).toEqual([]);
  });

  it('spells a cycle out, starting from a stable member', () => {
    const cycles = findCycles([group('ring', 'alpha', 'beta'), vcTo('alpha', 'ring'), obj('VoiceConnector', 'beta')], cyclic);
    expect(cycles.map((c) => c.text)).toEqual(['VoiceConnector default/alpha → VoiceConnectorGroup default/ring → VoiceConnector default/alpha']);
  });

  it('reports separate cycles separately, and self-references', () => {
    const selfRef: ReferenceTable = { ...REFERENCE_FIELDS, VoiceConnectorGroup: [{ path: 'spec.voiceConnectors[].voiceConnectorRef', targetKind: 'VoiceConnectorGroup' }] };
    expect(findCycles([group('g', 'g')], selfRef).map((c) => c.text)).toEqual(['VoiceConnectorGroup default/g → VoiceConnectorGroup default/g']);
    const two = findCycles([group('g1', 'a'), vcTo('a', 'g1'), group('g2', 'b'), vcTo('b', 'g2')], cyclic);
    expect(two.map((c) => c.objects.map((o) => o.metadata.name))).toEqual([['a', 'g1'], ['b', 'g2']]);
  });
});

describe('creation and deletion order', () => {
  it('puts dependencies first, independent objects in registry kind order then by name', () => {
    const objects = [
      obj('SipRule', 'rule', { trigger: { phoneNumberRef: { name: 'num' } }, targetApplications: [{ sipMediaApplicationRef: { name: 'app' } }] }),
      group('g', 'b', 'a'),
      obj('PhoneNumber', 'num', { assignment: { voiceConnectorGroupRef: { name: 'g' } } }),
      obj('VoiceConnector', 'b'),
      obj('SipMediaApplication', 'app'),
      obj('VoiceConnector', 'a', { streaming: { dataRetentionInHours: 0, callAnalyticsConfigurationRef: { name: 'cac' } } }),
      obj('CallAnalyticsConfiguration', 'cac'),
      obj('VoiceGlobalSettings', 'gs'),
    ];
    const order = creationOrder(objects).map((o) => `${o.kind}/${o.metadata.name}`);
    for (const o of objects) {
      for (const dep of referencesOf(o)) {
        expect(order.indexOf(`${dep.targetKind}/${dep.name}`), `${o.kind}/${o.metadata.name} after ${dep.targetKind}/${dep.name}`).toBeLessThan(
          order.indexOf(`${o.kind}/${o.metadata.name}`),
        );
      }
    }
    expect(order).toHaveLength(objects.length);
    expect(deletionOrder(objects).map((o) => `${o.kind}/${o.metadata.name}`)).toEqual([...order].reverse());
    expect(creationOrder([...objects].reverse()).map((o) => `${o.kind}/${o.metadata.name}`)).toEqual(order);
  });

  it('breaks ties by name', () => {
    const objects = [group('g', 'b', 'a'), obj('VoiceConnector', 'b'), obj('VoiceConnector', 'a')];
    expect(creationOrder(objects).map((o) => o.metadata.name)).toEqual(['a', 'b', 'g']);
  });

  it('still places every object when there is a cycle, the cycle last', () => {
    const objects = [vcTo('alpha', 'ring'), group('ring', 'alpha'), obj('VoiceConnector', 'free')];
    expect(creationOrder(objects, cyclic).map((o) => o.metadata.name)).toEqual(['free', 'alpha', 'ring']);
  });

  it('names the dependents of an object', () => {
    const objects = [group('g', 'a'), obj('VoiceConnector', 'a'), obj('PhoneNumber', 'n', { assignment: { voiceConnectorRef: { name: 'a' } } })];
    expect(dependentsOf(obj('VoiceConnector', 'a'), objects).map(objectKey)).toEqual(['VoiceConnectorGroup/default/g', 'PhoneNumber/default/n']);
  });
});
