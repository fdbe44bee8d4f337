/** The VoiceConnectorGroup kind (issue 3; G1-G3). */
import { nameMarkerClaim } from '../../reconcile/claims.js';
import type { KindHandler } from '../../reconcile/types.js';
import { groupDesired, type GroupDesired } from './desired.js';
import { diffGroup } from './diff.js';
import { groupAnswered, observeGroup, type GroupObserved } from './observe.js';
import { planGroup, planGroupDelete } from './plan.js';

export const voiceConnectorGroupHandler: KindHandler<GroupDesired, GroupObserved> = {
  kind: 'VoiceConnectorGroup',
  claims: (obj) => nameMarkerClaim(obj, 'Voice Connector group'),
  desired: groupDesired,
  observe: observeGroup,
  answered: groupAnswered,
  diff: diffGroup,
  plan: planGroup,
  planDelete: (desired, observed, world) => planGroupDelete(desired, observed, world),
  atProvider: (observed) => ({ voiceConnectorGroupId: observed.voiceConnectorGroupId, ...(observed.arn ? { arn: observed.arn } : {}) }),
};

export type { GroupDesired, GroupItem } from './desired.js';
export type { GroupObserved } from './observe.js';
