/** The one tag planner of every taggable kind: declared tags made true, tags declared earlier removed, others left alone. */
import { describe, expect, it } from 'vitest';
import { OWNER_TAG_KEY } from '../../src/aws/ownership.js';
import { appliedTagKeys, declaredTags, diffTags, tagActions, type ObservedTags } from '../../src/kinds/shared/tags.js';
import { InvalidSpecError } from '../../src/reconcile/errors.js';

const M = { [OWNER_TAG_KEY]: 'default/x' };
const obj = { metadata: { name: 'x' } };
const ARN = 'arn:aws:chime:us-east-1:111122223333:vc/vc1';

describe('shared tag planner: diffTags', () => {
  const cases: Array<[string, Record<string, string>, ObservedTags, Array<{ path: string; desired: unknown; actual: unknown }>]> = [
    ['in sync', { ...M, team: 'a' }, { tags: { ...M, team: 'a' } }, []],
    ['a declared tag differs', { ...M, team: 'a' }, { tags: { ...M, team: 'b' } }, [{ path: 'tags.team', desired: 'a', actual: 'b' }]],
    ['a declared tag missing', { ...M, team: 'a' }, { tags: { ...M } }, [{ path: 'tags.team', desired: 'a', actual: undefined }]],
    ['the ownership marker missing is put back', { ...M }, { tags: {} }, [{ path: `tags.${OWNER_TAG_KEY}`, desired: 'default/x', actual: undefined }]],
    ['a tag never declared (another tool) is left alone', { ...M }, { tags: { ...M, costCenter: '42' } }, []],
    ['an aws: tag is left alone', { ...M }, { tags: { ...M, 'aws:cloudformation:stack-name': 's' } }, []],
    ['a tag declared before and dropped from the spec is removed', { ...M }, { tags: { ...M, team: 'a' }, appliedTagKeys: ['team'] }, [{ path: 'tags.team', desired: undefined, actual: 'a' }]],
    ['a dropped tag already gone from AWS is nothing to do', { ...M }, { tags: { ...M }, appliedTagKeys: ['team'] }, []],
    ['a remembered aws: or marker key is never removed', {}, { tags: { ...M, 'aws:x': 'y' }, appliedTagKeys: ['aws:x', OWNER_TAG_KEY] }, []],
    ['no record from an earlier pass: nothing is removed', { ...M }, { tags: { ...M, team: 'a' } }, []],
  ];
  it.each(cases)('%s', (_name, desired, observed, expected) => {
    expect(diffTags(desired, observed)).toEqual(expected);
  });
});

describe('shared tag planner: appliedTagKeys', () => {
  it('records the declared keys, never the marker', () => {
    expect(appliedTagKeys({ ...M, b: '1', a: '2' }, { tags: {} })).toEqual(['a', 'b']);
  });
  it('keeps a dropped key while AWS still has it, so a failed or reported removal is tried again', () => {
    expect(appliedTagKeys({ ...M, a: '1' }, { tags: { old: 'x' }, appliedTagKeys: ['old', 'gone'] })).toEqual(['a', 'old']);
  });
});

describe('shared tag planner: tagActions', () => {
  it('one TagResource for tags to set and one UntagResource for tags to remove, on the given service', () => {
    const desired = { ...M, team: 'a' };
    const diffs = diffTags(desired, { tags: { old: 'x' }, appliedTagKeys: ['old'] });
    expect(tagActions({ service: 'mediaPipelines', arn: ARN, label: 'thing', desired, diffs })).toEqual([
      {
        service: 'mediaPipelines',
        operation: 'TagResource',
        input: { ResourceARN: ARN, Tags: [{ Key: OWNER_TAG_KEY, Value: 'default/x' }, { Key: 'team', Value: 'a' }] },
        description: `tag thing with ${OWNER_TAG_KEY}=default/x, team=a`,
        fixes: [`tags.${OWNER_TAG_KEY}`, 'tags.team'],
      },
      {
        service: 'mediaPipelines',
        operation: 'UntagResource',
        input: { ResourceARN: ARN, TagKeys: ['old'] },
        description: 'remove tags old (no longer in the spec) from thing',
        fixes: ['tags.old'],
      },
    ]);
  });
  it('nothing when in sync, and ignores differences outside tags', () => {
    expect(tagActions({ service: 'voice', arn: ARN, label: 'x', desired: { ...M }, diffs: [{ path: 'name', desired: 'a', actual: 'b' }] })).toEqual([]);
  });
});

describe('shared tag planner: declaredTags', () => {
  it('adds the ownership marker to the spec tags; no spec tags is the marker alone', () => {
    expect(declaredTags(obj, { team: 'a' }, 50)).toEqual({ team: 'a', ...M });
    expect(declaredTags(obj, undefined, 50)).toEqual(M);
  });
  it.each([
    ['the marker key', { [OWNER_TAG_KEY]: 'y' }, /ownership marker/],
    ['an aws: key', { 'aws:x': 'y' }, /reserves/],
    ['more than AWS allows with the marker', Object.fromEntries(Array.from({ length: 50 }, (_, i) => [`k${i}`, 'v'])), /at most 49 tags/],
  ])('refuses %s', (_n, tags, message) => {
    expect(() => declaredTags(obj, tags, 50)).toThrow(InvalidSpecError);
    expect(() => declaredTags(obj, tags, 50)).toThrow(message);
  });
});
