/**
 * Observation of a Voice Connector group: one ListVoiceConnectorGroups per pass serves every group
 * object; the associated numbers are listed (by FilterName VoiceConnectorGroupId) only when a
 * deletion may need them.
 */
import { externalId, findOwned } from '../../aws/ownership.js';
import { OwnershipConflictError } from '../../reconcile/errors.js';
import type { ManagedObject, ObserveArgs, World } from '../../reconcile/types.js';
import type { GroupDesired, GroupItem } from './desired.js';

export interface GroupObserved {
  voiceConnectorGroupId: string;
  arn?: string;
  name: string;
  items: GroupItem[];
  callDistributionType?: string;
  /** Numbers associated with the group; undefined when not read (see GroupDesired.readAssociations). */
  numbers?: Array<{ e164: string; phoneNumberId?: string }>;
}

interface AwsGroup {
  VoiceConnectorGroupId: string;
  Name?: string;
  VoiceConnectorItems?: Array<{ VoiceConnectorId: string; Priority: number }>;
  VoiceConnectorGroupArn?: string;
  CallDistributionType?: string;
}

const keyName = (o: ManagedObject) => `${o.metadata.namespace ?? 'default'}/${o.metadata.name}`;
const awsNameOf = (o: ManagedObject) => (o.spec?.name as string | undefined) ?? o.metadata.name;

function precedes(a: ManagedObject, b: ManagedObject): boolean {
  const ta = a.metadata.creationTimestamp ? Date.parse(a.metadata.creationTimestamp) : Number.POSITIVE_INFINITY;
  const tb = b.metadata.creationTimestamp ? Date.parse(b.metadata.creationTimestamp) : Number.POSITIVE_INFINITY;
  return ta !== tb ? ta < tb : keyName(a) < keyName(b);
}

/**
 * Since the name is the marker, two objects with the same AWS name would take the same group and
 * fight over its connectors. The oldest (then by namespace/name) keeps it; the other is refused.
 */
function checkNameClaim(world: World, obj: ManagedObject, awsName: string): void {
  if (externalId(obj)) return;
  const rivals = world.list('VoiceConnectorGroup').filter((o) => keyName(o) !== keyName(obj) && !externalId(o) && awsNameOf(o) === awsName);
  const first = rivals.find((o) => precedes(o, obj));
  if (first) {
    throw new OwnershipConflictError(
      `VoiceConnectorGroup ${keyName(first)} already uses the AWS name "${awsName}"; groups take no tags, so the name is what identifies a group: give this object another spec.name`,
    );
  }
}

export async function observeGroup({ obj, desired, aws, world }: ObserveArgs<GroupDesired>): Promise<GroupObserved | undefined> {
  checkNameClaim(world, obj, desired.name);
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
  const observed: GroupObserved = {
    voiceConnectorGroupId: group.VoiceConnectorGroupId,
    name: group.Name ?? '',
    items: (group.VoiceConnectorItems ?? []).map((i) => ({ voiceConnectorId: i.VoiceConnectorId, priority: i.Priority })),
    ...(group.VoiceConnectorGroupArn ? { arn: group.VoiceConnectorGroupArn } : {}),
    ...(group.CallDistributionType ? { callDistributionType: group.CallDistributionType } : {}),
  };
  if (desired.readAssociations) {
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
