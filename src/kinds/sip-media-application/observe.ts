/**
 * Observation of a SIP media application: one ListSipMediaApplications per pass serves every
 * application object; its tags carry the ownership marker; logging and the Alexa skill configuration
 * are read only when the spec manages them, and the rules that target the application only when a deletion may need them.
 */
import type { SipMediaApplicationAtProvider, SipMediaApplicationSpec } from '../../api/kinds/sip-media-application.js';
import type {
  GetSipMediaApplicationAlexaSkillConfigurationCommandOutput,
  GetSipMediaApplicationLoggingConfigurationCommandOutput,
  SipMediaApplicationAlexaSkillConfiguration,
} from '@aws-sdk/client-chime-sdk-voice';
import { findOwned, listTags } from '../../aws/ownership.js';
import type { Answered, ExecutedAction, ObserveArgs } from '../../reconcile/types.js';
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

/** An application as the listing, its Get and the create and update calls return it. */
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

export async function observeSma({ obj, desired, aws: account, mode }: ObserveArgs<SmaDesired, unknown, SipMediaApplicationSpec, SipMediaApplicationAtProvider>): Promise<SmaObserved | undefined> {
  // Read through the application's own region's endpoint: where it was last seen (so that a changed
  // spec.region shows as a replacement, S1), else the spec's.
  const recorded = obj.status?.atProvider?.region;
  const aws = account.in(typeof recorded === 'string' && recorded ? recorded : desired.region);
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
    observed.alexaSkills = readAlexa(out?.SipMediaApplicationAlexaSkillConfiguration);
  }
  // Only a deletion (or a plan, which may show one) needs the rules targeting the application (S3).
  if (mode !== 'apply') {
    // A rule lives in the region it was created through, whatever its targets' regions: the rules of
    // this project in the home region, one made by hand most likely there or in the application's own.
    const lists = await Promise.all([...new Set([account.region, aws.region])].map((region) => listSipRules(account.in(region))));
    const rules = [...new Map(lists.flat().map((r) => [r.SipRuleId, r])).values()];
    observed.rules = rules
      .filter((r) => (r.TargetApplications ?? []).some((t) => t.SipMediaApplicationId === id))
      .map((r) => ({ sipRuleId: r.SipRuleId, name: r.Name ?? '', disabled: r.Disabled === true }));
  }
  return observed;
}

const readAlexa = (cfg: SipMediaApplicationAlexaSkillConfiguration | undefined): SmaObserved['alexaSkills'] => (cfg ? { status: cfg.AlexaSkillStatus, skillIds: [...(cfg.AlexaSkillIds ?? [])] } : null);

/**
 * Pure: the application after its plan ran, from the answers: the create and update calls answer
 * with the application, the Puts with the configuration AWS stored, and a create's tags are the
 * ones it carried. A tag change (TagResource and UntagResource answer nothing), a write without
 * its answer, or a managed setting no answer told (logging left as a new application has it):
 * undefined, observed in full.
 */
export function smaAnswered(before: SmaObserved | undefined, desired: SmaDesired, executed: ExecutedAction[]): Answered<SmaObserved> | undefined {
  let observed = before ? structuredClone(before) : undefined;
  let logsTold = before !== undefined;
  let alexaTold = before !== undefined;
  for (const { action, ok, output } of executed) {
    // The answers are the model's output shapes of these operations.
    const out = ok
      ? (output as
          | {
              SipMediaApplication?: AwsSma;
              SipMediaApplicationLoggingConfiguration?: { EnableSipMediaApplicationMessageLogs?: boolean };
              SipMediaApplicationAlexaSkillConfiguration?: SipMediaApplicationAlexaSkillConfiguration;
            }
          | undefined)
      : undefined;
    switch (action.operation) {
      case 'CreateSipMediaApplication':
      case 'UpdateSipMediaApplication': {
        const app = out?.SipMediaApplication;
        if (!app?.SipMediaApplicationId) return undefined;
        const tags = observed?.tags ?? Object.fromEntries(((action.input.Tags ?? []) as Array<{ Key: string; Value: string }>).map((t) => [t.Key, t.Value]));
        const { lambdaArn: _previous, ...rest } = observed ?? ({} as Partial<SmaObserved>);
        observed = {
          ...rest,
          sipMediaApplicationId: app.SipMediaApplicationId,
          arn: app.SipMediaApplicationArn ?? '',
          name: app.Name ?? '',
          region: app.AwsRegion ?? '',
          tags,
          ...(app.Endpoints?.[0]?.LambdaArn ? { lambdaArn: app.Endpoints[0].LambdaArn } : {}),
        };
        break;
      }
      case 'PutSipMediaApplicationLoggingConfiguration': {
        const cfg = out?.SipMediaApplicationLoggingConfiguration;
        if (!observed || cfg === undefined) return undefined;
        observed.enableSipLogs = cfg.EnableSipMediaApplicationMessageLogs === true;
        logsTold = true;
        break;
      }
      case 'PutSipMediaApplicationAlexaSkillConfiguration': {
        const cfg = out?.SipMediaApplicationAlexaSkillConfiguration;
        if (!observed || cfg === undefined) return undefined;
        observed.alexaSkills = readAlexa(cfg);
        alexaTold = true;
        break;
      }
      default:
        return undefined;
    }
  }
  if (!observed || (desired.enableSipLogs !== undefined && !logsTold) || (desired.alexaSkills !== undefined && !alexaTold)) return undefined;
  return { observed, unread: [] };
}
