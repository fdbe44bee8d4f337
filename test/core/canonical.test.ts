import { describe, expect, it } from 'vitest';
import { canonical, deepEqual, digest } from '../../src/core/canonical.js';
import { StatusStore } from '../../src/sources/status-store.js';
import type { ManagedObject } from '../../src/reconcile/types.js';
import { keyOf } from '../../src/core/keys.js';

const spec = { name: 'vc-1', termination: { cpsLimit: 5, cidrAllowedList: ['10.0.0.0/24'] }, region: 'us-east-1' };
const reordered = { region: 'us-east-1', termination: { cidrAllowedList: ['10.0.0.0/24'], cpsLimit: 5 }, name: 'vc-1' };

describe('canonical form', () => {
  it('does not depend on the order of object members, and leaves undefined members out', () => {
    expect(canonical(spec)).toBe(canonical(reordered));
    expect(canonical({ a: 1, b: undefined })).toBe(canonical({ a: 1 }));
    expect(canonical([1, 2])).not.toBe(canonical([2, 1]));
  });

  it('deepEqual agrees with it', () => {
    expect(deepEqual(spec, reordered)).toBe(true);
    expect(deepEqual({ a: 1, b: undefined }, { a: 1 })).toBe(true);
    expect(deepEqual({ a: [1, 2] }, { a: [2, 1] })).toBe(false);
    expect(deepEqual({ a: 1 }, { a: '1' })).toBe(false);
  });

  it('deepEqual compares bytes (a certificate read from a file) by content, and only with bytes', () => {
    expect(deepEqual({ ca: Buffer.from('-----BEGIN') }, { ca: Buffer.from('-----BEGIN') })).toBe(true);
    expect(deepEqual({ ca: Buffer.from('-----BEGIN') }, { ca: Buffer.from('-----BEGIN\n') })).toBe(false);
    expect(deepEqual(Buffer.from('ab'), { 0: 97, 1: 98 })).toBe(false);
  });
});

describe('digest', () => {
  it('is the same for a manifest whose keys are written in another order, and differs for another value', () => {
    expect(digest(spec)).toBe(digest(reordered));
    expect(digest(spec)).not.toBe(digest({ ...spec, region: 'us-west-2' }));
    expect(digest(spec)).toMatch(/^[0-9a-f]{64}$/);
  });

  it('directory mode keeps the generation when only the order of a spec\'s keys changes', () => {
    const store = new StatusStore(undefined, 'test');
    const obj = (s: Record<string, unknown>): ManagedObject => ({ apiVersion: 'chimevoice.io/v1alpha1', kind: 'VoiceConnector', metadata: { name: 'vc-1', namespace: 'default' }, spec: s });
    const first = store.hydrate(obj(spec), keyOf(obj(spec)));
    store.put(first.obj, keyOf(first.obj), { observedGeneration: first.obj.metadata.generation });
    const again = store.hydrate(obj(reordered), keyOf(obj(reordered)));
    expect(again.obj.metadata.generation).toBe(first.obj.metadata.generation);
    expect(again.specChanged).toBe(false);
    const changed = store.hydrate(obj({ ...reordered, region: 'us-west-2' }), keyOf(obj(spec)));
    expect(changed.obj.metadata.generation).toBe(first.obj.metadata.generation! + 1);
  });
});
