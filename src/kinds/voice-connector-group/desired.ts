/**
 * The desired Voice Connector group in AWS terms (G1-G3): its name, its connectors resolved to ids
 * with their priorities, and the call distribution type when the spec sets it.
 */
import type { VoiceConnectorGroupSpec, VoiceConnectorGroupAtProvider } from '../../api/kinds/voice-connector-group.js';
import { InvalidSpecError } from '../../reconcile/errors.js';
import type { DesiredContext, ManagedObject } from '../../reconcile/types.js';
import { resolveField } from '../shared/references.js';

export interface GroupItem {
  voiceConnectorId: string;
  priority: number;
}

export interface GroupDesired {
  /** The AWS name: spec.name, else metadata.name. Groups take no tags, so the name is the ownership marker. */
  name: string;
  /** The complete list of connectors; undefined when the spec does not manage them. */
  items?: GroupItem[];
  callDistributionType?: string;
}

export function groupDesired(obj: ManagedObject<VoiceConnectorGroupSpec, VoiceConnectorGroupAtProvider>, ctx: DesiredContext): GroupDesired {
  const spec = obj.spec ?? {};
  const name = spec.name ?? obj.metadata.name;
  let items: GroupItem[] | undefined;
  if (spec.voiceConnectors !== undefined) {
    items = spec.voiceConnectors.map((item, i) => {
      if (item.voiceConnectorRef) {
        const refName = item.voiceConnectorRef.name;
        const id = resolveField({ ctx, obj, kind: 'VoiceConnector', name: refName, field: 'voiceConnectorId', what: 'Voice Connector id' });
        return { voiceConnectorId: id, priority: item.priority };
      }
      if (!item.voiceConnectorId) throw new InvalidSpecError(`voiceConnectors[${i}]: set voiceConnectorRef or voiceConnectorId`, `voiceConnectors[${i}]`);
      return { voiceConnectorId: item.voiceConnectorId, priority: item.priority };
    });
    // A reference and an id may name the same connector: AWS refuses duplicates, so say it first.
    const seen = new Map<string, number>();
    items.forEach((item, i) => {
      const first = seen.get(item.voiceConnectorId);
      if (first !== undefined) {
        throw new InvalidSpecError(
          `voiceConnectors[${i}] names Voice Connector ${item.voiceConnectorId}, already listed at voiceConnectors[${first}]; each connector may appear only once in a group`,
          `voiceConnectors[${i}]`,
        );
      }
      seen.set(item.voiceConnectorId, i);
    });
  }
  return {
    name,
    ...(items !== undefined ? { items } : {}),
    ...(spec.callDistributionType !== undefined ? { callDistributionType: spec.callDistributionType } : {}),
  };
}
