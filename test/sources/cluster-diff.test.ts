// What `kubectl apply` of a folder makes of the cluster's objects (src/sources/cluster-diff.ts), as
// `plan --cluster` computes it: kubectl's three-way merge of the last applied configuration, the
// manifest and the live object, then the schema's defaults; and what `kubectl apply --prune` takes.
import { describe, expect, it } from 'vitest';
import { applyDefaults } from '../../src/api/validate.js';
import type { ManagedObject } from '../../src/reconcile/types.js';
import { applyToCluster, fieldChanges, LAST_APPLIED, pruneCandidates, threeWayMerge } from '../../src/sources/cluster-diff.js';

const manifest = (spec: Record<string, unknown>, annotations?: Record<string, string>): ManagedObject =>
  ({
    apiVersion: 'chimevoice.io/v1alpha1',
    kind: 'VoiceConnector',
    metadata: { name: 'trunk', namespace: 'default', ...(annotations ? { annotations } : {}) },
    spec,
  }) as ManagedObject;

/** The object as the API server holds it after `kubectl apply` of `applied`: defaults filled, the record annotation, a status and the controller's finalizer. */
function live(applied: ManagedObject, extra: { spec?: Record<string, unknown>; annotations?: Record<string, string> } = {}): ManagedObject {
  const stored = applyDefaults(applied);
  return {
    ...stored,
    metadata: {
      ...stored.metadata,
      generation: 4,
      resourceVersion: '123',
      finalizers: ['chimevoice.io/finalizer'],
      annotations: { ...(applied.metadata.annotations ?? {}), ...(extra.annotations ?? {}), [LAST_APPLIED]: JSON.stringify(applied) },
    },
    spec: { ...stored.spec, ...(extra.spec ?? {}) },
    status: { atProvider: { voiceConnectorId: 'abcdef0123456789abcdef' } },
  } as ManagedObject;
}

const BASE = { region: 'us-east-1', requireEncryption: true, termination: { cpsLimit: 5, callingRegions: ['US', 'CA'] } };

describe('applyToCluster', () => {
  it('an object the cluster lacks is created at generation 1, with the schema defaults the API server fills', () => {
    const r = applyToCluster(manifest(BASE), undefined);
    expect(r.outcome).toBe('create');
    expect(r.object.metadata.generation).toBe(1);
    expect(r.object.spec).toEqual(applyDefaults(manifest(BASE)).spec);
    expect(r.object.status).toBeUndefined();
  });

  it('the manifest kubectl applied last, against the object it made, is unchanged (defaults, finalizer and status do not count)', () => {
    const r = applyToCluster(manifest(BASE), live(manifest(BASE)));
    expect(r).toMatchObject({ outcome: 'unchanged', changes: [], metadataChanges: [] });
    expect(r.object.status?.atProvider).toEqual({ voiceConnectorId: 'abcdef0123456789abcdef' });
    expect(r.object.metadata.generation).toBe(4);
  });

  it('a changed field is listed by its path with both values, and moves the generation on, keeping the identity in status', () => {
    const r = applyToCluster(manifest({ ...BASE, termination: { ...BASE.termination, cpsLimit: 7 } }), live(manifest(BASE)));
    expect(r.outcome).toBe('change');
    expect(r.changes).toEqual([{ path: 'spec.termination.cpsLimit', before: 5, after: 7 }]);
    expect(r.object.metadata.generation).toBe(5);
    expect(r.object.status?.atProvider).toEqual({ voiceConnectorId: 'abcdef0123456789abcdef' });
    expect(r.object.metadata.finalizers).toEqual(['chimevoice.io/finalizer']);
  });

  it('a field the last applied manifest set and this one drops is removed; a field someone else set is kept, as kubectl apply does', () => {
    const before = manifest({ ...BASE, termination: { ...BASE.termination, cidrAllowedList: ['52.94.133.0/28'] } });
    const cluster = live(before, { spec: { origination: { routes: [{ host: 'sbc.example.com', port: 5060, protocol: 'UDP', priority: 1, weight: 1 }] } } });
    const r = applyToCluster(manifest(BASE), cluster);
    expect(r.changes).toEqual([{ path: 'spec.termination.cidrAllowedList', before: ['52.94.133.0/28'], after: undefined }]);
    expect((r.object.spec as { origination?: unknown }).origination).toEqual(cluster.spec.origination as unknown);
  });

  it('lists of one length differ item by item; lists of other lengths whole', () => {
    expect(applyToCluster(manifest({ ...BASE, termination: { ...BASE.termination, callingRegions: ['US', 'MX'] } }), live(manifest(BASE))).changes).toEqual([
      { path: 'spec.termination.callingRegions[1]', before: 'CA', after: 'MX' },
    ]);
    expect(applyToCluster(manifest({ ...BASE, termination: { ...BASE.termination, callingRegions: ['US'] } }), live(manifest(BASE))).changes).toEqual([
      { path: 'spec.termination.callingRegions', before: ['US', 'CA'], after: ['US'] },
    ]);
  });

  it("annotations: one added by hand stays, one the folder drops goes, kubectl's own record is no change", () => {
    const applied = manifest(BASE, { 'chimevoice.io/external-id': 'abcdef0123456789abcdef', team: 'voice' });
    const cluster = live(applied, { annotations: { 'chimevoice.io/reconcile-requested-at': '2026-01-01T00:00:00Z' } });
    const r = applyToCluster(manifest(BASE, { team: 'voice' }), cluster);
    expect(r.outcome).toBe('change');
    expect(r.changes).toEqual([]);
    expect(r.metadataChanges).toEqual([{ path: 'metadata.annotations["chimevoice.io/external-id"]', before: 'abcdef0123456789abcdef', after: undefined }]);
    expect(r.object.metadata.annotations?.['chimevoice.io/reconcile-requested-at']).toBe('2026-01-01T00:00:00Z');
    expect(r.object.metadata.generation).toBe(4);
  });

  it('an object not made by kubectl apply (no record) loses nothing the manifest leaves out', () => {
    const cluster = live(manifest(BASE));
    delete cluster.metadata.annotations![LAST_APPLIED];
    const r = applyToCluster(manifest({ region: 'us-east-1' }), cluster);
    expect(r.outcome).toBe('unchanged');
    expect(r.object.spec).toEqual(cluster.spec);
  });
});

describe('threeWayMerge and fieldChanges', () => {
  it('a null in the manifest removes the member, as in a merge patch', () => {
    expect(threeWayMerge(undefined, { a: null, b: 1 }, { a: 2, c: 3 })).toEqual({ b: 1, c: 3 });
  });

  it('equal values have no change, whatever the key order', () => {
    expect(fieldChanges({ a: 1, b: { c: [1, 2] } }, { b: { c: [1, 2] }, a: 1 })).toEqual([]);
  });
});

describe('pruneCandidates', () => {
  it("takes the folder's kinds in its namespaces that kubectl apply made and the folder no longer holds", () => {
    const obj = (kind: string, name: string, namespace: string, applied = true, deleting = false): ManagedObject =>
      ({
        apiVersion: 'chimevoice.io/v1alpha1',
        kind,
        metadata: { name, namespace, ...(applied ? { annotations: { [LAST_APPLIED]: '{}' } } : {}), ...(deleting ? { deletionTimestamp: '2026-01-01T00:00:00Z' } : {}) },
        spec: {},
      }) as ManagedObject;
    const cluster = [
      obj('VoiceConnector', 'kept', 'default'),
      obj('VoiceConnector', 'gone', 'default'),
      obj('VoiceConnector', 'by-hand', 'default', false),
      obj('VoiceConnector', 'other-ns', 'team-b'),
      obj('SipRule', 'other-kind', 'default'),
      obj('VoiceConnector', 'leaving', 'default', true, true),
    ];
    const taken = pruneCandidates(cluster, new Set(['VoiceConnector/default/kept']), new Set(['VoiceConnector']), new Set(['default']));
    expect(taken.map((o) => o.metadata.name)).toEqual(['gone']);
  });
});
