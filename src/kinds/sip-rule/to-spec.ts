/**
 * Pure: the spec of a SIP rule as AWS holds it, for `import`: its trigger number or connector and
 * its target applications by reference when they are imported too, else by value.
 */
import type { SipRuleSpec } from '../../api/kinds/sip-rule.js';
import type { ImportNames } from '../shared/import.js';
import type { ObservedRule } from './observe.js';

export function sipRuleToSpec(observed: ObservedRule, opts: { names: ImportNames }): SipRuleSpec {
  const { names } = opts;
  let trigger: SipRuleSpec['trigger'];
  if (observed.triggerType === 'ToPhoneNumber') {
    const ref = names.nameOf('PhoneNumber', observed.triggerValue);
    trigger = { type: 'ToPhoneNumber', ...(ref !== undefined ? { phoneNumberRef: { name: ref } } : { e164: observed.triggerValue }) };
  } else {
    const host = observed.triggerValue.toLowerCase();
    const ref = names.nameOf('VoiceConnector', host);
    trigger = { type: 'RequestUriHostname', ...(ref !== undefined ? { voiceConnectorRef: { name: ref } } : { hostname: host }) };
  }
  return {
    name: observed.name,
    trigger,
    disabled: observed.disabled,
    targetApplications: [...observed.targets]
      .sort((a, b) => a.priority - b.priority)
      .map((t) => {
        const ref = names.nameOf('SipMediaApplication', t.sipMediaApplicationId);
        // With a reference the region is the application's own; by id it must be given.
        return ref !== undefined
          ? { sipMediaApplicationRef: { name: ref }, priority: t.priority }
          : { sipMediaApplicationId: t.sipMediaApplicationId, priority: t.priority, region: t.awsRegion };
      }),
  };
}
