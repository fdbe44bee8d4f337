/** The SipRule kind (issue 5; S2-S4). Ready only when its trigger and targets are (ctx.resolve waits on them). */
import type { SipRuleAtProvider, SipRuleSpec } from '../../api/kinds/sip-rule.js';
import { nameMarkerClaim } from '../../reconcile/claims.js';
import type { KindHandler } from '../../reconcile/types.js';
import { ruleDesired, type RuleDesired } from './desired.js';
import { diffRule } from './diff.js';
import { observeRule, ruleAnswered, type RuleObserved } from './observe.js';
import { planRule, planRuleDelete } from './plan.js';

export const sipRuleHandler: KindHandler<RuleDesired, RuleObserved, SipRuleAtProvider, SipRuleSpec> = {
  kind: 'SipRule',
  claims: (obj) => nameMarkerClaim(obj, 'SIP rule'),
  desired: ruleDesired,
  observe: observeRule,
  answered: ruleAnswered,
  diff: diffRule,
  plan: planRule,
  planDelete: (desired, observed) => planRuleDelete(desired, observed),
  atProvider: (observed) => ({ sipRuleId: observed.sipRuleId, triggerType: observed.triggerType, triggerValue: observed.triggerValue }),
};

export type { RuleDesired, RuleTarget } from './desired.js';
export type { ObservedRule, RuleObserved } from './observe.js';
