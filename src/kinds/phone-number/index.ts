/**
 * The PhoneNumber kind (issue 4; PN1-PN8): claim a number of the inventory or order one from the
 * pool, name it, give it a calling name, assign it; never ordered twice for one object.
 *
 * The handler needs the current time for the calling name cooldown (PN6): the engine's clock
 * (ObserveArgs.now); `createPhoneNumberHandler({ now })` gives a fallback for callers without one.
 */
import type { ConditionReason } from '../../reconcile/reasons.js';
import type { PhoneNumberAtProvider, PhoneNumberSpec } from '../../api/kinds/phone-number.js';
import type { KindHandler, Readiness } from '../../reconcile/types.js';
import type { PnCache } from './cache.js';
import { phoneNumberDesired, type PnDesired } from './desired.js';
import { diffPhoneNumber } from './diff.js';
import { phoneNumberAnswered } from './answers.js';
import { ARRIVING_STATUSES, DELETION_QUEUE, makeObserve, type PnObserved, type PnOrder } from './observe.js';
import { holds, planPhoneNumber, planPhoneNumberDelete } from './plan.js';

/** Orders take seconds to minutes; porting takes days (each step is a carrier's working day). */
const ORDER_REQUEUE_MS = 10_000;
const PORTING_REQUEUE_MS = 15 * 60_000;
const WAIT_REQUEUE_MS = 5_000;
const STALLED_REQUEUE_MS = 5 * 60_000;

function orderFields(order: PnOrder | undefined): Partial<PhoneNumberAtProvider> {
  if (!order) return {};
  return {
    orderId: order.orderId,
    ...(order.orderType ? { orderType: order.orderType } : {}),
    ...(order.status ? { orderStatus: order.status } : {}),
    ...(order.numberStatus ? { orderedNumberStatus: order.numberStatus } : {}),
    ...(order.message ? { orderMessage: order.message } : {}),
    ...(order.focDate ? { focDate: order.focDate } : {}),
  };
}

const CAPABILITIES: Record<string, string> = {
  InboundCall: 'inboundCall',
  OutboundCall: 'outboundCall',
  InboundSMS: 'inboundSMS',
  OutboundSMS: 'outboundSMS',
  InboundMMS: 'inboundMMS',
  OutboundMMS: 'outboundMMS',
};

export function phoneNumberAtProvider(observed: PnObserved): PhoneNumberAtProvider {
  switch (observed.phase) {
    case 'chosen':
      return { e164: observed.e164, ...(observed.note ? { orderMessage: `${observed.note}; chose ${observed.e164} instead` } : {}) };
    case 'ordering':
    case 'missing':
      return { e164: observed.e164, ...orderFields(observed.order) };
    case 'blocked':
      return {};
    case 'present': {
      const n = observed.number;
      return {
        e164: n.e164,
        phoneNumberId: n.phoneNumberId,
        ...(n.arn ? { arn: n.arn } : {}),
        ...(n.country ? { country: n.country } : {}),
        ...(n.type ? { numberType: n.type } : {}),
        ...(n.productType ? { productType: n.productType } : {}),
        numberStatus: n.status,
        ...orderFields(observed.order),
        ...(n.capabilities
          ? { capabilities: Object.fromEntries(Object.entries(n.capabilities).filter(([k]) => k in CAPABILITIES).map(([k, v]) => [CAPABILITIES[k], v])) }
          : {}),
        associations: n.associations.map((a) => ({ name: a.name, value: a.value, ...(a.associatedTimestamp ? { associatedTimestamp: a.associatedTimestamp } : {}) })),
        ...(n.callingName !== undefined ? { callingName: n.callingName } : {}),
        ...(n.callingNameStatus ? { callingNameStatus: n.callingNameStatus } : {}),
        ...(observed.callingNameChangeableAfter ? { callingNameChangeableAfter: observed.callingNameChangeableAfter } : {}),
        ...(n.deletionTimestamp ? { deletionTimestamp: n.deletionTimestamp } : {}),
      };
    }
  }
}

/**
 * `status.assignedTo` (the Assigned-To printer column): the connector, group or SIP rule using the
 * number, by the name of the object of this project that holds it, else by its AWS id.
 */
export function phoneNumberStatusExtras(observed: PnObserved): Record<string, unknown> {
  if (observed.phase !== 'present') return { assignedTo: undefined };
  // managedBy is Kind/namespace/name; the column shows Kind/name (the object's own namespace).
  const uses = observed.number.associations.map((a) => {
    const [kind, , name] = a.managedBy?.split('/') ?? [];
    return a.managedBy ? `${kind}/${name}` : a.value;
  });
  return { assignedTo: uses.length > 0 ? uses.join(', ') : undefined };
}

export function phoneNumberReadiness(observed: PnObserved, desired: PnDesired): Readiness {
  const wait = (reason: ConditionReason, message: string, requeueAfterMs: number): Readiness => ({ ready: false, reason, message, requeueAfterMs });
  const stall = (reason: ConditionReason, message: string, requeueAfterMs = STALLED_REQUEUE_MS): Readiness => ({ ready: false, reason, message, requeueAfterMs, stalled: true });
  switch (observed.phase) {
    case 'chosen':
      // PN1: the engine writes the chosen number to status now; the order is placed on the next pass.
      return wait('NumberChosen', `chose ${observed.e164} from the search${observed.note ? ` (${observed.note})` : ''}; it is recorded in status and ordered next`, 0);
    case 'ordering':
      return wait('OrderProcessing', `order ${observed.order.orderId} for ${observed.e164} is ${observed.order.status ?? 'Processing'}`, ORDER_REQUEUE_MS);
    case 'missing':
      return stall(
        observed.order?.status === 'Cancelled' ? 'PortingCancelled' : 'NotInInventory',
        `${observed.e164} is not in this account's phone number inventory${observed.order?.message ? ` (${observed.order.message})` : ''}; ` +
          'claim a number the account holds (ported in, or ordered before), or order one with spec.order',
      );
    case 'blocked':
      return observed.stalled ? stall(observed.reason, observed.message, observed.requeueAfterMs) : wait(observed.reason, observed.message, observed.requeueAfterMs);
    case 'present':
      break;
  }
  const n = observed.number;
  if (n.status === 'AcquireInProgress')
    return wait('OrderProcessing', `order ${observed.order?.orderId ?? n.orderId ?? ''} for ${n.e164} is ${observed.order?.status ?? 'Processing'}; the number is being acquired`, ORDER_REQUEUE_MS);
  if (ARRIVING_STATUSES.has(n.status)) return wait('PortingInProgress', observed.order?.message ?? `${n.e164} is being ported in (${n.status})`, PORTING_REQUEUE_MS);
  if (n.status === DELETION_QUEUE)
    return stall('InDeletionQueue', `${n.e164} is in the deletion queue since ${n.deletionTimestamp ?? '?'}; driftPolicy Report does not restore it (PN7)`);
  if (n.status !== 'Unassigned' && n.status !== 'Assigned') return stall('NumberUnusable', `${n.e164} has status ${n.status} in AWS`);
  const first = holds(desired, observed, diffPhoneNumber(desired, observed))[0];
  if (first) return first.stalled ? stall(first.reason, first.message, first.requeueAfterMs) : wait(first.reason, first.message, first.requeueAfterMs);
  if (desired.assignmentWaiting) return wait('AssignmentWaiting', desired.assignmentWaiting, WAIT_REQUEUE_MS);
  return { ready: true };
}

export function createPhoneNumberHandler(opts: { now?: () => Date } = {}): KindHandler<PnDesired, PnObserved, PnCache, PhoneNumberSpec> {
  const now = opts.now ?? (() => new Date());
  return {
    kind: 'PhoneNumber',
    // An order chooses from a search the numbers no other object chose (in its status); a claim names its number.
    observesSiblings: (obj) => typeof obj.spec?.e164 !== 'string',
    // A claimed number is the resource itself; an ordered one is chosen later, from numbers nobody
    // holds. A number's AWS id is its E.164, so adopting it by id claims the same number as naming it.
    claims: (obj) => {
      const e164 = typeof obj.spec?.e164 === 'string' ? obj.spec.e164 : undefined;
      const adopted = obj.metadata.annotations?.['chimevoice.io/external-id']?.trim();
      return [
        ...(e164 ? [{ key: `e164:${e164}`, label: `the number ${e164}`, path: 'spec.e164' }] : []),
        ...(adopted?.startsWith('+') && adopted !== e164 ? [{ key: `e164:${adopted}`, label: `the number ${adopted}`, path: 'metadata.annotations["chimevoice.io/external-id"]' }] : []),
      ];
    },
    desired: phoneNumberDesired,
    observe: makeObserve(now),
    answered: phoneNumberAnswered,
    diff: diffPhoneNumber,
    plan: planPhoneNumber,
    planDelete: planPhoneNumberDelete,
    atProvider: (observed) => phoneNumberAtProvider(observed),
    statusExtras: (observed) => phoneNumberStatusExtras(observed),
    readiness: phoneNumberReadiness,
    warnings: (_desired, observed) => {
      if (observed?.phase !== 'present') return [];
      const n = observed.number;
      if (n.callingNameStatus === 'UpdateInProgress')
        return [{ type: 'CallingNamePending', reason: 'UpdateInProgress', message: `carriers are applying the calling name "${n.callingName ?? ''}" of ${n.e164} (up to 72 hours, PN6)` }];
      if (n.callingNameStatus === 'UpdateFailed')
        return [{ type: 'CallingNamePending', reason: 'UpdateFailed', message: `AWS reports the calling name update of ${n.e164} failed (UpdateFailed)` }];
      return [];
    },
  };
}

export const phoneNumberHandler = createPhoneNumberHandler();

export type { PnDesired } from './desired.js';
export type { PnObserved } from './observe.js';
