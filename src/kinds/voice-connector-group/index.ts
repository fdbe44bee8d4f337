/** The VoiceConnectorGroup kind (issue 3; G1-G3). */
import type { VoiceConnectorGroupAtProvider, VoiceConnectorGroupSpec } from '../../api/kinds/voice-connector-group.js';
import { nameMarkerClaim } from '../../reconcile/claims.js';
import type { KindHandler } from '../../reconcile/types.js';
import { groupDesired, type GroupDesired } from './desired.js';
import { diffGroup } from './diff.js';
import { observeGroup, type GroupObserved } from './observe.js';
import { planGroup, planGroupDelete } from './plan.js';

export const voiceConnectorGroupHandler: KindHandler<GroupDesired, GroupObserved, VoiceConnectorGroupAtProvider, VoiceConnectorGroupSpec> = {
  kind: 'VoiceConnectorGroup',
  claims: (obj) => nameMarkerClaim(obj, 'Voice Connector group'),
  desired: groupDesired,
  observe: observeGroup,
  diff: diffGroup,
  plan: planGroup,
  planDelete: (desired, observed, world) => planGroupDelete(desired, observed, world),
  atProvider: (observed) => ({ voiceConnectorGroupId: observed.voiceConnectorGroupId, ...(observed.arn ? { arn: observed.arn } : {}) }),
};

export type { GroupDesired, GroupItem } from './desired.js';
export type { GroupObserved } from './observe.js';
