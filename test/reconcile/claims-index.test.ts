// The claim index behind World.claimants: the engine's check of "two objects claim one AWS
// resource" is a lookup per object, and finds exactly what a scan of the kind finds.
import { describe, expect, it } from 'vitest';
import { handlers } from '../../src/kinds/index.js';
import { ClaimIndex, claimsOf, findClaimConflict } from '../../src/reconcile/claims.js';
import type { ManagedObject } from '../../src/reconcile/types.js';
import { MemoryWorld } from '../../src/reconcile/world.js';

const claimsFor = (obj: ManagedObject) => {
  const handler = handlers.get(obj.kind);
  return claimsOf(obj, handler?.claims?.bind(handler));
};

const number = (name: string, e164: string, created?: string, externalId?: string): ManagedObject => ({
  apiVersion: 'chimevoice.io/v1alpha1',
  kind: 'PhoneNumber',
  metadata: { name, namespace: 'default', ...(created ? { creationTimestamp: created } : {}), ...(externalId ? { annotations: { 'chimevoice.io/external-id': externalId } } : {}) },
  spec: { e164, productType: 'VoiceConnector' },
});

describe('claim index', () => {
  it('follows objects as their claims change and as they go', () => {
    const index = new ClaimIndex(claimsFor);
    index.set('PhoneNumber/default/a', 'PhoneNumber', number('a', '+12065550100'));
    index.set('PhoneNumber/default/b', 'PhoneNumber', number('b', '+12065550100'));
    expect(index.keys('PhoneNumber', 'e164:+12065550100').sort()).toEqual(['PhoneNumber/default/a', 'PhoneNumber/default/b']);
    index.set('PhoneNumber/default/b', 'PhoneNumber', number('b', '+12065550199'));
    expect(index.keys('PhoneNumber', 'e164:+12065550100')).toEqual(['PhoneNumber/default/a']);
    index.set('PhoneNumber/default/a', 'PhoneNumber', undefined);
    expect(index.keys('PhoneNumber', 'e164:+12065550100')).toEqual([]);
    expect(index.keys('VoiceConnector', 'e164:+12065550199')).toEqual([]);
  });

  it('finds the same rival as a scan, the earliest of several, for every object of a fleet', () => {
    const fleet = [
      number('c', '+12065550100', '2026-01-03T00:00:00Z'),
      number('a', '+12065550100', '2026-01-01T00:00:00Z'),
      number('b', '+12065550100', '2026-01-02T00:00:00Z'),
      number('d', '+12065550101', undefined, '+12065550100'),
      number('e', '+12065550102'),
      number('f', '+12065550103', undefined, '+12065550102'),
    ];
    const indexed = new MemoryWorld(fleet, claimsFor);
    const scanned = new MemoryWorld(fleet);
    expect(indexed.claimants).toBeDefined();
    expect(scanned.claimants).toBeUndefined();
    for (const obj of fleet) {
      const handler = handlers.get(obj.kind);
      const viaIndex = findClaimConflict(obj, indexed, handler?.claims?.bind(handler));
      const viaScan = findClaimConflict(obj, scanned, handler?.claims?.bind(handler));
      expect(viaIndex?.other.metadata.name, obj.metadata.name).toBe(viaScan?.other.metadata.name);
      expect(viaIndex?.claim.key, obj.metadata.name).toBe(viaScan?.claim.key);
    }
    // A number's id is its E.164: adopting it by id (d) claims what naming it (a) does.
    expect(findClaimConflict(fleet[3], indexed, handlers.get('PhoneNumber')!.claims!.bind(handlers.get('PhoneNumber')))?.other.metadata.name).toBe('a');
    // The earliest claimant keeps the number; b and c both name it.
    expect(findClaimConflict(fleet[0], indexed, handlers.get('PhoneNumber')!.claims!.bind(handlers.get('PhoneNumber')))?.other.metadata.name).toBe('a');
    expect(findClaimConflict(fleet[1], indexed, handlers.get('PhoneNumber')!.claims!.bind(handlers.get('PhoneNumber')))).toBeUndefined();
  });
});
