/**
 * Observation of a SIP media application: one ListSipMediaApplications per pass serves every
 * application object; its tags carry the ownership marker; logging and the Alexa skill configuration
 * are read only when the spec manages them, and the rules that target the application only when a deletion may need them.
 */
import type { SipMediaApplicationAtProvider, SipMediaApplicationSpec } from '../../api/kinds/sip-media-application.js';
import type { GetSipMediaApplicationAlexaSkillConfigurationCommandOutput, GetSipMediaApplicationLoggingConfigurationCommandOutput } from '@aws-sdk/client-chime-sdk-voice';
import { findOwned, listTags } from '../../aws/ownership.js';
import type { ObserveArgs } from '../../reconcile/types.js';
import { appliedTagKeysOf } from '../shared/tags.js';
import type { SmaDesired } from './desired.js';

export interface TargetingRule {
  sipRuleId: string;
  name: string;
  disabled: boolean;
}

export interface SmaObserved {
  sipMediaApplicationId: string;
  arn: string;
  name: string;
  region: string;
  lambdaArn?: string;
  /** Empty when the application has no ARN to read them by. */
  tags: Record<string, string>;
  /** The tag keys the spec declared on an earlier pass (status.atProvider). */
  appliedTagKeys?: string[];
  /** Read only when the spec has a logging block. */
  enableSipLogs?: boolean;
  /** Read only when the spec has an alexaSkills block; null when AWS has none. */
  alexaSkills?: { status?: string; skillIds: string[] } | null;
  /** The SIP rules whose targets include the application; read only for deletion (S3). */
  rules?: TargetingRule[];
}

interface AwsSma {
  SipMediaApplicationId: string;
  SipMediaApplicationArn?: string;
  AwsRegion?: string;
  Name?: string;
  Endpoints?: Array<{ LambdaArn?: string }>;
}

export interface AwsSipRule {
  SipRuleId: string;
  Name?: string;
  Disabled?: boolean;
  TriggerType?: 'ToPhoneNumber' | 'RequestUriHostname';
  TriggerValue?: string;
  TargetApplications?: Array<{ SipMediaApplicationId?: string; Priority?: number; AwsRegion?: string }>;
}

/** Every SIP rule of the account, listed once per pass (shared with the SipRule kind). */
export const listSipRules = (aws: ObserveArgs<unknown>['aws']) =>
  aws.inventory.list<AwsSipRule>({ service: 'voice', operation: 'ListSipRules', items: 'SipRules' });

export async function observeSma({ obj, desired, aws, mode }: ObserveArgs<SmaDesired, SipMediaApplicationSpec, SipMediaApplicationAtProvider>): Promise<SmaObserved | undefined> {
  const apps = await aws.inventory.list<AwsSma>({ service: 'voice', operation: 'ListSipMediaApplications', items: 'SipMediaApplications' });
  const app = await findOwned<AwsSma>({
    obj,
    kindLabel: 'SIP media application',
    candidates: apps,
    idOf: (a) => a.SipMediaApplicationId,
    nameOf: (a) => a.Name ?? '',
    awsName: desired.name,
    cachedId: obj.status?.atProvider?.sipMediaApplicationId,
    fetch: async (id) => (await aws.read<{ SipMediaApplication?: AwsSma }>('voice', 'GetSipMediaApplication', { SipMediaApplicationId: id }))?.SipMediaApplication,
    arnOf: (a) => a.SipMediaApplicationArn ?? '',
    aws,
  });
  if (!app) return undefined;
  const id = app.SipMediaApplicationId;
  const observed: SmaObserved = {
    sipMediaApplicationId: id,
    arn: app.SipMediaApplicationArn ?? '',
    name: app.Name ?? '',
    region: app.AwsRegion ?? '',
    tags: {},
    ...(app.Endpoints?.[0]?.LambdaArn ? { lambdaArn: app.Endpoints[0].LambdaArn } : {}),
  };
  if (observed.arn) observed.tags = await listTags(aws, observed.arn);
  const applied = appliedTagKeysOf(obj.status?.atProvider);
  if (applied) observed.appliedTagKeys = applied;
  if (desired.enableSipLogs !== undefined) {
    const out = await aws.send<GetSipMediaApplicationLoggingConfigurationCommandOutput>('voice', 'GetSipMediaApplicationLoggingConfiguration', { SipMediaApplicationId: id });
    observed.enableSipLogs = out?.SipMediaApplicationLoggingConfiguration?.EnableSipMediaApplicationMessageLogs ?? false;
  }
  if (desired.alexaSkills !== undefined) {
    const out = await aws.send<GetSipMediaApplicationAlexaSkillConfigurationCommandOutput>('voice', 'GetSipMediaApplicationAlexaSkillConfiguration', { SipMediaApplicationId: id });
    const cfg = out?.SipMediaApplicationAlexaSkillConfiguration;
    observed.alexaSkills = cfg ? { status: cfg.AlexaSkillStatus, skillIds: [...(cfg.AlexaSkillIds ?? [])] } : null;
  }
  // Only a deletion (or a plan, which may show one) needs the rules targeting the application (S3).
  if (mode !== 'apply') {
    const rules = await listSipRules(aws);
    observed.rules = rules
      .filter((r) => (r.TargetApplications ?? []).some((t) => t.SipMediaApplicationId === id))
      .map((r) => ({ sipRuleId: r.SipRuleId, name: r.Name ?? '', disabled: r.Disabled === true }));
  }
  return observed;
}
