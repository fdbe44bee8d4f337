// SipMediaApplication: a Lambda-backed programmable call flow (issue 5; S1).
import type { Static } from '@sinclair/typebox';
import { AwsName, PATTERNS, Region, StatusSchema, Tags, AppliedTagKeys, commonSpecFields, type ChimeObject, type CommonStatus } from '../common.js';
import { ageColumn, defineKind, readyDriftedColumns } from '../kind.js';
import { Bool, List, Obj, Optional, Str, StringEnum, cel, has } from '../schema.js';

/** FunctionArn in the model (anchored). */
export const LAMBDA_ARN_PATTERN = '^arn:(aws[a-zA-Z-]*)?:lambda:[a-z]{2}((-gov)|(-iso(b?)))?-[a-z]+-\\d{1}:\\d{12}:function:[a-zA-Z0-9_-]+(:(\\$LATEST|[a-zA-Z0-9_-]+))?$';
export const ALEXA_SKILL_STATUSES = ['ACTIVE', 'INACTIVE'] as const;

export const SipMediaApplicationSpec = Obj(
  {
    name: Optional(AwsName('SIP media application', { minLength: 1, maxLength: 256, pattern: PATTERNS.chimeName })),
    region: Optional(Region('The AWS Region of the SIP media application. Cannot change after creation (S1).')),
    endpoint: Obj(
      {
        lambdaArn: Str('The ARN of the Lambda function, alias or version that handles the calls, in the same region (S1).', {
          maxLength: 10000,
          pattern: LAMBDA_ARN_PATTERN,
        }),
      },
      'The single endpoint of the application (S1). Can change in place.',
    ),
    tags: Optional(Tags()),
    logging: Optional(
      Obj(
        { enableSipLogs: Optional(Bool('Send SIP message logs of the application to Amazon CloudWatch Logs.', { default: false })) },
        'Logging configuration. Not managed when omitted.',
      ),
    ),
    alexaSkills: Optional(
      Obj(
        {
          status: StringEnum(ALEXA_SKILL_STATUSES, 'ACTIVE or INACTIVE.'),
          skillIds: List(
            Str('An Alexa skill id, such as amzn1.application-oa2-client.<32 hex>.', {
              maxLength: 64,
              pattern: '^amzn1\\.application-oa2-client\\.[0-9a-fA-F]{32}$',
            }),
            'The Alexa skill ids (exactly one).',
            { minItems: 1, maxItems: 1 },
          ),
        },
        'Alexa skill configuration of the application. Not managed when omitted.',
      ),
    ),
    ...commonSpecFields,
  },
  'The desired state of the SIP media application.',
  {
    rules: [
      cel(
        "self.endpoint.lambdaArn.contains(':lambda:' + (has(self.region) ? self.region : 'us-east-1') + ':')",
        'the Lambda function must be in the same region as the SIP media application (S1)',
        (self) => String(self.endpoint.lambdaArn).includes(`:lambda:${has(self, 'region') ? self.region : 'us-east-1'}:`),
        { fieldPath: '.endpoint.lambdaArn' },
      ),
    ],
  },
);
export type SipMediaApplicationSpec = Static<typeof SipMediaApplicationSpec>;

export const SipMediaApplicationAtProvider = Obj(
  {
    sipMediaApplicationId: Optional(Str('The SIP media application id.')),
    arn: Optional(Str('The SIP media application ARN.')),
    region: Optional(Str('The AWS Region it lives in.')),
    appliedTagKeys: Optional(AppliedTagKeys()),
  },
  'The SIP media application in AWS.',
);
export type SipMediaApplicationAtProvider = Static<typeof SipMediaApplicationAtProvider>;

export const SipMediaApplicationStatus = StatusSchema('SipMediaApplication', SipMediaApplicationAtProvider);
export type SipMediaApplicationStatus = CommonStatus<SipMediaApplicationAtProvider>;
export type SipMediaApplication = ChimeObject<'SipMediaApplication', SipMediaApplicationSpec, SipMediaApplicationStatus>;

export const SipMediaApplicationKind = defineKind({
  kind: 'SipMediaApplication',
  plural: 'sipmediaapplications',
  singular: 'sipmediaapplication',
  shortNames: ['sma'],
  categories: ['chime'],
  description:
    'An Amazon Chime SDK SIP media application: a programmable call flow handled by an AWS Lambda function. Deleting it deletes neither its numbers nor its rules (S1).',
  spec: SipMediaApplicationSpec,
  status: SipMediaApplicationStatus,
  printerColumns: [
    ...readyDriftedColumns(),
    { name: 'ID', type: 'string', jsonPath: '.status.atProvider.sipMediaApplicationId', description: 'The SIP media application id.' },
    { name: 'Region', type: 'string', jsonPath: '.spec.region', priority: 1 },
    ageColumn,
  ],
  extraConditionTypes: [],
  awsName: { maxLength: 256, pattern: PATTERNS.chimeName },
});
