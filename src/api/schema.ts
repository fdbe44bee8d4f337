// Schema building blocks shared by every kind.
//
// Every kind's schema is written once with TypeBox; the TypeScript types (Static), the ajv
// validation (validate.ts) and the CRD YAML (crd.ts) all derive from it. The helpers here keep
// the output friendly to both consumers: string enums are `{type: string, enum}` (not anyOf of
// consts, which Kubernetes structural schemas reject), maps are `additionalProperties: {schema}`,
// and every object is closed (`additionalProperties: false`) for ajv; the CRD generator strips that.
import {
  Type,
  type ArrayOptions,
  type IntegerOptions,
  type NumberOptions,
  type ObjectOptions,
  type SchemaOptions,
  type StringOptions,
  type TArray,
  type TBoolean,
  type TInteger,
  type TObject,
  type TProperties,
  type TSchema,
  type TString,
  type TUnsafe,
} from '@sinclair/typebox';
import { INT32_MAX, INT32_MIN } from '../domain/limits.js';
import { deepEqual } from '../core/canonical.js';

// One deepEqual for the whole project (src/core); validate.ts takes it from here.
export { deepEqual };

/**
 * Reason a CEL rule reports (Kubernetes `x-kubernetes-validations[].reason`). Not FieldValueDuplicate
 * for a rule with a message: the API server then prints `Duplicate value: "array"` and drops the
 * message (seen with kubectl against kube-apiserver v1.33).
 */
export type CelReason = 'FieldValueInvalid' | 'FieldValueForbidden' | 'FieldValueRequired' | 'FieldValueDuplicate';

/**
 * A CEL rule and its TypeScript twin. The CEL text goes into the CRD (admission in a cluster);
 * `check` runs in validate.ts (directory mode, `validate`, tests). Keeping both in one literal is
 * what keeps them paired: a reviewer reads one next to the other.
 */
export interface CelRule {
  /** CEL expression, evaluated with `self` bound to the schema node carrying the rule. */
  rule: string;
  /** What a person reads when the rule fails. */
  message: string;
  /** Relative path (from the node) of the field the error is about, e.g. `.termination.disabled`. */
  fieldPath?: string;
  reason?: CelReason;
  /**
   * TS equivalent of `rule`: true when the value is valid. For transition rules (the CEL text
   * mentions `oldSelf`) it is only called on updates where the old value exists, as Kubernetes does.
   */
  check: (self: any, oldSelf?: any) => boolean;
}

/** The CEL rule as it appears in the CRD. */
export interface CelValidation {
  rule: string;
  message: string;
  fieldPath?: string;
  reason?: CelReason;
}

// Registry from CEL text to its TS twin; the ajv keyword looks rules up here by their text.
const celRegistry = new Map<string, CelRule>();

export function isTransitionRule(rule: string): boolean {
  return /\boldSelf\b/.test(rule);
}

/** Declare a rule (see CelRule). */
export function cel(rule: string, message: string, check: CelRule['check'], extra: Pick<CelRule, 'fieldPath' | 'reason'> = {}): CelRule {
  return { rule, message, check, ...extra };
}

/** TS twin of the CEL rule text, or undefined when none was registered. */
export function celCheckFor(rule: string): CelRule | undefined {
  return celRegistry.get(rule);
}

function register(r: CelRule): void {
  const prev = celRegistry.get(r.rule);
  // The same CEL text must mean the same thing everywhere; a second, different twin is a bug.
  if (prev && prev.check.toString() !== r.check.toString()) {
    throw new Error(`CEL rule registered twice with different TS checks: ${r.rule}`);
  }
  if (!prev) celRegistry.set(r.rule, r);
}

/** Attach CEL rules (with their TS twins) to a schema node. */
export function withRules<T extends TSchema>(schema: T, rules: CelRule[] | undefined): T {
  if (!rules || rules.length === 0) return schema;
  rules.forEach(register);
  const existing = (schema['x-kubernetes-validations'] as CelValidation[] | undefined) ?? [];
  const added: CelValidation[] = rules.map((r) => {
    const v: CelValidation = { rule: r.rule, message: r.message };
    if (r.fieldPath) v.fieldPath = r.fieldPath;
    if (r.reason) v.reason = r.reason;
    return v;
  });
  // Spread keeps TypeBox's symbol keys, so the result is still a TypeBox schema.
  return { ...schema, 'x-kubernetes-validations': [...existing, ...added] };
}

/** Immutable after creation: the `self == oldSelf` transition rule. */
export function immutable(message: string): CelRule {
  return cel('self == oldSelf', message, (self, oldSelf) => deepEqual(self, oldSelf), { reason: 'FieldValueForbidden' });
}

/** `has(x.f)` in CEL. */
export function has(o: unknown, key: string): boolean {
  return o !== null && typeof o === 'object' && (o as Record<string, unknown>)[key] !== undefined;
}

type WithRules = { rules?: CelRule[] };

// Checks that ajv runs but that CEL cannot express (libphonenumber, ipaddr.js). The keyword is
// stripped from the CRD, where a plain pattern stands in for it.
export type ChimeFormat = 'e164' | 'public-cidr' | 'sip-host';
export const CHIME_FORMAT_KEYWORD = 'x-chimevoice-format';
/** Marks a reference field with the kind it points to (read by referenceFields; stripped from CRDs). */
export const CHIME_REF_KEYWORD = 'x-chimevoice-ref';

export function Str(description: string, opts: StringOptions & WithRules = {}): TString {
  const { rules, ...rest } = opts;
  return withRules(Type.String({ description, ...rest }), rules);
}

/**
 * An integer. The API model's integers are 32-bit (Java ints), so a bound left unsaid is the int32
 * one: no value AWS would refuse for its size (or that JSON would round) gets past the schema.
 */
export function Int(description: string, opts: IntegerOptions & WithRules = {}): TInteger {
  const { rules, ...rest } = opts;
  return withRules(Type.Integer({ description, minimum: INT32_MIN, maximum: INT32_MAX, ...rest }), rules);
}

export function Num(description: string, opts: NumberOptions = {}) {
  return Type.Number({ description, ...opts });
}

export function Bool(description: string, opts: SchemaOptions & WithRules = {}): TBoolean {
  const { rules, ...rest } = opts;
  return withRules(Type.Boolean({ description, ...rest }), rules);
}

/** A closed object (unknown fields refused by ajv). */
export function Obj<P extends TProperties>(properties: P, description: string, opts: ObjectOptions & WithRules = {}): TObject<P> {
  const { rules, ...rest } = opts;
  return withRules(Type.Object(properties, { description, additionalProperties: false, ...rest }), rules);
}

/** String enum rendered as `{type: string, enum}`; the TS type is the union of the values. */
export function StringEnum<const T extends readonly string[]>(
  values: T,
  description: string,
  opts: SchemaOptions & WithRules = {},
): TUnsafe<T[number]> {
  const { rules, ...rest } = opts;
  return withRules(Type.Unsafe<T[number]>({ type: 'string', enum: [...values], description, ...rest }), rules);
}

/** Array with an explicit Kubernetes list type (set lists are checked for duplicates by ajv too). */
export function List<T extends TSchema>(
  items: T,
  description: string,
  opts: ArrayOptions & WithRules & { listType?: 'atomic' | 'set' | 'map'; mapKeys?: string[] } = {},
): TArray<T> {
  const { rules, listType, mapKeys, ...rest } = opts;
  const extra: Record<string, unknown> = {};
  if (listType) extra['x-kubernetes-list-type'] = listType;
  if (mapKeys) extra['x-kubernetes-list-map-keys'] = mapKeys;
  return withRules(Type.Array(items, { description, ...extra, ...rest }), rules);
}

/** Map of string to string (`additionalProperties: {type: string}` in both ajv and the CRD). */
export function StringMap(
  description: string,
  opts: { maxProperties?: number; valueMaxLength?: number; rules?: CelRule[] } = {},
): TUnsafe<Record<string, string>> {
  const value: Record<string, unknown> = { type: 'string' };
  if (opts.valueMaxLength !== undefined) value.maxLength = opts.valueMaxLength;
  const s: Record<string, unknown> = { type: 'object', description, additionalProperties: value };
  if (opts.maxProperties !== undefined) s.maxProperties = opts.maxProperties;
  return withRules(Type.Unsafe<Record<string, string>>(s), opts.rules);
}

/** A string checked by a TS-only format (see ChimeFormat); `pattern` is what the CRD can check. */
export function FormattedStr(format: ChimeFormat, description: string, opts: StringOptions & WithRules = {}): TString {
  return Str(description, { ...opts, [CHIME_FORMAT_KEYWORD]: format });
}

/** Free-form JSON value (only where the content is truly open). */
export function FreeForm(description: string): TUnsafe<unknown> {
  return Type.Unsafe<unknown>({ description, 'x-kubernetes-preserve-unknown-fields': true });
}

export const Optional = Type.Optional;
