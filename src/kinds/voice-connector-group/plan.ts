/**
 * Pure planning for Voice Connector groups. G1 (at most 3 groups) is not pre-counted: AWS's
 * ResourceLimitExceeded answer is terminal and becomes a Stalled condition with AWS's message.
 * G3: a group is deleted only once no number is associated with it; its own connectors are
 * removed first by the plan, so they never block its deletion.
 */
import type { VoiceConnectorGroupAtProvider } from '../../api/kinds/voice-connector-group.js';
import type { DeleteBlocker, DeletePlan, Difference, PlannedAction, World } from '../../reconcile/types.js';
import { numberHolder } from '../shared/references.js';
import type { GroupDesired, GroupItem } from './desired.js';
import type { GroupObserved } from './observe.js';

const awsItems = (items: GroupItem[]) => items.map((i) => ({ VoiceConnectorId: i.voiceConnectorId, Priority: i.priority }));

const describeItems = (items: GroupItem[]) =>
  items.length === 0 ? 'no Voice Connectors' : items.map((i) => `${i.voiceConnectorId} (priority ${i.priority})`).join(', ');

export function planGroup(desired: GroupDesired, observed: GroupObserved | undefined, diffs: Difference[]): PlannedAction<VoiceConnectorGroupAtProvider>[] {
  if (observed === undefined) {
    const items = desired.items ?? [];
    return [
      {
        service: 'voice',
        operation: 'CreateVoiceConnectorGroup',
        input: {
          Name: desired.name,
          VoiceConnectorItems: awsItems(items),
          ...(desired.callDistributionType !== undefined ? { CallDistributionType: desired.callDistributionType } : {}),
        },
        description: `create Voice Connector group "${desired.name}" with ${describeItems(items)}`,
        captures: { VoiceConnectorGroupId: 'VoiceConnectorGroup.VoiceConnectorGroupId' },
      },
    ];
  }
  if (diffs.length === 0) return [];
  // UpdateVoiceConnectorGroup replaces the whole group (Name and VoiceConnectorItems are required):
  // what the spec does not manage is sent back as AWS has it.
  const items = desired.items ?? observed.items;
  const distribution = desired.callDistributionType ?? observed.callDistributionType;
  const changed = diffs.map((d) => d.path);
  return [
    {
      service: 'voice',
      operation: 'UpdateVoiceConnectorGroup',
      input: {
        VoiceConnectorGroupId: observed.voiceConnectorGroupId,
        Name: desired.name,
        VoiceConnectorItems: awsItems(items),
        ...(distribution !== undefined ? { CallDistributionType: distribution } : {}),
      },
      description: `update Voice Connector group ${observed.voiceConnectorGroupId}: ${changed
        .map((p) => (p === 'voiceConnectors' ? `connectors ${describeItems(items)}` : p === 'name' ? `name "${desired.name}"` : `call distribution ${distribution}`))
        .join(', ')}`,
      fixes: changed,
    },
  ];
}

export function planGroupDelete(_desired: GroupDesired, observed: GroupObserved, world: World): DeletePlan<VoiceConnectorGroupAtProvider> {
  const id = observed.voiceConnectorGroupId;
  const blockers: DeleteBlocker[] = (observed.numbers ?? []).map((n) => {
    const owner = numberHolder(world, n);
    return owner
      ? { managed: true, message: `phone number ${n.e164} (PhoneNumber ${owner.metadata.namespace ?? 'default'}/${owner.metadata.name}) to leave Voice Connector group ${id}` }
      : { managed: false, message: `phone number ${n.e164} is associated with Voice Connector group ${id}; disassociate it (DisassociatePhoneNumbersFromVoiceConnectorGroup) before the group can be deleted` };
  });
  const actions: PlannedAction<VoiceConnectorGroupAtProvider>[] = [];
  if (observed.items.length > 0) {
    actions.push({
      service: 'voice',
      operation: 'UpdateVoiceConnectorGroup',
      input: {
        VoiceConnectorGroupId: id,
        Name: observed.name,
        VoiceConnectorItems: [],
        ...(observed.callDistributionType !== undefined ? { CallDistributionType: observed.callDistributionType } : {}),
      },
      description: `remove Voice Connectors ${observed.items.map((i) => i.voiceConnectorId).join(', ')} from group ${id} (G3)`,
    });
  }
  actions.push({ service: 'voice', operation: 'DeleteVoiceConnectorGroup', input: { VoiceConnectorGroupId: id }, description: `delete Voice Connector group ${id}` });
  return { actions, blockers };
}
