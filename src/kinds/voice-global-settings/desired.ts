/** The desired account-wide Voice Connector settings (GS1): the call detail record bucket. */
import type { VoiceGlobalSettingsAtProvider, VoiceGlobalSettingsSpec } from '../../api/kinds/voice-global-settings.js';
import type { DesiredContext, ManagedObject } from '../../reconcile/types.js';

export interface GlobalSettingsDesired {
  /** The CDR bucket; undefined when the spec does not manage it. */
  cdrBucket?: string;
}

export function globalSettingsDesired(obj: ManagedObject<VoiceGlobalSettingsSpec, VoiceGlobalSettingsAtProvider>, _ctx: DesiredContext): GlobalSettingsDesired {
  const bucket = obj.spec?.voiceConnector?.cdrBucket;
  return bucket !== undefined ? { cdrBucket: bucket } : {};
}
