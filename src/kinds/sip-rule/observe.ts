/**
 * Observation of a SIP rule: one ListSipRules per pass serves every rule object (and the SIP media
 * applications' deletions). Rules take no tags: the name is the ownership marker, so every rule
 * with this object's AWS name (or its cached or adopted id) is this object's. The one whose trigger
 * is the desired trigger is the rule; any other is what a trigger replacement (S4) has not yet
 * removed, and is disabled and deleted by the plan.
 */
import type { SipRuleAtProvider, SipRuleSpec } from '../../api/kinds/sip-rule.js';
import { EXTERNAL_ID_ANNOTATION, externalId } from '../../aws/ownership.js';
import { InvalidSpecError, OwnershipConflictError } from '../../reconcile/errors.js';
import type { Answered, ExecutedAction, ObserveArgs } from '../../reconcile/types.js';
import { keyOf, keyString } from '../../reconcile/types.js';
import { listSipRules, type AwsSipRule } from '../sip-media-application/observe.js';
import { isPlaceholder, sameTrigger, triggerLabel, type RuleDesired, type RuleTarget, type TriggerType } from './desired.js';

export interface ObservedRule {
  sipRuleId: string;
  name: string;
  disabled: boolean;
  triggerType: TriggerType;
  triggerValue: string;
  targets: RuleTarget[];
}

export interface RuleObserved extends ObservedRule {
  /** Other rules of this object, with another trigger: the old rule of an unfinished replacement (S4). */
  stale: ObservedRule[];
}

export const toObserved = (r: AwsSipRule): ObservedRule => ({
  sipRuleId: r.SipRuleId,
  name: r.Name ?? '',
  disabled: r.Disabled === true,
  triggerType: (r.TriggerType ?? 'ToPhoneNumber') as TriggerType,
  triggerValue: r.TriggerValue ?? '',
  targets: (r.TargetApplications ?? [])
    .map((t) => ({ sipMediaApplicationId: t.SipMediaApplicationId ?? '', priority: t.Priority ?? 0, awsRegion: t.AwsRegion ?? '' }))
    .sort((a, b) => a.priority - b.priority),
});

export async function observeRule({ obj, desired, aws, world, mode }: ObserveArgs<RuleDesired, unknown, SipRuleSpec, SipRuleAtProvider>): Promise<RuleObserved | undefined> {
  const self = keyString(keyOf(obj));
  // In plan and delete mode references may be placeholders, and the number is not checked in AWS.
  const strict = mode === 'apply';
  if (strict && desired.triggerSource.phoneNumberRef) {
    // S2/PN2, before any call: the referenced PhoneNumber's own spec says what product it is.
    const ref = desired.triggerSource.phoneNumberRef;
    const pn = world.get({ kind: 'PhoneNumber', namespace: obj.metadata.namespace ?? 'default', name: ref });
    const productType = (pn?.spec as { productType?: string } | undefined)?.productType;
    if (productType !== undefined && productType !== 'SipMediaApplicationDialIn') {
      throw new InvalidSpecError(
        `trigger.phoneNumberRef: PhoneNumber ${ref} is a ${productType} number; only a SipMediaApplicationDialIn number can trigger a SIP rule (S2, PN2)`,
        'trigger.phoneNumberRef',
      );
    }
  }

  let all = await listSipRules(aws);
  // Ids other SipRule objects hold: never taken as ours even when the names collide.
  const claimed = new Set(
    world
      .list('SipRule')
      .filter((o) => keyString(keyOf(o)) !== self)
      .map((o) => o.status?.atProvider?.sipRuleId as string | undefined)
      .filter((id): id is string => id !== undefined),
  );
  const adopt = externalId(obj);
  const known = adopt ?? (obj.status?.atProvider?.sipRuleId as string | undefined);
  if (known && !all.some((r) => r.SipRuleId === known)) {
    // Listings lag behind creates (API5): a known id the listing does not show is read by id.
    const got = (await aws.read<{ SipRule?: AwsSipRule }>('voice', 'GetSipRule', { SipRuleId: known }))?.SipRule;
    if (got) all = [...all, got];
  }
  if (adopt && !all.some((r) => r.SipRuleId === adopt)) {
    throw new OwnershipConflictError(`SIP rule ${adopt} named by annotation ${EXTERNAL_ID_ANNOTATION} does not exist in AWS`);
  }
  const anchorId = adopt ?? (obj.status?.atProvider?.sipRuleId as string | undefined);
  const owned = all.filter((r) => r.SipRuleId === anchorId || (r.Name === desired.name && !claimed.has(r.SipRuleId))).map(toObserved);

  const current = owned.find((r) => sameTrigger(desired, r)) ?? owned.find((r) => r.sipRuleId === anchorId) ?? owned[0];
  if (strict && (current === undefined || !sameTrigger(desired, current))) {
    // Something is to be created for the desired trigger: make sure AWS can take it (S2, S4).
    const twin = all.find((r) => sameTrigger(desired, { triggerType: r.TriggerType, triggerValue: r.TriggerValue }));
    if (twin) {
      throw new OwnershipConflictError(
        `SIP rule ${twin.SipRuleId} ("${twin.Name ?? ''}") already has trigger ${triggerLabel(desired.triggerType, desired.triggerValue)}, and a trigger belongs to one rule (S4); ` +
          `it was not created by this object: to manage it, set the annotation ${EXTERNAL_ID_ANNOTATION}: ${twin.SipRuleId}, or choose another trigger`,
      );
    }
    if (desired.triggerSource.e164 && !isPlaceholder(desired.triggerValue)) await checkNumber(aws, desired.triggerValue);
  }
  if (current === undefined) return undefined;
  return { ...current, stale: owned.filter((r) => r !== current) };
}

/** S2/PN2 for a number given by value: it must be in the inventory, of the SipMediaApplicationDialIn product type. */
async function checkNumber(aws: ObserveArgs<unknown>['aws'], e164: string): Promise<void> {
  const numbers = await aws.inventory.list<{ E164PhoneNumber?: string; PhoneNumberId?: string; ProductType?: string; Status?: string }>({
    service: 'voice',
    operation: 'ListPhoneNumbers',
    items: 'PhoneNumbers',
  });
  const number = numbers.find((n) => n.E164PhoneNumber === e164 || n.PhoneNumberId === e164);
  if (!number) {
    throw new InvalidSpecError(`trigger.e164: phone number ${e164} is not in the account's phone number inventory; claim or order it first (S2)`, 'trigger.e164');
  }
  if (number.ProductType !== 'SipMediaApplicationDialIn') {
    throw new InvalidSpecError(
      `trigger.e164: phone number ${e164} has product type ${number.ProductType ?? 'unknown'}; only a SipMediaApplicationDialIn number can trigger a SIP rule (S2, PN2)`,
      'trigger.e164',
    );
  }
}

/**
 * Pure: the rule after its plan ran. CreateSipRule and UpdateSipRule answer with the rule as AWS
 * stored it. A plan that deletes a rule (a trigger replacement, S4: DeleteSipRule answers nothing),
 * or a write without its answer: undefined, observed in full.
 */
export function ruleAnswered(before: RuleObserved | undefined, _desired: RuleDesired, executed: ExecutedAction[]): Answered<RuleObserved> | undefined {
  let observed = before;
  for (const { action, ok, output } of executed) {
    if (action.operation !== 'CreateSipRule' && action.operation !== 'UpdateSipRule') return undefined;
    const rule = ok ? (output as { SipRule?: AwsSipRule } | undefined)?.SipRule : undefined;
    if (!rule?.SipRuleId) return undefined;
    if (action.operation === 'CreateSipRule' && observed === undefined) {
      observed = { ...toObserved(rule), stale: [] };
    } else if (action.operation === 'UpdateSipRule' && observed && rule.SipRuleId === observed.sipRuleId) {
      observed = { ...toObserved(rule), stale: observed.stale };
    } else return undefined;
  }
  return observed ? { observed, unread: [] } : undefined;
}
