/**
 * The desired phone number in AWS terms (PN1-PN8): claim or order, product type, the AWS name with
 * the ownership marker, the calling name, and the assignment resolved to a connector or group id.
 * Everything the schema cannot catch (PN2 for claimed numbers outside the US, PN6 on toll-free
 * numbers, a marker that does not fit the name's pattern) is an InvalidSpecError here, before any call.
 */
import { CALLING_NAME_PATTERN, PHONE_NUMBER_NAME_PATTERN, type PhoneNumberSpec } from '../../api/kinds/phone-number.js';
import { InvalidSpecError, ReferenceNotReadyError } from '../../reconcile/errors.js';
import type { DesiredContext, ManagedObject } from '../../reconcile/types.js';
import type { PnCache } from './cache.js';
import { describeE164, type NumberType } from './countries.js';

export type AssociationName = 'VoiceConnectorId' | 'VoiceConnectorGroupId' | 'SipRuleId';

export interface OrderCriteria {
  country: string;
  numberType?: NumberType;
  areaCode?: string;
  state?: string;
  city?: string;
  tollFreePrefix?: string;
}

export interface DesiredAssignment {
  name: 'VoiceConnectorId' | 'VoiceConnectorGroupId';
  /** The connector or group id (a readable placeholder in plan mode before it exists). */
  value: string;
  /** For people: `voice connector office-trunk`. */
  label: string;
  /** The connector's or group's region: the association is a call on it, made through its region's endpoint. */
  region?: string;
  /** `Kind/namespace/name` of the referenced object, which holds the id (PnAssociation.managedBy). */
  managedBy?: string;
}

/** What the status cached from earlier passes: the chosen number and its order (PN1). */
export interface Recorded {
  e164?: string;
  orderId?: string;
  phoneNumberId?: string;
}

export interface PnDesired {
  namespace: string;
  objectName: string;
  mode: 'claim' | 'order';
  /** Claim: the number of the inventory. */
  e164?: string;
  /** Order: the search criteria, normalized (country defaults to US; the type follows from the filters). */
  order?: OrderCriteria;
  productType: 'VoiceConnector' | 'SipMediaApplicationDialIn';
  /** Order: the ownership marker token carried in the number's AWS name. */
  marker?: string;
  /** The full AWS name (spec name and marker); undefined when not managed (a claim without spec.name). */
  awsName?: string;
  /** undefined: not managed; '' clears it. */
  callingName?: string;
  /** undefined: not managed (the number stays where it is). */
  assignment?: DesiredAssignment;
  /** The referenced connector or group is not Ready yet: the number is ordered meanwhile, assigned later. */
  assignmentWaiting?: string;
  recorded: Recorded;
  /** Plan mode (or deletion): show the order of a number chosen in this very pass. */
  preview: boolean;
}

const NAME_RE = new RegExp(PHONE_NUMBER_NAME_PATTERN);
/** A region name, not a plan-mode placeholder of a connector that does not exist yet. */
const isRegion = (v: unknown): v is string => typeof v === 'string' && /^[a-z]{2}(-[a-z]+)+-\d$/.test(v);
const CALLING_NAME_RE = new RegExp(CALLING_NAME_PATTERN);
const MAX_NAME = 256;

/** The ownership marker of ordered numbers: a single name token, unique per object (namespaces hold no dots). */
export function markerOf(namespace: string, name: string): string {
  return `chimevoice.${namespace}.${name}`;
}

/** The AWS name: the spec's descriptive name, then the marker, separated by a space, so both round-trip. */
export function awsNameOf(specName: string | undefined, marker: string | undefined): string | undefined {
  if (marker === undefined) return specName;
  return specName ? `${specName} ${marker}` : marker;
}

/** Whether an AWS name carries the marker (as its last token). */
export function carriesMarker(awsName: string | undefined, marker: string): boolean {
  return awsName !== undefined && (awsName === marker || awsName.endsWith(` ${marker}`));
}

export function normalizeOrder(order: NonNullable<PhoneNumberSpec['order']>): OrderCriteria {
  const numberType: NumberType | undefined =
    order.tollFreePrefix !== undefined ? 'TollFree' : order.areaCode !== undefined || order.state !== undefined || order.city !== undefined ? 'Local' : order.numberType;
  return {
    country: order.country ?? 'US',
    ...(numberType ? { numberType } : {}),
    ...(order.areaCode !== undefined ? { areaCode: order.areaCode } : {}),
    ...(order.state !== undefined ? { state: order.state } : {}),
    ...(order.city !== undefined ? { city: order.city } : {}),
    ...(order.tollFreePrefix !== undefined ? { tollFreePrefix: order.tollFreePrefix } : {}),
  };
}

export function phoneNumberDesired(obj: ManagedObject<PhoneNumberSpec, PnCache>, ctx: DesiredContext): PnDesired {
  const spec = obj.spec;
  const namespace = obj.metadata.namespace ?? 'default';
  const objectName = obj.metadata.name;
  if ((spec.e164 === undefined) === (spec.order === undefined)) throw new InvalidSpecError('set exactly one of e164 (claim a number of the inventory) or order (order one from the pool) (PN1)');
  const mode = spec.e164 !== undefined ? 'claim' : 'order';
  const order = spec.order ? normalizeOrder(spec.order) : undefined;

  // PN2: outside the US only SIP media application dial-in, for orders and for claims alike.
  if (spec.productType === 'VoiceConnector') {
    if (order && order.country !== 'US')
      throw new InvalidSpecError(`numbers outside the US must use the SipMediaApplicationDialIn product type (PN2); order.country is ${order.country}`, 'productType');
    if (spec.e164 !== undefined) {
      const country = describeE164(spec.e164).country;
      if (country !== 'US')
        throw new InvalidSpecError(`${spec.e164} is ${country ? `a ${country}` : 'not a US'} number: numbers outside the US must use the SipMediaApplicationDialIn product type (PN2)`, 'productType');
    }
  }
  if (spec.assignment !== undefined && spec.productType !== 'VoiceConnector')
    throw new InvalidSpecError('assignment is only for VoiceConnector numbers; a SipMediaApplicationDialIn number is used through a SipRule (PN4)', 'assignment');

  // PN6: the calling name's characters and length, and never on toll-free numbers.
  if (spec.callingName !== undefined && spec.callingName !== '') {
    if (!CALLING_NAME_RE.test(spec.callingName))
      throw new InvalidSpecError(`callingName "${spec.callingName}" must be 2 to 15 letters, digits or spaces (PN6)`, 'callingName');
    const tollFree = order ? order.numberType === 'TollFree' : describeE164(spec.e164!).type === 'TollFree';
    if (tollFree) throw new InvalidSpecError('toll-free numbers cannot have a calling name (PN6); remove callingName', 'callingName');
  }

  // The marker goes into the order call itself (its Name), so a restart finds the number (money safety).
  const marker = mode === 'order' ? markerOf(namespace, objectName) : undefined;
  if (marker !== undefined && !/^[a-zA-Z0-9,._-]+$/.test(marker))
    throw new InvalidSpecError(`the ownership marker "${marker}" does not fit the phone number name pattern; rename the object with letters, digits, dots and dashes`);
  if (spec.name !== undefined && spec.name !== '' && !NAME_RE.test(spec.name)) throw new InvalidSpecError(`name "${spec.name}" must be words of letters, digits and ,._- (PN8)`, 'name');
  const awsName = awsNameOf(spec.name, marker);
  if (awsName !== undefined && awsName.length > MAX_NAME)
    throw new InvalidSpecError(
      `the number's AWS name "${awsName}" (the spec name and the ownership marker ${marker}) is ${awsName.length} characters; AWS allows ${MAX_NAME} (PN8): shorten name`,
      'name',
    );

  let assignment: DesiredAssignment | undefined;
  let assignmentWaiting: string | undefined;
  if (spec.assignment) {
    const byGroup = spec.assignment.voiceConnectorGroupRef !== undefined;
    const ref = (byGroup ? spec.assignment.voiceConnectorGroupRef : spec.assignment.voiceConnectorRef)!;
    const kind = byGroup ? 'VoiceConnectorGroup' : 'VoiceConnector';
    const label = `${byGroup ? 'voice connector group' : 'voice connector'} ${ref.name}`;
    try {
      // Not Ready yet: order the number meanwhile, assign it once the connector or group exists.
      const group = byGroup ? ctx.resolve('VoiceConnectorGroup', ref.name) : undefined;
      const connector = byGroup ? undefined : ctx.resolve('VoiceConnector', ref.name);
      const id = group ? group.voiceConnectorGroupId : connector?.voiceConnectorId;
      // A call on a connector or group goes to its region: the connector's AwsRegion, the group's ARN's.
      const region = group ? (typeof group.arn === 'string' ? group.arn.split(':')[3] : undefined) : connector?.region;
      if (id) {
        assignment = {
          name: byGroup ? 'VoiceConnectorGroupId' : 'VoiceConnectorId',
          value: id,
          label,
          managedBy: `${kind}/${obj.metadata.namespace ?? 'default'}/${ref.name}`,
          ...(isRegion(region) ? { region } : {}),
        };
      }
      else assignmentWaiting = `${kind} ${ref.name} has no id yet; the number is assigned to it once it exists`;
    } catch (err) {
      if (!(err instanceof ReferenceNotReadyError)) throw err;
      assignmentWaiting = `${err.message}; the number is assigned to it once it is Ready`;
    }
  }

  const at = obj.status?.atProvider ?? {};
  const recorded: Recorded = {
    ...(typeof at.e164 === 'string' ? { e164: at.e164 } : {}),
    ...(typeof at.orderId === 'string' ? { orderId: at.orderId } : {}),
    ...(typeof at.phoneNumberId === 'string' ? { phoneNumberId: at.phoneNumberId } : {}),
  };

  return {
    namespace,
    objectName,
    mode,
    ...(spec.e164 !== undefined ? { e164: spec.e164 } : {}),
    ...(order ? { order } : {}),
    productType: spec.productType,
    ...(marker !== undefined ? { marker } : {}),
    ...(awsName !== undefined ? { awsName } : {}),
    ...(spec.callingName !== undefined ? { callingName: spec.callingName } : {}),
    ...(assignment ? { assignment } : {}),
    ...(assignmentWaiting ? { assignmentWaiting } : {}),
    recorded,
    preview: ctx.lenient,
  };
}
