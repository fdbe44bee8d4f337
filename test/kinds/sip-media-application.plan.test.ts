/** SipMediaApplication: plan and planDelete (S1, S3), field by field. */
import { describe, expect, it } from 'vitest';
import type { SmaDesired } from '../../src/kinds/sip-media-application/desired.js';
import { diffSma } from '../../src/kinds/sip-media-application/diff.js';
import { smaAnswered, type SmaObserved } from '../../src/kinds/sip-media-application/observe.js';
import { planSma, planSmaDelete } from '../../src/kinds/sip-media-application/plan.js';
import { MemoryWorld } from '../../src/reconcile/world.js';

const ARN = 'arn:aws:lambda:us-west-2:111122223333:function:ivr';
const ARN2 = 'arn:aws:lambda:us-west-2:111122223333:function:ivr:live';
const SMA_ARN = 'arn:aws:chime:us-west-2:111122223333:sma/sma1';
const SKILL = 'amzn1.application-oa2-client.0123456789abcdef0123456789abcdef';
const MARKER = { Key: 'chimevoice.io/owner', Value: 'default/ivr' };

const desired = (d: Partial<SmaDesired> = {}): SmaDesired => ({ name: 'ivr', region: 'us-west-2', lambdaArn: ARN, tags: { [MARKER.Key]: MARKER.Value }, ...d });
const observed = (o: Partial<SmaObserved> = {}): SmaObserved => ({ sipMediaApplicationId: 'sma1', arn: SMA_ARN, name: 'ivr', region: 'us-west-2', lambdaArn: ARN, tags: { [MARKER.Key]: MARKER.Value }, ...o });
const M = { [MARKER.Key]: MARKER.Value };
const plan = (d: SmaDesired, o: SmaObserved | undefined) => planSma(d, o, o ? diffSma(d, o).filter((x) => !x.requiresReplacement) : []);

describe('SipMediaApplication plan: create', () => {
  it('creates with region, name, endpoint and the tags with the marker in the one call, capturing the id', () => {
    const actions = plan(desired({ tags: { team: 'voice', ...M } }), undefined);
    expect(actions).toHaveLength(1);
    expect(actions[0]).toMatchObject({
      operation: 'CreateSipMediaApplication',
      input: { AwsRegion: 'us-west-2', Name: 'ivr', Endpoints: [{ LambdaArn: ARN }], Tags: [{ Key: 'team', Value: 'voice' }, MARKER] },
      captures: { SipMediaApplicationId: 'SipMediaApplication.SipMediaApplicationId' },
    });
  });

  it('turns message logs on and sets the Alexa skills after the create, with the new id', () => {
    const actions = plan(desired({ enableSipLogs: true, alexaSkills: { status: 'ACTIVE', skillIds: [SKILL] } }), undefined);
    expect(actions.map((a) => a.operation)).toEqual(['CreateSipMediaApplication', 'PutSipMediaApplicationLoggingConfiguration', 'PutSipMediaApplicationAlexaSkillConfiguration']);
    expect(actions[1].input).toEqual({ SipMediaApplicationId: { $output: 'SipMediaApplicationId' }, SipMediaApplicationLoggingConfiguration: { EnableSipMediaApplicationMessageLogs: true } });
    expect(actions[2].input).toEqual({
      SipMediaApplicationId: { $output: 'SipMediaApplicationId' },
      SipMediaApplicationAlexaSkillConfiguration: { AlexaSkillStatus: 'ACTIVE', AlexaSkillIds: [SKILL] },
    });
  });

  it('logging asked off needs no call on a new application (off by default)', () => {
    expect(plan(desired({ enableSipLogs: false }), undefined).map((a) => a.operation)).toEqual(['CreateSipMediaApplication']);
  });
});

describe('SipMediaApplication plan: update', () => {
  const cases: Array<[string, Partial<SmaDesired>, Partial<SmaObserved>, Array<{ operation: string; input: Record<string, unknown>; fixes: string[] }>]> = [
    ['steady state', {}, {}, []],
    ['name', { name: 'ivr-2' }, {}, [{ operation: 'UpdateSipMediaApplication', input: { SipMediaApplicationId: 'sma1', Name: 'ivr-2' }, fixes: ['name'] }]],
    ['endpoint', { lambdaArn: ARN2 }, {}, [{ operation: 'UpdateSipMediaApplication', input: { SipMediaApplicationId: 'sma1', Endpoints: [{ LambdaArn: ARN2 }] }, fixes: ['endpoint.lambdaArn'] }]],
    [
      'name and endpoint in one call',
      { name: 'ivr-2', lambdaArn: ARN2 },
      {},
      [{ operation: 'UpdateSipMediaApplication', input: { SipMediaApplicationId: 'sma1', Name: 'ivr-2', Endpoints: [{ LambdaArn: ARN2 }] }, fixes: ['name', 'endpoint.lambdaArn'] }],
    ],
    ['a tag to set', { tags: { ...M, team: 'voice' } }, { tags: { ...M, team: 'ops' } }, [{ operation: 'TagResource', input: { ResourceARN: SMA_ARN, Tags: [{ Key: 'team', Value: 'voice' }] }, fixes: ['tags.team'] }]],
    [
      'a tag removed from the spec since it was applied',
      {},
      { tags: { ...M, extra: 'x' }, appliedTagKeys: ['extra'] },
      [{ operation: 'UntagResource', input: { ResourceARN: SMA_ARN, TagKeys: ['extra'] }, fixes: ['tags.extra'] }],
    ],
    ['a tag the spec never declared (changed: left alone)', {}, { tags: { ...M, extra: 'x' } }, []],
    [
      'logging on',
      { enableSipLogs: true },
      { enableSipLogs: false },
      [
        {
          operation: 'PutSipMediaApplicationLoggingConfiguration',
          input: { SipMediaApplicationId: 'sma1', SipMediaApplicationLoggingConfiguration: { EnableSipMediaApplicationMessageLogs: true } },
          fixes: ['logging.enableSipLogs'],
        },
      ],
    ],
    [
      'logging off',
      { enableSipLogs: false },
      { enableSipLogs: true },
      [
        {
          operation: 'PutSipMediaApplicationLoggingConfiguration',
          input: { SipMediaApplicationId: 'sma1', SipMediaApplicationLoggingConfiguration: { EnableSipMediaApplicationMessageLogs: false } },
          fixes: ['logging.enableSipLogs'],
        },
      ],
    ],
    ['logging omitted', {}, { enableSipLogs: true }, []],
    [
      'Alexa skills',
      { alexaSkills: { status: 'INACTIVE', skillIds: [SKILL] } },
      { alexaSkills: { status: 'ACTIVE', skillIds: [SKILL] } },
      [
        {
          operation: 'PutSipMediaApplicationAlexaSkillConfiguration',
          input: { SipMediaApplicationId: 'sma1', SipMediaApplicationAlexaSkillConfiguration: { AlexaSkillStatus: 'INACTIVE', AlexaSkillIds: [SKILL] } },
          fixes: ['alexaSkills.status'],
        },
      ],
    ],
    ['Alexa skills omitted', {}, { alexaSkills: { status: 'ACTIVE', skillIds: [SKILL] } }, []],
  ];
  it.each(cases)('%s', (_name, d, o, expected) => {
    expect(plan(desired(d), observed(o)).map((a) => ({ operation: a.operation, input: a.input, fixes: a.fixes }))).toEqual(expected);
  });

  it('S1: a region change plans nothing, not even the other fields: the engine reports the replacement', () => {
    const d = desired({ region: 'us-east-1', lambdaArn: 'arn:aws:lambda:us-east-1:111122223333:function:ivr', name: 'ivr-2' });
    expect(diffSma(d, observed()).find((x) => x.path === 'region')?.requiresReplacement).toBe(true);
    expect(plan(d, observed())).toEqual([]);
  });
});

describe('SipMediaApplication planDelete (S3)', () => {
  const ruleObject = (name: string, at: Record<string, unknown>, specName?: string) => ({
    apiVersion: 'chimevoice.io/v1alpha1',
    kind: 'SipRule',
    metadata: { name, namespace: 'voice' },
    spec: { ...(specName ? { name: specName } : {}) },
    status: { atProvider: at },
  });

  it('deletes the application when no rule targets it', () => {
    expect(planSmaDelete(desired(), observed({ rules: [] }), new MemoryWorld())).toEqual({
      actions: [{ service: 'voice', operation: 'DeleteSipMediaApplication', input: { SipMediaApplicationId: 'sma1' }, description: 'delete SIP media application sma1' }],
      blockers: [],
    });
  });

  it('waits for rules the project manages (by cached id or by AWS name) and names the rules it does not manage', () => {
    const world = new MemoryWorld([ruleObject('front-door', { sipRuleId: 'r1' }), ruleObject('back-door', {}, 'Back Door')]);
    const { blockers, actions } = planSmaDelete(
      desired(),
      observed({
        rules: [
          { sipRuleId: 'r1', name: 'front-door', disabled: false },
          { sipRuleId: 'r2', name: 'Back Door', disabled: true },
          { sipRuleId: 'r3', name: 'legacy', disabled: false },
        ],
      }),
      world,
    );
    expect(blockers).toEqual([
      { managed: true, message: 'SipRule voice/front-door (rule r1) to be deleted or to stop targeting SIP media application sma1 (S3)' },
      { managed: true, message: 'SipRule voice/back-door (rule r2) to be deleted or to stop targeting SIP media application sma1 (S3)' },
      {
        managed: false,
        message: 'SIP rule r3 ("legacy", enabled), not managed here, targets SIP media application sma1; remove the application from its targets or disable and delete the rule (S3)',
      },
    ]);
    expect(actions.map((a) => a.operation)).toEqual(['DeleteSipMediaApplication']);
  });
});

describe('SipMediaApplication answers: the application after its plan ran', () => {
  const run = (d: SmaDesired, o: SmaObserved | undefined, answer: (operation: string) => unknown) =>
    planSma(d, o, o ? diffSma(d, o) : []).map((action) => ({ action, ok: true, output: answer(action.operation) }));
  const answers = (app: Record<string, unknown>) => (operation: string) =>
    ({
      CreateSipMediaApplication: { SipMediaApplication: { SipMediaApplicationId: 'sma9', SipMediaApplicationArn: SMA_ARN, Name: 'ivr', AwsRegion: 'us-west-2', Endpoints: [{ LambdaArn: ARN }], ...app } },
      UpdateSipMediaApplication: { SipMediaApplication: { SipMediaApplicationId: 'sma1', SipMediaApplicationArn: SMA_ARN, Name: 'ivr-2', AwsRegion: 'us-west-2', Endpoints: [{ LambdaArn: ARN }], ...app } },
      PutSipMediaApplicationLoggingConfiguration: { SipMediaApplicationLoggingConfiguration: { EnableSipMediaApplicationMessageLogs: true } },
      PutSipMediaApplicationAlexaSkillConfiguration: { SipMediaApplicationAlexaSkillConfiguration: { AlexaSkillStatus: 'ACTIVE', AlexaSkillIds: ['s1'] } },
    })[operation];

  it('a create and its Puts: the answers are the application, with the tags the create carried; nothing read', () => {
    const d = desired({ enableSipLogs: true, alexaSkills: { status: 'ACTIVE', skillIds: ['s1'] } });
    const folded = smaAnswered(undefined, d, run(d, undefined, answers({})))!;
    expect(folded).toEqual({
      observed: { sipMediaApplicationId: 'sma9', arn: SMA_ARN, name: 'ivr', region: 'us-west-2', lambdaArn: ARN, tags: d.tags, enableSipLogs: true, alexaSkills: { status: 'ACTIVE', skillIds: ['s1'] } },
      unread: [],
    });
    expect(diffSma(d, folded.observed)).toEqual([]);
  });

  it("an update's answer is the application as AWS stored it; what it did not change stays as observed", () => {
    const d = desired({ name: 'ivr-2' });
    const folded = smaAnswered(observed({ enableSipLogs: false }), d, run(d, observed({ enableSipLogs: false }), answers({})))!;
    expect(folded.observed).toMatchObject({ name: 'ivr-2', enableSipLogs: false, tags: { [MARKER.Key]: MARKER.Value } });
  });

  it('observed in full: logging a new application has but no answer told, a tag change (no answer), a write without its answer', () => {
    const off = desired({ enableSipLogs: false });
    expect(smaAnswered(undefined, off, run(off, undefined, answers({})))).toBeUndefined();
    const tagged = desired({ tags: { [MARKER.Key]: MARKER.Value, team: 'voice' } });
    expect(run(tagged, observed(), answers({})).map((e) => e.action.operation)).toEqual(['TagResource']);
    expect(smaAnswered(observed(), tagged, run(tagged, observed(), answers({})))).toBeUndefined();
    const renamed = desired({ name: 'ivr-2' });
    expect(smaAnswered(observed(), renamed, run(renamed, observed(), () => ({})))).toBeUndefined();
  });
});
