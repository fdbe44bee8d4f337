/**
 * Pure planning for SIP rules. S3: a rule is disabled before it is deleted, in the same plan. S4: a
 * new trigger is a new rule: create it (AWS allows one rule per trigger, not per name, so it takes
 * the object's name at once), then disable and delete the old one, so calls keep a route throughout.
 */
import type { SipRuleAtProvider } from '../../api/kinds/sip-rule.js';
import type { DeletePlan, Difference, PlannedAction } from '../../reconcile/types.js';
import { sameTrigger, triggerLabel, type RuleDesired, type RuleTarget } from './desired.js';
import type { ObservedRule, RuleObserved } from './observe.js';

const awsTargets = (targets: RuleTarget[]) => targets.map((t) => ({ SipMediaApplicationId: t.sipMediaApplicationId, Priority: t.priority, AwsRegion: t.awsRegion }));

const describeTargets = (targets: RuleTarget[]) => targets.map((t) => `${t.sipMediaApplicationId} in ${t.awsRegion} (priority ${t.priority})`).join(', ');

function createAction(desired: RuleDesired, description: string): PlannedAction<SipRuleAtProvider> {
  return {
    service: 'voice',
    operation: 'CreateSipRule',
    input: {
      Name: desired.name,
      TriggerType: desired.triggerType,
      TriggerValue: desired.triggerValue,
      ...(desired.disabled !== undefined ? { Disabled: desired.disabled } : {}),
      TargetApplications: awsTargets(desired.targets),
    },
    description,
    captures: { SipRuleId: 'SipRule.SipRuleId' },
  };
}

/** S3: disable (when enabled), then delete. */
export function retire(rule: ObservedRule, why: string, fixes?: string[]): PlannedAction<SipRuleAtProvider>[] {
  const actions: PlannedAction<SipRuleAtProvider>[] = [];
  const label = `${why}SIP rule ${rule.sipRuleId} (${triggerLabel(rule.triggerType, rule.triggerValue)})`;
  if (!rule.disabled) {
    actions.push({
      service: 'voice',
      operation: 'UpdateSipRule',
      input: { SipRuleId: rule.sipRuleId, Name: rule.name, Disabled: true },
      description: `disable ${label} before deleting it (S3)`,
      ...(fixes ? { fixes } : {}),
    });
  }
  actions.push({ service: 'voice', operation: 'DeleteSipRule', input: { SipRuleId: rule.sipRuleId }, description: `delete ${label}`, ...(fixes ? { fixes } : {}) });
  return actions;
}

export function replaceMessage(desired: RuleDesired): string {
  return `replace rule: the trigger cannot change in place (S4): create a new rule for ${triggerLabel(desired.triggerType, desired.triggerValue)}, then disable and delete the old one`;
}

export function planRule(desired: RuleDesired, observed: RuleObserved | undefined, diffs: Difference[]): PlannedAction<SipRuleAtProvider>[] {
  if (observed === undefined) {
    return [
      createAction(
        desired,
        `create SIP rule "${desired.name}" for ${triggerLabel(desired.triggerType, desired.triggerValue)} routing to ${describeTargets(desired.targets)}${desired.disabled ? ', disabled' : ''}`,
      ),
    ];
  }
  const actions: PlannedAction<SipRuleAtProvider>[] = [];
  if (!sameTrigger(desired, observed)) {
    // The new rule carries every desired setting: nothing else is updated on the old one.
    actions.push({ ...createAction(desired, replaceMessage(desired)), fixes: diffs.map((d) => d.path) });
    actions.push(...retire(observed, 'the old ', ['trigger']));
  } else {
    const changed = diffs.filter((d) => !d.requiresReplacement && d.path !== 'trigger').map((d) => d.path);
    if (changed.length > 0) {
      const has = (p: string) => changed.includes(p);
      actions.push({
        service: 'voice',
        operation: 'UpdateSipRule',
        input: {
          SipRuleId: observed.sipRuleId,
          // Name is required by UpdateSipRule.
          Name: desired.name,
          ...(has('disabled') ? { Disabled: desired.disabled } : {}),
          ...(has('targetApplications') ? { TargetApplications: awsTargets(desired.targets) } : {}),
        },
        description: `update SIP rule ${observed.sipRuleId}: ${[
          has('name') ? `name "${desired.name}"` : '',
          has('disabled') ? (desired.disabled ? 'disable it' : 'enable it') : '',
          has('targetApplications') ? `targets ${describeTargets(desired.targets)}` : '',
        ]
          .filter(Boolean)
          .join(', ')}`,
        fixes: changed,
      });
    }
  }
  // What an interrupted replacement left behind (S4).
  for (const old of observed.stale) actions.push(...retire(old, 'the old ', ['trigger']));
  return actions;
}

/** S3: every rule of the object is disabled, then deleted. Nothing blocks: a rule holds nothing up. */
export function planRuleDelete(_desired: RuleDesired, observed: RuleObserved): DeletePlan<SipRuleAtProvider> {
  return { actions: [...retire(observed, ''), ...observed.stale.flatMap((r) => retire(r, 'the old '))], blockers: [] };
}
