/** VoiceProfileDomain: plan and planDelete (A3, A4). */
import { describe, expect, it } from 'vitest';
import { OWNER_TAG_KEY } from '../../src/aws/ownership.js';
import { BlockedError } from '../../src/reconcile/errors.js';
import type { VoiceProfileDomainDesired } from '../../src/kinds/voice-profile-domain/desired.js';
import { diffVoiceProfileDomain } from '../../src/kinds/voice-profile-domain/diff.js';
import { voiceProfileDomainAnswered, type VoiceProfileDomainObserved } from '../../src/kinds/voice-profile-domain/observe.js';
import { planVoiceProfileDomain, planVoiceProfileDomainDelete } from '../../src/kinds/voice-profile-domain/plan.js';

const KMS = 'arn:aws:kms:us-east-1:111122223333:key/1234abcd-12ab-34cd-56ef-1234567890ab';
const KMS2 = 'arn:aws:kms:us-east-1:111122223333:key/9999abcd-12ab-34cd-56ef-1234567890ab';
const ARN = 'arn:aws:chime:us-east-1:111122223333:voice-profile-domain/d-1';
const MARKER = { [OWNER_TAG_KEY]: 'default/callers' };

const desired = (d: Partial<VoiceProfileDomainDesired> = {}): VoiceProfileDomainDesired => ({
  name: 'callers',
  kmsKeyArn: KMS,
  tags: { ...MARKER },
  clientRequestToken: 'cvo-abc',
  ...d,
});
const observed = (o: Partial<VoiceProfileDomainObserved> = {}): VoiceProfileDomainObserved => ({
  voiceProfileDomainId: 'd-1',
  arn: ARN,
  name: 'callers',
  region: 'us-east-1',
  description: 'help desk',
  kmsKeyArn: KMS,
  tags: { ...MARKER },
  ...o,
});
const plan = (d: VoiceProfileDomainDesired, o: VoiceProfileDomainObserved | undefined) => planVoiceProfileDomain(d, o, o ? diffVoiceProfileDomain(d, o) : []);

describe('VoiceProfileDomain plan', () => {
  it('creates with name, description, key, token and the tags with the marker, capturing id and ARN', () => {
    const actions = plan(desired({ description: 'help desk', tags: { ...MARKER, team: 'voice' } }), undefined);
    expect(actions).toHaveLength(1);
    expect(actions[0]).toMatchObject({
      service: 'voice',
      operation: 'CreateVoiceProfileDomain',
      input: {
        Name: 'callers',
        Description: 'help desk',
        ServerSideEncryptionConfiguration: { KmsKeyArn: KMS },
        ClientRequestToken: 'cvo-abc',
        Tags: [
          { Key: OWNER_TAG_KEY, Value: 'default/callers' },
          { Key: 'team', Value: 'voice' },
        ],
      },
      captures: { VoiceProfileDomainId: 'VoiceProfileDomain.VoiceProfileDomainId', Arn: 'VoiceProfileDomain.VoiceProfileDomainArn' },
    });
  });

  it('creates without a description when the spec has none', () => {
    expect(plan(desired(), undefined)[0].input).not.toHaveProperty('Description');
  });

  it('plans nothing in the steady state', () => {
    expect(plan(desired({ description: 'help desk' }), observed())).toEqual([]);
  });

  it.each<[string, Partial<VoiceProfileDomainDesired>, Record<string, unknown>, string[]]>([
    ['name', { name: 'renamed' }, { VoiceProfileDomainId: 'd-1', Name: 'renamed' }, ['name']],
    ['description', { description: 'new' }, { VoiceProfileDomainId: 'd-1', Description: 'new' }, ['description']],
    ['description cleared', { description: '' }, { VoiceProfileDomainId: 'd-1', Description: '' }, ['description']],
    ['name and description', { name: 'renamed', description: 'new' }, { VoiceProfileDomainId: 'd-1', Name: 'renamed', Description: 'new' }, ['name', 'description']],
  ])('updates the %s in place with one UpdateVoiceProfileDomain', (_l, d, input, fixes) => {
    const actions = plan(desired(d), observed());
    expect(actions).toHaveLength(1);
    expect(actions[0]).toMatchObject({ operation: 'UpdateVoiceProfileDomain', input, fixes });
  });

  it('tags only the differing tags, the marker included, and never untags what the spec omits', () => {
    const actions = plan(desired({ tags: { ...MARKER, team: 'voice' } }), observed({ tags: { other: 'x' } }));
    expect(actions).toEqual([
      expect.objectContaining({
        operation: 'TagResource',
        input: {
          ResourceARN: ARN,
          Tags: [
            { Key: OWNER_TAG_KEY, Value: 'default/callers' },
            { Key: 'team', Value: 'voice' },
          ],
        },
        fixes: [`tags.${OWNER_TAG_KEY}`, 'tags.team'],
      }),
    ]);
  });

  it('plans nothing for a KMS key or region change: those are replacements the engine reports', () => {
    const d = desired({ kmsKeyArn: KMS2, region: 'us-west-2' });
    const o = observed();
    const diffs = diffVoiceProfileDomain(d, o);
    expect(diffs.every((x) => x.requiresReplacement)).toBe(true);
    expect(planVoiceProfileDomain(d, o, diffs)).toEqual([]);
  });

  it('A3: refuses to plan anything while consent is missing (plan mode shows why)', () => {
    expect(() => plan(desired({ consentMissing: 'consent please' }), undefined)).toThrow(BlockedError);
    expect(() => plan(desired({ consentMissing: 'consent please' }), observed())).toThrow('consent please');
  });
});

describe('VoiceProfileDomain planDelete (A4)', () => {
  it('deletes the domain and says its profiles go with it, irreversibly', () => {
    const p = planVoiceProfileDomainDelete(desired(), observed());
    expect(p.blockers).toEqual([]);
    expect(p.actions).toHaveLength(1);
    expect(p.actions[0]).toMatchObject({ operation: 'DeleteVoiceProfileDomain', input: { VoiceProfileDomainId: 'd-1' } });
    expect(p.actions[0].description).toBe('delete voice profile domain d-1 ("callers") and every voice profile in it; this cannot be undone (A4)');
  });

  it('deletes even without consent (removing biometric data needs none)', () => {
    expect(planVoiceProfileDomainDelete(desired({ consentMissing: 'x' }), observed()).actions).toHaveLength(1);
  });
});

describe('VoiceProfileDomain answers: the domain after its plan ran', () => {
  const answer = (d: Record<string, unknown>) => ({ VoiceProfileDomain: { VoiceProfileDomainId: 'd-1', VoiceProfileDomainArn: ARN, Name: 'callers', ServerSideEncryptionConfiguration: { KmsKeyArn: KMS }, ...d } });
  const run = (d: VoiceProfileDomainDesired, o: VoiceProfileDomainObserved | undefined, output: unknown, ok = true) =>
    planVoiceProfileDomain(d, o, o ? diffVoiceProfileDomain(d, o) : []).map((action) => ({ action, ok, output }));

  it("a create's answer is the new domain, its key included, with the tags the create carried; nothing read", () => {
    const d = desired();
    const folded = voiceProfileDomainAnswered(undefined, d, run(d, undefined, answer({})))!;
    expect(folded.unread).toEqual([]);
    expect(folded.observed).toMatchObject({ voiceProfileDomainId: 'd-1', arn: ARN, region: 'us-east-1', kmsKeyArn: KMS, tags: d.tags });
    expect(diffVoiceProfileDomain(d, folded.observed)).toEqual([]);
  });

  it("an update's answer is the domain as AWS stored it", () => {
    const d = desired({ description: 'new words' });
    const folded = voiceProfileDomainAnswered(observed(), d, run(d, observed(), answer({ Description: 'new words (as stored)' })))!;
    expect(folded.observed).toMatchObject({ description: 'new words (as stored)', tags: observed().tags });
  });

  it('observed in full: a failed write, a write without its answer', () => {
    const d = desired({ description: 'new words' });
    expect(voiceProfileDomainAnswered(observed(), d, run(d, observed(), answer({}), false))).toBeUndefined();
    expect(voiceProfileDomainAnswered(observed(), d, run(d, observed(), {}))).toBeUndefined();
  });
});
