/** SipMediaApplication: desired (S1 checks) and diff, field by field. */
import { describe, expect, it } from 'vitest';
import { smaDesired, type SmaDesired } from '../../src/kinds/sip-media-application/desired.js';
import { diffSma } from '../../src/kinds/sip-media-application/diff.js';
import type { SmaObserved } from '../../src/kinds/sip-media-application/observe.js';
import { InvalidSpecError } from '../../src/reconcile/errors.js';
import type { SipMediaApplicationAtProvider, SipMediaApplicationSpec } from '../../src/api/kinds/sip-media-application.js';
import type { DesiredContext, ManagedObject } from '../../src/reconcile/types.js';

const ARN = 'arn:aws:lambda:us-west-2:111122223333:function:ivr';
const ARN2 = 'arn:aws:lambda:us-west-2:111122223333:function:ivr:live';
const SKILL = 'amzn1.application-oa2-client.0123456789abcdef0123456789abcdef';
const SKILL2 = 'amzn1.application-oa2-client.fedcba9876543210fedcba9876543210';

const MARKER = { 'chimevoice.io/owner': 'default/ivr' };
const desired = (d: Partial<SmaDesired> = {}): SmaDesired => ({ name: 'ivr', region: 'us-west-2', lambdaArn: ARN, tags: { ...MARKER }, ...d });
const observed = (o: Partial<SmaObserved> = {}): SmaObserved => ({
  sipMediaApplicationId: 'sma1',
  arn: 'arn:aws:chime:us-west-2:111122223333:sma/sma1',
  name: 'ivr',
  region: 'us-west-2',
  lambdaArn: ARN,
  tags: { ...MARKER },
  ...o,
});

describe('SipMediaApplication diff', () => {
  const cases: Array<[string, Partial<SmaDesired>, Partial<SmaObserved>, Array<Record<string, unknown>>]> = [
    ['name differs', { name: 'ivr-2' }, {}, [{ path: 'name', desired: 'ivr-2', actual: 'ivr' }]],
    ['name equal', {}, {}, []],
    ['region differs (S1): replacement', { region: 'us-east-1' }, {}, [{ path: 'region', desired: 'us-east-1', actual: 'us-west-2', requiresReplacement: true }]],
    ['region equal', {}, { region: 'us-west-2' }, []],
    ['endpoint differs', { lambdaArn: ARN2 }, {}, [{ path: 'endpoint.lambdaArn', desired: ARN2, actual: ARN }]],
    ['endpoint missing in AWS', {}, { lambdaArn: undefined }, [{ path: 'endpoint.lambdaArn', desired: ARN, actual: undefined }]],
    ['tag value differs', { tags: { ...MARKER, team: 'voice' } }, { tags: { ...MARKER, team: 'ops' } }, [{ path: 'tags.team', desired: 'voice', actual: 'ops' }]],
    ['tag missing', { tags: { ...MARKER, team: 'voice' } }, {}, [{ path: 'tags.team', desired: 'voice', actual: undefined }]],
    // Changed: the spec no longer owns the whole tag set; tags it never declared belong to someone else.
    ['a tag in AWS the spec never declared is left alone', {}, { tags: { ...MARKER, extra: 'x' } }, []],
    ['a tag removed from the spec since it was applied is drift', {}, { tags: { ...MARKER, extra: 'x' }, appliedTagKeys: ['extra'] }, [{ path: 'tags.extra', desired: undefined, actual: 'x' }]],
    ['tags equal', { tags: { ...MARKER, team: 'voice' } }, { tags: { ...MARKER, team: 'voice' } }, []],
    ['the ownership marker removed from AWS is put back', {}, { tags: {} }, [{ path: 'tags.chimevoice.io/owner', desired: 'default/ivr', actual: undefined }]],
    ['logging differs', { enableSipLogs: true }, { enableSipLogs: false }, [{ path: 'logging.enableSipLogs', desired: true, actual: false }]],
    ['logging equal', { enableSipLogs: true }, { enableSipLogs: true }, []],
    ['logging off, AWS answer without the member: off by default', { enableSipLogs: false }, { enableSipLogs: undefined }, []],
    ['logging omitted: not managed', {}, { enableSipLogs: true }, []],
    [
      'Alexa status differs',
      { alexaSkills: { status: 'INACTIVE', skillIds: [SKILL] } },
      { alexaSkills: { status: 'ACTIVE', skillIds: [SKILL] } },
      [{ path: 'alexaSkills.status', desired: 'INACTIVE', actual: 'ACTIVE' }],
    ],
    [
      'Alexa skill ids differ',
      { alexaSkills: { status: 'ACTIVE', skillIds: [SKILL2] } },
      { alexaSkills: { status: 'ACTIVE', skillIds: [SKILL] } },
      [{ path: 'alexaSkills.skillIds', desired: [SKILL2], actual: [SKILL] }],
    ],
    [
      'Alexa configuration absent in AWS',
      { alexaSkills: { status: 'ACTIVE', skillIds: [SKILL] } },
      { alexaSkills: null },
      [
        { path: 'alexaSkills.status', desired: 'ACTIVE', actual: null },
        { path: 'alexaSkills.skillIds', desired: [SKILL], actual: [] },
      ],
    ],
    ['Alexa equal', { alexaSkills: { status: 'ACTIVE', skillIds: [SKILL] } }, { alexaSkills: { status: 'ACTIVE', skillIds: [SKILL] } }, []],
    ['Alexa omitted: not managed (the API is withdrawn)', {}, { alexaSkills: { status: 'ACTIVE', skillIds: [SKILL] } }, []],
  ];
  it.each(cases)('%s', (_name, d, o, expected) => {
    expect(diffSma(desired(d), observed(o))).toEqual(expected);
  });
});

describe('SipMediaApplication desired (S1)', () => {
  const ctx = (lenient = false): DesiredContext => ({ lenient, resolve: () => ({}), secret: () => '', digestSecret: () => '' });
  const obj = (spec: Record<string, unknown>): ManagedObject<SipMediaApplicationSpec, SipMediaApplicationAtProvider> => ({
    apiVersion: 'chimevoice.io/v1alpha1',
    kind: 'SipMediaApplication',
    metadata: { name: 'ivr', namespace: 'voice' },
    spec: spec as SipMediaApplicationSpec,
  });

  it('defaults the name to the object name and the region to us-east-1; the create tags carry the ownership marker', () => {
    expect(smaDesired(obj({ endpoint: { lambdaArn: 'arn:aws:lambda:us-east-1:111122223333:function:f' }, tags: { team: 'voice' } }), ctx())).toEqual({
      name: 'ivr',
      region: 'us-east-1',
      lambdaArn: 'arn:aws:lambda:us-east-1:111122223333:function:f',
      tags: { team: 'voice', 'chimevoice.io/owner': 'voice/ivr' },
    });
  });

  it('manages logging and Alexa skills only when the spec has the blocks', () => {
    const d = smaDesired(obj({ region: 'us-west-2', endpoint: { lambdaArn: ARN }, logging: {}, alexaSkills: { status: 'ACTIVE', skillIds: [SKILL] } }), ctx(true));
    expect(d).toMatchObject({ enableSipLogs: false, alexaSkills: { status: 'ACTIVE', skillIds: [SKILL] } });
  });

  it.each([
    ['a function ARN of the same region', 'arn:aws:lambda:us-west-2:111122223333:function:f', undefined],
    ['an alias ARN', 'arn:aws:lambda:us-west-2:111122223333:function:f:live', undefined],
    ['a version ARN', 'arn:aws:lambda:us-west-2:111122223333:function:f:7', undefined],
    ['$LATEST', 'arn:aws:lambda:us-west-2:111122223333:function:f:$LATEST', undefined],
    ['another region', 'arn:aws:lambda:us-east-1:111122223333:function:f', 'is in region us-east-1, but the SIP media application is in us-west-2'],
    ['not a Lambda ARN', 'arn:aws:sns:us-west-2:111122223333:topic', 'is not the ARN of a Lambda function, alias or version'],
  ])('endpoint: %s', (_name, arn, error) => {
    const run = () => smaDesired(obj({ region: 'us-west-2', endpoint: { lambdaArn: arn } }), ctx());
    if (error === undefined) expect(run().lambdaArn).toBe(arn);
    else {
      expect(run).toThrow(InvalidSpecError);
      expect(run).toThrow(error);
    }
  });
});
