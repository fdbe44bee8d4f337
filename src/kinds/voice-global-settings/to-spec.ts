/** Pure: the account's global settings as AWS holds them, for `import`. */
import type { VoiceGlobalSettingsSpec } from '../../api/kinds/voice-global-settings.js';
import type { GlobalSettingsObserved } from './observe.js';

export function voiceGlobalSettingsToSpec(observed: GlobalSettingsObserved): VoiceGlobalSettingsSpec {
  return observed.cdrBucket !== undefined ? { voiceConnector: { cdrBucket: observed.cdrBucket } } : {};
}
