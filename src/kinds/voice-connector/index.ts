/** The VoiceConnector kind (issue 3; VC1-VC9). */
import type { VoiceConnectorAtProvider, VoiceConnectorSpec } from '../../api/kinds/voice-connector.js';
import { inRegion, type KindHandler } from '../../reconcile/types.js';
import { appliedTagKeys } from '../shared/tags.js';
import { DEFAULT_REGION, voiceConnectorDesired, type VoiceConnectorDesired } from './desired.js';
import { voiceConnectorAnswered } from './answers.js';
import { diffVoiceConnector } from './diff.js';
import { observeVoiceConnector, type VoiceConnectorObserved } from './observe.js';
import { planVoiceConnector, planVoiceConnectorDelete } from './plan.js';

/**
 * Identity and read-only values. The password hashes are those AWS is known to hold (observe's
 * record), not the desired ones: under driftPolicy Report, or in plan mode, a changed Secret keeps
 * showing as drift until the password is actually sent.
 */
export function voiceConnectorAtProvider(observed: VoiceConnectorObserved, desired: VoiceConnectorDesired): VoiceConnectorAtProvider {
  const out: VoiceConnectorAtProvider = { voiceConnectorId: observed.voiceConnectorId, appliedTagKeys: appliedTagKeys(desired.tags, observed) };
  if (observed.arn) out.arn = observed.arn;
  if (observed.outboundHostName) out.outboundHostName = observed.outboundHostName;
  if (observed.region) out.region = observed.region;
  if (observed.networkType) out.networkType = observed.networkType;
  if (observed.credentialUsernames) {
    const known = observed.credentialUsernames
      .filter((u) => observed.credentialHashes[u] !== undefined)
      .sort()
      .map((username) => ({ username, passwordHash: observed.credentialHashes[username] }));
    if (known.length > 0) out.terminationCredentials = known;
  }
  if (observed.terminationHealth) out.terminationHealth = { ...observed.terminationHealth };
  return out;
}

export const voiceConnectorHandler: KindHandler<VoiceConnectorDesired, VoiceConnectorObserved, VoiceConnectorAtProvider, VoiceConnectorSpec> = {
  kind: 'VoiceConnector',
  desired: voiceConnectorDesired,
  observe: observeVoiceConnector,
  answered: voiceConnectorAnswered,
  diff: diffVoiceConnector,
  // Every call about a connector goes to its own region's endpoint (a new one's: the region it is created in).
  plan: (desired, observed, diffs) => inRegion(observed?.region ?? desired.region ?? DEFAULT_REGION, planVoiceConnector(desired, observed, diffs)),
  planDelete: (desired, observed, world) => {
    const plan = planVoiceConnectorDelete(desired, observed, world);
    return { ...plan, actions: inRegion(observed.region ?? desired.region ?? DEFAULT_REGION, plan.actions) };
  },
  atProvider: (observed, desired) => voiceConnectorAtProvider(observed, desired),
  // AWS sees a SIP OPTIONS ping every minute or so, and health is read on its own cadence: neither
  // time alone is a reason to write the status.
  volatileStatusPaths: [
    ['atProvider', 'terminationHealth', 'timestamp'],
    ['atProvider', 'terminationHealth', 'readAt'],
  ],
};

export type { VoiceConnectorDesired } from './desired.js';
export type { VoiceConnectorObserved } from './observe.js';
