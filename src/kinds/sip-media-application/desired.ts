/**
 * The desired SIP media application in AWS terms (S1): name, region, the one Lambda endpoint, tags
 * with the ownership marker, and the logging and Alexa skill blocks when the spec sets them.
 */
import { LAMBDA_ARN_PATTERN, type SipMediaApplicationSpec, type SipMediaApplicationAtProvider } from '../../api/kinds/sip-media-application.js';
import { LIMITS } from '../../domain/limits.js';
import { InvalidSpecError } from '../../reconcile/errors.js';
import type { DesiredContext, ManagedObject } from '../../reconcile/types.js';
import { declaredTags, type DesiredTags } from '../shared/tags.js';

/** The region the schema assumes when spec.region is omitted (its CEL rule checks the endpoint against it). */
export const DEFAULT_REGION = 'us-east-1';

const LAMBDA_ARN = new RegExp(LAMBDA_ARN_PATTERN);

export interface SmaDesired {
  /** The AWS name: spec.name, else metadata.name. */
  name: string;
  region: string;
  lambdaArn: string;
  /** The spec's tags plus the ownership marker, which the create call carries so that a crash after it leaves a findable application. */
  tags: DesiredTags;
  /** Undefined when the spec has no logging block. */
  enableSipLogs?: boolean;
  /** Undefined when the spec has no alexaSkills block (AWS withdrew this API: never read nor written unless asked for). */
  alexaSkills?: { status: string; skillIds: string[] };
}

/** The region a Lambda function, alias or version ARN lives in; undefined when it is not such an ARN. */
export function lambdaRegion(arn: string): string | undefined {
  if (!LAMBDA_ARN.test(arn)) return undefined;
  return arn.split(':')[3];
}

export function smaDesired(obj: ManagedObject<SipMediaApplicationSpec, SipMediaApplicationAtProvider>, _ctx: DesiredContext): SmaDesired {
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
    tags: declaredTags(obj, spec.tags, LIMITS.tagsPerResource.max),
    ...(spec.logging !== undefined ? { enableSipLogs: spec.logging.enableSipLogs ?? false } : {}),
    ...(alexa !== undefined ? { alexaSkills: { status: alexa.status, skillIds: [...alexa.skillIds] } } : {}),
  };
}
