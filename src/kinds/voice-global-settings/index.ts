/** The VoiceGlobalSettings kind (issue 3; GS1): one per AWS account. */
import type { VoiceGlobalSettingsAtProvider, VoiceGlobalSettingsSpec } from '../../api/kinds/voice-global-settings.js';
import type { KindHandler } from '../../reconcile/types.js';
import { globalSettingsDesired, type GlobalSettingsDesired } from './desired.js';
import { diffGlobalSettings } from './diff.js';
import { observeGlobalSettings, type GlobalSettingsObserved } from './observe.js';
import { planGlobalSettings, planGlobalSettingsDelete } from './plan.js';

const conflictMessage = (winner: string) =>
  `the account's Voice settings are managed by VoiceGlobalSettings ${winner} (the oldest object, then by namespace/name); there may be only one per AWS account, so this one changes nothing: delete it or merge it into ${winner}`;

export const voiceGlobalSettingsHandler: KindHandler<GlobalSettingsDesired, GlobalSettingsObserved, VoiceGlobalSettingsAtProvider, VoiceGlobalSettingsSpec> = {
  kind: 'VoiceGlobalSettings',
  desired: globalSettingsDesired,
  observe: observeGlobalSettings,
  diff: diffGlobalSettings,
  plan: planGlobalSettings,
  planDelete: (desired, observed) => planGlobalSettingsDelete(desired, observed),
  atProvider: (observed) => (observed.cdrBucket !== undefined ? { cdrBucket: observed.cdrBucket } : {}),
  readiness: (observed) =>
    observed.conflictWith === undefined
      ? { ready: true }
      : // Stalled: nothing changes until a person removes one of the objects; re-checked on resync.
        { ready: false, stalled: true, reason: 'GlobalSettingsConflict', message: conflictMessage(observed.conflictWith), requeueAfterMs: 300_000 },
  warnings: (_desired, observed) =>
    observed?.conflictWith !== undefined ? [{ type: 'Conflict', reason: 'GlobalSettingsConflict', message: conflictMessage(observed.conflictWith) }] : [],
};

export type { GlobalSettingsDesired } from './desired.js';
export type { GlobalSettingsObserved } from './observe.js';
