/** VoiceConnectorGroup: plan and planDelete (G1-G3). */
import { describe, expect, it } from 'vitest';
import { diffGroup } from '../../src/kinds/voice-connector-group/diff.js';
import type { GroupDesired } from '../../src/kinds/voice-connector-group/desired.js';
import { groupAnswered, type GroupObserved } from '../../src/kinds/voice-connector-group/observe.js';
import { planGroup, planGroupDelete } from '../../src/kinds/voice-connector-group/plan.js';
import { MemoryWorld } from '../../src/reconcile/world.js';

const A = 'abcdefghijklmnopqrstuv';
const B = 'bcdefghijklmnopqrstuvw';

const observed = (o: Partial<GroupObserved> = {}): GroupObserved => ({
  voiceConnectorGroupId: 'grp1',
  name: 'edge',
  items: [{ voiceConnectorId: A, priority: 1 }],
  ...o,
});
const desired = (d: Partial<GroupDesired> = {}): GroupDesired => ({ name: 'edge', ...d });
const plan = (d: GroupDesired, o: GroupObserved | undefined) => planGroup(d, o, o ? diffGroup(d, o) : []);

describe('VoiceConnectorGroup plan', () => {
  it('creates with name, items and call distribution, capturing the id', () => {
    const [a, ...rest] = plan(desired({ items: [{ voiceConnectorId: A, priority: 1 }, { voiceConnectorId: B, priority: 2 }], callDistributionType: 'LoadBalancedDistribution' }), undefined);
    expect(rest).toEqual([]);
    expect(a.operation).toBe('CreateVoiceConnectorGroup');
    expect(a.input).toEqual({
      Name: 'edge',
      VoiceConnectorItems: [
        { VoiceConnectorId: A, Priority: 1 },
        { VoiceConnectorId: B, Priority: 2 },
      ],
      CallDistributionType: 'LoadBalancedDistribution',
    });
    expect(a.captures).toEqual({ VoiceConnectorGroupId: 'VoiceConnectorGroup.VoiceConnectorGroupId' });
  });

  it('creates an empty group without a call distribution when the spec sets neither', () => {
    expect(plan(desired(), undefined)[0].input).toEqual({ Name: 'edge', VoiceConnectorItems: [] });
  });

  it('plans nothing when AWS matches (steady state)', () => {
    expect(plan(desired({ items: [{ voiceConnectorId: A, priority: 1 }] }), observed())).toEqual([]);
    expect(plan(desired(), observed({ callDistributionType: 'LoadBalancedDistribution' }))).toEqual([]);
  });

  it('updates the items, keeping the name', () => {
    const [a] = plan(desired({ items: [{ voiceConnectorId: B, priority: 1 }] }), observed());
    expect(a.operation).toBe('UpdateVoiceConnectorGroup');
    expect(a.input).toEqual({ VoiceConnectorGroupId: 'grp1', Name: 'edge', VoiceConnectorItems: [{ VoiceConnectorId: B, Priority: 1 }] });
    expect(a.fixes).toEqual(['voiceConnectors']);
  });

  it('renames, sending back the items and distribution the spec does not manage (Update replaces the group)', () => {
    const [a] = plan(desired({ name: 'core' }), observed({ callDistributionType: 'PriorityWeightedDistribution' }));
    expect(a.input).toEqual({ VoiceConnectorGroupId: 'grp1', Name: 'core', VoiceConnectorItems: [{ VoiceConnectorId: A, Priority: 1 }], CallDistributionType: 'PriorityWeightedDistribution' });
    expect(a.fixes).toEqual(['name']);
  });

  it('changes the call distribution type', () => {
    const [a] = plan(desired({ callDistributionType: 'LoadBalancedDistribution' }), observed({ callDistributionType: 'PriorityWeightedDistribution' }));
    expect(a.input).toMatchObject({ CallDistributionType: 'LoadBalancedDistribution', VoiceConnectorItems: [{ VoiceConnectorId: A, Priority: 1 }] });
    expect(a.fixes).toEqual(['callDistributionType']);
  });

  it('corrects several fields in one call', () => {
    const actions = plan(desired({ name: 'core', items: [], callDistributionType: 'LoadBalancedDistribution' }), observed());
    expect(actions).toHaveLength(1);
    expect(actions[0].fixes).toEqual(['name', 'voiceConnectors', 'callDistributionType']);
  });
});

describe('VoiceConnectorGroup planDelete (G3)', () => {
  const pnObject = (name: string, e164: string) => ({
    apiVersion: 'chimevoice.io/v1alpha1',
    kind: 'PhoneNumber',
    metadata: { name, namespace: 'telephony' },
    spec: { productType: 'VoiceConnector' },
    status: { atProvider: { e164 } },
  });

  it('G3: removes its own connectors, then deletes the group', () => {
    const p = planGroupDelete(desired(), observed({ numbers: [] }), new MemoryWorld());
    expect(p.blockers).toEqual([]);
    expect(p.actions.map((a) => a.operation)).toEqual(['UpdateVoiceConnectorGroup', 'DeleteVoiceConnectorGroup']);
    expect(p.actions[0].input).toEqual({ VoiceConnectorGroupId: 'grp1', Name: 'edge', VoiceConnectorItems: [] });
  });

  it('G3: an empty group is deleted in one call', () => {
    expect(planGroupDelete(desired(), observed({ items: [], numbers: [] }), new MemoryWorld()).actions.map((a) => a.operation)).toEqual(['DeleteVoiceConnectorGroup']);
  });

  it('G3: a number a PhoneNumber object manages is a managed blocker (the engine waits)', () => {
    const world = new MemoryWorld([pnObject('main-line', '+12065550100')]);
    const p = planGroupDelete(desired(), observed({ numbers: [{ e164: '+12065550100' }] }), world);
    expect(p.blockers).toEqual([{ managed: true, message: expect.stringContaining('PhoneNumber telephony/main-line') }]);
  });

  it('G3: a number nobody here manages is an unmanaged blocker naming the number', () => {
    const world = new MemoryWorld([pnObject('main-line', '+12065550100')]);
    const p = planGroupDelete(desired(), observed({ numbers: [{ e164: '+12065550199' }] }), world);
    expect(p.blockers).toEqual([{ managed: false, message: expect.stringContaining('+12065550199') }]);
  });
});

describe('VoiceConnectorGroup answers: the group after its plan ran', () => {
  const answer = (g: Record<string, unknown>) => ({ VoiceConnectorGroup: { VoiceConnectorGroupId: 'grp1', Name: 'edge', ...g } });
  const CASES: Array<{ name: string; before: GroupObserved | undefined; operation: string; ok?: boolean; output?: unknown; want: GroupObserved | undefined }> = [
    {
      name: "a create's answer is the new group",
      before: undefined,
      operation: 'CreateVoiceConnectorGroup',
      output: answer({ VoiceConnectorItems: [{ VoiceConnectorId: A, Priority: 1 }], VoiceConnectorGroupArn: 'arn:g' }),
      want: { voiceConnectorGroupId: 'grp1', name: 'edge', items: [{ voiceConnectorId: A, priority: 1 }], arn: 'arn:g' },
    },
    {
      name: "an update's answer is the group as AWS stored it, not as planned",
      before: observed(),
      operation: 'UpdateVoiceConnectorGroup',
      output: answer({ VoiceConnectorItems: [{ VoiceConnectorId: B, Priority: 3 }], CallDistributionType: 'PriorityBasedDistribution' }),
      want: { voiceConnectorGroupId: 'grp1', name: 'edge', items: [{ voiceConnectorId: B, priority: 3 }], callDistributionType: 'PriorityBasedDistribution' },
    },
    { name: 'a failed update: observed in full', before: observed(), operation: 'UpdateVoiceConnectorGroup', ok: false, want: undefined },
    { name: 'an update without its answer: observed in full', before: observed(), operation: 'UpdateVoiceConnectorGroup', output: {}, want: undefined },
  ];
  for (const c of CASES) {
    it(c.name, () => {
      const action = { service: 'voice' as const, operation: c.operation, input: {}, description: c.operation };
      const folded = groupAnswered(c.before, desired(), [{ action, ok: c.ok ?? true, ...(c.output !== undefined ? { output: c.output } : {}) }]);
      expect(folded?.observed).toEqual(c.want);
      if (folded) expect(folded.unread).toEqual([]);
    });
  }
});
