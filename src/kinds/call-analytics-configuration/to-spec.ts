/**
 * Pure: the spec of a call analytics (media insights pipeline) configuration as AWS holds it, for
 * `import`. The biometric consent (A3) of a voice analytics element is a person's acknowledgement,
 * written only when the one running the import gives it.
 */
import { needsConsent, type CallAnalyticsConfigurationSpec } from '../../api/kinds/call-analytics-configuration.js';
import { declarableTags } from '../shared/import.js';
import { consentSpec, type ConsentOptions } from '../voice-profile-domain/to-spec.js';
import type { CallAnalyticsConfigurationObserved } from './observe.js';

export function callAnalyticsConfigurationToSpec(observed: CallAnalyticsConfigurationObserved, opts: ConsentOptions): CallAnalyticsConfigurationSpec {
  const tags = declarableTags(observed.tags);
  const spec: CallAnalyticsConfigurationSpec = {
    name: observed.name,
    ...(observed.region ? { region: observed.region } : {}),
    resourceAccessRoleArn: observed.resourceAccessRoleArn ?? '',
    ...(observed.realTimeAlertConfiguration !== undefined ? { realTimeAlertConfiguration: observed.realTimeAlertConfiguration } : {}),
    elements: observed.elements,
    ...(tags ? { tags } : {}),
  };
  if (needsConsent(spec)) spec.consent = consentSpec(opts);
  return spec;
}
