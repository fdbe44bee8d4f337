/**
 * Model-driven request parsing, input validation and response serialization for the rest-json
 * protocol. Input members come from the URI, the query string, headers and the JSON body, as the
 * model's `location` says; every constraint of the model (required, length, range, pattern, enum,
 * union) is checked, and a violation names the member and the constraint (rule API1/API2).
 */
import { ApiError } from './types.js';
import type { LoadedModel, Route, Shape, ShapeRef } from './model.js';

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

/** Builds the operation's input object from the HTTP request and validates it against the model. */
export function parseInput(route: Route, raw: RawRequest): Record<string, unknown> {
  if (!route.inputShape) return {};
  const model = route.model;
  const shape = model.shapes[route.inputShape];
  const input: Record<string, unknown> = {};
  const errors: string[] = [];
  const body = raw.body;
  if (body !== undefined && (typeof body !== 'object' || body === null || Array.isArray(body))) {
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
  return input;
}

function coerceText(text: string, shape: Shape, member: string, errors: string[]): unknown {
  switch (shape.type) {
    case 'integer':
    case 'long': {
      if (!/^-?\d+$/.test(text)) {
        errors.push(`Value '${text}' at '${member}' failed to satisfy constraint: Member must be an integer`);
        return undefined;
      }
      return Number(text);
    }
    case 'float':
    case 'double': {
      const n = Number(text);
      if (Number.isNaN(n)) errors.push(`Value '${text}' at '${member}' failed to satisfy constraint: Member must be a number`);
      return n;
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

function describe(path: string) {
  return path === '' ? 'the request' : `'${path}'`;
}

function validateValue(model: LoadedModel, ref: ShapeRef, value: unknown, path: string, errors: string[]): void {
  const shape = model.shapes[ref.shape];
  const at = describe(path);
  switch (shape.type) {
    case 'structure':
      if (typeof value !== 'object' || value === null || Array.isArray(value)) {
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
      if (typeof value !== 'object' || value === null || Array.isArray(value)) {
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
      if (typeof value !== 'number' || !Number.isInteger(value)) {
        errors.push(`Value at ${at} failed to satisfy constraint: Member must be an integer`);
        return;
      }
      checkRange(shape, value, at, errors);
      return;
    case 'float':
    case 'double':
      if (typeof value !== 'number' || !Number.isFinite(value)) {
        errors.push(`Value at ${at} failed to satisfy constraint: Member must be a number`);
        return;
      }
      checkRange(shape, value, at, errors);
      return;
    case 'boolean':
      if (typeof value !== 'boolean') errors.push(`Value at ${at} failed to satisfy constraint: Member must be a boolean`);
      return;
    case 'timestamp':
      if (!(value instanceof Date) && typeof value !== 'number' && (typeof value !== 'string' || Number.isNaN(Date.parse(value)))) {
        errors.push(`Value at ${at} failed to satisfy constraint: Member must be a timestamp`);
      }
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

function checkRange(shape: Shape, n: number, at: string, errors: string[]) {
  if (shape.min !== undefined && n < shape.min) errors.push(`Value '${n}' at ${at} failed to satisfy constraint: Member must have value greater than or equal to ${shape.min}`);
  if (shape.max !== undefined && n > shape.max) errors.push(`Value '${n}' at ${at} failed to satisfy constraint: Member must have value less than or equal to ${shape.max}`);
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
