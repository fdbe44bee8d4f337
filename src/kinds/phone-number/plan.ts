/**
 * Pure planning for phone numbers, in the order the domain rules ask:
 * - PN1: a number is ordered only once it is recorded in status (the create path), and only that
 *   number; the order call carries the ownership marker as the number's name.
 * - PN7: a number of this object found in the deletion queue is restored, never ordered anew.
 * - PN5: a product type change on an assigned number is unassign, change, reassign.
 * - PN4: a move to another connector or group is one force-associate, never unassign then assign.
 * - PN6: a calling name change inside the 7-day cooldown is not attempted (`holds` explains it,
 *   and readiness requeues for the time it becomes possible).
 * Holds are the changes that cannot be made now; `plan` skips them and `readiness` reports them,
 * from the same function, so the two never disagree.
 */
import type { ConditionReason } from '../../reconcile/reasons.js';
import type { PhoneNumberSpec } from '../../api/kinds/phone-number.js';
import type { CaptureName, DeleteBlocker, DeletePlan, Difference, ManagedObject, PlannedAction, World } from '../../reconcile/types.js';
import type { PnCache } from './cache.js';
import { assignmentValue, diffPhoneNumber } from './diff.js';
import type { DesiredAssignment, PnDesired } from './desired.js';
import { ARRIVING_STATUSES, DELETION_QUEUE, describeCriteria, type PnAssociation, type PnNumber, type PnObserved, type PresentObserved } from './observe.js';

const USABLE = new Set(['Unassigned', 'Assigned']);
const MINUTE = 60_000;
/**
 * Most numbers per merged association call and items per BatchUpdatePhoneNumber call. The API
 * model sets no maximum on either list; 100 is the largest page AWS returns for numbers, and keeps
 * the numbers one refused call affects to a page.
 */
export const ASSOCIATION_BATCH_MAX = 100;
export const UPDATE_BATCH_MAX = 100;
const PHONE_NUMBER_ERRORS = { member: 'PhoneNumberErrors', idField: 'PhoneNumberId' };

export interface Hold {
  path: string;
  reason: ConditionReason;
  message: string;
  stalled: boolean;
  requeueAfterMs: number;
}

const sipRules = (as: PnAssociation[]) => as.filter((a) => a.name === 'SipRuleId');

/** The differences that cannot be acted on now, and why. */
export function holds(desired: PnDesired, observed: PresentObserved, diffs: Difference[]): Hold[] {
  const n = observed.number;
  const out: Hold[] = [];
  const differs = (p: string) => diffs.some((d) => d.path === p);
  const rules = sipRules(n.associations);
  if (differs('productType') && rules.length > 0) {
    out.push({
      path: 'productType',
      reason: 'ProductTypeChangeBlocked',
      message:
        `the product type of ${n.e164} can change only while it is unassigned (PN5), and it is the trigger of ${rules.map((r) => r.label).join(', ')}; ` +
        `a SIP rule trigger is not unassigned: delete that SIP rule or give it another trigger first (PN4)`,
      stalled: true,
      requeueAfterMs: 5 * MINUTE,
    });
  }
  if (differs('assignment')) {
    if (rules.length > 0) {
      out.push({
        path: 'assignment',
        reason: 'AssignmentBlocked',
        message: `${n.e164} is the trigger of ${rules.map((r) => r.label).join(', ')} and cannot be assigned to ${desired.assignment?.label} (PN4)`,
        stalled: true,
        requeueAfterMs: 5 * MINUTE,
      });
    } else if (observed.associationErrors?.length) {
      out.push({
        path: 'assignment',
        reason: 'AssignmentFailed',
        message: `AWS did not assign ${n.e164} to ${desired.assignment?.label}: ${observed.associationErrors.map((e) => `${e.code}: ${e.message}`).join('; ')}`,
        stalled: true,
        requeueAfterMs: 5 * MINUTE,
      });
    }
  }
  if (differs('callingName') && observed.callingNameChangeableAfter !== undefined) {
    const until = Date.parse(observed.callingNameChangeableAfter);
    if (until > observed.nowMs) {
      out.push({
        path: 'callingName',
        reason: 'CallingNameCooldown',
        message:
          `the calling name of ${n.e164} changes at most once in 7 days (PN6); changing it to "${desired.callingName}" is possible from ` +
          `${observed.callingNameChangeableAfter} and is made then`,
        stalled: false,
        requeueAfterMs: until - observed.nowMs + 1_000,
      });
    }
  }
  return out;
}

export function orderAction(desired: PnDesired, e164: string, preview: boolean): PlannedAction<PnCache> {
  const sma = desired.productType === 'SipMediaApplicationDialIn' ? ' for SIP media application dial-in' : '';
  return {
    service: 'voice',
    operation: 'CreatePhoneNumberOrder',
    input: { ProductType: desired.productType, E164PhoneNumbers: [e164], Name: desired.awsName },
    description:
      `Order a new ${describeCriteria(desired.order!)}${sma}: ${e164}, named "${desired.awsName}" (its ownership marker)` +
      (preview ? '; chosen from the search now, recorded in status before the order is placed' : ''),
    captures: { OrderId: 'PhoneNumberOrder.PhoneNumberOrderId' },
  };
}

/**
 * An association call for one number; numbers of other objects with the same target and force
 * flag ride in the same call (the executor merges them), and each object gets back only its own
 * per-number errors (API4), which the re-observation reads from the captures.
 */
function associationCall(
  operation: string,
  targetMember: string,
  target: string,
  e164: string,
  extra: Record<string, unknown>,
  capture: CaptureName<PnCache>,
  region: string | undefined,
): Omit<PlannedAction<PnCache>, 'description'> {
  const shared = { [targetMember]: target, ...extra };
  return {
    service: 'voice',
    // A call on a connector or group goes to its region (the home region when unknown).
    ...(region !== undefined ? { region } : {}),
    operation,
    input: { ...shared, E164PhoneNumbers: [e164] },
    captures: { [capture]: 'PhoneNumberErrors' },
    batch: { shared, member: 'E164PhoneNumbers', items: [e164], max: ASSOCIATION_BATCH_MAX, ids: [e164], errors: PHONE_NUMBER_ERRORS, onItemError: 'capture' },
  };
}

function associate(e164: string, target: DesiredAssignment, description: string): PlannedAction<PnCache> {
  const group = target.name === 'VoiceConnectorGroupId';
  return {
    ...associationCall(
      group ? 'AssociatePhoneNumbersWithVoiceConnectorGroup' : 'AssociatePhoneNumbersWithVoiceConnector',
      group ? 'VoiceConnectorGroupId' : 'VoiceConnectorId',
      target.value,
      e164,
      { ForceAssociate: true },
      'AssociationErrors',
      target.region,
    ),
    description,
    fixes: ['assignment'],
  };
}

function disassociate(e164: string, a: PnAssociation, description: string): PlannedAction<PnCache> {
  const group = a.name === 'VoiceConnectorGroupId';
  return {
    ...associationCall(
      group ? 'DisassociatePhoneNumbersFromVoiceConnectorGroup' : 'DisassociatePhoneNumbersFromVoiceConnector',
      group ? 'VoiceConnectorGroupId' : 'VoiceConnectorId',
      a.value,
      e164,
      {},
      'DisassociationErrors',
      a.region,
    ),
    description,
  };
}

const update = (id: string, member: 'Name' | 'CallingName' | 'ProductType', value: string, description: string, fixes: string[]): PlannedAction<PnCache> => ({
  service: 'voice',
  operation: 'UpdatePhoneNumber',
  // AWS changes one detail of a number per call (and per batch item).
  input: { PhoneNumberId: id, [member]: value },
  description,
  fixes,
  // With other objects' updates, one BatchUpdatePhoneNumber; an item's error fails this action as UpdatePhoneNumber would.
  batch: {
    operation: 'BatchUpdatePhoneNumber',
    shared: {},
    member: 'UpdatePhoneNumberRequestItems',
    items: [{ PhoneNumberId: id, [member]: value }],
    max: UPDATE_BATCH_MAX,
    ids: [id],
    errors: PHONE_NUMBER_ERRORS,
    onItemError: 'fail',
    unique: true,
  },
});

/**
 * The writes that follow the number's arrival (an order or a port completing): planned against the
 * number as it will arrive, usable and unassigned, each marked as waiting for that, so that `plan`
 * lists what apply will do; apply sends them only on the pass that sees the number usable, planned
 * again then from what AWS holds.
 */
function onArrival(desired: PnDesired, number: PnNumber, awaits: string, nowMs: number): PlannedAction<PnCache>[] {
  const arrived: PresentObserved = { phase: 'present', number: { ...number, status: 'Unassigned', associations: [] }, nowMs };
  const diffs = diffPhoneNumber(desired, arrived).filter((d) => !d.path.startsWith('order.'));
  return planPhoneNumber(desired, arrived, diffs).map((a) => ({ ...a, after: { awaits } }));
}

/** A number as an order leaves it: the ordered product type and name, no calling name; its id is known only then. */
function ordered(desired: PnDesired, e164: string): PnNumber {
  return {
    phoneNumberId: `(the id of ${e164}, known once the order completes)`,
    e164,
    status: 'Unassigned',
    productType: desired.productType,
    ...(desired.awsName !== undefined ? { name: desired.awsName } : {}),
    associations: [],
  };
}

const orderAwaits = (orderId: string | undefined) => (orderId ? `order ${orderId} completes` : 'the order completes');

export function planPhoneNumber(desired: PnDesired, observed: PnObserved | undefined, diffs: Difference[]): PlannedAction<PnCache>[] {
  if (observed === undefined) {
    // The create path: only a number already recorded in status is ordered (PN1).
    if (desired.mode !== 'order' || !desired.recorded.e164) return [];
    const e164 = desired.recorded.e164;
    return [orderAction(desired, e164, false), ...onArrival(desired, ordered(desired, e164), orderAwaits(undefined), 0)];
  }
  if (observed.phase === 'chosen') {
    return desired.preview ? [orderAction(desired, observed.e164, true), ...onArrival(desired, ordered(desired, observed.e164), orderAwaits(undefined), observed.nowMs)] : [];
  }
  if (observed.phase === 'ordering') return onArrival(desired, ordered(desired, observed.e164), orderAwaits(observed.order.orderId), observed.nowMs);
  if (observed.phase !== 'present') return [];

  const n = observed.number;
  const e164 = n.e164;
  if (n.status === 'AcquireInProgress') return onArrival(desired, n, orderAwaits(observed.order?.orderId ?? n.orderId), observed.nowMs);
  if (n.status === 'PortinInProgress') return onArrival(desired, n, `the port of ${e164} completes`, observed.nowMs);
  if (n.status !== DELETION_QUEUE && !USABLE.has(n.status)) return [];
  const held = new Set(holds(desired, observed, diffs).map((h) => h.path));
  const act = (p: string) => diffs.some((d) => d.path === p && !d.requiresReplacement) && !held.has(p);
  const actions: PlannedAction<PnCache>[] = [];
  let associations = n.associations;

  if (n.status === DELETION_QUEUE) {
    actions.push({
      service: 'voice',
      operation: 'RestorePhoneNumber',
      input: { PhoneNumberId: n.phoneNumberId },
      description: `Restore ${e164} from the deletion queue (deleted ${n.deletionTimestamp ?? 'recently'}; restorable for 7 days) instead of ordering a new number (PN7)`,
    });
    associations = [];
  }

  let assigned = false;
  if (act('productType')) {
    const from = associations.filter((a) => a.name === 'VoiceConnectorId' || a.name === 'VoiceConnectorGroupId');
    const target = desired.productType === 'VoiceConnector' ? (desired.assignment ?? undefined) : undefined;
    const steps = from.length + 1 + (target ? 1 : 0);
    let step = 0;
    const head = `product type change of ${e164} to ${desired.productType} (PN5)`;
    for (const a of from) actions.push(disassociate(e164, a, `Unassign ${e164} from ${a.label} (step ${++step} of ${steps} of the ${head})`));
    actions.push(
      update(
        n.phoneNumberId,
        'ProductType',
        desired.productType,
        `Change the product type of ${e164} from ${n.productType} to ${desired.productType}` +
          (steps > 1 ? ` (step ${++step} of ${steps}; AWS allows it only while the number is unassigned)` : ''),
        ['productType'],
      ),
    );
    if (target) {
      const again = from.some((a) => a.name === target.name && a.value === target.value);
      actions.push(associate(e164, target, `${again ? 'Reassign' : 'Assign'} ${e164} to ${target.label} (step ${++step} of ${steps} of the ${head})`));
      assigned = true;
    }
  }

  if (act('name')) {
    const marker = desired.marker ? ` (the last word, ${desired.marker}, is this object's ownership marker)` : '';
    actions.push(update(n.phoneNumberId, 'Name', desired.awsName ?? '', `Rename ${e164} to "${desired.awsName}"${marker}`, ['name']));
  }

  if (act('callingName')) {
    actions.push(
      update(
        n.phoneNumberId,
        'CallingName',
        desired.callingName ?? '',
        desired.callingName
          ? `Set the outbound calling name (caller id name) of ${e164} to "${desired.callingName}"; carriers apply it within 72 hours, and the next change is possible 7 days later (PN6)`
          : `Remove the outbound calling name of ${e164} (PN6)`,
        ['callingName'],
      ),
    );
  }

  if (act('assignment') && !assigned && desired.assignment) {
    const target = desired.assignment;
    const current = associations.find((a) => a.name === 'VoiceConnectorId' || a.name === 'VoiceConnectorGroupId');
    actions.push(
      associate(
        e164,
        target,
        current
          ? `Move ${e164} from ${current.label} to ${target.label} in one step (force-associate: no moment without routing, PN4)`
          : `Assign ${e164} to ${target.label}`,
      ),
    );
  }
  return actions;
}

/**
 * PN7: deletion unassigns the number from what this object's spec assigned it to, then deletes it
 * (AWS keeps it 7 days in the deletion queue, restorable). Anything else using the number blocks:
 * an association the spec does not name (managed: false, named), or a SIP rule (managed when a
 * SipRule object of this project holds it: it goes first). A claimed number, which this project
 * did not order, is deleted too: deletionPolicy Delete on a claim is the explicit request to
 * release it; use Retain to let go of the object and keep the number.
 */
export function planPhoneNumberDelete(desired: PnDesired, observed: PnObserved, _world: World, _obj: ManagedObject<PhoneNumberSpec, PnCache>): DeletePlan<PnCache> {
  if (observed.phase === 'ordering') {
    return { actions: [], blockers: [{ managed: true, message: `order ${observed.order.orderId} for ${observed.e164} to complete before the number can be deleted` }] };
  }
  if (observed.phase !== 'present') return { actions: [], blockers: [] };
  const n = observed.number;
  if (n.status === DELETION_QUEUE) return { actions: [], blockers: [] };
  if (ARRIVING_STATUSES.has(n.status)) {
    const porting = n.status !== 'AcquireInProgress';
    return {
      actions: [],
      blockers: [
        porting
          ? { managed: false, message: `${n.e164} is still being ported in (${observed.order?.message ?? `status ${n.status}`}); delete it once the port completes, or cancel the port in its AWS Support case` }
          : { managed: true, message: `order ${n.orderId ?? ''} for ${n.e164} to complete before the number can be deleted` },
      ],
    };
  }
  const blockers: DeleteBlocker[] = [];
  const actions: PlannedAction<PnCache>[] = [];
  const mine = desired.assignment ? assignmentValue(desired.assignment) : undefined;
  for (const a of n.associations) {
    const ours = mine !== undefined && a.name !== 'SipRuleId' && (('voiceConnectorId' in mine && a.name === 'VoiceConnectorId' && mine.voiceConnectorId === a.value) || ('voiceConnectorGroupId' in mine && a.name === 'VoiceConnectorGroupId' && mine.voiceConnectorGroupId === a.value));
    if (ours) {
      actions.push(disassociate(n.e164, a, `Unassign ${n.e164} from ${a.label} before deleting it (PN7)`));
    } else if (a.name === 'SipRuleId' && a.managedBy) {
      blockers.push({ managed: true, message: `${a.label} (${a.managedBy}) to stop using ${n.e164} as its trigger` });
    } else {
      blockers.push({
        managed: false,
        message: `${n.e164} is used by ${a.label}, which ${a.name === 'SipRuleId' ? 'this project does not manage' : "this PhoneNumber's spec does not assign it to"}; remove that use before the number can be deleted`,
      });
    }
  }
  if (blockers.length > 0) return { actions: [], blockers };
  actions.push({
    service: 'voice',
    operation: 'DeletePhoneNumber',
    input: { PhoneNumberId: n.phoneNumberId },
    description: `Delete ${n.e164}: it goes to the deletion queue, restorable for 7 days, then back to the carrier's pool (PN7)`,
  });
  return { actions, blockers: [] };
}
