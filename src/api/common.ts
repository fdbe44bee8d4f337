// Pieces shared by every kind: references, policies, conditions, the common status shape and the
// object envelope. Patterns copied from the Chime SDK Voice model are anchored (`^...$`): botocore
// patterns are whole-value matches on the AWS side, while JSON Schema `pattern` only searches.
import { Type, type Static, type TObject, type TProperties, type TSchema } from '@sinclair/typebox';
import {
  Bool,
  FormattedStr,
  Int,
  List,
  Obj,
  Optional,
  Str,
  StringEnum,
  StringMap,
  cel,
  has,
  immutable,
  CHIME_REF_KEYWORD,
  type CelRule,
} from './schema.js';
import { LIMITS } from '../domain/limits.js';
import { VOICE_REGIONS } from '../domain/regions.js';

export const API_GROUP = 'chimevoice.io';
export const API_VERSION = 'v1alpha1';
export const API_VERSION_STRING = `${API_GROUP}/${API_VERSION}` as const;
export const CATEGORY = 'chime';
/** Finalizer carrying the deletion order and deletionPolicy (issue 6). */
export const FINALIZER = 'chimevoice.io/finalizer';
/** Annotations the API defines. */
export const ANNOTATIONS = {
  /** Explicit adoption of an AWS resource this project did not create: its AWS id (issue 3). */
  externalId: 'chimevoice.io/external-id',
  /**
   * Flux's convention for "reconcile now": a new value (any string, usually the time) triggers one
   * reconcile, and status.lastHandledReconcileAt echoes the value once that reconcile is done.
   */
  reconcileRequestedAt: 'chimevoice.io/reconcile-requested-at',
  /** `disabled` suspends the reconciliation of the object: nothing is written to AWS until it is removed. */
  reconcile: 'chimevoice.io/reconcile',
} as const;

/** The value of the annotation chimevoice.io/reconcile that suspends an object. */
export const RECONCILE_DISABLED = 'disabled';

// ---- Patterns and limits from the models (anchored) -------------------------------------------

export const PATTERNS = {
  /** VoiceConnectorName, VoiceConnectorGroupName, SipMediaApplicationName, SipRuleName, VoiceProfileDomainName. */
  chimeName: '^[a-zA-Z0-9 _.-]+$',
  /** VoiceConnectorId. */
  voiceConnectorId: '^([a-z0-9]{21,22}|[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12})$',
  /** E164PhoneNumber, with the leading + required (the model makes it optional; E.164 has it). */
  e164: '^\\+[1-9]\\d{1,14}$',
  /** Alpha2CountryCode. */
  country: '^[A-Z]{2}$',
  /** Arn (voice and media pipelines models); the same character set, without escapes that unicode regexps refuse. */
  arn: '^arn[/:_.a-zA-Z0-9-]+$',
  /** Any AWS region code, for kinds whose model types the region as a plain string. */
  region: '^[a-z]{2}(-[a-z]+)+-\\d$',
  /** Kubernetes object name (DNS-1123 subdomain). */
  dnsSubdomain: '^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$',
  /** Kubernetes namespace (DNS-1123 label). */
  dnsLabel: '^[a-z0-9]([-a-z0-9]*[a-z0-9])?$',
  /** Secret data key. */
  secretKey: '^[-._a-zA-Z0-9]+$',
  /** Loose CIDR syntax for admission; validate.ts parses it for real and checks it is public. */
  cidr: '^[0-9a-fA-F:.]+/[0-9]{1,3}$',
  /** NonEmptyString. */
  nonEmpty: '^.*\\S.*$',
} as const;

/** VoiceConnectorAwsRegion in the voice model (src/domain/regions.ts); test/api/model.test.ts checks it against the model file. */
export const VOICE_CONNECTOR_REGIONS = VOICE_REGIONS;

// ---- References and policies --------------------------------------------------------------------

export const LocalObjectReference = Obj(
  { name: Str('Name of the referenced object, in the same namespace.', { minLength: 1, maxLength: 253, pattern: PATTERNS.dnsSubdomain }) },
  'A reference to another object of this API by name, in the same namespace.',
);
export type LocalObjectReference = Static<typeof LocalObjectReference>;

/** A reference with a description naming the kind it points to. */
export function Ref(kind: string, why: string) {
  return Obj(LocalObjectReference.properties, `Reference to a ${kind} in the same namespace: ${why}`, { [CHIME_REF_KEYWORD]: kind });
}

export const SecretKeySelector = Obj(
  {
    name: Str('Name of the Secret, in the same namespace.', { minLength: 1, maxLength: 253, pattern: PATTERNS.dnsSubdomain }),
    key: Str('Key of the value in the Secret.', { minLength: 1, maxLength: 253, pattern: PATTERNS.secretKey }),
  },
  'A key of a Secret in the same namespace.',
);
export type SecretKeySelector = Static<typeof SecretKeySelector>;

export const DELETION_POLICIES = ['Delete', 'Retain'] as const;
export const DeletionPolicy = StringEnum(
  DELETION_POLICIES,
  'What happens in AWS when this object is deleted: Delete removes the AWS resource (after what depends on it, in order); Retain leaves it in AWS, untouched.',
  { default: 'Delete' },
);
export type DeletionPolicy = Static<typeof DeletionPolicy>;

export const DRIFT_POLICIES = ['Correct', 'Report'] as const;
export const DriftPolicy = StringEnum(
  DRIFT_POLICIES,
  'What the controller does when AWS differs from the spec: Correct changes AWS back to the spec; Report only lists the differences in status.drift and sets the Drifted condition.',
  { default: 'Correct' },
);
export type DriftPolicy = Static<typeof DriftPolicy>;

export const AccountReference = Obj(
  { name: Str('Name of the AwsAccount (cluster-scoped).', { minLength: 1, maxLength: 253, pattern: PATTERNS.dnsSubdomain }) },
  'The AwsAccount whose AWS holds this resource; its tenancy must grant this namespace. Defaults to the namespace annotation chimevoice.io/account, else the controller\'s own credentials. Changing it is a replacement (the resource is made anew in the other account), which the controller reports and never does silently.',
);
export type AccountReference = Static<typeof AccountReference>;

/** Fields every spec carries. */
export const commonSpecFields = {
  deletionPolicy: Optional(DeletionPolicy),
  driftPolicy: Optional(DriftPolicy),
  accountRef: Optional(AccountReference),
};

// ---- Shared field builders ----------------------------------------------------------------------

/** AWS tags as a map; tag keys are checked by a CEL rule since structural schemas cannot constrain keys. */
export function Tags(extra = '') {
  const maxTags = LIMITS.tagsPerResource.max;
  return StringMap(
    `Tags on the AWS resource, as key: value (at most ${maxTags - 1}, since the ownership tag chimevoice.io/owner takes one of AWS's ${maxTags}; keys 1 to 128 characters, values at most 256; keys starting with "aws:" are reserved by AWS). ` +
      'The listed tags are made true; a tag removed from this list is removed from AWS; tags this list never held (set by people, other tools, or AWS) are left alone. ' +
      `The ownership tag is always kept.${extra}`,
    {
      maxProperties: maxTags - 1,
      valueMaxLength: 256,
      rules: [
        cel(
          "self.all(k, size(k) >= 1 && size(k) <= 128 && !k.startsWith('aws:'))",
          'tag keys must be 1 to 128 characters and must not start with "aws:"',
          (self: Record<string, string>) => Object.keys(self).every((k) => k.length >= 1 && k.length <= 128 && !k.startsWith('aws:')),
        ),
      ],
    },
  );
}

/** status.atProvider member of taggable kinds: the tag keys the spec declared, so that a key dropped from it is removed (src/kinds/shared/tags.ts). */
export function AppliedTagKeys() {
  return List(Str('A tag key.', { maxLength: 128 }), 'Tag keys the spec declared when last reconciled: a key removed from spec.tags is untagged in AWS; other tags are left alone.', {
    listType: 'set',
    maxItems: LIMITS.tagsPerResource.max,
  });
}

/** E.164 number: pattern for the CRD, libphonenumber-js for ajv. */
export function E164(description: string, rules?: CelRule[]) {
  return FormattedStr('e164', `${description} In E.164 format, such as +12065550100.`, { pattern: PATTERNS.e164, maxLength: 16, rules });
}

export function Country(description: string) {
  return Str(`${description} ISO 3166-1 alpha-2 country code, such as US.`, { pattern: PATTERNS.country, minLength: 2, maxLength: 2 });
}

/** The AWS name of a resource, which defaults to metadata.name. */
export function AwsName(what: string, opts: { minLength: number; maxLength: number; pattern: string }) {
  return Str(
    `The ${what} name in AWS (${opts.minLength} to ${opts.maxLength} characters). Defaults to metadata.name.`,
    opts,
  );
}

/** Region, immutable once set (VC1, S1). */
export function Region(description: string, enumValues?: readonly string[]) {
  const rules = [immutableRegion];
  if (enumValues) return StringEnum(enumValues, description, { default: 'us-east-1', rules });
  return Str(description, { default: 'us-east-1', pattern: PATTERNS.region, maxLength: 32, rules });
}

const immutableRegion = immutable('region cannot change after creation; create a new object in the other region and delete this one');

/** At most one of `a`, `b` (the XOR of a `...Ref` / `...Id` pair when neither is required). */
export function atMostOne(a: string, b: string, what: string): CelRule {
  return cel(`!(has(self.${a}) && has(self.${b}))`, `set ${a} or ${b}, not both: ${what}`, (self) => !(has(self, a) && has(self, b)), {
    fieldPath: `.${b}`,
  });
}

/** Exactly one of `a`, `b`. */
export function exactlyOne(a: string, b: string, what: string): CelRule {
  return cel(`has(self.${a}) != has(self.${b})`, `set exactly one of ${a} or ${b}: ${what}`, (self) => has(self, a) !== has(self, b));
}

// ---- Conditions and status ----------------------------------------------------------------------

export const CONDITION_STATUSES = ['True', 'False', 'Unknown'] as const;

/** Condition types every kind uses. Reconciling and Stalled follow kstatus: present only when True. */
export const CommonConditionTypes = {
  Ready: 'Ready',
  Reconciling: 'Reconciling',
  Stalled: 'Stalled',
  Drifted: 'Drifted',
} as const;

export const Condition = Obj(
  {
    type: Str('Type of condition: Ready, Reconciling, Stalled, Drifted, or a kind-specific warning.', {
      minLength: 1,
      maxLength: 316,
      pattern: '^([a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*/)?(([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9])$',
    }),
    status: StringEnum(CONDITION_STATUSES, 'Status of the condition: True, False or Unknown.'),
    reason: Str('Machine-readable reason in CamelCase, such as ReferenceNotReady or AwsValidationError.', {
      minLength: 1,
      maxLength: 1024,
      pattern: '^[A-Za-z]([A-Za-z0-9_,:]*[A-Za-z0-9_])?$',
    }),
    message: Str('What a person needs to know, such as the AWS error message or the blocking object.', { maxLength: 32768 }),
    observedGeneration: Optional(Int('The metadata.generation this condition was computed from.', { minimum: 0, format: 'int64' })),
    lastTransitionTime: Str('When the status of this condition last changed (RFC 3339).', { format: 'date-time' }),
  },
  'A condition of the object, in the shape of Kubernetes metav1.Condition.',
  { required: ['type', 'status', 'reason', 'message', 'lastTransitionTime'] },
);
export type Condition = Static<typeof Condition>;

export const DriftEntry = Obj(
  {
    path: Str('Path of the drifted field in the spec, such as termination.cidrAllowedList[0].', { minLength: 1, maxLength: 1024 }),
    desired: Optional(Str('The value in the spec: a string as is, anything else JSON-encoded; absent when the spec has no value.', { maxLength: 4096 })),
    actual: Optional(Str('The value in AWS: a string as is, anything else JSON-encoded; absent when AWS has no value.', { maxLength: 4096 })),
    message: Optional(
      Str('What differs, in words, where the values must not be shown (a password: "password changed"); desired and actual are then absent.', { maxLength: 1024 }),
    ),
  },
  'One field where AWS differs from the spec.',
);
export type DriftEntry = Static<typeof DriftEntry>;

export const CreatePendingStatus = Obj(
  {
    operation: Str('The AWS create operation, such as CreateVoiceConnector.', { minLength: 1, maxLength: 128 }),
    requestedAt: Str('When the intent was recorded, just before the call was sent (RFC 3339).', { format: 'date-time' }),
    graceEndsAt: Str('Until when the controller waits for the resource to show before creating it again (RFC 3339).', { format: 'date-time' }),
    name: Optional(Str('The name the create gives the resource.', { maxLength: 1024 })),
    ids: Optional(StringMap('Ids the create answered with, once the answer arrived.', { maxProperties: 8, valueMaxLength: 1024 })),
  },
  'A create call recorded before it was sent, kept until AWS shows the resource: while it is recorded, the controller never creates again (it waits, reading by id where the id is known) until graceEndsAt.',
);

/**
 * The status of a kind: the common part plus `atProvider`, the AWS identity and observed
 * read-only values of that kind. Extra top-level status fields are rare and passed in `extra`.
 */
export function StatusSchema<A extends TProperties>(kind: string, atProvider: TObject<A>, extra: TProperties = {}) {
  return Obj(
    {
      observedGeneration: Optional(
        Int('The metadata.generation last reconciled; -1 before the first reconcile.', { default: -1, minimum: -1, format: 'int64' }),
      ),
      conditions: Optional(
        List(Condition, 'Conditions: Ready, Reconciling and Stalled (kstatus: the last two only while True), Drifted, and warnings.', {
          listType: 'map',
          mapKeys: ['type'],
          maxItems: 32,
        }),
      ),
      atProvider: Optional(atProvider),
      drift: Optional(List(DriftEntry, 'Fields where AWS differs from the spec, as last observed.', { maxItems: 256 })),
      lastSyncedTime: Optional(Str('When AWS was last observed for this object (RFC 3339).', { format: 'date-time' })),
      createPending: Optional(CreatePendingStatus),
      account: Optional(
        Str('The AwsAccount whose AWS held the resource when last reconciled ("" for the controller\'s own credentials); another account in the spec is a replacement.', { maxLength: 253 }),
      ),
      convergedGeneration: Optional(
        Int('The metadata.generation at which AWS last matched the spec (the object was Ready): a difference found at that generation is drift (AWS changed behind the controller), before it the steps of a convergence still to take.', { minimum: 0, format: 'int64' }),
      ),
      lastHandledReconcileAt: Optional(
        Str('The value of the annotation chimevoice.io/reconcile-requested-at that the last reconcile handled: equal to the annotation once the reconcile it asked for is done.', { maxLength: 256 }),
      ),
      suspended: Optional(
        Bool('True while the annotation chimevoice.io/reconcile: disabled suspends the object: the controller writes nothing to AWS for it (the Suspended condition says since when).'),
      ),
      ...extra,
    },
    `The observed state of the ${kind}, written by the controller.`,
  );
}

/** The status type of a kind whose atProvider type is A. */
export interface CommonStatus<A> {
  observedGeneration?: number;
  conditions?: Condition[];
  atProvider?: A;
  drift?: DriftEntry[];
  lastSyncedTime?: string;
  account?: string;
  convergedGeneration?: number;
  lastHandledReconcileAt?: string;
  suspended?: boolean;
}

// ---- The object envelope ------------------------------------------------------------------------

export const ObjectMeta = Type.Object(
  {
    name: Str('Name of the object, unique in its namespace.', { minLength: 1, maxLength: 253, pattern: PATTERNS.dnsSubdomain }),
    generateName: Optional(Str('Prefix for a generated name.', { maxLength: 253 })),
    namespace: Optional(Str('Namespace of the object.', { minLength: 1, maxLength: 63, pattern: PATTERNS.dnsLabel })),
    labels: Optional(StringMap('Labels of the object.')),
    annotations: Optional(StringMap('Annotations of the object.')),
    generation: Optional(Int('Generation of the spec, set by the API server.', { minimum: 0 })),
    uid: Optional(Str('Unique id, set by the API server.')),
    resourceVersion: Optional(Str('Opaque version, set by the API server.')),
    creationTimestamp: Optional(Type.Union([Str('Creation time.'), Type.Null()])),
    deletionTimestamp: Optional(Str('When deletion was requested.')),
    deletionGracePeriodSeconds: Optional(Int('Grace period of a pending deletion.')),
    finalizers: Optional(List(Str('A finalizer.'), 'Finalizers of the object.')),
    ownerReferences: Optional(List(Type.Object({}, { additionalProperties: true }), 'Owner references.')),
    managedFields: Optional(List(Type.Object({}, { additionalProperties: true }), 'Field managers.')),
    selfLink: Optional(Str('Deprecated self link.')),
  },
  { description: 'Standard Kubernetes object metadata.', additionalProperties: false },
);
export type ObjectMeta = Static<typeof ObjectMeta>;

/** A whole object of kind K (the TS shape; the schema is built by envelopeSchema in validate.ts). */
export interface ChimeObject<K extends string, Spec, Status> {
  apiVersion: typeof API_VERSION_STRING;
  kind: K;
  metadata: ObjectMeta;
  spec: Spec;
  status?: Status;
}

/** The envelope schema of a kind, for ajv (the CRD renders its own top level). */
export function envelopeSchema(kind: string, spec: TSchema, status: TSchema) {
  return Type.Object(
    {
      apiVersion: StringEnum([API_VERSION_STRING], `API version: ${API_VERSION_STRING}.`),
      kind: StringEnum([kind], `Kind: ${kind}.`),
      metadata: ObjectMeta,
      spec,
      status: Optional(status),
    },
    { additionalProperties: false },
  );
}

/** The AWS name of an object: spec.name when given, else metadata.name. */
export function effectiveName(obj: { metadata: { name: string }; spec: { name?: string } }): string {
  return obj.spec.name ?? obj.metadata.name;
}
