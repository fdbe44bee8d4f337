/**
 * Observation of a Voice Connector group: one ListVoiceConnectorGroups per pass serves every group
 * object; the associated numbers are listed (by FilterName VoiceConnectorGroupId) only when a
 * deletion may need them.
 */
import { regionOfArn } from '../../core/aws-port.js';
import type { VoiceConnectorGroupAtProvider, VoiceConnectorGroupSpec } from '../../api/kinds/voice-connector-group.js';
import { findOwned } from '../../aws/ownership.js';
import type { Answered, ExecutedAction, ObserveArgs } from '../../reconcile/types.js';
import type { GroupDesired, GroupItem } from './desired.js';

export interface GroupObserved {
  voiceConnectorGroupId: string;
  arn?: string;
  name: string;
  items: GroupItem[];
  callDistributionType?: string;
  /** Numbers associated with the group; undefined when not read (read only to delete or plan). */
  numbers?: Array<{ e164: string; phoneNumberId?: string }>;
}

/** A group as ListVoiceConnectorGroups, GetVoiceConnectorGroup and the create and update calls return it. */
interface AwsGroup {
  VoiceConnectorGroupId: string;
  Name?: string;
  VoiceConnectorItems?: Array<{ VoiceConnectorId: string; Priority: number }>;
  VoiceConnectorGroupArn?: string;
  CallDistributionType?: string;
}

// Two objects with one AWS name are refused before this runs (KindHandler.claims, src/reconcile/claims.ts).
export async function observeGroup({ obj, desired, aws: account, mode }: ObserveArgs<GroupDesired, unknown, VoiceConnectorGroupSpec, VoiceConnectorGroupAtProvider>): Promise<GroupObserved | undefined> {
  // A group lives in the region it was created through: the home region, or the one its recorded ARN
  // names (an installation whose --region changed keeps finding it there instead of creating another).
  const recorded = obj.status?.atProvider?.arn;
  const aws = account.in((typeof recorded === 'string' && regionOfArn(recorded)) || account.region);
  const groups = await aws.inventory.list<AwsGroup>({ service: 'voice', operation: 'ListVoiceConnectorGroups', items: 'VoiceConnectorGroups' });
  // No arnOf: groups take no tags, so a group with the object's AWS name is taken as its own.
  const group = await findOwned<AwsGroup>({
    obj,
    kindLabel: 'Voice Connector group',
    candidates: groups,
    idOf: (g) => g.VoiceConnectorGroupId,
    nameOf: (g) => g.Name ?? '',
    awsName: desired.name,
    cachedId: obj.status?.atProvider?.voiceConnectorGroupId,
    fetch: async (id) => (await aws.read<{ VoiceConnectorGroup?: AwsGroup }>('voice', 'GetVoiceConnectorGroup', { VoiceConnectorGroupId: id }))?.VoiceConnectorGroup,
    aws,
  });
  if (!group) return undefined;
  const observed = readGroup(group);
  // Only a deletion (or a plan, which may show one) needs the associated numbers.
  if (mode !== 'apply') {
    const numbers = await aws.inventory.list<{ E164PhoneNumber?: string; PhoneNumberId?: string }>({
      service: 'voice',
      operation: 'ListPhoneNumbers',
      input: { FilterName: 'VoiceConnectorGroupId', FilterValue: group.VoiceConnectorGroupId },
      items: 'PhoneNumbers',
    });
    observed.numbers = numbers.map((n) => ({ e164: n.E164PhoneNumber ?? n.PhoneNumberId ?? '', ...(n.PhoneNumberId ? { phoneNumberId: n.PhoneNumberId } : {}) }));
  }
  return observed;
}

function readGroup(group: AwsGroup): GroupObserved {
  return {
    voiceConnectorGroupId: group.VoiceConnectorGroupId,
    name: group.Name ?? '',
    items: (group.VoiceConnectorItems ?? []).map((i) => ({ voiceConnectorId: i.VoiceConnectorId, priority: i.Priority })),
    ...(group.VoiceConnectorGroupArn ? { arn: group.VoiceConnectorGroupArn } : {}),
    ...(group.CallDistributionType ? { callDistributionType: group.CallDistributionType } : {}),
  };
}

/**
 * Pure: the group after its plan ran. CreateVoiceConnectorGroup and UpdateVoiceConnectorGroup both
 * answer with the whole group as AWS stored it, so nothing is read back (nor confirmed from a
 * listing, which may lag). Anything else, or a write without its answer: undefined, observed in full.
 */
export function groupAnswered(before: GroupObserved | undefined, _desired: GroupDesired, executed: ExecutedAction[]): Answered<GroupObserved> | undefined {
  let observed = before;
  for (const { action, ok, output } of executed) {
    const group = ok && GROUP_ANSWERS.has(action.operation) ? (output as { VoiceConnectorGroup?: AwsGroup } | undefined)?.VoiceConnectorGroup : undefined;
    if (!group?.VoiceConnectorGroupId) return undefined;
    // Numbers are read only to delete, never in apply: kept as they were.
    observed = { ...readGroup(group), ...(observed?.numbers ? { numbers: observed.numbers } : {}) };
  }
  return observed ? { observed, unread: [] } : undefined;
}

const GROUP_ANSWERS = new Set(['CreateVoiceConnectorGroup', 'UpdateVoiceConnectorGroup']);
