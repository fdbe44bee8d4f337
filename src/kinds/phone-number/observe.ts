/**
 * Observation of a phone number, the only I/O of the kind. One ListPhoneNumbers listing per pass
 * (through the inventory) serves every PhoneNumber object: a claim is found by its E.164, an
 * ordered number by the id cached in status (checked against its order id) and else by the
 * ownership marker in its name, which the order call itself wrote, so a restart between ordering
 * and writing status finds the number, numbers still being acquired included.
 *
 * PN1, the chosen number is recorded in status before the order is placed: when an order is due
 * and status holds no chosen number, observe searches and returns a `chosen` observation. The
 * engine writes that number into status and requeues; the next pass sees it there and only then
 * returns `undefined` ("create"), for which `plan` orders exactly that number.
 */
import type { ConditionReason } from '../../reconcile/reasons.js';
import type { CallingNameStatus, NumberStatus, OrderStatus, OrderedNumberStatus, PhoneNumberSpec } from '../../api/kinds/phone-number.js';
import type { ObserveArgs, World } from '../../reconcile/types.js';
import type { PnCache } from './cache.js';
import { pendingOf, type CreatePending } from '../../reconcile/create-pending.js';
import { InvalidSpecError, OwnershipConflictError } from '../../reconcile/errors.js';
import { countryName, describeE164, nanpPrefix, requiredDocuments } from './countries.js';
import { carriesMarker, type AssociationName, type OrderCriteria, type PnDesired } from './desired.js';

const DAY = 86_400_000;
/** PN6: one calling name change in 7 days; the update takes up to 72 hours to apply. */
export const CALLING_NAME_COOLDOWN_MS = 7 * DAY;
export const CALLING_NAME_APPLY_MS = 3 * DAY;
/** Order statuses after which an order never changes again: its cached status needs no re-read. */
export const FINAL_ORDER_STATUSES = new Set(['Successful', 'Failed', 'Partial', 'Cancelled']);
/** Number statuses while it is being brought into the account. */
export const ARRIVING_STATUSES = new Set(['AcquireInProgress', 'PortinInProgress', 'PortinCancelRequested']);
export const DELETION_QUEUE = 'DeleteInProgress';
/** How many search results to choose from. */
const SEARCH_RESULTS = 100;

export interface PnAssociation {
  name: AssociationName;
  value: string;
  associatedTimestamp?: string;
  /** For people: `voice connector office-trunk` (an object of this project) or `voice connector abc123`. */
  label: string;
  /** `Kind/namespace/name` of the object of this project that holds this id, if any. */
  managedBy?: string;
  /** The region of the connector or group the number is associated with, when an object of this project says so. */
  region?: string;
}

export interface PnNumber {
  phoneNumberId: string;
  e164: string;
  arn?: string;
  country?: string;
  type?: 'Local' | 'TollFree';
  productType?: 'VoiceConnector' | 'SipMediaApplicationDialIn';
  status: NumberStatus;
  name?: string;
  callingName?: string;
  callingNameStatus?: CallingNameStatus;
  capabilities?: Record<string, boolean>;
  associations: PnAssociation[];
  orderId?: string;
  updatedTimestamp?: string;
  deletionTimestamp?: string;
}

export interface PnOrder {
  orderId: string;
  orderType?: 'New' | 'Porting';
  status?: OrderStatus;
  /** This number's status within the order: Processing, Acquired or Failed. */
  numberStatus?: OrderedNumberStatus;
  focDate?: string;
  /** Why the order is Partial or Failed for this number, or what a porting order waits for. */
  message?: string;
}

export interface PnError {
  code: string;
  message: string;
}

export type PnObserved =
  /** An order is due: this number was chosen from the search and is written to status before it is ordered. */
  | { phase: 'chosen'; e164: string; nowMs: number; note?: string }
  /** An order for the recorded number is in flight and the number does not show in the inventory yet. */
  | { phase: 'ordering'; e164: string; order: PnOrder; nowMs: number }
  /**
   * An order is due but cannot be placed: documents required (PN3), country not offered, no number
   * available. An observation rather than an error, so that deleting such an object (which never
   * got a number) finishes instead of stalling on the same reason.
   */
  | { phase: 'blocked'; reason: ConditionReason; message: string; stalled: boolean; requeueAfterMs: number; nowMs: number }
  /** A claimed number is not in the account's inventory (never there, released, or a cancelled port). */
  | { phase: 'missing'; e164: string; order?: PnOrder; nowMs: number }
  | {
      phase: 'present';
      number: PnNumber;
      order?: PnOrder;
      /** PN6: the earliest time the calling name may change again, from AWS's timestamps and status. */
      callingNameChangeableAfter?: string;
      /** Per-number errors of the association calls this pass made (API4), read back from the captures. */
      associationErrors?: PnError[];
      nowMs: number;
    };

export type PresentObserved = Extract<PnObserved, { phase: 'present' }>;

export interface AwsNumber {
  PhoneNumberId?: string;
  E164PhoneNumber?: string;
  Country?: string;
  Type?: 'Local' | 'TollFree';
  ProductType?: 'VoiceConnector' | 'SipMediaApplicationDialIn';
  Status?: NumberStatus;
  Capabilities?: Record<string, boolean>;
  Associations?: Array<{ Name?: string; Value?: string; AssociatedTimestamp?: string | Date }>;
  CallingName?: string;
  CallingNameStatus?: CallingNameStatus;
  UpdatedTimestamp?: string | Date;
  DeletionTimestamp?: string | Date;
  OrderId?: string;
  Name?: string;
  PhoneNumberArn?: string;
}

interface AwsOrder {
  PhoneNumberOrderId?: string;
  OrderType?: 'New' | 'Porting';
  Status?: OrderStatus;
  OrderedPhoneNumbers?: Array<{ E164PhoneNumber?: string; Status?: OrderedNumberStatus }>;
  FocDate?: string | Date;
}

const iso = (v: string | Date | undefined) => (v === undefined ? undefined : v instanceof Date ? v.toISOString() : new Date(v).toISOString());

/** `now` is the fallback clock for callers that pass none in ObserveArgs; the engine's clock wins. */
export function makeObserve(now: () => Date) {
  return async function observePhoneNumber({ obj, desired, aws, world, now: engineNow }: ObserveArgs<PnDesired, unknown, PhoneNumberSpec, PnCache>): Promise<PnObserved | undefined> {
    const nowMs = (engineNow ?? now()).getTime();
    const cache: Partial<PnCache> = obj.status?.atProvider ?? {};
    const numbers = await aws.inventory.list<AwsNumber>({ service: 'voice', operation: 'ListPhoneNumbers', items: 'PhoneNumbers' });

    const readOrder = async (orderId: string, e164: string): Promise<PnOrder | undefined> => {
      const out = await aws.read<{ PhoneNumberOrder?: AwsOrder }>('voice', 'GetPhoneNumberOrder', { PhoneNumberOrderId: orderId });
      return out?.PhoneNumberOrder ? orderInfo(out.PhoneNumberOrder, e164) : undefined;
    };

    let found: AwsNumber | undefined;
    if (desired.mode === 'claim') {
      found = numbers.find((n) => n.E164PhoneNumber === desired.e164);
    } else {
      const marker = desired.marker!;
      // The cached id is ours only if the number still comes from the cached order: a released
      // number ordered again by someone else keeps its E.164 (its id) but not its order.
      const cached = typeof cache.phoneNumberId === 'string'
        ? numbers.find((n) => n.PhoneNumberId === cache.phoneNumberId && (n.OrderId === undefined || n.OrderId === cache.orderId))
        : undefined;
      if (cached) found = cached;
      else {
        const marked = numbers.filter((n) => carriesMarker(n.Name, marker));
        const live = marked.filter((n) => n.Status !== DELETION_QUEUE);
        if (live.length > 1)
          throw new OwnershipConflictError(
            `${live.length} phone numbers carry the ownership marker ${marker} of this object (${live.map((n) => n.E164PhoneNumber).join(', ')}); ` +
              `keep one and rename or release the others before this object manages any of them`,
          );
        // A live number wins over one in the deletion queue; otherwise the queued one is restored (PN7).
        found = live[0] ?? marked[0];
      }
    }

    const present = async (awsNumber: AwsNumber, known?: PnOrder): Promise<PnObserved> => {
      const number = toNumber(awsNumber, world);
      // PN2 and PN6 on what AWS says the number is (the spec check only had its digits).
      if (desired.productType === 'VoiceConnector' && number.country && number.country !== 'US')
        throw new InvalidSpecError(`${number.e164} is a ${number.country} number: numbers outside the US must use the SipMediaApplicationDialIn product type (PN2)`, 'productType');
      if (desired.callingName && number.type === 'TollFree')
        throw new InvalidSpecError(`${number.e164} is a toll-free number: toll-free numbers cannot have a calling name (PN6); remove callingName`, 'callingName');
      let order: PnOrder | undefined = known;
      if (number.orderId && !known) {
        const reusable = cache.orderId === number.orderId && cache.orderStatus !== undefined && FINAL_ORDER_STATUSES.has(cache.orderStatus) && !ARRIVING_STATUSES.has(number.status);
        order = reusable
          ? {
              orderId: number.orderId,
              ...(cache.orderType ? { orderType: cache.orderType } : {}),
              status: cache.orderStatus,
              ...(cache.orderedNumberStatus ? { numberStatus: cache.orderedNumberStatus } : {}),
              ...(cache.focDate ? { focDate: cache.focDate } : {}),
              ...(cache.orderMessage ? { message: cache.orderMessage } : {}),
            }
          : await readOrder(number.orderId, number.e164);
      }
      const errors = [...asErrors(cache.associationErrors), ...asErrors(cache.disassociationErrors)].filter(
        (e) => e.PhoneNumberId === undefined || e.PhoneNumberId === number.phoneNumberId || e.PhoneNumberId === number.e164,
      );
      const changeableAfter = callingNameChangeableAfter(number, cache);
      return {
        phase: 'present',
        number,
        ...(order ? { order } : {}),
        ...(changeableAfter ? { callingNameChangeableAfter: changeableAfter } : {}),
        ...(errors.length > 0 ? { associationErrors: errors.map((e) => ({ code: e.ErrorCode ?? 'Error', message: e.ErrorMessage ?? 'no message' })) } : {}),
        nowMs,
      };
    };
    if (found) return present(found);

    if (desired.mode === 'claim') {
      // A cancelled port, or a number released after the deletion queue: say which, if status knows its order.
      const order = typeof cache.orderId === 'string' ? await readOrder(cache.orderId, desired.e164!) : undefined;
      return { phase: 'missing', e164: desired.e164!, ...(order ? { order } : {}), nowMs };
    }

    const criteria = desired.order!;
    // PN3: a country that needs identity documents takes orders only through a support case.
    const docs = requiredDocuments(criteria.country, criteria.numberType);
    if (docs.length > 0) {
      const what = criteria.numberType === 'TollFree' ? 'toll-free numbers' : criteria.numberType === 'Local' ? 'local numbers' : 'numbers';
      return {
        phase: 'blocked',
        reason: 'DocumentsRequired',
        message:
          `${countryName(criteria.country)} (${criteria.country}) requires identity documents for ${what}: ${docs.join('; ')}. ` +
          `Such numbers cannot be ordered through the API (PN3): request one through an AWS Support case with these documents, then claim it with spec.e164. No order was placed.`,
        stalled: true,
        requeueAfterMs: 3_600_000,
        nowMs,
      };
    }

    // The status cache with this pass's captures (the order id just placed) is newer than desired.recorded.
    const recorded = typeof cache.e164 === 'string' ? cache.e164 : desired.recorded.e164;
    let recordedOrderId = typeof cache.orderId === 'string' ? cache.orderId : desired.recorded.orderId;
    const pending = pendingOf(obj.status);
    if (recorded && !recordedOrderId && pending?.operation === 'CreatePhoneNumberOrder') {
      // An order was sent and its answer not recorded (the process died on the way): find it among the orders.
      recordedOrderId = pending.ids?.OrderId ?? (await findOrder(aws, recorded, pending));
    }
    let note: string | undefined;
    if (recorded && matchesCriteria(recorded, criteria)) {
      const holder = numbers.find((n) => n.E164PhoneNumber === recorded);
      if (holder) {
        note = `${recorded}, chosen earlier, was taken by another order (its name is "${holder.Name ?? ''}")`;
      } else if (recordedOrderId) {
        const order = await readOrder(recordedOrderId, recorded);
        // Never two orders in flight for one object: a processing order is waited for.
        if (order === undefined || order.numberStatus === 'Processing' || order.status === 'Processing') {
          return { phase: 'ordering', e164: recorded, order: order ?? { orderId: recordedOrderId, status: 'Processing' }, nowMs };
        }
        if (order.numberStatus === 'Acquired') {
          // Acquired, and not in the listing yet (listings lag, API5): read the number itself, never order again.
          const number = (await aws.read<{ PhoneNumber?: AwsNumber }>('voice', 'GetPhoneNumber', { PhoneNumberId: recorded }))?.PhoneNumber;
          if (number && carriesMarker(number.Name, desired.marker!)) return present(number, order);
          return { phase: 'ordering', e164: recorded, order, nowMs };
        }
        note = order.message ?? `order ${order.orderId} ended ${order.status}; ${recorded} is not in the inventory`;
      } else {
        // Recorded before, not ordered yet (or the order left no trace): the create path orders exactly it.
        return undefined;
      }
    }

    const chosen = await choose(aws, desired, criteria, numbers, world, obj.metadata, recorded);
    if (typeof chosen !== 'string') return { phase: 'blocked', ...chosen, nowMs };
    return { phase: 'chosen', e164: chosen, nowMs, ...(note ? { note } : {}) };
  };
}

/** How far before the recorded intent an order may be stamped and still be the one sent (clocks of the caller and AWS differ). */
const ORDER_CLOCK_SKEW_MS = 5 * 60_000;

/**
 * The order that a recorded CreatePhoneNumberOrder placed for `e164`, when its answer was never
 * recorded: a new order of that number, stamped no earlier than the intent (less clock skew).
 * Listed only while such an intent is pending.
 */
async function findOrder(aws: ObserveArgs<PnDesired>['aws'], e164: string, pending: CreatePending): Promise<string | undefined> {
  const orders = await aws.inventory.list<AwsOrder & { CreatedTimestamp?: string | Date }>({ service: 'voice', operation: 'ListPhoneNumberOrders', items: 'PhoneNumberOrders' });
  const since = Date.parse(pending.requestedAt) - ORDER_CLOCK_SKEW_MS;
  const mine = orders.filter(
    (o) =>
      o.OrderType !== 'Porting' &&
      (o.OrderedPhoneNumbers ?? []).some((n) => n.E164PhoneNumber === e164) &&
      (o.CreatedTimestamp === undefined || Date.parse(iso(o.CreatedTimestamp)!) >= since),
  );
  return mine[mine.length - 1]?.PhoneNumberOrderId;
}

async function choose(
  aws: ObserveArgs<PnDesired>['aws'],
  desired: PnDesired,
  criteria: OrderCriteria,
  numbers: AwsNumber[],
  world: World,
  self: { name: string; namespace?: string },
  failed: string | undefined,
): Promise<string | { reason: ConditionReason; message: string; stalled: boolean; requeueAfterMs: number }> {
  const countries = await aws.inventory.list<{ CountryCode?: string; SupportedPhoneNumberTypes?: string[] }>({
    service: 'voice',
    operation: 'ListSupportedPhoneNumberCountries',
    input: { ProductType: desired.productType },
    items: 'PhoneNumberCountries',
    paged: false,
  });
  const supported = countries.find((c) => c.CountryCode === criteria.country);
  if (!supported || (criteria.numberType && !(supported.SupportedPhoneNumberTypes ?? []).includes(criteria.numberType)))
    return {
      reason: 'CountryNotSupported',
      message:
        `${criteria.numberType ?? ''} numbers in ${countryName(criteria.country)} (${criteria.country}) are not offered for the ${desired.productType} product type; ` +
        `offered: ${countries.map((c) => `${c.CountryCode} (${(c.SupportedPhoneNumberTypes ?? []).join(', ')})`).join(', ')}`.trimStart(),
      stalled: true,
      requeueAfterMs: 3_600_000,
    };
  const results = await aws.inventory.list<string>({
    service: 'voice',
    operation: 'SearchAvailablePhoneNumbers',
    input: searchInput(criteria),
    items: 'E164PhoneNumbers',
    paged: false,
  });
  // Skip numbers already in the account and numbers other objects chose and have not ordered yet.
  const taken = new Set(numbers.map((n) => n.E164PhoneNumber));
  for (const other of world.list('PhoneNumber')) {
    if (other.metadata.name === self.name && (other.metadata.namespace ?? 'default') === (self.namespace ?? 'default')) continue;
    const e164 = other.status?.atProvider?.e164;
    if (typeof e164 === 'string') taken.add(e164);
  }
  if (failed) taken.add(failed);
  const candidate = results.find((e) => !taken.has(e));
  if (!candidate) return { reason: 'NoNumberAvailable', message: `no number is available for ${describeCriteria(criteria)}; looking again in 15 minutes`, stalled: false, requeueAfterMs: 900_000 };
  return candidate;
}

export function searchInput(c: OrderCriteria): Record<string, unknown> {
  return {
    Country: c.country,
    ...(c.numberType ? { PhoneNumberType: c.numberType } : {}),
    ...(c.areaCode ? { AreaCode: c.areaCode } : {}),
    ...(c.state ? { State: c.state } : {}),
    ...(c.city ? { City: c.city } : {}),
    ...(c.tollFreePrefix ? { TollFreePrefix: c.tollFreePrefix } : {}),
    MaxResults: SEARCH_RESULTS,
  };
}

/** Whether a number fits the criteria, as far as its digits tell (state and city cannot be told from them). */
export function matchesCriteria(e164: string, c: OrderCriteria): boolean {
  const d = describeE164(e164);
  if (d.country !== undefined && d.country !== c.country && !(d.type === 'TollFree' && e164.startsWith('+1') && ['US', 'CA', 'PR'].includes(c.country))) return false;
  if (c.numberType && d.type !== c.numberType) return false;
  if (c.areaCode && nanpPrefix(e164) !== c.areaCode) return false;
  if (c.tollFreePrefix && nanpPrefix(e164) !== c.tollFreePrefix) return false;
  return true;
}

/** The search in words: "local number in area code 206", "toll-free number with prefix 800", "GB local number". */
export function describeCriteria(c: OrderCriteria): string {
  const type = c.numberType === 'TollFree' ? 'toll-free number' : c.numberType === 'Local' ? 'local number' : 'number';
  const where: string[] = [];
  if (c.areaCode) where.push(`in area code ${c.areaCode}`);
  if (c.city) where.push(`in ${c.city}, ${c.state}`);
  else if (c.state) where.push(`in ${c.state}`);
  if (c.tollFreePrefix) where.push(`with prefix ${c.tollFreePrefix}`);
  const country = c.country === 'US' ? '' : `${countryName(c.country)} `;
  return `${country}${type}${where.length ? ` ${where.join(' ')}` : ''}`;
}

function asErrors(v: unknown): Array<{ PhoneNumberId?: string; ErrorCode?: string; ErrorMessage?: string }> {
  return Array.isArray(v) ? v : [];
}

export function toNumber(n: AwsNumber, world: World): PnNumber {
  const e164 = n.E164PhoneNumber ?? n.PhoneNumberId ?? '';
  return {
    phoneNumberId: n.PhoneNumberId ?? e164,
    e164,
    ...(n.PhoneNumberArn ? { arn: n.PhoneNumberArn } : {}),
    ...(n.Country ? { country: n.Country } : {}),
    ...(n.Type ? { type: n.Type } : {}),
    ...(n.ProductType ? { productType: n.ProductType } : {}),
    status: n.Status ?? 'Unassigned',
    ...(n.Name !== undefined ? { name: n.Name } : {}),
    ...(n.CallingName !== undefined ? { callingName: n.CallingName } : {}),
    ...(n.CallingNameStatus ? { callingNameStatus: n.CallingNameStatus } : {}),
    ...(n.Capabilities ? { capabilities: n.Capabilities } : {}),
    associations: (n.Associations ?? []).map((a) => labelAssociation(a.Name as AssociationName, a.Value ?? '', iso(a.AssociatedTimestamp), world)),
    ...(n.OrderId ? { orderId: n.OrderId } : {}),
    ...(n.UpdatedTimestamp ? { updatedTimestamp: iso(n.UpdatedTimestamp) } : {}),
    ...(n.DeletionTimestamp ? { deletionTimestamp: iso(n.DeletionTimestamp) } : {}),
  };
}

const ASSOCIATION_KINDS: Record<AssociationName, { kind: string; idField: string; label: string }> = {
  VoiceConnectorId: { kind: 'VoiceConnector', idField: 'voiceConnectorId', label: 'voice connector' },
  VoiceConnectorGroupId: { kind: 'VoiceConnectorGroup', idField: 'voiceConnectorGroupId', label: 'voice connector group' },
  SipRuleId: { kind: 'SipRule', idField: 'sipRuleId', label: 'SIP rule' },
};

/** Names an association by the object of this project that holds its id, when there is one. */
function labelAssociation(name: AssociationName, value: string, associatedTimestamp: string | undefined, world: World): PnAssociation {
  const k = ASSOCIATION_KINDS[name] ?? { kind: name, idField: '', label: name };
  const holder = world.list(k.kind).find((o) => o.status?.atProvider?.[k.idField] === value);
  const at = holder?.status?.atProvider;
  const region = name === 'VoiceConnectorId' ? at?.region : name === 'VoiceConnectorGroupId' && typeof at?.arn === 'string' ? at.arn.split(':')[3] : undefined;
  return {
    name,
    value,
    ...(associatedTimestamp ? { associatedTimestamp } : {}),
    label: holder ? `${k.label} ${holder.metadata.name}` : `${k.label} ${value}`,
    ...(holder ? { managedBy: `${k.kind}/${holder.metadata.namespace ?? 'default'}/${holder.metadata.name}` } : {}),
    ...(typeof region === 'string' && region ? { region } : {}),
  };
}

const PORTING_WORDS: Record<string, string> = {
  Submitted: 'submitted to the losing carrier',
  PendingDocuments: 'waiting for documents: submit them in the AWS Support case of the port',
  FOC: 'confirmed by the carrier (firm order commitment)',
  ChangeRequested: 'changes were requested: answer them in the AWS Support case of the port',
  Exception: 'stopped on an exception: see the AWS Support case of the port',
  CancelRequested: 'being cancelled',
  Cancelled: 'cancelled; the number was not ported in',
  Successful: 'completed',
};

function orderInfo(o: AwsOrder, e164: string): PnOrder {
  const mine = o.OrderedPhoneNumbers?.find((n) => n.E164PhoneNumber === e164);
  const orderId = o.PhoneNumberOrderId ?? '';
  let message: string | undefined;
  if (o.OrderType === 'Porting') {
    const focDate = iso(o.FocDate);
    message = `porting order ${orderId} is ${o.Status}: ${PORTING_WORDS[o.Status ?? ''] ?? o.Status}${focDate && o.Status !== 'Successful' ? `; port date ${focDate}` : ''}`;
  } else if (o.Status === 'Failed' || o.Status === 'Partial' || mine?.Status === 'Failed') {
    message =
      mine?.Status === 'Failed'
        ? `order ${orderId} ended ${o.Status}: AWS reports ${e164} Failed (not acquired; it was no longer available)`
        : `order ${orderId} ended ${o.Status}; ${e164} is ${mine?.Status ?? 'not in the order'}`;
  }
  return {
    orderId,
    ...(o.OrderType ? { orderType: o.OrderType } : {}),
    ...(o.Status ? { status: o.Status } : {}),
    ...(mine?.Status ? { numberStatus: mine.Status } : {}),
    ...(o.FocDate ? { focDate: iso(o.FocDate) } : {}),
    ...(message ? { message } : {}),
  };
}

/**
 * PN6: the earliest time the calling name may change again, from AWS data and status only (never
 * from process memory, so a restart keeps the cooldown). A change sets CallingNameStatus to
 * UpdateInProgress and moves UpdatedTimestamp; the update completing 72 hours later moves it again.
 * So: in progress → UpdatedTimestamp + 7 days; applied or failed → UpdatedTimestamp + 7 days - 72
 * hours. Later unrelated updates only move these later (waiting longer, never refused). While the
 * calling name is the one status last saw, the time status cached stands.
 */
export function callingNameChangeableAfter(number: PnNumber, cache: Partial<PnCache>): string | undefined {
  const cached = typeof cache.callingNameChangeableAfter === 'string' ? Date.parse(cache.callingNameChangeableAfter) : undefined;
  const unchanged = cache.e164 === number.e164 && 'callingNameStatus' in cache && (cache.callingName ?? '') === (number.callingName ?? '');
  if (unchanged) {
    // The same name; only the 72-hour update may have completed since.
    return cached !== undefined ? new Date(cached).toISOString() : undefined;
  }
  const updated = number.updatedTimestamp ? Date.parse(number.updatedTimestamp) : undefined;
  let derived: number | undefined;
  if (updated !== undefined) {
    if (number.callingNameStatus === 'UpdateInProgress') derived = updated + CALLING_NAME_COOLDOWN_MS;
    else if (number.callingNameStatus === 'UpdateSucceeded' || number.callingNameStatus === 'UpdateFailed') derived = updated + CALLING_NAME_COOLDOWN_MS - CALLING_NAME_APPLY_MS;
    else if ((cache.callingName ?? '') !== '' && cache.e164 === number.e164) derived = updated + CALLING_NAME_COOLDOWN_MS; // cleared since status saw a name
  }
  const best = Math.max(derived ?? -Infinity, cached ?? -Infinity);
  return Number.isFinite(best) ? new Date(best).toISOString() : undefined;
}
