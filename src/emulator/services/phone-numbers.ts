/**
 * Phone numbers: the deterministic pool of available numbers, orders (new and porting), the
 * inventory, the deletion queue, calling names, phone number settings and E911 address validation.
 * Rules PN1, PN2, PN3, PN5, PN6, PN7, PN8, API3, API4.
 *
 * Other families (voice connectors, groups, SIP rules) write `PhoneNumberRecord.Associations`;
 * they can use `findNumber`, `numberUsableProblem`, `addAssociation` and `removeAssociation` below,
 * which keep the Assigned/Unassigned status in step with the associations.
 */
import { createHash, randomUUID } from 'node:crypto';
import { parsePhoneNumberFromString } from 'libphonenumber-js/max';
import { ApiError, badRequest, conflict, notFound, regionOfArn, type OpContext, type ServiceModule } from '../core/types.js';
import { publicView, type EmulatorState, type PhoneNumberOrderRecord, type PhoneNumberRecord } from '../core/state.js';
import { modelEnum } from '../core/model.js';
import { paginate } from './account.js';
// PN3's documents by country are domain facts the operator checks too: one table for both.
import { countryName, requiredDocuments } from '../../domain/phone-number-countries.js';

type ProductType = PhoneNumberRecord['ProductType'];
type NumberType = PhoneNumberRecord['Type'];
type AssociationName = PhoneNumberRecord['Associations'][number]['Name'];

const HOUR = 3_600_000;
const DAY = 24 * HOUR;
/** PN1: how long a new order stays `Processing` on the emulated clock. */
export const ORDER_PROCESSING_MS = 10_000;
/** PN6: a calling name change applies after 72 hours, and a number's name changes at most once in 7 days. */
export const CALLING_NAME_APPLY_MS = 72 * HOUR;
export const CALLING_NAME_COOLDOWN_MS = 7 * DAY;
/** PN7: a deleted number sits in the deletion queue this long, then leaves the account for the pool. */
export const DELETION_QUEUE_MS = 7 * DAY;
/** PN7: the status of a number in the deletion queue. */
export const DELETION_QUEUE_STATUS = 'DeleteInProgress';
/** API3: phone number search pages up to 500; other lists up to 100 (the model's ranges). */
const SEARCH_DEFAULT_MAX = 100;

/** The model's PhoneNumberStatus enum, which ListPhoneNumbers filters by. */
const PHONE_NUMBER_STATUSES = modelEnum('PhoneNumberStatus');

// ---------------------------------------------------------------- the pool (PN1, PN2, PN3)

/** One number of the deterministic pool. `Class` names a national range with its own document rules (PN3). */
export interface PoolEntry {
  E164: string;
  Country: string;
  Type: NumberType;
  State?: string;
  City?: string;
  AreaCode?: string;
  TollFreePrefix?: string;
  Class?: string;
}

/** Real NANP area codes with the state (or province) and city they serve. */
const NANP_AREA_CODES: Array<[areaCode: string, country: string, state: string, city: string]> = [
  ['206', 'US', 'WA', 'Seattle'],
  ['425', 'US', 'WA', 'Bellevue'],
  ['212', 'US', 'NY', 'New York'],
  ['718', 'US', 'NY', 'Brooklyn'],
  ['213', 'US', 'CA', 'Los Angeles'],
  ['415', 'US', 'CA', 'San Francisco'],
  ['408', 'US', 'CA', 'San Jose'],
  ['312', 'US', 'IL', 'Chicago'],
  ['512', 'US', 'TX', 'Austin'],
  ['214', 'US', 'TX', 'Dallas'],
  ['713', 'US', 'TX', 'Houston'],
  ['617', 'US', 'MA', 'Boston'],
  ['702', 'US', 'NV', 'Las Vegas'],
  ['303', 'US', 'CO', 'Denver'],
  ['404', 'US', 'GA', 'Atlanta'],
  ['305', 'US', 'FL', 'Miami'],
  ['503', 'US', 'OR', 'Portland'],
  ['207', 'US', 'ME', 'Portland'],
  ['602', 'US', 'AZ', 'Phoenix'],
  ['202', 'US', 'DC', 'Washington'],
  ['215', 'US', 'PA', 'Philadelphia'],
  ['612', 'US', 'MN', 'Minneapolis'],
  ['615', 'US', 'TN', 'Nashville'],
  ['808', 'US', 'HI', 'Honolulu'],
  ['416', 'CA', 'ON', 'Toronto'],
  ['613', 'CA', 'ON', 'Ottawa'],
  ['604', 'CA', 'BC', 'Vancouver'],
  ['514', 'CA', 'QC', 'Montreal'],
  ['403', 'CA', 'AB', 'Calgary'],
  ['787', 'PR', 'PR', 'San Juan'],
];
export const TOLL_FREE_PREFIXES = ['800', '833', '844', '855', '866', '877', '888'];

/** Numbers outside the NANP: `prefix` + one digit 0..count-1, checked with libphonenumber at load. */
const INTERNATIONAL_RANGES: Array<{ country: string; type: NumberType; prefix: string; count: number; city?: string; state?: string; cls?: string }> = [
  { country: 'GB', type: 'Local', prefix: '+44207183010', count: 5, city: 'London' },
  { country: 'GB', type: 'Local', prefix: '+44131496010', count: 5, city: 'Edinburgh' },
  { country: 'GB', type: 'TollFree', prefix: '+44800010010', count: 5 },
  { country: 'NZ', type: 'Local', prefix: '+649401010', count: 5, city: 'Auckland' },
  { country: 'NZ', type: 'TollFree', prefix: '+6480010010', count: 5 },
  { country: 'AU', type: 'Local', prefix: '+6129010010', count: 5, city: 'Sydney', state: 'NSW' },
  { country: 'AU', type: 'TollFree', prefix: '+61180010010', count: 5 },
  { country: 'AT', type: 'Local', prefix: '+43189001', count: 5, city: 'Vienna' },
  { country: 'AT', type: 'Local', prefix: '+4372012345', count: 5, cls: 'AT-720' },
  { country: 'AT', type: 'TollFree', prefix: '+4380010010', count: 5 },
  { country: 'DK', type: 'Local', prefix: '+453210010', count: 5, city: 'Copenhagen' },
  { country: 'DK', type: 'TollFree', prefix: '+458010010', count: 5 },
  { country: 'FI', type: 'Local', prefix: '+35891234010', count: 5, city: 'Helsinki' },
  { country: 'FI', type: 'Local', prefix: '+35875321010', count: 5, cls: 'FI-075' },
  { country: 'FI', type: 'TollFree', prefix: '+35880010010', count: 5 },
  { country: 'DE', type: 'Local', prefix: '+49309010010', count: 5, city: 'Berlin' },
  { country: 'DE', type: 'Local', prefix: '+493210010010', count: 5, cls: 'DE-32' },
  { country: 'DE', type: 'TollFree', prefix: '+49800100010', count: 5 },
  { country: 'IE', type: 'Local', prefix: '+3531901010', count: 5, city: 'Dublin' },
  { country: 'IE', type: 'Local', prefix: '+35381810010', count: 5, cls: 'IE-0818' },
  { country: 'IE', type: 'Local', prefix: '+35376100010', count: 5, cls: 'IE-076' },
  { country: 'IE', type: 'TollFree', prefix: '+353180010010', count: 5 },
  { country: 'IT', type: 'Local', prefix: '+39069010010', count: 5, city: 'Rome' },
  { country: 'IT', type: 'TollFree', prefix: '+3980010010', count: 5 },
  { country: 'NG', type: 'Local', prefix: '+234201010010', count: 5, city: 'Abuja' },
  { country: 'KR', type: 'TollFree', prefix: '+8280010010', count: 5 },
  { country: 'SE', type: 'Local', prefix: '+4685010010', count: 5, city: 'Stockholm' },
  { country: 'SE', type: 'TollFree', prefix: '+462010010', count: 5 },
  { country: 'CH', type: 'Local', prefix: '+4144301010', count: 5, city: 'Zurich' },
  { country: 'CH', type: 'Local', prefix: '+4151010010', count: 5, cls: 'CH-051' },
  { country: 'CH', type: 'Local', prefix: '+4158010010', count: 5, cls: 'CH-058' },
  { country: 'CH', type: 'TollFree', prefix: '+4180010010', count: 5 },
];

function buildPool(): PoolEntry[] {
  const pool: PoolEntry[] = [];
  // 20 numbers per area code (two exchanges of ten lines) and per toll-free prefix.
  for (const [AreaCode, Country, State, City] of NANP_AREA_CODES)
    for (const exchange of ['230', '231'])
      for (let line = 0; line < 10; line++) pool.push({ E164: `+1${AreaCode}${exchange}010${line}`, Country, Type: 'Local', State, City, AreaCode });
  for (const prefix of TOLL_FREE_PREFIXES)
    for (let line = 0; line < 20; line++)
      pool.push({ E164: `+1${prefix}201${String(100 + line).padStart(4, '0')}`, Country: 'US', Type: 'TollFree', TollFreePrefix: prefix });
  // Canada and Puerto Rico draw toll-free numbers from the same NANP prefixes, in other line ranges.
  for (const country of ['CA', 'PR'])
    for (const prefix of ['800', '888'])
      for (let line = 0; line < 5; line++)
        pool.push({ E164: `+1${prefix}${country === 'CA' ? '301' : '302'}010${line}`, Country: country, Type: 'TollFree', TollFreePrefix: prefix });
  for (const r of INTERNATIONAL_RANGES)
    for (let i = 0; i < r.count; i++)
      pool.push({ E164: `${r.prefix}${i}`, Country: r.country, Type: r.type, City: r.city, State: r.state, Class: r.cls });
  // PN8: every pool number is a valid E.164 number of its type; a bad table entry is a bug, caught at load.
  const bad = pool.filter((entry) => {
    const parsed = parsePhoneNumberFromString(entry.E164);
    return !parsed?.isValid() || (parsed.getType() === 'TOLL_FREE') !== (entry.Type === 'TollFree');
  });
  if (bad.length > 0) throw new Error(`phone number pool: not valid numbers of their type: ${bad.map((e) => `${e.E164} (${e.Country} ${e.Type})`).join(', ')}`);
  return pool.sort((a, b) => (a.E164 < b.E164 ? -1 : 1));
}

export const POOL: readonly PoolEntry[] = buildPool();
const POOL_BY_E164 = new Map(POOL.map((e) => [e.E164, e]));

/** Countries and number types by product type (ListSupportedPhoneNumberCountries). PN2: VoiceConnector is US-only. */
const SUPPORTED: Record<ProductType, Record<string, NumberType[]>> = {
  VoiceConnector: { US: ['Local', 'TollFree'] },
  SipMediaApplicationDialIn: {
    US: ['Local', 'TollFree'],
    CA: ['Local', 'TollFree'],
    PR: ['Local', 'TollFree'],
    GB: ['Local', 'TollFree'],
    NZ: ['Local', 'TollFree'],
    AU: ['Local', 'TollFree'],
    AT: ['Local', 'TollFree'],
    DK: ['Local', 'TollFree'],
    FI: ['Local', 'TollFree'],
    DE: ['Local', 'TollFree'],
    IE: ['Local', 'TollFree'],
    IT: ['Local', 'TollFree'],
    NG: ['Local'],
    KR: ['TollFree'],
    SE: ['Local', 'TollFree'],
    CH: ['Local', 'TollFree'],
  },
};

const CLASS_LABEL: Record<string, string> = {
  'AT-720': 'national-prefix (+43 720) numbers',
  'FI-075': 'national-prefix (+358 075) numbers',
  'DE-32': 'national-prefix (+49 32) numbers',
  'IE-0818': 'universal-access (+353 0818) numbers',
  'IE-076': 'VoIP (+353 076) numbers',
  'CH-051': 'business (+41 051) numbers',
  'CH-058': 'business (+41 058) numbers',
};

function documentsMessage(e164: string, country: string, type: NumberType, cls: string | undefined, docs: string[]): string {
  const kind = cls ? CLASS_LABEL[cls] : type === 'TollFree' ? 'toll-free numbers' : 'local numbers';
  return (
    `Phone number ${e164} cannot be ordered through the API: ${countryName(country)} (${country}) requires identity documents for ${kind}: ` +
    `${docs.join('; ')}. Request it through an AWS Support case (Chime SDK (Number management), Phone number request) and submit the documents there.`
  );
}

/** Country and type of a number, from the pool or else from its E.164 digits. */
function describeNumber(e164: string): { Country: string; Type: NumberType; Class?: string; valid: boolean } {
  const entry = POOL_BY_E164.get(e164);
  if (entry) return { Country: entry.Country, Type: entry.Type, Class: entry.Class, valid: true };
  const parsed = parsePhoneNumberFromString(e164);
  const nanpTollFree = /^\+18(00|33|44|55|66|77|88)/.test(e164);
  return {
    Country: nanpTollFree ? 'US' : (parsed?.country ?? 'ZZ'),
    Type: parsed?.getType() === 'TOLL_FREE' || nanpTollFree ? 'TollFree' : 'Local',
    valid: parsed?.isValid() ?? false,
  };
}

/** PN8: E.164 with its `+`; the model's pattern lets clients omit it. */
function toE164(value: string): string {
  return value.startsWith('+') ? value : `+${value}`;
}

// ---------------------------------------------------------------- helpers for other families

/** The inventory record of a phone number id (its E.164 form), or undefined. */
export function findNumber(state: EmulatorState, idOrE164: string): PhoneNumberRecord | undefined {
  return state.phoneNumbers[idOrE164] ?? (idOrE164.startsWith('+') ? undefined : state.phoneNumbers[`+${idOrE164}`]);
}

/**
 * Why a number cannot be associated right now (still being acquired or ported, in the deletion
 * queue), or undefined when it can. Product type checks stay with the caller (PN4).
 */
export function numberUsableProblem(record: PhoneNumberRecord): string | undefined {
  switch (record.Status) {
    case 'Unassigned':
    case 'Assigned':
      return undefined;
    case DELETION_QUEUE_STATUS:
      return `Phone number ${record.E164PhoneNumber} is in the deletion queue; restore it first.`;
    case 'AcquireInProgress':
      return `Phone number ${record.E164PhoneNumber} is still being acquired by order ${record.OrderId}.`;
    case 'PortinInProgress':
    case 'PortinCancelRequested':
      return `Phone number ${record.E164PhoneNumber} is still being ported in by order ${record.OrderId}.`;
    default:
      return `Phone number ${record.E164PhoneNumber} has status ${record.Status}.`;
  }
}

/** Keeps Status in step with the associations for numbers of the inventory. */
export function syncAssignment(record: PhoneNumberRecord): void {
  if (record.Status === 'Unassigned' || record.Status === 'Assigned') record.Status = record.Associations.length > 0 ? 'Assigned' : 'Unassigned';
}

/** Adds (or refreshes) an association and marks the number Assigned. */
export function addAssociation(record: PhoneNumberRecord, name: AssociationName, value: string, nowIso: string): void {
  record.Associations = record.Associations.filter((a) => !(a.Name === name && a.Value === value));
  record.Associations.push({ Value: value, Name: name, AssociatedTimestamp: nowIso });
  record.UpdatedTimestamp = nowIso;
  syncAssignment(record);
}

/** Removes an association; the number becomes Unassigned when it has none left. */
export function removeAssociation(record: PhoneNumberRecord, name: AssociationName, value: string, nowIso: string): void {
  const before = record.Associations.length;
  record.Associations = record.Associations.filter((a) => !(a.Name === name && a.Value === value));
  if (record.Associations.length !== before) record.UpdatedTimestamp = nowIso;
  syncAssignment(record);
}

// ---------------------------------------------------------------- records and views

function capabilities(country: string, type: NumberType): Record<string, boolean> {
  const us = country === 'US';
  return {
    InboundCall: true,
    OutboundCall: true,
    InboundSMS: us,
    OutboundSMS: us,
    InboundMMS: us && type === 'Local',
    OutboundMMS: us && type === 'Local',
  };
}

function numberView(record: PhoneNumberRecord) {
  const view = publicView(record) as Record<string, unknown>;
  view.Associations = record.Associations.map((a) => ({ ...a }));
  view.Capabilities = { ...record.Capabilities };
  return view;
}

function orderView(order: PhoneNumberOrderRecord) {
  const view = publicView(order) as Record<string, unknown>;
  view.OrderedPhoneNumbers = order.OrderedPhoneNumbers.map((n) => ({ ...n }));
  return view;
}

function newNumberRecord(
  state: EmulatorState,
  e164: string,
  desc: { Country: string; Type: NumberType },
  productType: ProductType,
  order: PhoneNumberOrderRecord,
  status: string,
  arn: string,
): PhoneNumberRecord {
  const record: PhoneNumberRecord = {
    PhoneNumberId: e164,
    E164PhoneNumber: e164,
    PhoneNumberArn: arn,
    Country: desc.Country,
    Type: desc.Type,
    ProductType: productType,
    Status: status,
    Capabilities: capabilities(desc.Country, desc.Type),
    Associations: [],
    CallingNameStatus: 'Unassigned',
    CreatedTimestamp: order.CreatedTimestamp,
    UpdatedTimestamp: order.CreatedTimestamp,
    OrderId: order.PhoneNumberOrderId,
  };
  if (order._name) record.Name = order._name;
  state.phoneNumbers[e164] = record;
  state.poolTaken[e164] = true;
  return record;
}

/** PN6: newly provisioned US local numbers get the account's default calling name, applied in 72 hours. */
function applyDefaultCallingName(state: EmulatorState, record: PhoneNumberRecord, at: number): void {
  const name = state.phoneNumberSettings.CallingName;
  if (!name || record.Country !== 'US' || record.Type !== 'Local') return;
  record.CallingName = name;
  record.CallingNameStatus = 'UpdateInProgress';
  record._callingNameAppliesAt = new Date(at + CALLING_NAME_APPLY_MS).toISOString();
}

// ---------------------------------------------------------------- porting orders (PN1)

type PortingStatus = 'Submitted' | 'PendingDocuments' | 'FOC' | 'ChangeRequested' | 'Exception' | 'CancelRequested' | 'Cancelled' | 'Successful';


export interface SeedPortingOrderInput {
  /** E.164 numbers being ported in. */
  numbers: string[];
  productType: ProductType;
  /** Descriptive name copied onto each number. */
  name?: string;
  /** Time spent in each status before the next one (default one day). */
  stepMs?: number;
  /** How the port ends: `Successful` (default) or `Cancelled`. */
  outcome?: 'Successful' | 'Cancelled';
  /** Statuses between `Submitted` and the end (default `PendingDocuments`, `FOC`; a cancelled port ends `CancelRequested`). */
  steps?: PortingStatus[];
  /** Region for the numbers' ARNs (default us-east-1). */
  region?: string;
  /** Account id for the numbers' ARNs (default 123456789012). */
  accountId?: string;
}

/**
 * Seeds a porting order (a support case in AWS; no API creates one). Its status walks Submitted →
 * PendingDocuments → FOC → Successful on the emulated clock; the numbers show `PortinInProgress`
 * in the inventory until the port completes and then become `Unassigned`. Throws ApiError on bad input.
 */
export function seedPortingOrder(state: EmulatorState, now: Date, input: SeedPortingOrderInput) {
  if (!input || !Array.isArray(input.numbers) || input.numbers.length === 0) throw badRequest('A porting order needs at least one number in `numbers`.');
  if (input.productType !== 'VoiceConnector' && input.productType !== 'SipMediaApplicationDialIn')
    throw badRequest(`productType must be VoiceConnector or SipMediaApplicationDialIn, got ${JSON.stringify(input.productType)}.`);
  const outcome = input.outcome ?? 'Successful';
  if (outcome !== 'Successful' && outcome !== 'Cancelled') throw badRequest(`outcome must be Successful or Cancelled, got ${JSON.stringify(outcome)}.`);
  const stepMs = input.stepMs ?? DAY;
  if (!Number.isFinite(stepMs) || stepMs < 0) throw badRequest(`stepMs must be a non-negative number of milliseconds.`);
  const numbers = input.numbers.map((n) => (typeof n === 'string' ? toE164(n) : ''));
  const seen = new Set<string>();
  const descs = numbers.map((e164) => {
    const desc = describeNumber(e164);
    if (!/^\+[1-9]\d{1,14}$/.test(e164) || !desc.valid) throw badRequest(`${e164 || 'A number'} is not a valid E.164 phone number.`);
    if (seen.has(e164)) throw badRequest(`${e164} appears more than once in the porting order.`);
    seen.add(e164);
    if (state.phoneNumbers[e164]) throw badRequest(`${e164} is already in the account's inventory.`);
    if (desc.Country !== 'US' && input.productType === 'VoiceConnector')
      throw badRequest(`${e164} is a ${desc.Country} number: numbers outside the US can only use the SipMediaApplicationDialIn product type (PN2).`);
    return desc;
  });
  const middle = input.steps ?? (outcome === 'Successful' ? ['PendingDocuments', 'FOC'] : ['PendingDocuments', 'CancelRequested']);
  const walk: PortingStatus[] = ['Submitted', ...middle, outcome];
  const t0 = now.getTime();
  const schedule = walk.map((Status, i) => ({ Status, At: new Date(t0 + i * stepMs).toISOString() }));
  const order: PhoneNumberOrderRecord = {
    PhoneNumberOrderId: randomUUID(),
    ProductType: input.productType,
    Status: 'Submitted',
    OrderType: 'Porting',
    OrderedPhoneNumbers: numbers.map((E164PhoneNumber) => ({ E164PhoneNumber, Status: 'Processing' })),
    CreatedTimestamp: now.toISOString(),
    UpdatedTimestamp: now.toISOString(),
    _schedule: schedule,
  };
  if (typeof input.name === 'string' && input.name) order._name = input.name;
  state.phoneNumberOrders[order.PhoneNumberOrderId] = order;
  const region = input.region ?? 'us-east-1';
  const account = input.accountId ?? '123456789012';
  numbers.forEach((e164, i) =>
    newNumberRecord(state, e164, descs[i], input.productType, order, 'PortinInProgress', `arn:aws:chime:${region}:${account}:phone-number/${e164}`),
  );
  advanceOrder(state, order, t0);
  return orderView(order);
}

/** The control actions this family offers (`POST /_emulator/<name>`). */
export const phoneNumberControlActions = {
  'seed-porting-order': (state: EmulatorState, now: Date, body: SeedPortingOrderInput) => ({ PhoneNumberOrder: seedPortingOrder(state, now, body) }),
};

// ---------------------------------------------------------------- time (PN1, PN6, PN7)

/** Brings an order to the status it has at `now`; idempotent. */
function advanceOrder(state: EmulatorState, order: PhoneNumberOrderRecord, now: number): void {
  if (order.OrderType === 'Porting' && order._schedule) {
    let current = order._schedule[0];
    for (const step of order._schedule) if (Date.parse(step.At) <= now) current = step;
    if (current.Status === order.Status) return;
    order.Status = current.Status;
    order.UpdatedTimestamp = current.At;
    const last = order._schedule[order._schedule.length - 1];
    // The firm order commitment date is known once the carrier confirms it (FOC): the day the port completes.
    if (current.Status === 'FOC' || (current === last && current.Status === 'Successful')) order.FocDate ??= last.At;
    if (current.Status === 'CancelRequested')
      for (const n of order.OrderedPhoneNumbers) {
        const record = state.phoneNumbers[n.E164PhoneNumber];
        if (record?.OrderId === order.PhoneNumberOrderId && record.Status === 'PortinInProgress') record.Status = 'PortinCancelRequested';
      }
    if (current === last) {
      const ok = current.Status === 'Successful';
      for (const n of order.OrderedPhoneNumbers) {
        n.Status = ok ? 'Acquired' : 'Failed';
        const record = state.phoneNumbers[n.E164PhoneNumber];
        if (record?.OrderId !== order.PhoneNumberOrderId) continue;
        if (ok) {
          record.Status = 'Unassigned';
          record.UpdatedTimestamp = current.At;
          applyDefaultCallingName(state, record, Date.parse(current.At));
        } else {
          delete state.phoneNumbers[n.E164PhoneNumber];
          delete state.poolTaken[n.E164PhoneNumber];
        }
      }
      delete order._schedule;
    }
    return;
  }
  if (order.Status !== 'Processing' || !order._completesAt || Date.parse(order._completesAt) > now) return;
  const at = order._completesAt;
  const outcomes = order._outcomes ?? {};
  for (const n of order.OrderedPhoneNumbers) {
    n.Status = outcomes[n.E164PhoneNumber] ?? 'Failed';
    const record = state.phoneNumbers[n.E164PhoneNumber];
    if (n.Status !== 'Acquired' || record?.OrderId !== order.PhoneNumberOrderId || record.Status !== 'AcquireInProgress') continue;
    record.Status = 'Unassigned';
    record.UpdatedTimestamp = at;
    applyDefaultCallingName(state, record, Date.parse(at));
  }
  const acquired = order.OrderedPhoneNumbers.filter((n) => n.Status === 'Acquired').length;
  order.Status = acquired === order.OrderedPhoneNumbers.length ? 'Successful' : acquired === 0 ? 'Failed' : 'Partial';
  order.UpdatedTimestamp = at;
  delete order._completesAt;
  delete order._outcomes;
}

function tick(state: EmulatorState, now: Date): void {
  const t = now.getTime();
  for (const order of Object.values(state.phoneNumberOrders) as PhoneNumberOrderRecord[])
    if (order._completesAt || order._schedule) advanceOrder(state, order, t);
  for (const record of Object.values(state.phoneNumbers)) {
    if (record.CallingNameStatus === 'UpdateInProgress' && record._callingNameAppliesAt && Date.parse(record._callingNameAppliesAt) <= t) {
      record.CallingNameStatus = 'UpdateSucceeded';
      record.UpdatedTimestamp = record._callingNameAppliesAt;
      delete record._callingNameAppliesAt;
    }
    if (record.Status === DELETION_QUEUE_STATUS && record.DeletionTimestamp && Date.parse(record.DeletionTimestamp) + DELETION_QUEUE_MS <= t) {
      // PN7: out of the account, and back into the pool for anyone to order.
      delete state.phoneNumbers[record.PhoneNumberId];
      delete state.poolTaken[record.E164PhoneNumber];
      continue;
    }
    syncAssignment(record);
  }
}

// ---------------------------------------------------------------- inventory changes (PN5, PN6, PN7)

interface UpdateItem {
  PhoneNumberId: string;
  ProductType?: ProductType;
  CallingName?: string;
  Name?: string;
}

function requireNumber(ctx: OpContext, id: string): PhoneNumberRecord {
  const record = ctx.state.phoneNumbers[id];
  if (!record) throw notFound(`Phone number ${id} is not in account ${ctx.config.accountId}'s inventory.`);
  return record;
}

/** Checks one update and returns the change to apply; throws before anything is mutated. */
function planUpdate(ctx: OpContext, item: UpdateItem): () => void {
  const record = requireNumber(ctx, item.PhoneNumberId);
  const given = (['ProductType', 'CallingName', 'Name'] as const).filter((k) => item[k] !== undefined);
  if (given.length > 1)
    throw badRequest(`Update one detail of phone number ${record.E164PhoneNumber} at a time: the request sets ${given.join(', ')}.`);
  const problem = numberUsableProblem(record);
  if (problem) throw badRequest(problem);
  const nowIso = ctx.nowIso();
  const now = Date.parse(nowIso);

  if (item.ProductType !== undefined) {
    if (item.ProductType === record.ProductType) return () => {};
    // PN2: outside the US only SIP media application dial-in.
    if (item.ProductType === 'VoiceConnector' && record.Country !== 'US')
      throw badRequest(
        `Phone number ${record.E164PhoneNumber} is a ${record.Country} number: numbers outside the US can only use the SipMediaApplicationDialIn product type.`,
      );
    // PN5: only while unassigned.
    if (record.Associations.length > 0)
      throw conflict(
        `The product type of phone number ${record.E164PhoneNumber} can change only while it is unassigned; it is associated with ` +
          `${record.Associations.map((a) => `${a.Name} ${a.Value}`).join(', ')}.`,
      );
    const productType = item.ProductType;
    return () => {
      record.ProductType = productType;
      record.UpdatedTimestamp = nowIso;
    };
  }

  if (item.CallingName !== undefined) {
    const name = item.CallingName;
    if ((record.CallingName ?? '') === name) return () => {};
    // PN6: long-distance numbers only, one change at a time, at most one change in 7 days.
    if (record.Type === 'TollFree') throw badRequest(`Phone number ${record.E164PhoneNumber} is toll-free: calling names apply only to local numbers.`);
    if (record.CallingNameStatus === 'UpdateInProgress')
      throw conflict(
        `The calling name of phone number ${record.E164PhoneNumber} is still being updated (until ${record._callingNameAppliesAt}); ` +
          `a pending update must complete before another one.`,
      );
    if (record._callingNameChangedAt) {
      const next = Date.parse(record._callingNameChangedAt) + CALLING_NAME_COOLDOWN_MS;
      if (now < next)
        throw conflict(
          `The calling name of phone number ${record.E164PhoneNumber} was changed at ${record._callingNameChangedAt}; ` +
            `it can change once every 7 days, next at ${new Date(next).toISOString()}.`,
        );
    }
    return () => {
      record._callingNameChangedAt = nowIso;
      record.UpdatedTimestamp = nowIso;
      if (name === '') {
        delete record.CallingName;
        delete record._callingNameAppliesAt;
        record.CallingNameStatus = 'Unassigned';
      } else {
        record.CallingName = name;
        record.CallingNameStatus = 'UpdateInProgress';
        record._callingNameAppliesAt = new Date(now + CALLING_NAME_APPLY_MS).toISOString();
      }
    };
  }

  if (item.Name !== undefined) {
    const name = item.Name;
    return () => {
      // PN8: the descriptive name, not the calling name; empty clears it.
      if (name === '') delete record.Name;
      else record.Name = name;
      record.UpdatedTimestamp = nowIso;
    };
  }
  return () => {};
}

/** PN7: checks a deletion and returns it; throws before anything is mutated. */
function planDelete(ctx: OpContext, id: string): { apply: () => void; associated: boolean } | { error: ApiError; associated: boolean } {
  const record = ctx.state.phoneNumbers[id];
  if (!record) return { error: notFound(`Phone number ${id} is not in account ${ctx.config.accountId}'s inventory.`), associated: false };
  if (record.Status === DELETION_QUEUE_STATUS)
    return { error: badRequest(`Phone number ${id} is already in the deletion queue (deleted at ${record.DeletionTimestamp}).`), associated: false };
  if (record.Associations.length > 0)
    return {
      error: badRequest(
        `Phone number ${id} must be unassigned before it is deleted; it is associated with ` +
          `${record.Associations.map((a) => `${a.Name} ${a.Value}`).join(', ')}. Disassociate it (or delete the SIP rule) first.`,
      ),
      associated: true,
    };
  const problem = numberUsableProblem(record);
  if (problem) return { error: badRequest(`Phone number ${id} cannot be deleted: ${problem}`), associated: false };
  const nowIso = ctx.nowIso();
  return {
    apply: () => {
      record.Status = DELETION_QUEUE_STATUS;
      record.DeletionTimestamp = nowIso;
      record.UpdatedTimestamp = nowIso;
    },
    associated: false,
  };
}

function phoneNumberError(id: string, err: unknown, code?: string) {
  if (err instanceof ApiError) return { PhoneNumberId: id, ErrorCode: code ?? err.code, ErrorMessage: err.message };
  throw err;
}

function checkNoDuplicates(ids: string[], what: string): void {
  const seen = new Set<string>();
  for (const id of ids) {
    if (seen.has(id)) throw badRequest(`Phone number ${id} appears more than once in the ${what} request.`);
    seen.add(id);
  }
}

// ---------------------------------------------------------------- search (PN1, API3)

interface SearchInput {
  AreaCode?: string;
  City?: string;
  Country?: string;
  State?: string;
  TollFreePrefix?: string;
  PhoneNumberType?: NumberType;
  MaxResults?: number;
  NextToken?: string;
}

function search(input: SearchInput, ctx: OpContext) {
  const country = input.Country ?? 'US';
  if (input.TollFreePrefix !== undefined && (input.AreaCode !== undefined || input.City !== undefined || input.State !== undefined))
    throw badRequest('TollFreePrefix cannot be combined with AreaCode, City or State.');
  if (input.TollFreePrefix !== undefined && input.PhoneNumberType === 'Local') throw badRequest('TollFreePrefix searches toll-free numbers, not Local ones.');
  if (input.City !== undefined && input.State === undefined) throw badRequest('City requires State.');
  if (country !== 'US' && input.PhoneNumberType === undefined) throw badRequest(`PhoneNumberType is required when searching outside the US (Country ${country}).`);
  const supported = SUPPORTED.SipMediaApplicationDialIn[country];
  if (!supported) throw badRequest(`Country ${country} is not supported for phone number search; see ListSupportedPhoneNumberCountries.`);
  const type = input.TollFreePrefix !== undefined ? 'TollFree' : input.PhoneNumberType;
  if (type && !supported.includes(type)) throw badRequest(`${type} numbers are not offered in ${country}; it supports ${supported.join(', ')}.`);
  const eq = (a: string | undefined, b: string) => a !== undefined && a.toLowerCase() === b.trim().toLowerCase();
  const matches = POOL.filter(
    (e) =>
      e.Country === country &&
      !ctx.state.poolTaken[e.E164] &&
      (type === undefined || e.Type === type) &&
      (input.AreaCode === undefined || e.AreaCode === input.AreaCode) &&
      (input.State === undefined || eq(e.State, input.State)) &&
      (input.City === undefined || eq(e.City, input.City)) &&
      (input.TollFreePrefix === undefined || e.TollFreePrefix === input.TollFreePrefix),
  );
  const scope = `search|${country}|${type ?? ''}|${input.AreaCode ?? ''}|${input.State ?? ''}|${input.City ?? ''}|${input.TollFreePrefix ?? ''}`;
  const { page, NextToken } = paginate(matches, (e) => e.E164, { MaxResults: input.MaxResults ?? SEARCH_DEFAULT_MAX, NextToken: input.NextToken }, scope);
  return { E164PhoneNumbers: page.map((e) => e.E164), NextToken };
}

// ---------------------------------------------------------------- E911 address validation

const US_STATES: Record<string, string> = {
  AL: 'Alabama', AK: 'Alaska', AZ: 'Arizona', AR: 'Arkansas', CA: 'California', CO: 'Colorado', CT: 'Connecticut',
  DE: 'Delaware', DC: 'District of Columbia', FL: 'Florida', GA: 'Georgia', HI: 'Hawaii', ID: 'Idaho', IL: 'Illinois',
  IN: 'Indiana', IA: 'Iowa', KS: 'Kansas', KY: 'Kentucky', LA: 'Louisiana', ME: 'Maine', MD: 'Maryland',
  MA: 'Massachusetts', MI: 'Michigan', MN: 'Minnesota', MS: 'Mississippi', MO: 'Missouri', MT: 'Montana',
  NE: 'Nebraska', NV: 'Nevada', NH: 'New Hampshire', NJ: 'New Jersey', NM: 'New Mexico', NY: 'New York',
  NC: 'North Carolina', ND: 'North Dakota', OH: 'Ohio', OK: 'Oklahoma', OR: 'Oregon', PA: 'Pennsylvania',
  RI: 'Rhode Island', SC: 'South Carolina', SD: 'South Dakota', TN: 'Tennessee', TX: 'Texas', UT: 'Utah',
  VT: 'Vermont', VA: 'Virginia', WA: 'Washington', WV: 'West Virginia', WI: 'Wisconsin', WY: 'Wyoming', PR: 'Puerto Rico',
};

/** First three ZIP digits → state (USPS sectional centers); later entries win over earlier ones. */
const ZIP3_RANGES: Array<[lo: number, hi: number, state: string]> = [
  [5, 5, 'NY'], [6, 9, 'PR'], [10, 27, 'MA'], [28, 29, 'RI'], [30, 38, 'NH'], [39, 49, 'ME'], [50, 59, 'VT'], [55, 55, 'MA'],
  [60, 69, 'CT'], [70, 89, 'NJ'], [100, 149, 'NY'], [150, 196, 'PA'], [197, 199, 'DE'], [200, 205, 'DC'], [201, 201, 'VA'],
  [206, 219, 'MD'], [220, 246, 'VA'], [247, 268, 'WV'], [270, 289, 'NC'], [290, 299, 'SC'], [300, 319, 'GA'], [398, 399, 'GA'],
  [320, 349, 'FL'], [350, 369, 'AL'], [370, 385, 'TN'], [386, 397, 'MS'], [400, 427, 'KY'], [430, 459, 'OH'], [460, 479, 'IN'],
  [480, 499, 'MI'], [500, 528, 'IA'], [530, 549, 'WI'], [550, 567, 'MN'], [570, 577, 'SD'], [580, 588, 'ND'], [590, 599, 'MT'],
  [600, 629, 'IL'], [630, 658, 'MO'], [660, 679, 'KS'], [680, 693, 'NE'], [700, 714, 'LA'], [716, 729, 'AR'], [730, 749, 'OK'],
  [750, 799, 'TX'], [733, 733, 'TX'], [885, 885, 'TX'], [800, 816, 'CO'], [820, 831, 'WY'], [832, 838, 'ID'], [840, 847, 'UT'],
  [850, 865, 'AZ'], [870, 884, 'NM'], [889, 898, 'NV'], [900, 961, 'CA'], [967, 968, 'HI'], [970, 979, 'OR'], [980, 994, 'WA'],
  [995, 999, 'AK'],
];

function zipState(zip5: string): string | undefined {
  const n = Number(zip5.slice(0, 3));
  let found: string | undefined;
  for (const [lo, hi, state] of ZIP3_RANGES) if (n >= lo && n <= hi) found = state;
  return found;
}

const STREET_SUFFIXES: Record<string, string> = {
  STREET: 'ST', ST: 'ST', AVENUE: 'AVE', AVE: 'AVE', AV: 'AVE', BOULEVARD: 'BLVD', BLVD: 'BLVD', ROAD: 'RD', RD: 'RD',
  DRIVE: 'DR', DR: 'DR', LANE: 'LN', LN: 'LN', COURT: 'CT', CT: 'CT', PLACE: 'PL', PL: 'PL', WAY: 'WAY', TERRACE: 'TER',
  TER: 'TER', PARKWAY: 'PKWY', PKWY: 'PKWY', HIGHWAY: 'HWY', HWY: 'HWY', CIRCLE: 'CIR', CIR: 'CIR', SQUARE: 'SQ', SQ: 'SQ',
  TRAIL: 'TRL', TRL: 'TRL', PLAZA: 'PLZ', PLZ: 'PLZ',
};
const DIRECTIONS: Record<string, string> = {
  N: 'N', NORTH: 'N', S: 'S', SOUTH: 'S', E: 'E', EAST: 'E', W: 'W', WEST: 'W',
  NE: 'NE', NORTHEAST: 'NE', NW: 'NW', NORTHWEST: 'NW', SE: 'SE', SOUTHEAST: 'SE', SW: 'SW', SOUTHWEST: 'SW',
};

interface E911Input {
  AwsAccountId: string;
  StreetNumber: string;
  StreetInfo: string;
  City: string;
  State: string;
  Country: string;
  PostalCode: string;
}

/** A plausible stand-in for the carrier's address validation: USPS-style normalization and ZIP/state consistency. */
function validateE911(input: E911Input, ctx: OpContext) {
  if (input.AwsAccountId !== ctx.config.accountId)
    throw new ApiError('ForbiddenException', `AwsAccountId ${input.AwsAccountId} is not the caller's account (${ctx.config.accountId}).`);
  const country = input.Country.trim().toUpperCase();
  if (country !== 'US' && country !== 'USA')
    throw badRequest(`Emergency calling addresses can be validated only in the US; Country is ${input.Country}.`);
  let corrected = country !== 'US';

  // Street number: digits with an optional letter or fraction suffix.
  const streetNumber = input.StreetNumber.trim().toUpperCase();
  const numberOk = /^\d{1,6}(?:[A-Z]|-\d{1,4}| 1\/2)?$/.test(streetNumber);

  // Street info: [pre-directional] name [suffix] [post-directional].
  const words = input.StreetInfo.trim().toUpperCase().replace(/[.,]/g, ' ').split(/\s+/).filter(Boolean);
  let preDirectional: string | undefined;
  let postDirectional: string | undefined;
  let streetSuffix: string | undefined;
  if (words.length > 1 && DIRECTIONS[words[0]]) preDirectional = DIRECTIONS[words.shift()!];
  if (words.length > 1 && DIRECTIONS[words[words.length - 1]]) postDirectional = DIRECTIONS[words.pop()!];
  if (words.length > 1 && STREET_SUFFIXES[words[words.length - 1]]) streetSuffix = STREET_SUFFIXES[words.pop()!];
  const streetName = words.join(' ');
  const normalizedStreet = [preDirectional, streetName, streetSuffix, postDirectional].filter(Boolean).join(' ');
  if (normalizedStreet !== input.StreetInfo.trim().toUpperCase().replace(/\s+/g, ' ')) corrected = true;
  const streetOk = /^[A-Z0-9][A-Z0-9 '&-]*$/.test(streetName) && /[A-Z]/.test(streetName + (streetSuffix ?? ''));

  // State: the USPS code, or a full name corrected to it.
  const rawState = input.State.trim().toUpperCase();
  let state: string | undefined = US_STATES[rawState] ? rawState : undefined;
  if (!state) {
    state = Object.keys(US_STATES).find((code) => US_STATES[code].toUpperCase() === rawState);
    if (state) corrected = true;
  }

  // ZIP or ZIP+4.
  const zipMatch = /^(\d{5})(?:-?(\d{4}))?$/.exec(input.PostalCode.trim());
  const postalCode = zipMatch?.[1];
  const fromZip = postalCode ? zipState(postalCode) : undefined;
  const city = input.City.trim().toUpperCase().replace(/\s+/g, ' ');
  const cityOk = /^[A-Z][A-Z .'-]*$/.test(city);

  const digest = createHash('sha256').update([streetNumber, normalizedStreet, city, state ?? rawState, postalCode ?? ''].join('|')).digest('hex');
  const postalCodePlus4 = zipMatch?.[2] ?? String(parseInt(digest.slice(0, 8), 16) % 10000).padStart(4, '0');
  const address = (st: string) => ({
    streetName,
    ...(streetSuffix ? { streetSuffix } : {}),
    ...(postDirectional ? { postDirectional } : {}),
    ...(preDirectional ? { preDirectional } : {}),
    streetNumber,
    city,
    state: st,
    postalCode: postalCode ?? input.PostalCode.trim(),
    postalCodePlus4,
    country: 'US',
  });
  const candidate = (st: string) => ({
    streetInfo: normalizedStreet,
    streetNumber,
    city,
    state: st,
    postalCode: postalCode ?? input.PostalCode.trim(),
    postalCodePlus4,
    country: 'US',
  });
  const externalId = `${digest.slice(0, 8)}-${digest.slice(8, 12)}-4${digest.slice(13, 16)}-a${digest.slice(17, 20)}-${digest.slice(20, 32)}`;

  if (!numberOk || !streetOk || !cityOk || !postalCode || !fromZip) {
    return { ValidationResult: 2, CandidateAddressList: [] };
  }
  if (!state || state !== fromZip) {
    // The ZIP code places the address in another state: offer that state as the close match.
    return { ValidationResult: 2, CandidateAddressList: [candidate(fromZip)] };
  }
  return { ValidationResult: corrected ? 1 : 0, AddressExternalId: externalId, Address: address(state), CandidateAddressList: [] };
}

// ---------------------------------------------------------------- handlers

export const phoneNumbers: ServiceModule = {
  tick,
  handlers: {
    SearchAvailablePhoneNumbers: search,

    ListSupportedPhoneNumberCountries(input: { ProductType: ProductType }) {
      return {
        PhoneNumberCountries: Object.entries(SUPPORTED[input.ProductType]).map(([CountryCode, types]) => ({
          CountryCode,
          SupportedPhoneNumberTypes: [...types],
        })),
      };
    },

    CreatePhoneNumberOrder(input: { ProductType: ProductType; E164PhoneNumbers: string[]; Name?: string }, ctx) {
      if (input.E164PhoneNumbers.length === 0) throw badRequest('E164PhoneNumbers must name at least one phone number to order.');
      const numbers = input.E164PhoneNumbers.map(toE164);
      checkNoDuplicates(numbers, 'order');
      const descs = numbers.map(describeNumber);
      // PN2: outside the US, numbers are only for SIP media application dial-in.
      const foreign = numbers.filter((_, i) => descs[i].Country !== 'US');
      if (input.ProductType === 'VoiceConnector' && foreign.length > 0)
        throw badRequest(
          `Numbers outside the US can only be ordered with the SipMediaApplicationDialIn product type, not VoiceConnector; ` +
            `not in the US: ${foreign.join(', ')}.`,
        );
      // PN3: countries with identity requirements take orders only through a support case.
      numbers.forEach((e164, i) => {
        const docs = requiredDocuments(descs[i].Country, descs[i].Type, descs[i].Class);
        if (docs.length > 0) throw badRequest(documentsMessage(e164, descs[i].Country, descs[i].Type, descs[i].Class, docs));
      });
      const nowIso = ctx.nowIso();
      const order: PhoneNumberOrderRecord = {
        PhoneNumberOrderId: ctx.uuid(),
        ProductType: input.ProductType,
        Status: 'Processing',
        OrderType: 'New',
        OrderedPhoneNumbers: numbers.map((E164PhoneNumber) => ({ E164PhoneNumber, Status: 'Processing' })),
        CreatedTimestamp: nowIso,
        UpdatedTimestamp: nowIso,
        _completesAt: new Date(Date.parse(nowIso) + ORDER_PROCESSING_MS).toISOString(),
        _outcomes: {},
      };
      if (input.Name) order._name = input.Name;
      // Numbers of the pool are reserved at once and show AcquireInProgress; others fail when the order completes.
      numbers.forEach((e164, i) => {
        const available = POOL_BY_E164.has(e164) && !ctx.state.poolTaken[e164] && !ctx.state.phoneNumbers[e164];
        order._outcomes![e164] = available ? 'Acquired' : 'Failed';
        if (!available) return;
        newNumberRecord(ctx.state, e164, descs[i], input.ProductType, order, 'AcquireInProgress', ctx.arn(ctx.region, `phone-number/${e164}`));
        ctx.markCreated(`phoneNumbers/${e164}`);
      });
      ctx.state.phoneNumberOrders[order.PhoneNumberOrderId] = order;
      ctx.markCreated(`phoneNumberOrders/${order.PhoneNumberOrderId}`);
      return { PhoneNumberOrder: orderView(order) };
    },

    GetPhoneNumberOrder(input: { PhoneNumberOrderId: string }, ctx) {
      const id = input.PhoneNumberOrderId.toLowerCase();
      const message = `Phone number order ${input.PhoneNumberOrderId} does not exist in account ${ctx.config.accountId}.`;
      ctx.assertVisible(`phoneNumberOrders/${id}`, message);
      const order = ctx.state.phoneNumberOrders[id];
      if (!order) throw notFound(message);
      return { PhoneNumberOrder: orderView(order) };
    },

    ListPhoneNumberOrders(input: { MaxResults?: number; NextToken?: string }, ctx) {
      const { page, NextToken } = paginate(
        ctx.listed('phoneNumberOrders', Object.values(ctx.state.phoneNumberOrders), (o) => o.PhoneNumberOrderId),
        (o) => `${o.CreatedTimestamp}|${o.PhoneNumberOrderId}`,
        input,
        'ListPhoneNumberOrders',
      );
      return { PhoneNumberOrders: page.map(orderView), NextToken };
    },

    GetPhoneNumber(input: { PhoneNumberId: string }, ctx) {
      const message = `Phone number ${input.PhoneNumberId} is not in account ${ctx.config.accountId}'s inventory.`;
      ctx.assertVisible(`phoneNumbers/${input.PhoneNumberId}`, message);
      const record = ctx.state.phoneNumbers[input.PhoneNumberId];
      if (!record) throw notFound(message);
      return { PhoneNumber: numberView(record) };
    },

    ListPhoneNumbers(
      input: { Status?: string; ProductType?: ProductType; FilterName?: AssociationName; FilterValue?: string; MaxResults?: number; NextToken?: string },
      ctx,
    ) {
      if (input.Status !== undefined && !PHONE_NUMBER_STATUSES.includes(input.Status))
        throw badRequest(`Status '${input.Status}' is not a phone number status; use one of ${PHONE_NUMBER_STATUSES.join(', ')}.`);
      if ((input.FilterName === undefined) !== (input.FilterValue === undefined))
        throw badRequest('FilterName and FilterValue must be given together.');
      if (input.FilterName !== undefined) {
        const v = input.FilterValue!;
        // Numbers are account-wide, but a filter names a regional resource: under strict regions it
        // must be one the request's region sees.
        const connector = ctx.state.voiceConnectors[v];
        const group = ctx.state.voiceConnectorGroups[v];
        const rule = ctx.state.sipRules[v];
        const exists =
          input.FilterName === 'VoiceConnectorId'
            ? connector && ctx.sees(connector.AwsRegion)
            : input.FilterName === 'VoiceConnectorGroupId'
              ? group && ctx.sees(regionOfArn(group.VoiceConnectorGroupArn))
              : rule && ctx.sees(rule._region ?? ctx.config.defaultRegion);
        if (!exists) throw notFound(`${input.FilterName} ${v} does not exist in account ${ctx.config.accountId}.`);
      }
      // Numbers just ordered are missing for the listing lag; numbers leave the inventory only at the end of the deletion queue.
      const items = ctx.listed('phoneNumbers', Object.values(ctx.state.phoneNumbers), (r) => r.PhoneNumberId).filter(
        (r) =>
          (input.Status === undefined || r.Status === input.Status) &&
          (input.ProductType === undefined || r.ProductType === input.ProductType) &&
          (input.FilterName === undefined || r.Associations.some((a) => a.Name === input.FilterName && a.Value === input.FilterValue)),
      );
      const scope = `ListPhoneNumbers|${input.Status ?? ''}|${input.ProductType ?? ''}|${input.FilterName ?? ''}|${input.FilterValue ?? ''}`;
      const { page, NextToken } = paginate(items, (r) => r.E164PhoneNumber, input, scope);
      return { PhoneNumbers: page.map(numberView), NextToken };
    },

    UpdatePhoneNumber(input: UpdateItem, ctx) {
      planUpdate(ctx, input)();
      return { PhoneNumber: numberView(ctx.state.phoneNumbers[input.PhoneNumberId]) };
    },

    /** API4: 200 with per-number errors; the items that pass are applied. */
    BatchUpdatePhoneNumber(input: { UpdatePhoneNumberRequestItems: UpdateItem[] }, ctx) {
      const items = input.UpdatePhoneNumberRequestItems;
      if (items.length === 0) throw badRequest('UpdatePhoneNumberRequestItems must hold at least one item.');
      checkNoDuplicates(
        items.map((i) => i.PhoneNumberId),
        'batch update',
      );
      const errors: Array<{ PhoneNumberId: string; ErrorCode: string; ErrorMessage: string }> = [];
      const changes: Array<() => void> = [];
      for (const item of items) {
        try {
          changes.push(planUpdate(ctx, item));
        } catch (err) {
          errors.push(phoneNumberError(item.PhoneNumberId, err));
        }
      }
      for (const change of changes) change();
      return { PhoneNumberErrors: errors };
    },

    DeletePhoneNumber(input: { PhoneNumberId: string }, ctx) {
      const plan = planDelete(ctx, input.PhoneNumberId);
      if ('error' in plan) throw plan.error;
      plan.apply();
      return {};
    },

    /** API4: 200 with per-number errors; PN7 refusals carry the PhoneNumberAssociationsExist code. */
    BatchDeletePhoneNumber(input: { PhoneNumberIds: string[] }, ctx) {
      checkNoDuplicates(input.PhoneNumberIds, 'batch delete');
      const errors: Array<{ PhoneNumberId: string; ErrorCode: string; ErrorMessage: string }> = [];
      const applies: Array<() => void> = [];
      for (const id of input.PhoneNumberIds) {
        const plan = planDelete(ctx, id);
        if ('error' in plan) errors.push(phoneNumberError(id, plan.error, plan.associated ? 'PhoneNumberAssociationsExist' : undefined));
        else applies.push(plan.apply);
      }
      for (const apply of applies) apply();
      return { PhoneNumberErrors: errors };
    },

    /** PN7: back from the deletion queue within its 7 days. */
    RestorePhoneNumber(input: { PhoneNumberId: string }, ctx) {
      const record = requireNumber(ctx, input.PhoneNumberId);
      if (record.Status !== DELETION_QUEUE_STATUS)
        throw badRequest(`Phone number ${record.E164PhoneNumber} is not in the deletion queue (its status is ${record.Status}); only deleted numbers can be restored.`);
      record.Status = 'Unassigned';
      delete record.DeletionTimestamp;
      record.UpdatedTimestamp = ctx.nowIso();
      syncAssignment(record);
      return { PhoneNumber: numberView(record) };
    },

    GetPhoneNumberSettings(_input, ctx) {
      const s = ctx.state.phoneNumberSettings;
      return { CallingName: s.CallingName, CallingNameUpdatedTimestamp: s.CallingNameUpdatedTimestamp };
    },

    /** PN6: the default calling name for numbers provisioned from now on; existing numbers keep theirs. */
    UpdatePhoneNumberSettings(input: { CallingName: string }, ctx) {
      const s = ctx.state.phoneNumberSettings;
      if (input.CallingName === '') delete s.CallingName;
      else s.CallingName = input.CallingName;
      s.CallingNameUpdatedTimestamp = ctx.nowIso();
      return {};
    },

    ValidateE911Address: validateE911,
  },
};
