/**
 * The desired SIP media application in AWS terms (S1): name, region, the one Lambda endpoint, tags
 * with the ownership marker, and the logging and Alexa skill blocks when the spec sets them.
 */
import { LAMBDA_ARN_PATTERN, type SipMediaApplicationSpec } from '../../api/kinds/sip-media-application.js';
import { tagsWithMarker } from '../../aws/ownership.js';
import { InvalidSpecError } from '../../reconcile/errors.js';
import type { DesiredContext, ManagedObject } from '../../reconcile/types.js';

/** The region the schema assumes when spec.region is omitted (its CEL rule checks the endpoint against it). */
export const DEFAULT_REGION = 'us-east-1';

const LAMBDA_ARN = new RegExp(LAMBDA_ARN_PATTERN);

export interface SmaDesired {
  /** The AWS name: spec.name, else metadata.name. */
  name: string;
  region: string;
  lambdaArn: string;
  /** Spec tags; undefined when the spec does not manage tags. The ownership marker is never among them. */
  tags?: Record<string, string>;
  /** The tags of the create call: the spec's tags plus the ownership marker, so a crash after create leaves a findable application. */
  createTags: Array<{ Key: string; Value: string }>;
  /** Undefined when the spec has no logging block. */
  enableSipLogs?: boolean;
  /** Undefined when the spec has no alexaSkills block (AWS withdrew this API: never read nor written unless asked for). */
  alexaSkills?: { status: string; skillIds: string[] };
  /** Whether observe should list the SIP rules targeting the application: only deletion (and plan mode) needs them (S3). */
  readRules: boolean;
}

/** The region a Lambda function, alias or version ARN lives in; undefined when it is not such an ARN. */
export function lambdaRegion(arn: string): string | undefined {
  if (!LAMBDA_ARN.test(arn)) return undefined;
  return arn.split(':')[3];
}

export function smaDesired(obj: ManagedObject<SipMediaApplicationSpec>, ctx: DesiredContext): SmaDesired {
  const spec = obj.spec;
  const region = spec.region ?? DEFAULT_REGION;
  const lambdaArn = spec.endpoint?.lambdaArn;
  if (!lambdaArn) throw new InvalidSpecError('endpoint.lambdaArn is required: a SIP media application has exactly one Lambda endpoint (S1)', 'endpoint.lambdaArn');
  const fnRegion = lambdaRegion(lambdaArn);
  if (fnRegion === undefined) {
    throw new InvalidSpecError(`endpoint.lambdaArn ${lambdaArn} is not the ARN of a Lambda function, alias or version (S1)`, 'endpoint.lambdaArn');
  }
  if (fnRegion !== region) {
    throw new InvalidSpecError(
      `endpoint.lambdaArn ${lambdaArn} is in region ${fnRegion}, but the SIP media application is in ${region}: the Lambda function must be in the same region (S1)`,
      'endpoint.lambdaArn',
    );
  }
  const alexa = spec.alexaSkills;
  return {
    name: spec.name ?? obj.metadata.name,
    region,
    lambdaArn,
    ...(spec.tags !== undefined ? { tags: { ...spec.tags } } : {}),
    createTags: tagsWithMarker(obj, spec.tags),
    ...(spec.logging !== undefined ? { enableSipLogs: spec.logging.enableSipLogs ?? false } : {}),
    ...(alexa !== undefined ? { alexaSkills: { status: alexa.status, skillIds: [...alexa.skillIds] } } : {}),
    readRules: ctx.lenient || obj.metadata.deletionTimestamp !== undefined,
  };
}
