// SipMediaApplication and SipRule validation tables (issue 5). Rule ids: S1 S2 S4.
import { describe, it } from 'vitest';
import { check, obj, withSpec, type Case } from './helpers.js';

const lambda = (region: string) => `arn:aws:lambda:${region}:111122223333:function:ivr:live`;
const sma = obj('SipMediaApplication', {
  name: 'IVR east',
  region: 'us-east-1',
  endpoint: { lambdaArn: lambda('us-east-1') },
  tags: { app: 'ivr' },
  logging: { enableSipLogs: true },
});

const smaCases: Case[] = [
  { name: 'application with every setting (S1)', rules: ['S1'], object: sma, errors: [] },
  {
    name: 'Lambda in another region (S1)',
    rules: ['S1'],
    object: withSpec(sma, (s) => (s.endpoint.lambdaArn = lambda('us-west-2'))),
    errors: [{ path: 'spec.endpoint.lambdaArn', message: 'the Lambda function must be in the same region as the SIP media application (S1)' }],
  },
  {
    name: 'not a Lambda ARN (S1)',
    rules: ['S1'],
    object: withSpec(sma, (s) => (s.endpoint.lambdaArn = 'arn:aws:sns:us-east-1:111122223333:topic')),
    errors: [
      {
        path: 'spec.endpoint.lambdaArn',
        message:
          '"arn:aws:sns:us-east-1:111122223333:topic" does not match the pattern ^arn:(aws[a-zA-Z-]*)?:lambda:[a-z]{2}((-gov)|(-iso(b?)))?-[a-z]+-\\d{1}:\\d{12}:function:[a-zA-Z0-9_-]+(:(\\$LATEST|[a-zA-Z0-9_-]+))?$',
      },
    ],
  },
  {
    name: 'region change refused (S1)',
    rules: ['S1'],
    object: withSpec(sma, (s) => {
      s.region = 'us-west-2';
      s.endpoint.lambdaArn = lambda('us-west-2');
    }),
    old: sma,
    errors: [{ path: 'spec.region', message: 'region cannot change after creation; create a new object in the other region and delete this one' }],
  },
  {
    name: 'name and endpoint change in place (S1)',
    rules: ['S1'],
    object: withSpec(sma, (s) => {
      s.name = 'IVR east v2';
      s.endpoint.lambdaArn = 'arn:aws:lambda:us-east-1:111122223333:function:ivr2';
    }),
    old: sma,
    errors: [],
  },
  {
    name: 'endpoint missing',
    object: withSpec(sma, (s) => delete s.endpoint),
    errors: [{ path: 'spec.endpoint', message: 'required field is missing' }],
  },
  {
    name: 'bad Alexa skill status',
    object: withSpec(sma, (s) => (s.alexaSkills = { status: 'ON', skillIds: ['amzn1.application-oa2-client.0123456789abcdef0123456789abcdef'] })),
    errors: [{ path: 'spec.alexaSkills.status', message: 'must be one of "ACTIVE", "INACTIVE" (got "ON")' }],
  },
];

const rule = obj('SipRule', {
  name: 'Main number',
  trigger: { type: 'ToPhoneNumber', phoneNumberRef: { name: 'main' } },
  targetApplications: [
    { sipMediaApplicationRef: { name: 'ivr-east' }, priority: 1, region: 'us-east-1' },
    { sipMediaApplicationId: 'a1b2c3', priority: 2, region: 'us-west-2' },
  ],
});
const hostRule = obj('SipRule', {
  trigger: { type: 'RequestUriHostname', hostname: 'abcdefghijklmnopqrstu.voiceconnector.chime.aws' },
  targetApplications: [{ sipMediaApplicationRef: { name: 'ivr-east' }, priority: 1 }],
});

const ruleCases: Case[] = [
  { name: 'number trigger with failover targets (S2)', rules: ['S2'], object: rule, errors: [] },
  { name: 'host name trigger (S2)', rules: ['S2'], object: hostRule, errors: [] },
  {
    name: 'number trigger with a host name (S2)',
    rules: ['S2'],
    object: withSpec(rule, (s) => (s.trigger.hostname = 'abcdefghijklmnopqrstu.voiceconnector.chime.aws')),
    errors: [{ path: 'spec.trigger', message: 'a ToPhoneNumber trigger takes exactly one of phoneNumberRef or e164 (S2)' }],
  },
  {
    name: 'number trigger by reference and by E.164 (S2, XOR)',
    rules: ['S2'],
    object: withSpec(rule, (s) => (s.trigger.e164 = '+12065550100')),
    errors: [{ path: 'spec.trigger', message: 'a ToPhoneNumber trigger takes exactly one of phoneNumberRef or e164 (S2)' }],
  },
  {
    name: 'host name trigger without a value (S2)',
    rules: ['S2'],
    object: withSpec(hostRule, (s) => delete s.trigger.hostname),
    errors: [{ path: 'spec.trigger', message: 'a RequestUriHostname trigger takes exactly one of voiceConnectorRef or hostname (S2)' }],
  },
  {
    name: 'host name that is not a connector host (S2)',
    rules: ['S2'],
    object: withSpec(hostRule, (s) => (s.trigger.hostname = 'sbc.example.com')),
    errors: [{ path: 'spec.trigger.hostname', message: '"sbc.example.com" does not match the pattern ^[a-z0-9-]+\\.voiceconnector\\.chime\\.aws$' }],
  },
  {
    name: 'malformed E.164 trigger (S2)',
    rules: ['S2'],
    object: withSpec(rule, (s) => (s.trigger = { type: 'ToPhoneNumber', e164: '+1206' })),
    errors: [{ path: 'spec.trigger.e164', message: '"+1206" is not a valid phone number in E.164 format (such as +12065550100)' }],
  },
  {
    name: 'two targets in one region (S2)',
    rules: ['S2'],
    object: withSpec(rule, (s) => (s.targetApplications[1].region = 'us-east-1')),
    errors: [{ path: 'spec.targetApplications', message: 'at most one target application per region (S2)' }],
  },
  {
    name: 'no targets (S2)',
    rules: ['S2'],
    object: withSpec(rule, (s) => (s.targetApplications = [])),
    errors: [{ path: 'spec.targetApplications', message: 'must have at least 1 item' }],
  },
  {
    name: '26 targets (S2)',
    rules: ['S2'],
    object: withSpec(rule, (s) => (s.targetApplications = Array.from({ length: 26 }, (_, i) => ({ sipMediaApplicationRef: { name: `a${i}` }, priority: i + 1 })))),
    errors: [{ path: 'spec.targetApplications', message: 'must have at most 25 items' }],
  },
  {
    name: 'target by id without region (S2)',
    rules: ['S2'],
    object: withSpec(rule, (s) => delete s.targetApplications[1].region),
    errors: [{ path: 'spec.targetApplications[1].region', message: 'region is required when the application is given by id' }],
  },
  {
    name: 'target by reference and by id (XOR)',
    object: withSpec(rule, (s) => (s.targetApplications[0].sipMediaApplicationId = 'x')),
    errors: [{ path: 'spec.targetApplications[0]', message: 'set exactly one of sipMediaApplicationRef or sipMediaApplicationId' }],
  },
  {
    name: 'bad trigger type enum',
    object: withSpec(rule, (s) => (s.trigger.type = 'FromPhoneNumber')),
    errors: [{ path: 'spec.trigger.type', message: 'must be one of "ToPhoneNumber", "RequestUriHostname" (got "FromPhoneNumber"); did you mean ToPhoneNumber?' }],
  },
  {
    name: 'trigger change refused (S4)',
    rules: ['S4'],
    object: withSpec(rule, (s) => (s.trigger = { type: 'ToPhoneNumber', phoneNumberRef: { name: 'other' } })),
    old: rule,
    errors: [
      { path: 'spec.trigger', message: 'the trigger of a SIP rule cannot change (S4): create a new SipRule with the new trigger and delete this one' },
    ],
  },
  {
    name: 'disable and retarget in place (S3, S4)',
    rules: ['S3', 'S4'],
    object: withSpec(rule, (s) => {
      s.disabled = true;
      s.targetApplications.pop();
    }),
    old: rule,
    errors: [],
  },
];

describe('SipMediaApplication validation', () => {
  it.each(smaCases.map((c) => [c.name, c] as const))('%s', (_n, c) => check(c));
});

describe('SipRule validation', () => {
  it.each(ruleCases.map((c) => [c.name, c] as const))('%s', (_n, c) => check(c));
});
