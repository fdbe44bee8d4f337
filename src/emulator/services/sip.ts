/**
 * SIP media applications and SIP rules (rules S1-S4). A rule's trigger is a phone number of the
 * inventory (owned by the phone-numbers family: this module only writes the `SipRuleId`
 * association and the Assigned/Unassigned status) or a voice connector's outbound host name.
 */
import { badRequest, conflict, notFound, type OpContext, type ServiceModule } from '../core/types.js';
import { publicView, type PhoneNumberRecord, type SipMediaApplicationRecord, type SipRuleRecord, type TagRecord } from '../core/state.js';
import { byCreation, checkTags, paginate } from './account.js';
import { modelEnum } from '../core/model.js';

/** Regions where the PSTN audio service runs (the model's VoiceConnectorAwsRegion enum). */
export const PSTN_AUDIO_REGIONS = modelEnum('VoiceConnectorAwsRegion');

const E164 = /^\+[1-9]\d{1,14}$/;
/** A Lambda function, alias or version ARN; the model's pattern, with the region captured. */
const LAMBDA_ARN = /^arn:aws[a-zA-Z-]*:lambda:([a-z]{2}(?:-gov|-iso|-isob)?-[a-z]+-\d):(\d{12}):function:[a-zA-Z0-9_-]+(?::(?:\$LATEST|[a-zA-Z0-9_-]+))?$/;

interface Endpoint {
  LambdaArn?: string;
}
interface Target {
  SipMediaApplicationId?: string;
  Priority?: number;
  AwsRegion?: string;
}

function getApp(ctx: OpContext, id: string): SipMediaApplicationRecord {
  const app = ctx.state.sipMediaApplications[id];
  // Strict regions: an application is served by its own region's endpoint only.
  if (!app || !ctx.sees(app.AwsRegion)) throw notFound(`SIP media application ${id} not found.`);
  return app;
}

/** Where a rule lives: the region whose endpoint created it. Its targets may be in any region (S2), each named with its own. */
const ruleRegion = (ctx: OpContext, rule: SipRuleRecord): string => rule._region ?? ctx.config.defaultRegion;

function getRule(ctx: OpContext, id: string): SipRuleRecord {
  const rule = ctx.state.sipRules[id];
  if (!rule || !ctx.sees(ruleRegion(ctx, rule))) throw notFound(`SIP rule ${id} not found.`);
  return rule;
}

/** S1: exactly one endpoint (the core checks the count), a Lambda ARN in the application's own region. */
function checkEndpoints(endpoints: Endpoint[], region: string, app: string): Array<{ LambdaArn: string }> {
  return endpoints.map((ep) => {
    if (!ep.LambdaArn) throw badRequest(`The endpoint of SIP media application ${app} needs a LambdaArn.`);
    const m = LAMBDA_ARN.exec(ep.LambdaArn);
    if (!m) throw badRequest(`Endpoint ${ep.LambdaArn} of SIP media application ${app} is not the ARN of a Lambda function, alias or version.`);
    if (m[1] !== region) {
      throw badRequest(
        `Endpoint ${ep.LambdaArn} of SIP media application ${app} is in region ${m[1]}; the Lambda function must be in the application's region ${region}.`,
      );
    }
    return { LambdaArn: ep.LambdaArn };
  });
}

/** S2: 1 to 25 existing applications (count checked by the core), one per region, each in its stated region. */
function checkTargets(ctx: OpContext, targets: Target[], rule: string): SipRuleRecord['TargetApplications'] {
  const regions = new Map<string, string>();
  const priorities = new Map<number, string>();
  return targets.map((t, i) => {
    const where = `target ${i + 1} of SIP rule ${rule}`;
    if (!t.SipMediaApplicationId) throw badRequest(`The ${where} needs a SipMediaApplicationId.`);
    if (t.Priority === undefined) throw badRequest(`The ${where} (${t.SipMediaApplicationId}) needs a Priority.`);
    if (!t.AwsRegion) throw badRequest(`The ${where} (${t.SipMediaApplicationId}) needs an AwsRegion.`);
    const app = ctx.state.sipMediaApplications[t.SipMediaApplicationId];
    // CreateSipRule has no NotFoundException in the model: a missing target is a bad request.
    if (!app) throw badRequest(`The ${where} names SIP media application ${t.SipMediaApplicationId}, which does not exist.`);
    if (app.AwsRegion !== t.AwsRegion) {
      throw badRequest(`The ${where} says region ${t.AwsRegion}, but SIP media application ${app.SipMediaApplicationId} is in ${app.AwsRegion}.`);
    }
    const sameRegion = regions.get(t.AwsRegion);
    if (sameRegion !== undefined) {
      throw badRequest(
        `SIP rule ${rule} targets both ${sameRegion} and ${t.SipMediaApplicationId} in region ${t.AwsRegion}; a rule has at most one target application per region.`,
      );
    }
    regions.set(t.AwsRegion, t.SipMediaApplicationId);
    const samePriority = priorities.get(t.Priority);
    if (samePriority !== undefined) {
      throw badRequest(`SIP rule ${rule} gives targets ${samePriority} and ${t.SipMediaApplicationId} the same priority ${t.Priority}; failover needs distinct priorities.`);
    }
    priorities.set(t.Priority, t.SipMediaApplicationId);
    return { SipMediaApplicationId: t.SipMediaApplicationId, Priority: t.Priority, AwsRegion: t.AwsRegion };
  });
}

function findNumber(ctx: OpContext, e164: string): PhoneNumberRecord | undefined {
  return ctx.state.phoneNumbers[e164] ?? Object.values(ctx.state.phoneNumbers).find((n) => n.E164PhoneNumber === e164);
}

const UNUSABLE_STATUS = new Set(['DeleteInProgress', 'ReleaseInProgress', 'DeleteFailed', 'ReleaseFailed', 'AcquireInProgress', 'AcquireFailed', 'Cancelled', 'PortinCancelRequested', 'PortinInProgress']);

/** S2: the trigger must exist now: an inventory number of the dial-in product type, or a connector's host name. */
function checkTrigger(ctx: OpContext, type: SipRuleRecord['TriggerType'], value: string, rule: string): PhoneNumberRecord | undefined {
  if (type === 'ToPhoneNumber') {
    if (!E164.test(value)) throw badRequest(`Trigger value '${value}' of SIP rule ${rule} is not a phone number in E.164 format (+ and up to 15 digits).`);
    const number = findNumber(ctx, value);
    if (!number) throw badRequest(`Phone number ${value} (trigger of SIP rule ${rule}) is not in the phone number inventory.`);
    if (number.DeletionTimestamp || UNUSABLE_STATUS.has(number.Status)) {
      throw badRequest(`Phone number ${value} (trigger of SIP rule ${rule}) has status ${number.Status} and cannot be used by a SIP rule.`);
    }
    if (number.ProductType !== 'SipMediaApplicationDialIn') {
      throw badRequest(
        `Phone number ${value} has product type ${number.ProductType}; only SipMediaApplicationDialIn numbers can trigger a SIP rule.`,
      );
    }
    const other = number.Associations.find((a) => a.Name !== 'SipRuleId');
    if (other) throw conflict(`Phone number ${value} is assigned to ${other.Name} ${other.Value} and cannot trigger SIP rule ${rule}.`);
    return number;
  }
  const host = value.toLowerCase();
  if (!Object.values(ctx.state.voiceConnectors).some((vc) => vc.OutboundHostName.toLowerCase() === host)) {
    throw badRequest(`Request URI host name ${value} (trigger of SIP rule ${rule}) is not the outbound host name of any voice connector.`);
  }
  return undefined;
}

/** Stored targets can point at applications deleted since (S1 keeps rules): enabling such a rule is refused. */
function checkStoredTargetsLive(ctx: OpContext, rule: SipRuleRecord): void {
  for (const t of rule.TargetApplications) {
    if (!ctx.state.sipMediaApplications[t.SipMediaApplicationId]) {
      throw badRequest(
        `SIP rule ${rule.SipRuleId} cannot be enabled: its target SIP media application ${t.SipMediaApplicationId} no longer exists; give it new TargetApplications.`,
      );
    }
  }
}

const appView = (app: SipMediaApplicationRecord) => publicView(app);
const ruleView = (rule: SipRuleRecord) => publicView(rule);

export const sip: ServiceModule = {
  handlers: {
    // ------------------------------------------------------------ SIP media applications

    CreateSipMediaApplication(input: { AwsRegion: string; Name: string; Endpoints: Endpoint[]; Tags?: TagRecord[] }, ctx) {
      if (!PSTN_AUDIO_REGIONS.includes(input.AwsRegion)) {
        throw badRequest(`AwsRegion ${input.AwsRegion} is not a region of the PSTN audio service; use one of ${PSTN_AUDIO_REGIONS.join(', ')}.`);
      }
      ctx.createRegion(input.AwsRegion, input.AwsRegion, `SIP media application ${input.Name}`);
      const endpoints = checkEndpoints(input.Endpoints, input.AwsRegion, input.Name);
      const id = ctx.uuid();
      const arn = ctx.arn(input.AwsRegion, `sma/${id}`);
      checkTags(input.Tags, arn);
      const now = ctx.nowIso();
      const app: SipMediaApplicationRecord = {
        SipMediaApplicationId: id,
        AwsRegion: input.AwsRegion,
        Name: input.Name,
        Endpoints: endpoints,
        CreatedTimestamp: now,
        UpdatedTimestamp: now,
        SipMediaApplicationArn: arn,
      };
      ctx.state.sipMediaApplications[id] = app;
      if (input.Tags && input.Tags.length > 0) ctx.state.tags[arn] = input.Tags.map((t) => ({ Key: t.Key, Value: t.Value }));
      ctx.markCreated(`sipMediaApplications/${id}`);
      return { SipMediaApplication: appView(app) };
    },

    GetSipMediaApplication(input: { SipMediaApplicationId: string }, ctx) {
      ctx.assertVisible(`sipMediaApplications/${input.SipMediaApplicationId}`, `SIP media application ${input.SipMediaApplicationId} not found.`);
      return { SipMediaApplication: appView(getApp(ctx, input.SipMediaApplicationId)) };
    },

    ListSipMediaApplications(input: { MaxResults?: number; NextToken?: string }, ctx) {
      const { page, NextToken } = paginate(
        ctx.listed('sipMediaApplications', Object.values(ctx.state.sipMediaApplications), (a) => a.SipMediaApplicationId).filter((a) => ctx.sees(a.AwsRegion)),
        (a) => byCreation(a.CreatedTimestamp, a.SipMediaApplicationId),
        input,
        'ListSipMediaApplications',
      );
      return { SipMediaApplications: page.map(appView), NextToken };
    },

    /** S1: name and endpoint change; the region never does (the model has no member for it). */
    UpdateSipMediaApplication(input: { SipMediaApplicationId: string; Name?: string; Endpoints?: Endpoint[] }, ctx) {
      const app = getApp(ctx, input.SipMediaApplicationId);
      const endpoints = input.Endpoints ? checkEndpoints(input.Endpoints, app.AwsRegion, app.SipMediaApplicationId) : undefined;
      if (input.Name !== undefined) app.Name = input.Name;
      if (endpoints) app.Endpoints = endpoints;
      app.UpdatedTimestamp = ctx.nowIso();
      return { SipMediaApplication: appView(app) };
    },

    /** S3: not while an enabled rule targets it. S1: its rules and numbers stay. */
    DeleteSipMediaApplication(input: { SipMediaApplicationId: string }, ctx) {
      const app = getApp(ctx, input.SipMediaApplicationId);
      const blocking = Object.values(ctx.state.sipRules).filter(
        (r) => !r.Disabled && r.TargetApplications.some((t) => t.SipMediaApplicationId === app.SipMediaApplicationId),
      );
      if (blocking.length > 0) {
        const names = blocking.map((r) => `${r.SipRuleId} (${r.Name})`).join(', ');
        throw conflict(
          `SIP media application ${app.SipMediaApplicationId} is the target of enabled SIP rule${blocking.length > 1 ? 's' : ''} ${names}; disable ${blocking.length > 1 ? 'them' : 'it'} before deleting the application.`,
        );
      }
      delete ctx.state.sipMediaApplications[app.SipMediaApplicationId];
      delete ctx.state.tags[app.SipMediaApplicationArn];
      ctx.markDeleted(`sipMediaApplications/${app.SipMediaApplicationId}`, app);
      return {};
    },

    GetSipMediaApplicationLoggingConfiguration(input: { SipMediaApplicationId: string }, ctx) {
      const app = getApp(ctx, input.SipMediaApplicationId);
      // Message logs are off until turned on.
      return { SipMediaApplicationLoggingConfiguration: { EnableSipMediaApplicationMessageLogs: false, ...app._logging } };
    },

    PutSipMediaApplicationLoggingConfiguration(
      input: { SipMediaApplicationId: string; SipMediaApplicationLoggingConfiguration?: { EnableSipMediaApplicationMessageLogs?: boolean } },
      ctx,
    ) {
      const app = getApp(ctx, input.SipMediaApplicationId);
      const enabled = input.SipMediaApplicationLoggingConfiguration?.EnableSipMediaApplicationMessageLogs ?? false;
      app._logging = { EnableSipMediaApplicationMessageLogs: enabled };
      return { SipMediaApplicationLoggingConfiguration: { ...app._logging } };
    },

    GetSipMediaApplicationAlexaSkillConfiguration(input: { SipMediaApplicationId: string }, ctx) {
      const app = getApp(ctx, input.SipMediaApplicationId);
      return app._alexaSkill ? { SipMediaApplicationAlexaSkillConfiguration: { ...app._alexaSkill, AlexaSkillIds: [...app._alexaSkill.AlexaSkillIds] } } : {};
    },

    PutSipMediaApplicationAlexaSkillConfiguration(
      input: { SipMediaApplicationId: string; SipMediaApplicationAlexaSkillConfiguration?: { AlexaSkillStatus: string; AlexaSkillIds: string[] } },
      ctx,
    ) {
      const app = getApp(ctx, input.SipMediaApplicationId);
      const cfg = input.SipMediaApplicationAlexaSkillConfiguration;
      if (!cfg) throw badRequest(`PutSipMediaApplicationAlexaSkillConfiguration for ${app.SipMediaApplicationId} needs a SipMediaApplicationAlexaSkillConfiguration.`);
      app._alexaSkill = { AlexaSkillStatus: cfg.AlexaSkillStatus, AlexaSkillIds: [...cfg.AlexaSkillIds] };
      return { SipMediaApplicationAlexaSkillConfiguration: { ...app._alexaSkill, AlexaSkillIds: [...app._alexaSkill.AlexaSkillIds] } };
    },

    // ------------------------------------------------------------ SIP rules

    CreateSipRule(
      input: { Name: string; TriggerType: SipRuleRecord['TriggerType']; TriggerValue: string; Disabled?: boolean; TargetApplications: Target[] },
      ctx,
    ) {
      const label = `'${input.Name}'`;
      const number = checkTrigger(ctx, input.TriggerType, input.TriggerValue, label);
      // S4: one rule per trigger; another trigger is another rule.
      const host = input.TriggerValue.toLowerCase();
      const twin = Object.values(ctx.state.sipRules).find(
        (r) => r.TriggerType === input.TriggerType && (input.TriggerType === 'ToPhoneNumber' ? r.TriggerValue === input.TriggerValue : r.TriggerValue.toLowerCase() === host),
      );
      if (twin) throw conflict(`SIP rule ${twin.SipRuleId} (${twin.Name}) already has trigger ${input.TriggerType} ${input.TriggerValue}; a trigger belongs to one rule.`);
      const targets = checkTargets(ctx, input.TargetApplications, label);

      const now = ctx.nowIso();
      const rule: SipRuleRecord = {
        SipRuleId: ctx.uuid(),
        Name: input.Name,
        Disabled: input.Disabled ?? false,
        TriggerType: input.TriggerType,
        TriggerValue: number ? number.E164PhoneNumber : input.TriggerValue,
        TargetApplications: targets,
        CreatedTimestamp: now,
        UpdatedTimestamp: now,
        _region: ctx.region,
      };
      ctx.state.sipRules[rule.SipRuleId] = rule;
      if (number) {
        number.Associations.push({ Name: 'SipRuleId', Value: rule.SipRuleId, AssociatedTimestamp: now });
        number.Status = 'Assigned';
        number.UpdatedTimestamp = now;
      }
      ctx.markCreated(`sipRules/${rule.SipRuleId}`);
      return { SipRule: ruleView(rule) };
    },

    GetSipRule(input: { SipRuleId: string }, ctx) {
      ctx.assertVisible(`sipRules/${input.SipRuleId}`, `SIP rule ${input.SipRuleId} not found.`);
      return { SipRule: ruleView(getRule(ctx, input.SipRuleId)) };
    },

    ListSipRules(input: { SipMediaApplicationId?: string; MaxResults?: number; NextToken?: string }, ctx) {
      let rules = ctx.listed('sipRules', Object.values(ctx.state.sipRules), (r) => r.SipRuleId).filter((r) => ctx.sees(ruleRegion(ctx, r)));
      if (input.SipMediaApplicationId !== undefined) {
        const appId = input.SipMediaApplicationId;
        getApp(ctx, appId);
        rules = rules.filter((r) => r.TargetApplications.some((t) => t.SipMediaApplicationId === appId));
      }
      const { page, NextToken } = paginate(rules, (r) => byCreation(r.CreatedTimestamp, r.SipRuleId), input, `ListSipRules|${input.SipMediaApplicationId ?? ''}`);
      return { SipRules: page.map(ruleView), NextToken };
    },

    /** S4: name, enabled state and targets change; the trigger cannot (the model has no member for it). */
    UpdateSipRule(input: { SipRuleId: string; Name: string; Disabled?: boolean; TargetApplications?: Target[] }, ctx) {
      const rule = getRule(ctx, input.SipRuleId);
      const targets = input.TargetApplications ? checkTargets(ctx, input.TargetApplications, rule.SipRuleId) : undefined;
      const disabled = input.Disabled ?? rule.Disabled;
      if (!disabled) {
        if (!targets) checkStoredTargetsLive(ctx, rule);
        if (rule.TriggerType === 'RequestUriHostname' && rule.Disabled) checkTrigger(ctx, rule.TriggerType, rule.TriggerValue, rule.SipRuleId);
      }
      rule.Name = input.Name;
      rule.Disabled = disabled;
      if (targets) rule.TargetApplications = targets;
      rule.UpdatedTimestamp = ctx.nowIso();
      return { SipRule: ruleView(rule) };
    },

    /** S3: only a disabled rule can be deleted; its number goes back to Unassigned. */
    DeleteSipRule(input: { SipRuleId: string }, ctx) {
      const rule = getRule(ctx, input.SipRuleId);
      if (!rule.Disabled) {
        throw conflict(`SIP rule ${rule.SipRuleId} (${rule.Name}) is enabled; disable it before deleting it.`);
      }
      delete ctx.state.sipRules[rule.SipRuleId];
      ctx.markDeleted(`sipRules/${rule.SipRuleId}`, rule);
      if (rule.TriggerType === 'ToPhoneNumber') {
        const number = findNumber(ctx, rule.TriggerValue);
        if (number) {
          number.Associations = number.Associations.filter((a) => !(a.Name === 'SipRuleId' && a.Value === rule.SipRuleId));
          if (number.Associations.length === 0 && number.Status === 'Assigned') number.Status = 'Unassigned';
          number.UpdatedTimestamp = ctx.nowIso();
        }
      }
      return {};
    },
  },
};
