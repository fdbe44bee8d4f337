/**
 * Model-driven request parsing, input validation and response serialization for the rest-json
 * protocol. Input members come from the URI, the query string, headers and the JSON body, as the
 * model's `location` says; every constraint of the model (required, length, range, pattern, enum,
 * union) is checked, and a violation names the member and the constraint (rule API1/API2).
 */
import { randomBytes } from 'node:crypto';
import { ApiError } from './types.js';
import { quoteShort, type LoadedModel, type Route, type Shape, type ShapeRef } from './model.js';

export interface RawRequest {
  labels: Record<string, string>;
  query: URLSearchParams;
  headers: Record<string, string | string[] | undefined>;
  body: unknown;
}

const validationError = (errors: string[]) =>
  new ApiError(
    'BadRequestException',
    `${errors.length} validation error${errors.length === 1 ? '' : 's'} detected: ${errors.slice(0, 10).join('; ')}`,
  );

/**
 * Nesting deeper than this is refused. The deepest input shape of the models is a few levels (a
 * structure in a list in a structure); JSON.parse itself takes a million levels, but the state's
 * serialization (JSON.stringify, recursive) overflows the stack near ten thousand, so a deep
 * value, even under a member the emulator ignores, is refused before anything keeps it.
 */
export const MAX_JSON_DEPTH = 64;

/** Keys that reach an object's prototype when code merges or assigns parsed values; refused at any depth. */
const PROTOTYPE_KEYS = new Set(['__proto__', 'constructor', 'prototype']);

/**
 * A JSON number whose text JSON.parse would not keep exactly or would not tell apart: a fraction
 * or exponent (`5.0` is the integer 5 to JSON.parse) or an integer beyond 2^53. Validation reads
 * the text, so `2147483648.0` for an integer member or `9007199254740993` for a long is refused
 * for what it is, not for what a double rounded it to.
 */
export class RawNumber {
  constructor(readonly text: string) {}
  get value(): number {
    return Number(this.text);
  }
}

const STRICT_JSON_NUMBER = /^-?(?:0|[1-9]\d*)(?:\.\d+)?(?:[eE][+-]?\d+)?$/;

/**
 * Parses a request body as AWS's JSON deserializer would, and refuses what JSON.parse would accept
 * silently: nesting deeper than MAX_JSON_DEPTH, prototype keys (`__proto__`, `constructor`,
 * `prototype`), and numbers it would round (kept as RawNumber for the model's numeric checks).
 * Throws a BadRequestException saying what is wrong.
 *
 * Hand-written on purpose, and small: Node 20's JSON.parse has no access to a number's source
 * text (the reviver `context.source` arrives with later V8s), and a full JSON parser in JavaScript
 * would cost every request; this scans the text once for number tokens outside strings and only
 * rewrites the rare ones JSON.parse would lose into marked strings it turns back into RawNumber.
 */
export function parseJsonBody(text: string): unknown {
  const marker = `\u0000${randomBytes(6).toString('hex')}:`;
  const rewritten = markLossyNumbers(text, marker);
  let value: unknown;
  try {
    value =
      rewritten === text
        ? JSON.parse(text)
        : JSON.parse(rewritten, (_key, v: unknown) => (typeof v === 'string' && v.startsWith(marker) ? new RawNumber(v.slice(marker.length)) : v));
  } catch (err) {
    const detail = (err as Error).message;
    throw new ApiError('BadRequestException', `The request body is not valid JSON: ${detail.length > 200 ? `${detail.slice(0, 200)}…` : detail}`);
  }
  checkJsonShape(value);
  return value;
}

function markLossyNumbers(text: string, marker: string): string {
  let out = '';
  let copiedUpTo = 0;
  let i = 0;
  const n = text.length;
  while (i < n) {
    const c = text.charCodeAt(i);
    if (c === 0x22 /* " */) {
      // Skip the string, escapes included; an unterminated one is JSON.parse's to report.
      i++;
      while (i < n && text.charCodeAt(i) !== 0x22) i += text.charCodeAt(i) === 0x5c /* \ */ ? 2 : 1;
      i++;
      continue;
    }
    if (c === 0x2d /* - */ || (c >= 0x30 && c <= 0x39)) {
      let end = i + 1;
      while (end < n && /[-+.eE0-9]/.test(text[end])) end++;
      const token = text.slice(i, end);
      // Only a whole, well-formed number token is rewritten, so an invalid body stays invalid.
      if (STRICT_JSON_NUMBER.test(token) && isLossy(token)) {
        out += text.slice(copiedUpTo, i) + JSON.stringify(marker + token);
        copiedUpTo = end;
      }
      i = end;
      continue;
    }
    i++;
  }
  return copiedUpTo === 0 ? text : out + text.slice(copiedUpTo);
}

function isLossy(token: string): boolean {
  if (/[.eE]/.test(token)) return true;
  const digits = token.startsWith('-') ? token.length - 1 : token.length;
  return digits >= 16 && !Number.isSafeInteger(Number(token));
}

/** Depth and prototype keys, iteratively: the walk itself must not be what overflows the stack. */
function checkJsonShape(root: unknown): void {
  const stack: Array<[unknown, number]> = [[root, 1]];
  while (stack.length > 0) {
    const [value, depth] = stack.pop()!;
    if (typeof value !== 'object' || value === null || value instanceof RawNumber) continue;
    if (depth > MAX_JSON_DEPTH) {
      throw new ApiError('BadRequestException', `The request body nests deeper than ${MAX_JSON_DEPTH} levels.`);
    }
    if (Array.isArray(value)) {
      for (const item of value) stack.push([item, depth + 1]);
      continue;
    }
    for (const key of Object.keys(value)) {
      if (PROTOTYPE_KEYS.has(key)) throw new ApiError('BadRequestException', `The request body must not contain the key ${quoteShort(key)}.`);
      stack.push([(value as Record<string, unknown>)[key], depth + 1]);
    }
  }
}

/** Replaces every RawNumber left after validation with its number, so handlers and state see plain JSON values. */
function settleNumbers(value: unknown): unknown {
  if (value instanceof RawNumber) return value.value;
  if (Array.isArray(value)) {
    for (let i = 0; i < value.length; i++) value[i] = settleNumbers(value[i]);
  } else if (typeof value === 'object' && value !== null) {
    const record = value as Record<string, unknown>;
    for (const key of Object.keys(record)) record[key] = settleNumbers(record[key]);
  }
  return value;
}

/** Builds the operation's input object from the HTTP request and validates it against the model. */
export function parseInput(route: Route, raw: RawRequest): Record<string, unknown> {
  if (!route.inputShape) return {};
  const model = route.model;
  const shape = model.shapes[route.inputShape];
  const input: Record<string, unknown> = {};
  const errors: string[] = [];
  const body = raw.body;
  if (body !== undefined && !isJsonObject(body)) {
    throw new ApiError('BadRequestException', 'The request body must be a JSON object.');
  }
  for (const [name, ref] of Object.entries(shape.members ?? {})) {
    const target = model.shapes[ref.shape];
    const wire = ref.locationName ?? name;
    switch (ref.location) {
      case 'uri':
        if (raw.labels[wire] !== undefined) input[name] = coerceText(raw.labels[wire], target, name, errors);
        break;
      case 'querystring': {
        if (target.type === 'list') {
          const all = raw.query.getAll(wire);
          if (all.length > 0) input[name] = all.map((v) => coerceText(v, model.shapes[target.member!.shape], name, errors));
        } else if (raw.query.has(wire)) {
          input[name] = coerceText(raw.query.get(wire)!, target, name, errors);
        }
        break;
      }
      case 'header': {
        const v = raw.headers[wire.toLowerCase()];
        if (typeof v === 'string') input[name] = coerceText(v, target, name, errors);
        break;
      }
      case undefined: {
        const v = (body as Record<string, unknown> | undefined)?.[wire];
        if (v !== undefined && v !== null) input[name] = v;
        break;
      }
      default:
        break;
    }
  }
  if (errors.length === 0) validateStructure(model, shape, input, '', errors);
  if (errors.length > 0) throw validationError(errors);
  return settleNumbers(input) as Record<string, unknown>;
}

function coerceText(text: string, shape: Shape, member: string, errors: string[]): unknown {
  switch (shape.type) {
    case 'integer':
    case 'long': {
      if (!/^-?\d+$/.test(text)) {
        errors.push(`Value ${quoteValue(text)} at '${member}' failed to satisfy constraint: Member must be an integer`);
        return undefined;
      }
      // Kept as text when a double would round it, so the range check sees the value sent.
      return Number.isSafeInteger(Number(text)) ? Number(text) : new RawNumber(text);
    }
    case 'float':
    case 'double': {
      // Number() would take '', ' ', '0x10' and 'Infinity'; the wire format is a decimal literal.
      if (!/^-?\d+(?:\.\d+)?(?:[eE][+-]?\d+)?$/.test(text)) {
        errors.push(`Value ${quoteValue(text)} at '${member}' failed to satisfy constraint: Member must be a number`);
        return undefined;
      }
      return new RawNumber(text);
    }
    case 'boolean':
      if (text !== 'true' && text !== 'false') {
        errors.push(`Value '${text}' at '${member}' failed to satisfy constraint: Member must be a boolean`);
        return undefined;
      }
      return text === 'true';
    default:
      return text;
  }
}

function isJsonObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value) && !(value instanceof RawNumber);
}

function quoteValue(text: string): string {
  return `'${text.length > 100 ? `${text.slice(0, 100)}…` : text}'`;
}

function describe(path: string) {
  return path === '' ? 'the request' : `'${path}'`;
}

function validateValue(model: LoadedModel, ref: ShapeRef, value: unknown, path: string, errors: string[]): void {
  const shape = model.shapes[ref.shape];
  const at = describe(path);
  switch (shape.type) {
    case 'structure':
      if (!isJsonObject(value)) {
        errors.push(`Value at ${at} failed to satisfy constraint: Member must be an object`);
        return;
      }
      validateStructure(model, shape, value as Record<string, unknown>, path, errors);
      return;
    case 'list':
      if (!Array.isArray(value)) {
        errors.push(`Value at ${at} failed to satisfy constraint: Member must be a list`);
        return;
      }
      checkLength(shape, value.length, at, errors, 'length');
      value.forEach((item, i) => {
        if (item === null || item === undefined) errors.push(`Value at '${path}[${i}]' failed to satisfy constraint: Member must not be null`);
        else validateValue(model, shape.member!, item, `${path}[${i}]`, errors);
      });
      return;
    case 'map':
      if (!isJsonObject(value)) {
        errors.push(`Value at ${at} failed to satisfy constraint: Member must be a map`);
        return;
      }
      checkLength(shape, Object.keys(value).length, at, errors, 'length');
      for (const [k, v] of Object.entries(value)) {
        validateValue(model, shape.key!, k, `${path}.${k}`, errors);
        validateValue(model, shape.value!, v, `${path}.${k}`, errors);
      }
      return;
    case 'string': {
      if (typeof value !== 'string') {
        errors.push(`Value at ${at} failed to satisfy constraint: Member must be a string`);
        return;
      }
      checkLength(shape, [...value].length, at, errors, 'length');
      if (shape.enum && !shape.enum.includes(value)) {
        errors.push(`Value '${value}' at ${at} failed to satisfy constraint: Member must satisfy enum value set: [${shape.enum.join(', ')}]`);
      }
      const pattern = model.patterns.get(ref.shape);
      if (pattern && !pattern.test(value)) {
        errors.push(`Value at ${at} failed to satisfy constraint: Member must satisfy regular expression pattern: ${shape.pattern}`);
      }
      return;
    }
    case 'integer':
    case 'long':
    case 'float':
    case 'double':
      checkNumber(shape, value, at, errors);
      return;
    case 'boolean':
      if (typeof value !== 'boolean') errors.push(`Value at ${at} failed to satisfy constraint: Member must be a boolean`);
      return;
    case 'timestamp':
      checkTimestamp(value, at, errors);
      return;
    case 'blob':
      if (typeof value !== 'string') errors.push(`Value at ${at} failed to satisfy constraint: Member must be base64 text`);
      return;
  }
}

function validateStructure(model: LoadedModel, shape: Shape, value: Record<string, unknown>, path: string, errors: string[]): void {
  const prefix = path === '' ? '' : `${path}.`;
  for (const name of shape.required ?? []) {
    if (value[name] === undefined || value[name] === null) {
      errors.push(`Value null at '${prefix}${name}' failed to satisfy constraint: Member must not be null`);
    }
  }
  const present = Object.keys(shape.members ?? {}).filter((m) => value[m] !== undefined && value[m] !== null);
  if (shape.union && present.length !== 1) {
    errors.push(`Value at ${describe(path)} failed to satisfy constraint: Member must have exactly one member set (it has ${present.length})`);
  }
  for (const name of present) {
    validateValue(model, shape.members![name], value[name], `${prefix}${name}`, errors);
  }
}

function checkLength(shape: Shape, length: number, at: string, errors: string[], what: string) {
  if (shape.min !== undefined && length < shape.min) {
    errors.push(`Value at ${at} failed to satisfy constraint: Member must have ${what} greater than or equal to ${shape.min}`);
  }
  if (shape.max !== undefined && length > shape.max) {
    errors.push(`Value at ${at} failed to satisfy constraint: Member must have ${what} less than or equal to ${shape.max}`);
  }
}

/**
 * The range of each numeric type of the Smithy/botocore model: `integer` is a 32-bit signed int,
 * `long` a 64-bit one, `float` an IEEE single, `double` an IEEE double. AWS's deserializer refuses
 * a value outside its type before any constraint of the shape applies, with a BadRequestException
 * for this service, as the emulator answers any validation error.
 */
export const NUMERIC_TYPE_RANGES = {
  integer: { min: -(2n ** 31n), max: 2n ** 31n - 1n },
  long: { min: -(2n ** 63n), max: 2n ** 63n - 1n },
  float: { max: 3.4028234663852886e38 },
  double: { max: Number.MAX_VALUE },
} as const;

/**
 * Emulated time is a JavaScript Date, whose range is ±8.64e15 ms around the epoch: an epoch-seconds
 * timestamp beyond it has no date to keep.
 */
const MAX_TIMESTAMP_SECONDS = 8.64e12;

function checkNumber(shape: Shape, value: unknown, at: string, errors: string[]): void {
  const type = shape.type as 'integer' | 'long' | 'float' | 'double';
  const text = value instanceof RawNumber ? value.text : typeof value === 'number' ? String(value) : undefined;
  const shown = text === undefined ? '' : `${quoteValue(text)} `;
  if (text === undefined) {
    errors.push(`Value at ${at} failed to satisfy constraint: Member must be ${type === 'integer' || type === 'long' ? 'an integer' : 'a number'}`);
    return;
  }
  if (type === 'integer' || type === 'long') {
    // The literal decides, not the double JSON.parse made of it: 5.0 and 5e0 are not integers on the wire.
    if (!/^-?\d+$/.test(text)) {
      errors.push(`Value ${shown}at ${at} failed to satisfy constraint: Member must be an integer`);
      return;
    }
    const n = BigInt(text);
    const range = NUMERIC_TYPE_RANGES[type];
    if (n < range.min || n > range.max) {
      errors.push(`Value ${shown}at ${at} failed to satisfy constraint: Member must be a ${type === 'integer' ? '32' : '64'}-bit integer, between ${range.min} and ${range.max}`);
      return;
    }
    if (type === 'long' && (n > BigInt(Number.MAX_SAFE_INTEGER) || n < -BigInt(Number.MAX_SAFE_INTEGER))) {
      // A 64-bit value AWS would keep, but the emulator's state holds JSON numbers (doubles).
      errors.push(`Value ${shown}at ${at} failed to satisfy constraint: the emulator keeps integers up to 2^53 - 1 (${Number.MAX_SAFE_INTEGER}) in magnitude exactly and refuses larger ones`);
      return;
    }
    checkRange(shape, Number(n), shown, at, errors);
    return;
  }
  const n = Number(text);
  if (!Number.isFinite(n) || Math.abs(n) > NUMERIC_TYPE_RANGES[type].max) {
    errors.push(`Value ${shown}at ${at} failed to satisfy constraint: Member must be a finite ${type} (magnitude at most ${NUMERIC_TYPE_RANGES[type].max})`);
    return;
  }
  checkRange(shape, n, shown, at, errors);
}

function checkTimestamp(value: unknown, at: string, errors: string[]): void {
  let ms: number;
  if (value instanceof Date) ms = value.getTime();
  else if (value instanceof RawNumber || typeof value === 'number') ms = Number(value instanceof RawNumber ? value.text : value) * 1000;
  else if (typeof value === 'string') ms = Date.parse(value);
  else ms = Number.NaN;
  if (!Number.isFinite(ms) || Math.abs(ms) > MAX_TIMESTAMP_SECONDS * 1000) {
    errors.push(`Value at ${at} failed to satisfy constraint: Member must be a timestamp (epoch seconds within ±${MAX_TIMESTAMP_SECONDS}, or a date-time)`);
  }
}

function checkRange(shape: Shape, n: number, shown: string, at: string, errors: string[]) {
  if (shape.min !== undefined && n < shape.min) errors.push(`Value ${shown}at ${at} failed to satisfy constraint: Member must have value greater than or equal to ${shape.min}`);
  if (shape.max !== undefined && n > shape.max) errors.push(`Value ${shown}at ${at} failed to satisfy constraint: Member must have value less than or equal to ${shape.max}`);
}

/**
 * Validates one value against a named shape of a model, as parseInput does for a member: the
 * errors found, empty when valid. For tables of the model's shapes (every numeric one, for example).
 */
export function validateShapeValue(model: LoadedModel, shapeName: string, value: unknown, path = 'value'): string[] {
  const errors: string[] = [];
  validateValue(model, { shape: shapeName }, value, path, errors);
  return errors;
}

export interface SerializedOutput {
  headers: Record<string, string>;
  body: Record<string, unknown> | undefined;
}

/**
 * Serializes a handler's output through the model's output shape: only members the model declares
 * reach the wire (bookkeeping fields and stray keys are dropped), timestamps in the shape's format.
 */
export function serializeOutput(route: Route, output: unknown): SerializedOutput {
  const headers: Record<string, string> = {};
  if (!route.outputShape || output === undefined || output === null) return { headers, body: undefined };
  const model = route.model;
  const shape = model.shapes[route.outputShape];
  const body: Record<string, unknown> = {};
  let hasBody = false;
  for (const [name, ref] of Object.entries(shape.members ?? {})) {
    const value = (output as Record<string, unknown>)[name];
    if (value === undefined || value === null) continue;
    if (ref.location === 'header') {
      headers[(ref.locationName ?? name).toLowerCase()] = String(value);
    } else if (ref.location === undefined) {
      body[ref.locationName ?? name] = serializeValue(model, ref, value);
      hasBody = true;
    }
  }
  return { headers, body: hasBody || Object.keys(shape.members ?? {}).length > 0 ? body : undefined };
}

function serializeValue(model: LoadedModel, ref: ShapeRef, value: unknown): unknown {
  const shape = model.shapes[ref.shape];
  switch (shape.type) {
    case 'structure': {
      const out: Record<string, unknown> = {};
      for (const [name, member] of Object.entries(shape.members ?? {})) {
        const v = (value as Record<string, unknown>)[name];
        if (v !== undefined && v !== null) out[member.locationName ?? name] = serializeValue(model, member, v);
      }
      return out;
    }
    case 'list':
      return (value as unknown[]).map((item) => serializeValue(model, shape.member!, item));
    case 'map': {
      const out: Record<string, unknown> = {};
      for (const [k, v] of Object.entries(value as Record<string, unknown>)) out[k] = serializeValue(model, shape.value!, v);
      return out;
    }
    case 'timestamp': {
      const date = value instanceof Date ? value : new Date(typeof value === 'number' ? value * 1000 : String(value));
      return shape.timestampFormat === 'iso8601' ? date.toISOString() : date.getTime() / 1000;
    }
    default:
      return value;
  }
}
