/**
 * The desired SIP rule in AWS terms (S2-S4): its name, its trigger resolved to an E.164 number or a
 * host name, whether it is disabled, and its targets resolved to application ids and regions. What
 * S2 lets us check without AWS is checked here, before any call.
 */
import type { SipRuleSpec, SipRuleAtProvider } from '../../api/kinds/sip-rule.js';
import { InvalidSpecError } from '../../reconcile/errors.js';
import type { AtProviderOf, DesiredContext, ManagedObject } from '../../reconcile/types.js';
import { isPlaceholder, resolveField, type StringMember } from '../shared/references.js';

export type TriggerType = 'ToPhoneNumber' | 'RequestUriHostname';

export const HOST_SUFFIX = '.voiceconnector.chime.aws';
export const MAX_TARGETS = 25;
const E164 = /^\+[1-9]\d{1,14}$/;

export interface RuleTarget {
  sipMediaApplicationId: string;
  priority: number;
  awsRegion: string;
}

export interface RuleDesired {
  /** The AWS name: spec.name, else metadata.name. Rules take no tags, so the name is the ownership marker. */
  name: string;
  triggerType: TriggerType;
  /** The E.164 number or the host name (lower case, as host names compare). */
  triggerValue: string;
  /** Where the trigger came from, for the product-type check of S2 in observe. */
  triggerSource: { phoneNumberRef?: string; e164?: string; voiceConnectorRef?: string; hostname?: string };
  /** Undefined when the spec does not say (AWS creates rules enabled). */
  disabled?: boolean;
  /** Sorted by priority: failover order is the priority, not the list order. */
  targets: RuleTarget[];
}

export { isPlaceholder };

/** The trigger in words, as `plan` and status print it. */
export const triggerLabel = (type: string, value: string) => `${type} ${value}`;

export function sameTrigger(a: { triggerType: string; triggerValue: string }, b: { triggerType?: string; triggerValue?: string }): boolean {
  if (a.triggerType !== b.triggerType || b.triggerValue === undefined) return false;
  // Host names are case-insensitive; AWS keeps numbers as given (E.164 has no case).
  return a.triggerType === 'RequestUriHostname' ? a.triggerValue.toLowerCase() === b.triggerValue.toLowerCase() : a.triggerValue === b.triggerValue;
}

const resolved = <K extends keyof AtProviderOf>(ctx: DesiredContext, obj: ManagedObject<SipRuleSpec, SipRuleAtProvider>, kind: K, name: string, field: StringMember<AtProviderOf[K]>): string =>
  resolveField({ ctx, obj, kind, name, field });

function trigger(obj: ManagedObject<SipRuleSpec, SipRuleAtProvider>, ctx: DesiredContext): Pick<RuleDesired, 'triggerType' | 'triggerValue' | 'triggerSource'> {
  const t = obj.spec.trigger;
  if (t?.type === 'ToPhoneNumber') {
    if ((t.phoneNumberRef ? 1 : 0) + (t.e164 ? 1 : 0) !== 1 || t.voiceConnectorRef || t.hostname) {
      throw new InvalidSpecError('trigger: a ToPhoneNumber trigger takes exactly one of phoneNumberRef or e164 (S2)', 'trigger');
    }
    if (t.phoneNumberRef) {
      const ref = t.phoneNumberRef.name;
      const at = ctx.resolve('PhoneNumber', ref);
      // S2/PN2: only a dial-in number triggers a rule. The PhoneNumber's own spec is checked in observe (it sees the world).
      if (typeof at.productType === 'string' && !isPlaceholder(at.productType) && at.productType !== 'SipMediaApplicationDialIn') {
        throw new InvalidSpecError(
          `trigger.phoneNumberRef: PhoneNumber ${ref} has product type ${at.productType}; only a SipMediaApplicationDialIn number can trigger a SIP rule (S2, PN2)`,
          'trigger.phoneNumberRef',
        );
      }
      const e164 = resolved(ctx, obj, 'PhoneNumber', ref, 'e164');
      if (!isPlaceholder(e164) && !E164.test(e164)) throw new InvalidSpecError(`trigger.phoneNumberRef: PhoneNumber ${ref} has number ${e164}, which is not in E.164 format`, 'trigger.phoneNumberRef');
      return { triggerType: 'ToPhoneNumber', triggerValue: e164, triggerSource: { phoneNumberRef: ref } };
    }
    const e164 = t.e164 as string;
    if (!E164.test(e164)) throw new InvalidSpecError(`trigger.e164: ${e164} is not a phone number in E.164 format (+ and up to 15 digits)`, 'trigger.e164');
    return { triggerType: 'ToPhoneNumber', triggerValue: e164, triggerSource: { e164 } };
  }
  if (t?.type === 'RequestUriHostname') {
    if ((t.voiceConnectorRef ? 1 : 0) + (t.hostname ? 1 : 0) !== 1 || t.phoneNumberRef || t.e164) {
      throw new InvalidSpecError('trigger: a RequestUriHostname trigger takes exactly one of voiceConnectorRef or hostname (S2)', 'trigger');
    }
    const ref = t.voiceConnectorRef?.name;
    const host = (ref ? resolved(ctx, obj, 'VoiceConnector', ref, 'outboundHostName') : (t.hostname as string)).toLowerCase();
    if (!isPlaceholder(host) && !host.endsWith(HOST_SUFFIX)) {
      const where = ref ? 'trigger.voiceConnectorRef' : 'trigger.hostname';
      throw new InvalidSpecError(`${where}: ${host} is not a Voice Connector outbound host name (<id>${HOST_SUFFIX}) (S2)`, where);
    }
    return { triggerType: 'RequestUriHostname', triggerValue: host, triggerSource: ref ? { voiceConnectorRef: ref } : { hostname: host } };
  }
  throw new InvalidSpecError(`trigger.type must be ToPhoneNumber or RequestUriHostname, not ${String(t?.type)}`, 'trigger.type');
}

function targets(obj: ManagedObject<SipRuleSpec, SipRuleAtProvider>, ctx: DesiredContext): RuleTarget[] {
  const list = obj.spec.targetApplications ?? [];
  if (list.length < 1 || list.length > MAX_TARGETS) {
    throw new InvalidSpecError(`targetApplications: a SIP rule has 1 to ${MAX_TARGETS} target applications, not ${list.length} (S2)`, 'targetApplications');
  }
  const out = list.map((t, i): RuleTarget => {
    const path = `targetApplications[${i}]`;
    if (!Number.isInteger(t.priority) || t.priority < 1) throw new InvalidSpecError(`${path}.priority must be an integer of at least 1`, `${path}.priority`);
    if (t.sipMediaApplicationRef && t.sipMediaApplicationId) throw new InvalidSpecError(`${path}: set sipMediaApplicationRef or sipMediaApplicationId, not both`, path);
    if (t.sipMediaApplicationRef) {
      const ref = t.sipMediaApplicationRef.name;
      const id = resolved(ctx, obj, 'SipMediaApplication', ref, 'sipMediaApplicationId');
      const region = resolved(ctx, obj, 'SipMediaApplication', ref, 'region');
      if (t.region !== undefined && !isPlaceholder(region) && t.region !== region) {
        throw new InvalidSpecError(`${path}.region is ${t.region}, but SipMediaApplication ${ref} is in ${region}`, `${path}.region`);
      }
      return { sipMediaApplicationId: id, priority: t.priority, awsRegion: isPlaceholder(region) && t.region ? t.region : region };
    }
    if (!t.sipMediaApplicationId) throw new InvalidSpecError(`${path}: set sipMediaApplicationRef or sipMediaApplicationId`, path);
    if (!t.region) throw new InvalidSpecError(`${path}.region is required when the application is given by id`, `${path}.region`);
    return { sipMediaApplicationId: t.sipMediaApplicationId, priority: t.priority, awsRegion: t.region };
  });
  // S2: failover is across regions (one application each) in priority order; AWS refuses the rest.
  const seen = (key: (t: RuleTarget) => string | number, what: string) => {
    const first = new Map<string | number, number>();
    out.forEach((t, i) => {
      const k = key(t);
      if (isPlaceholder(k)) return;
      const j = first.get(k);
      if (j !== undefined) throw new InvalidSpecError(`targetApplications[${i}] has the same ${what} as targetApplications[${j}] (${k}); ${MESSAGES[what]} (S2)`, `targetApplications[${i}]`);
      first.set(k, i);
    });
  };
  seen((t) => t.awsRegion, 'region');
  seen((t) => t.sipMediaApplicationId, 'application');
  seen((t) => t.priority, 'priority');
  return [...out].sort((a, b) => a.priority - b.priority);
}

const MESSAGES: Record<string, string> = {
  region: 'a SIP rule has at most one target application per region',
  application: 'each application may be a target only once',
  priority: 'failover needs distinct priorities',
};

export function ruleDesired(obj: ManagedObject<SipRuleSpec, SipRuleAtProvider>, ctx: DesiredContext): RuleDesired {
  const spec = obj.spec;
  // Targets first: their count and regions are refused whatever the trigger resolves to.
  const t = targets(obj, ctx);
  return {
    name: spec.name ?? obj.metadata.name,
    ...trigger(obj, ctx),
    ...(spec.disabled !== undefined ? { disabled: spec.disabled } : {}),
    targets: t,
  };
}
