/** Pure planning for the account settings (GS1): one UpdateGlobalSettings call sets or clears them. */
import type { VoiceGlobalSettingsAtProvider } from '../../api/kinds/voice-global-settings.js';
import type { DeletePlan, Difference, PlannedAction } from '../../reconcile/types.js';
import type { GlobalSettingsDesired } from './desired.js';
import type { GlobalSettingsObserved } from './observe.js';

export function planGlobalSettings(desired: GlobalSettingsDesired, observed: GlobalSettingsObserved | undefined, diffs: Difference[]): PlannedAction<VoiceGlobalSettingsAtProvider>[] {
  if (observed?.conflictWith !== undefined) return [];
  // The settings always exist (GetGlobalSettings answers even for a new account): a missing
  // observation is planned like an update.
  if (desired.cdrBucket === undefined) return [];
  if (observed !== undefined && diffs.length === 0) return [];
  return [
    {
      service: 'voice',
      operation: 'UpdateGlobalSettings',
      input: { VoiceConnector: { CdrBucket: desired.cdrBucket } },
      description: `send the call detail records of every Voice Connector of the account to S3 bucket ${desired.cdrBucket}`,
      fixes: ['voiceConnector.cdrBucket'],
    },
  ];
}

/** Under deletionPolicy Delete: clear the bucket this object managed; a conflicting object never touches it. */
export function planGlobalSettingsDelete(desired: GlobalSettingsDesired, observed: GlobalSettingsObserved): DeletePlan<VoiceGlobalSettingsAtProvider> {
  if (observed.conflictWith !== undefined || desired.cdrBucket === undefined || observed.cdrBucket === undefined) return { actions: [], blockers: [] };
  return {
    actions: [
      {
        service: 'voice',
        operation: 'UpdateGlobalSettings',
        input: { VoiceConnector: {} },
        description: `stop sending call detail records to S3 bucket ${observed.cdrBucket}`,
      },
    ],
    blockers: [],
  };
}
