/** SipRule: plan and planDelete (S3 disable before delete, S4 replacement), field by field. */
import { describe, expect, it } from 'vitest';
import type { RuleDesired } from '../../src/kinds/sip-rule/desired.js';
import { diffRule } from '../../src/kinds/sip-rule/diff.js';
import { ruleAnswered, type RuleObserved } from '../../src/kinds/sip-rule/observe.js';
import { planRule, planRuleDelete } from '../../src/kinds/sip-rule/plan.js';
import { A, B, EAST, HOST, WEST, desired, observed } from '../helpers/fixtures/sip-rule.js';

const AWS_TARGETS = [
  { SipMediaApplicationId: 'sma-east', Priority: 1, AwsRegion: 'us-east-1' },
  { SipMediaApplicationId: 'sma-west', Priority: 2, AwsRegion: 'us-west-2' },
];

const plan = (d: RuleDesired, o: RuleObserved | undefined) => planRule(d, o, o ? diffRule(d, o) : []);
const ops = (actions: ReturnType<typeof plan>) => actions.map((a) => ({ operation: a.operation, input: a.input }));

describe('SipRule plan: create', () => {
  it('creates with name, trigger and targets, capturing the id; Disabled only when the spec says', () => {
    const [a, ...rest] = plan(desired(), undefined);
    expect(rest).toEqual([]);
    expect(a).toMatchObject({
      operation: 'CreateSipRule',
      input: { Name: 'front-door', TriggerType: 'ToPhoneNumber', TriggerValue: A, TargetApplications: AWS_TARGETS },
      captures: { SipRuleId: 'SipRule.SipRuleId' },
    });
    expect('Disabled' in a.input).toBe(false);
    expect(a.description).toBe(`create SIP rule "front-door" for ToPhoneNumber ${A} routing to sma-east in us-east-1 (priority 1), sma-west in us-west-2 (priority 2)`);
  });

  it('creates a disabled rule for a host name', () => {
    const [a] = plan(desired({ triggerType: 'RequestUriHostname', triggerValue: HOST, disabled: true }), undefined);
    expect(a.input).toMatchObject({ TriggerType: 'RequestUriHostname', TriggerValue: HOST, Disabled: true });
  });
});

describe('SipRule plan: update', () => {
  const cases: Array<[string, Partial<RuleDesired>, Partial<RuleObserved>, ReturnType<typeof ops>]> = [
    ['steady state', {}, {}, []],
    ['disabled omitted, AWS disabled: not managed', {}, { disabled: true }, []],
    ['name', { name: 'main' }, {}, [{ operation: 'UpdateSipRule', input: { SipRuleId: 'r1', Name: 'main' } }]],
    ['disable', { disabled: true }, {}, [{ operation: 'UpdateSipRule', input: { SipRuleId: 'r1', Name: 'front-door', Disabled: true } }]],
    ['enable', { disabled: false }, { disabled: true }, [{ operation: 'UpdateSipRule', input: { SipRuleId: 'r1', Name: 'front-door', Disabled: false } }]],
    ['targets', { targets: [EAST] }, {}, [{ operation: 'UpdateSipRule', input: { SipRuleId: 'r1', Name: 'front-door', TargetApplications: [AWS_TARGETS[0]] } }]],
    [
      'every field in one call',
      { name: 'main', disabled: true, targets: [WEST] },
      {},
      [{ operation: 'UpdateSipRule', input: { SipRuleId: 'r1', Name: 'main', Disabled: true, TargetApplications: [AWS_TARGETS[1]] } }],
    ],
  ];
  it.each(cases)('%s', (_name, d, o, expected) => {
    expect(ops(plan(desired(d), observed(o)))).toEqual(expected);
  });

  it('says what it fixes', () => {
    expect(plan(desired({ name: 'main', disabled: true }), observed())[0].fixes).toEqual(['name', 'disabled']);
  });
});

describe('SipRule plan: trigger replacement (S4)', () => {
  it('creates the new rule with every desired setting, then disables and deletes the old one, and says so', () => {
    const actions = plan(desired({ triggerValue: B, name: 'main', disabled: false, targets: [WEST] }), observed());
    expect(ops(actions)).toEqual([
      { operation: 'CreateSipRule', input: { Name: 'main', TriggerType: 'ToPhoneNumber', TriggerValue: B, Disabled: false, TargetApplications: [AWS_TARGETS[1]] } },
      { operation: 'UpdateSipRule', input: { SipRuleId: 'r1', Name: 'front-door', Disabled: true } },
      { operation: 'DeleteSipRule', input: { SipRuleId: 'r1' } },
    ]);
    expect(actions[0].description).toBe(`replace rule: the trigger cannot change in place (S4): create a new rule for ToPhoneNumber ${B}, then disable and delete the old one`);
    expect(actions[0].captures).toEqual({ SipRuleId: 'SipRule.SipRuleId' });
  });

  it('a disabled old rule is deleted without disabling it again', () => {
    const actions = plan(desired({ triggerType: 'RequestUriHostname', triggerValue: HOST }), observed({ disabled: true }));
    expect(actions.map((a) => a.operation)).toEqual(['CreateSipRule', 'DeleteSipRule']);
  });

  it('finishes an interrupted replacement: the old rule left behind is disabled and deleted, the new one kept', () => {
    const old = { sipRuleId: 'r0', name: 'front-door', disabled: false, triggerType: 'ToPhoneNumber' as const, triggerValue: B, targets: [EAST] };
    const actions = plan(desired(), observed({ stale: [old] }));
    expect(ops(actions)).toEqual([
      { operation: 'UpdateSipRule', input: { SipRuleId: 'r0', Name: 'front-door', Disabled: true } },
      { operation: 'DeleteSipRule', input: { SipRuleId: 'r0' } },
    ]);
    expect(actions[0].fixes).toEqual(['trigger']);
  });
});

describe('SipRule planDelete (S3)', () => {
  it('disables an enabled rule, then deletes it, in one plan', () => {
    const { actions, blockers } = planRuleDelete(desired(), observed());
    expect(blockers).toEqual([]);
    expect(ops(actions)).toEqual([
      { operation: 'UpdateSipRule', input: { SipRuleId: 'r1', Name: 'front-door', Disabled: true } },
      { operation: 'DeleteSipRule', input: { SipRuleId: 'r1' } },
    ]);
    expect(actions[0].description).toBe(`disable SIP rule r1 (ToPhoneNumber ${A}) before deleting it (S3)`);
  });

  it('deletes a disabled rule at once', () => {
    expect(planRuleDelete(desired(), observed({ disabled: true })).actions.map((a) => a.operation)).toEqual(['DeleteSipRule']);
  });

  it('also removes an old rule an unfinished replacement left', () => {
    const old = { sipRuleId: 'r0', name: 'front-door', disabled: false, triggerType: 'ToPhoneNumber' as const, triggerValue: B, targets: [EAST] };
    expect(planRuleDelete(desired(), observed({ stale: [old] })).actions.map((a) => `${a.operation} ${String(a.input.SipRuleId)}`)).toEqual([
      'UpdateSipRule r1',
      'DeleteSipRule r1',
      'UpdateSipRule r0',
      'DeleteSipRule r0',
    ]);
  });
});

describe('SipRule answers: the rule after its plan ran', () => {
  const rule = (r: Record<string, unknown> = {}) => ({
    SipRule: { SipRuleId: 'r1', Name: 'front-door', Disabled: false, TriggerType: 'ToPhoneNumber', TriggerValue: A, TargetApplications: AWS_TARGETS, ...r },
  });
  const run = (d: RuleDesired, o: RuleObserved | undefined, output: (operation: string) => unknown) => plan(d, o).map((action) => ({ action, ok: true, output: output(action.operation) }));

  it("a create's answer is the new rule; nothing read", () => {
    const folded = ruleAnswered(undefined, desired(), run(desired(), undefined, () => rule()))!;
    expect(folded).toEqual({ observed: observed(), unread: [] });
    expect(diffRule(desired(), folded.observed)).toEqual([]);
  });

  it("an update's answer is the rule as AWS stored it", () => {
    const d = desired({ disabled: true });
    const folded = ruleAnswered(observed(), d, run(d, observed(), () => rule({ Disabled: true })))!;
    expect(folded.observed).toEqual(observed({ disabled: true }));
  });

  it('observed in full: a trigger replacement (DeleteSipRule answers nothing), a write without its answer', () => {
    const moved = desired({ triggerValue: B, triggerSource: { e164: B } });
    expect(plan(moved, observed()).map((a) => a.operation)).toEqual(['CreateSipRule', 'UpdateSipRule', 'DeleteSipRule']);
    expect(ruleAnswered(observed(), moved, run(moved, observed(), (op) => (op === 'DeleteSipRule' ? undefined : rule({ SipRuleId: 'r2', TriggerValue: B }))))).toBeUndefined();
    expect(ruleAnswered(undefined, desired(), run(desired(), undefined, () => ({})))).toBeUndefined();
  });
});
