/** The VoiceConnectorGroup kind (issue 3; G1-G3). */
import type { VoiceConnectorGroupAtProvider, VoiceConnectorGroupSpec } from '../../api/kinds/voice-connector-group.js';
import { nameMarkerClaim } from '../../reconcile/claims.js';
import { regionOfArn } from '../../core/aws-port.js';
import { inRegion, type KindHandler } from '../../reconcile/types.js';
import { groupDesired, type GroupDesired } from './desired.js';
import { diffGroup } from './diff.js';
import { groupAnswered, observeGroup, type GroupObserved } from './observe.js';
import { planGroup, planGroupDelete } from './plan.js';

export const voiceConnectorGroupHandler: KindHandler<GroupDesired, GroupObserved, VoiceConnectorGroupAtProvider, VoiceConnectorGroupSpec> = {
  kind: 'VoiceConnectorGroup',
  claims: (obj) => nameMarkerClaim(obj, 'Voice Connector group'),
  desired: groupDesired,
  observe: observeGroup,
  answered: groupAnswered,
  diff: diffGroup,
  // A new group is created in the home region; an existing one is written where it lives.
  plan: (desired, observed, diffs) => inRegion(observed?.arn ? regionOfArn(observed.arn) : undefined, planGroup(desired, observed, diffs)),
  planDelete: (desired, observed, world) => {
    const plan = planGroupDelete(desired, observed, world);
    return { ...plan, actions: inRegion(observed.arn ? regionOfArn(observed.arn) : undefined, plan.actions) };
  },
  atProvider: (observed) => ({ voiceConnectorGroupId: observed.voiceConnectorGroupId, ...(observed.arn ? { arn: observed.arn } : {}) }),
};

export type { GroupDesired, GroupItem } from './desired.js';
export type { GroupObserved } from './observe.js';
