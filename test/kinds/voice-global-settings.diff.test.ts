/** VoiceGlobalSettings: desired, diff and the one-per-account winner (GS1). */
import { describe, expect, it } from 'vitest';
import { diffGlobalSettings } from '../../src/kinds/voice-global-settings/diff.js';
import { globalSettingsDesired } from '../../src/kinds/voice-global-settings/desired.js';
import { settingsOwner } from '../../src/kinds/voice-global-settings/observe.js';
import { MemoryWorld } from '../../src/reconcile/world.js';
import type { DesiredContext, ManagedObject } from '../../src/reconcile/types.js';

const ctx: DesiredContext = {
  lenient: false,
  resolve: () => ({}),
  secret: () => '', digestSecret: () => '',
};
const obj = (name: string, spec: Record<string, unknown> = {}, metadata: Partial<ManagedObject['metadata']> = {}): ManagedObject => ({
  apiVersion: 'chimevoice.io/v1alpha1',
  kind: 'VoiceGlobalSettings',
  metadata: { name, namespace: 'default', ...metadata },
  spec,
});

describe('VoiceGlobalSettings desired', () => {
  it('GS1: takes the bucket from spec.voiceConnector.cdrBucket', () => {
    expect(globalSettingsDesired(obj('s', { voiceConnector: { cdrBucket: 'cdrs' } }), ctx)).toEqual({ cdrBucket: 'cdrs' });
  });
  it('an omitted block manages nothing', () => {
    expect(globalSettingsDesired(obj('s'), ctx)).toEqual({});
    expect(globalSettingsDesired(obj('s', { voiceConnector: {} }), ctx)).toEqual({});
  });
});

describe('VoiceGlobalSettings diff (GS1)', () => {
  const cases: Array<[string, { cdrBucket?: string }, { cdrBucket?: string; conflictWith?: string }, string[]]> = [
    ['cdrBucket equal', { cdrBucket: 'cdrs' }, { cdrBucket: 'cdrs' }, []],
    ['cdrBucket differs', { cdrBucket: 'cdrs' }, { cdrBucket: 'other' }, ['voiceConnector.cdrBucket']],
    ['cdrBucket set, AWS has none', { cdrBucket: 'cdrs' }, {}, ['voiceConnector.cdrBucket']],
    ['cdrBucket omitted: not compared even when AWS has one', {}, { cdrBucket: 'other' }, []],
    ['an object that lost the conflict compares nothing', { cdrBucket: 'cdrs' }, { cdrBucket: 'other', conflictWith: 'default/first' }, []],
  ];
  it.each(cases)('%s', (_name, d, o, paths) => {
    expect(diffGlobalSettings(d, o).map((x) => x.path)).toEqual(paths);
  });
});

describe('VoiceGlobalSettings owner of the account settings', () => {
  it('is the oldest object by creationTimestamp, whatever its name', () => {
    const a = obj('zeta', {}, { creationTimestamp: '2024-01-01T00:00:00Z' });
    const b = obj('alpha', {}, { creationTimestamp: '2024-02-01T00:00:00Z' });
    const world = new MemoryWorld([a, b]);
    expect(settingsOwner(world, a).metadata.name).toBe('zeta');
    expect(settingsOwner(world, b).metadata.name).toBe('zeta');
  });
  it('falls back to namespace/name, across namespaces, when timestamps tie or are absent', () => {
    const a = obj('settings', {}, { namespace: 'team-b' });
    const b = obj('settings', {}, { namespace: 'team-a' });
    const world = new MemoryWorld([a, b]);
    expect(settingsOwner(world, a).metadata.namespace).toBe('team-a');
  });
  it('an object with a creationTimestamp wins over one without', () => {
    const a = obj('a');
    const b = obj('b', {}, { creationTimestamp: '2024-01-01T00:00:00Z' });
    expect(settingsOwner(new MemoryWorld([a, b]), a).metadata.name).toBe('b');
  });
  it('a lone object owns the settings even when the world does not hold it yet', () => {
    const a = obj('a');
    expect(settingsOwner(new MemoryWorld(), a).metadata.name).toBe('a');
  });
});
