/**
 * CloudTrail records → what the controller does with them, as tables: which messages are records
 * of Chime writes, which writes are the controller's own, and which objects a record touches.
 */
import { describe, expect, it } from 'vitest';
import { identifiersOf, isOwnWrite, parseEventMessage, writeOf, type CloudTrailRecord } from '../../src/aws/cloudtrail-events.js';
import { listingsChangedBy } from '../../src/aws/context.js';
import { EventKeyIndex, identifiersOfObject } from '../../src/runtime/event-keys.js';

const VC = 'abcdef0123456789ghijkl';
const VC_ARN = `arn:aws:chime:us-east-1:123456789012:vc/${VC}`;
const SMA = '3b1f8c2e-5d4a-4e9b-8f11-0a2b3c4d5e6f';
const RULE = '9f0e1d2c-3b4a-4c5d-8e6f-7a8b9c0d1e2f';

const record = (over: Partial<CloudTrailRecord>): CloudTrailRecord => ({
  eventID: 'e-1',
  eventTime: '2026-12-05T12:00:00Z',
  eventSource: 'chime.amazonaws.com',
  eventName: 'UpdateVoiceConnector',
  ...over,
});
const envelope = (detail: unknown) => JSON.stringify({ version: '0', 'detail-type': 'AWS API Call via CloudTrail', source: 'aws.chime', detail });

describe('parseEventMessage', () => {
  it.each([
    ['an EventBridge event of a voice write', envelope(record({})), 'record'],
    ['a bare CloudTrail record', JSON.stringify(record({})), 'record'],
    ['the voice endpoint prefix as source', envelope(record({ eventSource: 'voice-chime.amazonaws.com' })), 'record'],
    ['a media pipelines write', envelope(record({ eventSource: 'chime-sdk-media-pipelines.amazonaws.com', eventName: 'UpdateMediaInsightsPipelineConfiguration' })), 'record'],
    ['another service', envelope(record({ eventSource: 's3.amazonaws.com' })), 'other'],
    ['a failed call', envelope(record({ errorCode: 'BadRequestException' })), 'other'],
    ['a read', envelope(record({ readOnly: true, eventName: 'GetVoiceConnector' })), 'other'],
    ['not JSON', 'hello', 'malformed'],
    ['JSON without a record', '{"detail":{"foo":1}}', 'malformed'],
    ['a JSON array', '[]', 'malformed'],
  ])('%s → %s', (_, body, kind) => {
    expect(parseEventMessage(body).kind).toBe(kind);
  });
});

describe('isOwnWrite', () => {
  const own = { userAgentAppId: 'chime-voice-operator', sessionNames: ['chime-voice-operator'] };
  const role = (session: string) => ({ type: 'AssumedRole', arn: `arn:aws:sts::123456789012:assumed-role/chime-voice-operator/${session}` });
  it.each([
    ['our user agent', record({ userAgent: 'aws-sdk-js/3.1142.0 ua/2.1 os/linux app/chime-voice-operator' }), true],
    ['our role session', record({ userIdentity: role('chime-voice-operator') }), true],
    ['another session of the same role', record({ userIdentity: role('alice@example.com') }), false],
    ['the console', record({ userAgent: 'console.amazonaws.com', userIdentity: role('alice') }), false],
    ['an app id that only starts like ours', record({ userAgent: 'aws-cli/2 app/chime-voice-operator-fork' }), false],
    ['an IAM user named like our session', record({ userIdentity: { type: 'IAMUser', arn: 'arn:aws:iam::123456789012:user/chime-voice-operator' } }), false],
  ])('%s → %s', (_, r, expected) => {
    expect(isOwnWrite(r, own)).toBe(expected);
  });
  it('takes nothing as own when told nothing', () => {
    expect(isOwnWrite(record({ userAgent: 'app/chime-voice-operator' }), {})).toBe(false);
  });
});

describe('identifiersOf', () => {
  it.each([
    ['a connector id in the request', record({ requestParameters: { voiceConnectorId: VC, name: 'pbx', requireEncryption: true } }), [VC]],
    ['numbers of an association', record({ eventName: 'AssociatePhoneNumbersWithVoiceConnector', requestParameters: { voiceConnectorId: VC, e164PhoneNumbers: ['+12065550100', '+12065550101'] } }), [VC, '+12065550100', '+12065550101']],
    ['a tagged ARN, and its id', record({ eventName: 'TagResource', requestParameters: { resourceARN: VC_ARN, tags: [{ key: 'team', value: 'voice' }] } }), [VC_ARN, VC]],
    ['a created resource in the response', record({ eventName: 'CreateSipMediaApplication', requestParameters: { name: 'ivr' }, responseElements: { sipMediaApplication: { sipMediaApplicationId: SMA } } }), [SMA]],
    ['a rule and its targets', record({ eventName: 'UpdateSipRule', requestParameters: { sipRuleId: RULE, targetApplications: [{ sipMediaApplicationId: SMA, priority: 1 }] } }), [RULE, SMA]],
    ['names, hosts and numbers are not identifiers', record({ requestParameters: { name: 'pbx-trunk-east-number1', host: 'sbc1.example.com', port: 5061, password: 'HIDDEN_DUE_TO_SECURITY_REASONS' } }), []],
  ])('%s', (_, r, expected) => {
    expect(identifiersOf(r).sort()).toEqual([...expected].sort());
  });
});

describe('EventKeyIndex', () => {
  const index = new EventKeyIndex();
  index.set('VoiceConnector/default/pbx', 'VoiceConnector', identifiersOfObject({ metadata: { name: 'pbx' }, status: { atProvider: { voiceConnectorId: VC, voiceConnectorArn: VC_ARN, outboundHostName: `${VC}.voiceconnector.chime.aws` } } }));
  index.set('PhoneNumber/default/main', 'PhoneNumber', identifiersOfObject({ metadata: { name: 'main' }, status: {} }, [{ key: 'e164:+12065550100', label: '', path: 'spec.e164' }]));
  index.set('SipMediaApplication/ivr/ivr', 'SipMediaApplication', identifiersOfObject({ metadata: { name: 'ivr', annotations: { 'chimevoice.io/external-id': SMA } }, status: {} }));
  index.set('VoiceGlobalSettings/default/account', 'VoiceGlobalSettings', identifiersOfObject({ metadata: { name: 'account' }, status: { atProvider: { cdrBucket: 'cdrs' } } }));
  index.set('VoiceConnector/default/gone', 'VoiceConnector', ['zzzzzzzzzzzzzzzzzzzz99']);
  index.set('VoiceConnector/default/gone', 'VoiceConnector', undefined);

  it.each([
    ['a connector by id', record({ requestParameters: { voiceConnectorId: VC } }), ['VoiceConnector/default/pbx']],
    ['a connector by tagged ARN', record({ eventName: 'UntagResource', requestParameters: { resourceARN: VC_ARN, tagKeys: ['team'] } }), ['VoiceConnector/default/pbx']],
    ['the connector and the number of an association', record({ eventName: 'AssociatePhoneNumbersWithVoiceConnector', requestParameters: { voiceConnectorId: VC, e164PhoneNumbers: ['+12065550100'] } }), ['PhoneNumber/default/main', 'VoiceConnector/default/pbx']],
    ['a number updated by id', record({ eventName: 'UpdatePhoneNumber', requestParameters: { phoneNumberId: '+12065550100', callingName: 'ACME' } }), ['PhoneNumber/default/main']],
    ['an adopted application by external id', record({ eventName: 'UpdateSipMediaApplication', requestParameters: { sipMediaApplicationId: SMA } }), ['SipMediaApplication/ivr/ivr']],
    ['account-wide settings', record({ eventName: 'UpdateGlobalSettings', requestParameters: { voiceConnector: { cdrBucket: 'other' } } }), ['VoiceGlobalSettings/default/account']],
    ['a resource no object knows', record({ requestParameters: { voiceConnectorId: 'qqqqqqqqqqqqqqqqqqqq11' } }), []],
    ['an object forgotten', record({ requestParameters: { voiceConnectorId: 'zzzzzzzzzzzzzzzzzzzz99' } }), []],
  ])('%s', (_, r, expected) => {
    expect(index.keysFor(r)).toEqual(expected);
  });
});

describe('writeOf', () => {
  it('gives the inventory the write in SDK member names, so it forgets exactly the listings it changed', () => {
    expect(listingsChangedBy(writeOf(record({ eventName: 'TagResource', requestParameters: { resourceARN: VC_ARN } })))).toEqual([{ operation: 'ListTagsForResource', input: { ResourceARN: VC_ARN } }]);
    expect(listingsChangedBy(writeOf(record({ eventName: 'UpdateVoiceConnector', requestParameters: { voiceConnectorId: VC } })))).toEqual([{ operation: 'ListVoiceConnectors' }]);
    expect(writeOf(record({ eventSource: 'chime-sdk-media-pipelines.amazonaws.com' })).service).toBe('mediaPipelines');
  });
});
