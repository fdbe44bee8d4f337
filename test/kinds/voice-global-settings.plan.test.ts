/** VoiceGlobalSettings: plan and planDelete (GS1). */
import { describe, expect, it } from 'vitest';
import { diffGlobalSettings } from '../../src/kinds/voice-global-settings/diff.js';
import type { GlobalSettingsDesired } from '../../src/kinds/voice-global-settings/desired.js';
import type { GlobalSettingsObserved } from '../../src/kinds/voice-global-settings/observe.js';
import { planGlobalSettings, planGlobalSettingsDelete } from '../../src/kinds/voice-global-settings/plan.js';

const plan = (d: GlobalSettingsDesired, o: GlobalSettingsObserved) => planGlobalSettings(d, o, diffGlobalSettings(d, o));

describe('VoiceGlobalSettings plan (GS1)', () => {
  it('sets the bucket when AWS has none', () => {
    const actions = plan({ cdrBucket: 'cdrs' }, {});
    expect(actions.map((a) => [a.operation, a.input])).toEqual([['UpdateGlobalSettings', { VoiceConnector: { CdrBucket: 'cdrs' } }]]);
    expect(actions[0].fixes).toEqual(['voiceConnector.cdrBucket']);
  });
  it('changes the bucket', () => {
    expect(plan({ cdrBucket: 'cdrs' }, { cdrBucket: 'old' }).map((a) => a.input)).toEqual([{ VoiceConnector: { CdrBucket: 'cdrs' } }]);
  });
  it('plans nothing when AWS matches (steady state)', () => {
    expect(plan({ cdrBucket: 'cdrs' }, { cdrBucket: 'cdrs' })).toEqual([]);
  });
  it('plans nothing when the spec does not manage the bucket', () => {
    expect(plan({}, { cdrBucket: 'other' })).toEqual([]);
    expect(plan({}, {})).toEqual([]);
  });
  it('an object that lost the one-per-account conflict never writes', () => {
    expect(plan({ cdrBucket: 'cdrs' }, { cdrBucket: 'other', conflictWith: 'default/first' })).toEqual([]);
  });
});

describe('VoiceGlobalSettings planDelete (GS1)', () => {
  it('clears the bucket with an empty VoiceConnector', () => {
    const p = planGlobalSettingsDelete({ cdrBucket: 'cdrs' }, { cdrBucket: 'cdrs' });
    expect(p.blockers).toEqual([]);
    expect(p.actions.map((a) => [a.operation, a.input])).toEqual([['UpdateGlobalSettings', { VoiceConnector: {} }]]);
  });
  it('clears a bucket changed behind its back as well', () => {
    expect(planGlobalSettingsDelete({ cdrBucket: 'cdrs' }, { cdrBucket: 'other' }).actions).toHaveLength(1);
  });
  it('does nothing when AWS has no bucket', () => {
    expect(planGlobalSettingsDelete({ cdrBucket: 'cdrs' }, {}).actions).toEqual([]);
  });
  it('does nothing when the spec did not manage the bucket', () => {
    expect(planGlobalSettingsDelete({}, { cdrBucket: 'other' }).actions).toEqual([]);
  });
  it('an object that lost the conflict never clears the winner\'s bucket', () => {
    expect(planGlobalSettingsDelete({ cdrBucket: 'cdrs' }, { cdrBucket: 'cdrs', conflictWith: 'default/first' }).actions).toEqual([]);
  });
});
