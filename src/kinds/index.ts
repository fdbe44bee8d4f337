/** Every kind's handler, by kind name: the engine's only way in to kind-specific code. */
import { anyKind, type AnyKindHandler } from '../reconcile/types.js';
import { sipMediaApplicationHandler } from './sip-media-application/index.js';
import { sipRuleHandler } from './sip-rule/index.js';
import { phoneNumberHandler } from './phone-number/index.js';
import { voiceConnectorHandler } from './voice-connector/index.js';
import { voiceConnectorGroupHandler } from './voice-connector-group/index.js';
import { voiceGlobalSettingsHandler } from './voice-global-settings/index.js';
import { voiceProfileDomainHandler } from './voice-profile-domain/index.js';
import { callAnalyticsConfigurationHandler } from './call-analytics-configuration/index.js';

export const handlers: ReadonlyMap<string, AnyKindHandler> = new Map(
  [
    anyKind(voiceConnectorHandler),
    anyKind(phoneNumberHandler),
    anyKind(sipMediaApplicationHandler),
    anyKind(sipRuleHandler),
    anyKind(voiceConnectorGroupHandler),
    anyKind(voiceGlobalSettingsHandler),
    anyKind(voiceProfileDomainHandler),
    anyKind(callAnalyticsConfigurationHandler),
  ].map((handler) => [handler.kind, handler]),
);
