// PhoneNumber: claim a number already in the inventory (e164) or order one from the pool with
// search criteria (order), then name it, give it a calling name and assign it (issue 4; PN1-PN8).
import type { Static } from '@sinclair/typebox';
import { Country, E164, Ref, StatusSchema, commonSpecFields, type ChimeObject, type CommonStatus } from '../common.js';
import { ageColumn, defineKind } from '../kind.js';
import { Bool, List, Obj, Optional, Str, StringEnum, cel, has } from '../schema.js';

export const PRODUCT_TYPES = ['VoiceConnector', 'SipMediaApplicationDialIn'] as const;
export const PHONE_NUMBER_TYPES = ['Local', 'TollFree'] as const;
// These enums copy the voice model's (the schema needs literals); test/api/model.test.ts checks them against it.
export const PHONE_NUMBER_STATUSES = [
  'Cancelled',
  'PortinCancelRequested',
  'PortinInProgress',
  'AcquireInProgress',
  'AcquireFailed',
  'Unassigned',
  'Assigned',
  'ReleaseInProgress',
  'DeleteInProgress',
  'ReleaseFailed',
  'DeleteFailed',
] as const;
export const ORDER_STATUSES = [
  'Processing',
  'Successful',
  'Failed',
  'Partial',
  'PendingDocuments',
  'Submitted',
  'FOC',
  'ChangeRequested',
  'Exception',
  'CancelRequested',
  'Cancelled',
] as const;
export const ORDER_TYPES = ['New', 'Porting'] as const;
export const ORDERED_NUMBER_STATUSES = ['Processing', 'Acquired', 'Failed'] as const;
export const CALLING_NAME_STATUSES = ['Unassigned', 'UpdateInProgress', 'UpdateSucceeded', 'UpdateFailed'] as const;
export const ASSOCIATION_NAMES = ['VoiceConnectorId', 'VoiceConnectorGroupId', 'SipRuleId'] as const;
export type NumberStatus = (typeof PHONE_NUMBER_STATUSES)[number];
export type OrderStatus = (typeof ORDER_STATUSES)[number];
export type OrderedNumberStatus = (typeof ORDERED_NUMBER_STATUSES)[number];
export type CallingNameStatus = (typeof CALLING_NAME_STATUSES)[number];

/** PN6: CallingName in the model. */
export const CALLING_NAME_PATTERN = '^$|^[a-zA-Z0-9 ]{2,15}$';
/** PhoneNumberName in the model (PN8); the same classes without escapes that unicode regexps refuse. */
export const PHONE_NUMBER_NAME_PATTERN = '^$|^[a-zA-Z0-9,._-]+(\\s+[a-zA-Z0-9,._-]+)*$';
/** TollFreePrefix in the model. */
export const TOLL_FREE_PREFIX_PATTERN = '^8(00|33|44|55|66|77|88)$';
/** North American toll-free numbers (+1 8xx with a toll-free prefix). */
const TOLL_FREE_E164 = /^\+18(00|33|44|55|66|77|88)/;

const isTollFree = (o: unknown) => has(o, 'numberType') && (o as { numberType?: unknown }).numberType === 'TollFree';

export const PhoneNumberOrder = Obj(
  {
    country: Optional(Country('The country to search in; defaults to US. Only countries without identity requirements can be ordered through the API (PN3).')),
    numberType: Optional(StringEnum(PHONE_NUMBER_TYPES, 'Local or TollFree. Required outside the US, where it is the only filter.')),
    areaCode: Optional(Str('The area code to search in (US, local numbers).', { pattern: '^[0-9]{3}$' })),
    state: Optional(Str('The state to search in (US, local numbers), such as WA.', { minLength: 2, maxLength: 2, pattern: '^[A-Z]{2}$' })),
    city: Optional(Str('The city to search in (US, local numbers); needs state.', { minLength: 1, maxLength: 100 })),
    tollFreePrefix: Optional(Str('The toll-free prefix to search in, such as 800 (toll-free numbers).', { minLength: 3, maxLength: 3, pattern: TOLL_FREE_PREFIX_PATTERN })),
  },
  'Search criteria for ordering a new number from the pool (PN1). The chosen number is recorded in status before the order is placed.',
  {
    rules: [
      cel(
        "!has(self.tollFreePrefix) || !has(self.numberType) || self.numberType == 'TollFree'",
        'tollFreePrefix searches toll-free numbers; set numberType to TollFree or drop tollFreePrefix',
        (self) => !has(self, 'tollFreePrefix') || !has(self, 'numberType') || self.numberType === 'TollFree',
        { fieldPath: '.numberType' },
      ),
      cel(
        "!(has(self.areaCode) || has(self.state) || has(self.city)) || (!has(self.tollFreePrefix) && (!has(self.numberType) || self.numberType == 'Local'))",
        'areaCode, state and city search local numbers; they cannot be combined with tollFreePrefix or numberType TollFree',
        (self) =>
          !(has(self, 'areaCode') || has(self, 'state') || has(self, 'city')) ||
          (!has(self, 'tollFreePrefix') && (!has(self, 'numberType') || self.numberType === 'Local')),
      ),
      cel(
        '!has(self.city) || has(self.state)',
        'a city search needs state too',
        (self) => !has(self, 'city') || has(self, 'state'),
        { fieldPath: '.state', reason: 'FieldValueRequired' },
      ),
      cel(
        "(has(self.country) && self.country != 'US') || has(self.areaCode) || has(self.state) || has(self.city) || has(self.tollFreePrefix)",
        'a US search needs at least one of areaCode, state, city or tollFreePrefix',
        (self) =>
          (has(self, 'country') && self.country !== 'US') || ['areaCode', 'state', 'city', 'tollFreePrefix'].some((k) => has(self, k)),
      ),
      cel(
        "!has(self.country) || self.country == 'US' || (has(self.numberType) && !has(self.areaCode) && !has(self.state) && !has(self.city) && !has(self.tollFreePrefix))",
        'outside the US the only search filter is numberType, which is then required',
        (self) =>
          !has(self, 'country') ||
          self.country === 'US' ||
          (has(self, 'numberType') && !['areaCode', 'state', 'city', 'tollFreePrefix'].some((k) => has(self, k))),
      ),
    ],
  },
);

export const PhoneNumberAssignment = Obj(
  {
    voiceConnectorRef: Optional(Ref('VoiceConnector', 'the connector the number is assigned to.')),
    voiceConnectorGroupRef: Optional(Ref('VoiceConnectorGroup', 'the group the number is assigned to.')),
  },
  'Where a VoiceConnector number is assigned: one Voice Connector or one Voice Connector group (PN4). Moving it is one force-associate. Omit to leave the number unassigned.',
  {
    rules: [
      cel(
        'has(self.voiceConnectorRef) != has(self.voiceConnectorGroupRef)',
        'set exactly one of voiceConnectorRef or voiceConnectorGroupRef: a number is assigned to one connector or one group (PN4)',
        (self) => has(self, 'voiceConnectorRef') !== has(self, 'voiceConnectorGroupRef'),
      ),
    ],
  },
);

export const PhoneNumberSpec = Obj(
  {
    e164: Optional(E164('Claim this number, already in the account inventory (ported in, or ordered before). Set e164 or order, not both.')),
    order: Optional(PhoneNumberOrder),
    productType: StringEnum(
      PRODUCT_TYPES,
      'VoiceConnector (assigned to a connector or group) or SipMediaApplicationDialIn (used by a SIP rule). Numbers outside the US must be SipMediaApplicationDialIn (PN2). Changed only while unassigned; the controller unassigns, changes and reassigns (PN5).',
    ),
    name: Optional(
      Str('A descriptive name of the number, at most 256 characters; not the calling name (PN8). The controller uses it as the ownership marker of ordered numbers.', {
        maxLength: 256,
        pattern: PHONE_NUMBER_NAME_PATTERN,
      }),
    ),
    callingName: Optional(
      Str('The outbound calling name (caller id name): 2 to 15 letters, digits or spaces; not for toll-free numbers; changeable once every 7 days, applied within 72 hours (PN6).', {
        maxLength: 15,
        pattern: CALLING_NAME_PATTERN,
      }),
    ),
    assignment: Optional(PhoneNumberAssignment),
    ...commonSpecFields,
  },
  'The desired state of the phone number.',
  {
    rules: [
      cel(
        'has(self.e164) != has(self.order)',
        'set exactly one of e164 (claim a number of the inventory) or order (order one from the pool) (PN1)',
        (self) => has(self, 'e164') !== has(self, 'order'),
      ),
      cel(
        "!has(self.assignment) || self.productType == 'VoiceConnector'",
        'assignment is only for VoiceConnector numbers; a SipMediaApplicationDialIn number is used through a SipRule (PN4)',
        (self) => !has(self, 'assignment') || self.productType === 'VoiceConnector',
        { fieldPath: '.assignment', reason: 'FieldValueForbidden' },
      ),
      cel(
        "self.productType != 'VoiceConnector' || !has(self.order) || !has(self.order.country) || self.order.country == 'US'",
        'numbers outside the US must use the SipMediaApplicationDialIn product type (PN2)',
        (self) => self.productType !== 'VoiceConnector' || !has(self, 'order') || !has(self.order, 'country') || self.order.country === 'US',
        { fieldPath: '.productType' },
      ),
      cel(
        "self.productType != 'VoiceConnector' || !has(self.e164) || self.e164.startsWith('+1')",
        'numbers outside the US must use the SipMediaApplicationDialIn product type (PN2)',
        (self) => self.productType !== 'VoiceConnector' || !has(self, 'e164') || String(self.e164).startsWith('+1'),
        { fieldPath: '.productType' },
      ),
      cel(
        "!has(self.callingName) || self.callingName == '' || ((!has(self.order) || !has(self.order.numberType) || self.order.numberType != 'TollFree') && (!has(self.order) || !has(self.order.tollFreePrefix)) && (!has(self.e164) || !self.e164.matches('^[+]18(00|33|44|55|66|77|88)')))",
        'toll-free numbers cannot have a calling name (PN6)',
        (self) =>
          !has(self, 'callingName') ||
          self.callingName === '' ||
          ((!has(self, 'order') || !isTollFree(self.order)) &&
            (!has(self, 'order') || !has(self.order, 'tollFreePrefix')) &&
            (!has(self, 'e164') || !TOLL_FREE_E164.test(self.e164))),
        { fieldPath: '.callingName', reason: 'FieldValueForbidden' },
      ),
      cel(
        '!has(oldSelf.e164) || (has(self.e164) && self.e164 == oldSelf.e164)',
        'e164 cannot change: another number is another PhoneNumber object',
        (self, oldSelf) => !has(oldSelf, 'e164') || (has(self, 'e164') && self.e164 === oldSelf.e164),
        { fieldPath: '.e164', reason: 'FieldValueForbidden' },
      ),
    ],
  },
);
export type PhoneNumberSpec = Static<typeof PhoneNumberSpec>;

export const PhoneNumberAtProvider = Obj(
  {
    e164: Optional(Str('The number: the claimed one, or the one chosen from the search (recorded before the order is placed).')),
    phoneNumberId: Optional(Str('The phone number id in AWS.')),
    arn: Optional(Str('The phone number ARN.')),
    country: Optional(Str('The country of the number.')),
    numberType: Optional(StringEnum(PHONE_NUMBER_TYPES, 'Local or TollFree.')),
    productType: Optional(StringEnum(PRODUCT_TYPES, 'The product type in AWS.')),
    numberStatus: Optional(StringEnum(PHONE_NUMBER_STATUSES, 'The status of the number in AWS.')),
    orderId: Optional(Str('The id of the order (new or porting) that brought the number in.')),
    orderType: Optional(StringEnum(ORDER_TYPES, 'New or Porting.')),
    orderStatus: Optional(StringEnum(ORDER_STATUSES, 'The status of that order (PN1).')),
    orderedNumberStatus: Optional(StringEnum(ORDERED_NUMBER_STATUSES, 'The status of this number within its order.')),
    orderMessage: Optional(Str('Why an order is Partial or Failed for this number, or what a porting order waits for.')),
    focDate: Optional(Str('The firm order commitment date of a porting order.')),
    capabilities: Optional(
      Obj(
        {
          inboundCall: Optional(Bool('Can receive calls.')),
          outboundCall: Optional(Bool('Can make calls.')),
          inboundSMS: Optional(Bool('Can receive SMS.')),
          outboundSMS: Optional(Bool('Can send SMS.')),
          inboundMMS: Optional(Bool('Can receive MMS.')),
          outboundMMS: Optional(Bool('Can send MMS.')),
        },
        'What the number can do.',
      ),
    ),
    associations: Optional(
      List(
        Obj(
          {
            name: StringEnum(ASSOCIATION_NAMES, 'What the number is associated with: VoiceConnectorId, VoiceConnectorGroupId or SipRuleId.'),
            value: Str('The id of the connector, group or SIP rule.'),
            associatedTimestamp: Optional(Str('When the association was made.')),
          },
          'An association of the number.',
        ),
        'The connectors, groups or SIP rules the number is associated with.',
        { maxItems: 100 },
      ),
    ),
    callingName: Optional(Str('The calling name AWS reports.')),
    callingNameStatus: Optional(StringEnum(CALLING_NAME_STATUSES, 'The calling name update status (PN6).')),
    callingNameChangeableAfter: Optional(Str('The earliest time the calling name may change again (7 days after the last change, PN6).', { format: 'date-time' })),
    deletionTimestamp: Optional(Str('When the number entered the deletion queue; it can be restored for 7 days (PN7).')),
  },
  'The phone number in AWS: identity, order and observed values.',
);
export type PhoneNumberAtProvider = Static<typeof PhoneNumberAtProvider>;

export const PhoneNumberStatus = StatusSchema('PhoneNumber', PhoneNumberAtProvider, {
  assignedTo: Optional(Str('What the number is assigned to, for people: VoiceConnector/<name>, VoiceConnectorGroup/<name>, SipRule/<name>, or an AWS id.')),
  route: Optional(
    Str(
      'Who answers a call to the number, in one line, from the objects on its path (see docs/routes.md): SipRule/<name> → applications in failover order with their regions, or VoiceConnector/<name>, or VoiceConnectorGroup/<name> → connectors by priority → SIP hosts; then [n broken, n risky] when something on the path is. Updated when anything on the path changes.',
      { maxLength: 1024 },
    ),
  ),
});
export type PhoneNumberStatus = CommonStatus<PhoneNumberAtProvider> & { assignedTo?: string; route?: string };
export type PhoneNumber = ChimeObject<'PhoneNumber', PhoneNumberSpec, PhoneNumberStatus>;

export const PhoneNumberKind = defineKind({
  kind: 'PhoneNumber',
  plural: 'phonenumbers',
  singular: 'phonenumber',
  shortNames: ['pn'],
  categories: ['chime'],
  description:
    'An Amazon Chime SDK phone number: claimed from the inventory or ordered from the pool, with its name, calling name, product type and assignment. Never ordered twice for one object.',
  spec: PhoneNumberSpec,
  status: PhoneNumberStatus,
  printerColumns: [
    { name: 'E164', type: 'string', jsonPath: '.status.atProvider.e164', description: 'The phone number.' },
    { name: 'Product', type: 'string', jsonPath: '.spec.productType', description: 'VoiceConnector or SipMediaApplicationDialIn.' },
    { name: 'Assigned-To', type: 'string', jsonPath: '.status.assignedTo', description: 'The connector, group or SIP rule using the number.' },
    { name: 'Ready', type: 'string', jsonPath: '.status.conditions[?(@.type=="Ready")].status', description: 'Whether AWS matches the spec.' },
    { name: 'Drifted', type: 'string', jsonPath: '.status.conditions[?(@.type=="Drifted")].status', description: 'Whether AWS differs from the spec.' },
    { name: 'Route', type: 'string', jsonPath: '.status.route', description: 'Who answers a call to the number (docs/routes.md).' },
    { name: 'Order', type: 'string', jsonPath: '.status.atProvider.orderStatus', priority: 1 },
    ageColumn,
  ],
  extraConditionTypes: ['CallingNamePending'],
});
