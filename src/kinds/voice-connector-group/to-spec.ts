/** Pure: the spec of a Voice Connector group as AWS holds it, for `import`; its connectors by reference when imported too. */
import type { VoiceConnectorGroupSpec } from '../../api/kinds/voice-connector-group.js';
import type { ImportNames } from '../shared/import.js';
import type { GroupObserved } from './observe.js';

export function voiceConnectorGroupToSpec(observed: GroupObserved, opts: { names: ImportNames }): VoiceConnectorGroupSpec {
  const items = [...observed.items].sort((a, b) => a.priority - b.priority || (a.voiceConnectorId < b.voiceConnectorId ? -1 : 1));
  return {
    name: observed.name,
    voiceConnectors: items.map((i) => {
      const ref = opts.names.nameOf('VoiceConnector', i.voiceConnectorId);
      return ref !== undefined ? { voiceConnectorRef: { name: ref }, priority: i.priority } : { voiceConnectorId: i.voiceConnectorId, priority: i.priority };
    }),
    ...(observed.callDistributionType ? { callDistributionType: observed.callDistributionType as VoiceConnectorGroupSpec['callDistributionType'] } : {}),
  };
}
