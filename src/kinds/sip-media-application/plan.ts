/**
 * Pure planning for SIP media applications (S1, S3). The create call carries the ownership marker
 * tag; logging and the Alexa skill configuration follow in the same plan with the new id. A region
 * change is never planned: the engine reports it as needing replacement.
 */
import type { SipMediaApplicationAtProvider } from '../../api/kinds/sip-media-application.js';
import type { DeleteBlocker, DeletePlan, Difference, ManagedObject, PlannedAction, World } from '../../reconcile/types.js';
import { awsTags, tagActions } from '../shared/tags.js';
import type { SmaDesired } from './desired.js';
import type { SmaObserved, TargetingRule } from './observe.js';

type Id = string | { $output: string };

function loggingAction(id: Id, label: string, enable: boolean, fixes?: string[]): PlannedAction<SipMediaApplicationAtProvider> {
  return {
    service: 'voice',
    operation: 'PutSipMediaApplicationLoggingConfiguration',
    input: { SipMediaApplicationId: id, SipMediaApplicationLoggingConfiguration: { EnableSipMediaApplicationMessageLogs: enable } },
    description: `${enable ? 'turn on' : 'turn off'} SIP message logs of SIP media application ${label}`,
    ...(fixes ? { fixes } : {}),
  };
}

function alexaAction(id: Id, label: string, alexa: NonNullable<SmaDesired['alexaSkills']>, fixes?: string[]): PlannedAction<SipMediaApplicationAtProvider> {
  return {
    service: 'voice',
    operation: 'PutSipMediaApplicationAlexaSkillConfiguration',
    input: { SipMediaApplicationId: id, SipMediaApplicationAlexaSkillConfiguration: { AlexaSkillStatus: alexa.status, AlexaSkillIds: [...alexa.skillIds] } },
    description: `set the Alexa skill configuration of SIP media application ${label}: ${alexa.status} ${alexa.skillIds.join(', ')}`,
    ...(fixes ? { fixes } : {}),
  };
}

export function planSma(desired: SmaDesired, observed: SmaObserved | undefined, diffs: Difference[]): PlannedAction<SipMediaApplicationAtProvider>[] {
  if (observed === undefined) {
    const id = { $output: 'SipMediaApplicationId' };
    const label = `"${desired.name}"`;
    const actions: PlannedAction<SipMediaApplicationAtProvider>[] = [
      {
        service: 'voice',
        operation: 'CreateSipMediaApplication',
        input: { AwsRegion: desired.region, Name: desired.name, Endpoints: [{ LambdaArn: desired.lambdaArn }], Tags: awsTags(desired.tags) },
        description: `create SIP media application "${desired.name}" in ${desired.region} calling ${desired.lambdaArn}`,
        captures: { SipMediaApplicationId: 'SipMediaApplication.SipMediaApplicationId' },
      },
    ];
    // Message logs are off on a new application: only turning them on needs a call.
    if (desired.enableSipLogs === true) actions.push(loggingAction(id, label, true));
    if (desired.alexaSkills !== undefined) actions.push(alexaAction(id, label, desired.alexaSkills));
    return actions;
  }

  // S1: in another region it is another application (the engine reports the replacement); the old
  // one is left as it is, since its endpoint must stay in its own region.
  if (desired.region !== observed.region) return [];
  const inPlace = diffs.filter((d) => !d.requiresReplacement);
  if (inPlace.length === 0) return [];
  const id = observed.sipMediaApplicationId;
  const has = (path: string) => inPlace.some((d) => d.path === path || d.path.startsWith(`${path}.`));
  const actions: PlannedAction<SipMediaApplicationAtProvider>[] = [];

  if (has('name') || has('endpoint.lambdaArn')) {
    const fixes = ['name', 'endpoint.lambdaArn'].filter(has);
    actions.push({
      service: 'voice',
      operation: 'UpdateSipMediaApplication',
      input: {
        SipMediaApplicationId: id,
        ...(has('name') ? { Name: desired.name } : {}),
        ...(has('endpoint.lambdaArn') ? { Endpoints: [{ LambdaArn: desired.lambdaArn }] } : {}),
      },
      description: `update SIP media application ${id}: ${[has('name') ? `name "${desired.name}"` : '', has('endpoint.lambdaArn') ? `endpoint ${desired.lambdaArn}` : '']
        .filter(Boolean)
        .join(', ')}`,
      fixes,
    });
  }

  actions.push(...tagActions({ service: 'voice', arn: observed.arn, label: `SIP media application ${id}`, desired: desired.tags, diffs: inPlace }));

  if (has('logging.enableSipLogs') && desired.enableSipLogs !== undefined) {
    actions.push(loggingAction(id, id, desired.enableSipLogs, ['logging.enableSipLogs']));
  }
  if (has('alexaSkills') && desired.alexaSkills !== undefined) {
    actions.push(alexaAction(id, id, desired.alexaSkills, inPlace.filter((d) => d.path.startsWith('alexaSkills.')).map((d) => d.path)));
  }
  return actions;
}

/** The SipRule object of the world that manages the AWS rule, if any: by its cached id, else by its AWS name (rules take no tags). */
export function managingRule(world: World, rule: TargetingRule): ManagedObject | undefined {
  const rules = world.list('SipRule');
  return (
    rules.find((o) => o.status?.atProvider?.sipRuleId === rule.sipRuleId) ??
    rules.find((o) => ((o.spec as { name?: string } | undefined)?.name ?? o.metadata.name) === rule.name)
  );
}

/**
 * S3: an application is deleted only once no rule targets it. Rules of this project are disabled and
 * deleted (or retargeted) by their own objects, so they are waited for; a rule this project does not
 * manage is reported by name, never changed from here.
 */
export function planSmaDelete(_desired: SmaDesired, observed: SmaObserved, world: World): DeletePlan<SipMediaApplicationAtProvider> {
  const id = observed.sipMediaApplicationId;
  const blockers: DeleteBlocker[] = (observed.rules ?? []).map((r) => {
    const owner = managingRule(world, r);
    return owner
      ? { managed: true, message: `SipRule ${owner.metadata.namespace ?? 'default'}/${owner.metadata.name} (rule ${r.sipRuleId}) to be deleted or to stop targeting SIP media application ${id} (S3)` }
      : {
          managed: false,
          message: `SIP rule ${r.sipRuleId} ("${r.name}"${r.disabled ? ', disabled' : ', enabled'}), not managed here, targets SIP media application ${id}; remove the application from its targets or disable and delete the rule (S3)`,
        };
  });
  return {
    actions: [{ service: 'voice', operation: 'DeleteSipMediaApplication', input: { SipMediaApplicationId: id }, description: `delete SIP media application ${id}` }],
    blockers,
  };
}
