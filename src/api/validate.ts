// Validation of whole objects (envelope + spec + status) with ajv, from the same TypeBox schemas
// the CRDs come from, compiled ahead of time: src/api/generated/ holds the standalone code of every
// kind's validator (`npm run generate`, scripts/api/validators.ts), so no schema is compiled at
// run time. Beyond JSON Schema it runs:
// - the TS twins of the CEL rules (keyword `x-kubernetes-validations`, see schema.ts),
// - Kubernetes list semantics (`x-kubernetes-list-type: set|map` means no duplicates),
// - checks CEL cannot do: E.164 by libphonenumber-js, public CIDRs and SIP hosts by ipaddr.js.
// The generated code calls back into this module for those (`Ctx.keyword`).
// As in Kubernetes, defaults are applied before validation.
import { createRequire } from 'node:module';
import type { ErrorObject, ValidateFunction } from 'ajv';
import ipaddr from 'ipaddr.js';
import { isValidPhoneNumber } from 'libphonenumber-js/max';
import { API_VERSION_STRING, PATTERNS } from './common.js';
import { echo } from '../domain/input-limits.js';
import { suggestion } from '../domain/suggest.js';
import { CRD_KINDS, getAnyKind } from './index.js';
import type { KindDescriptor, ValidationError } from './kind.js';
import { CHIME_FORMAT_KEYWORD, celCheckFor, deepEqual, isTransitionRule, type CelValidation, type ChimeFormat } from './schema.js';

export type { ValidationError } from './kind.js';

// The generated modules are CommonJS (ajv's standalone code requires its run-time helpers); loaded
// with Node's own require, the same way from the TypeScript sources (tsx, vitest) and from dist/.
const requireHere = createRequire(import.meta.url);
const validators = requireHere('./generated/validate.cjs') as Record<string, ValidateFunction | undefined>;
const defaulters = requireHere('./generated/defaults.cjs') as Record<string, ValidateFunction | undefined>;

/** What the generated code passes for each keyword it hands back (scripts/api/validators.ts). */
interface HookArguments {
  'x-kubernetes-list-type': { type: 'set' | 'map'; keys?: string[] };
  'x-chimevoice-format': ChimeFormat;
  'x-kubernetes-validations': CelValidation[];
}

interface Ctx {
  errors: ValidationError[];
  /** CEL twin failures with the pointer of the node whose rule failed. */
  celErrors: { pointer: string; error: ValidationError }[];
  old?: unknown;
  root: unknown;
  /** Called by the generated validators (passContext) for the keywords checked here. */
  keyword<K extends keyof HookArguments>(keyword: K, argument: HookArguments[K], data: unknown, instancePath: string): void;
}

// ---- Paths ----------------------------------------------------------------------------------------

/** JSON pointer (ajv instancePath) to `spec.termination.cidrAllowedList[0]` style, using the data to tell lists from maps. */
export function formatPath(root: unknown, pointer: string): string {
  if (!pointer) return '';
  let out = '';
  let cur: unknown = root;
  for (const raw of pointer.slice(1).split('/')) {
    const tok = raw.replace(/~1/g, '/').replace(/~0/g, '~');
    if (Array.isArray(cur)) out += `[${tok}]`;
    else if (/^[A-Za-z_$][A-Za-z0-9_$-]*$/.test(tok)) out += out ? `.${tok}` : tok;
    else out += `[${echo(tok)}]`;
    cur = cur == null ? undefined : (cur as Record<string, unknown>)[tok];
  }
  return out;
}

function join(path: string, key: string): string {
  if (/^[A-Za-z_$][A-Za-z0-9_$-]*$/.test(key)) return path ? `${path}.${key}` : key;
  return `${path}[${echo(key)}]`;
}

function getAt(root: unknown, pointer: string): unknown {
  if (!pointer) return root;
  let cur: unknown = root;
  for (const raw of pointer.slice(1).split('/')) {
    if (cur == null || typeof cur !== 'object') return undefined;
    cur = (cur as Record<string, unknown>)[raw.replace(/~1/g, '/').replace(/~0/g, '~')];
  }
  return cur;
}

// ---- TS-only formats ------------------------------------------------------------------------------

const E164_RE = new RegExp(PATTERNS.e164);

/** Why an E.164 value is wrong, or undefined when it is fine. */
export function checkE164(v: string): string | undefined {
  if (!E164_RE.test(v) || !isValidPhoneNumber(v)) return `${echo(v)} is not a valid phone number in E.164 format (such as +12065550100)`;
  return undefined;
}

function specialRanges(kind: 'ipv4' | 'ipv6'): [ipaddr.IPv4 | ipaddr.IPv6, number][] {
  // ipaddr.js keeps its special ranges on the prototype, outside its type declarations.
  const table = (kind === 'ipv4' ? ipaddr.IPv4.prototype : ipaddr.IPv6.prototype) as unknown as { SpecialRanges: Record<string, unknown[]> };
  const out: [ipaddr.IPv4 | ipaddr.IPv6, number][] = [];
  for (const v of Object.values(table.SpecialRanges)) {
    if (Array.isArray(v[0])) out.push(...(v as [ipaddr.IPv4 | ipaddr.IPv6, number][]));
    else out.push(v as [ipaddr.IPv4 | ipaddr.IPv6, number]);
  }
  return out;
}

/** Why a CIDR is not an acceptable public block, or undefined (VC3). */
export function checkPublicCidr(v: string): string | undefined {
  if (!ipaddr.isValidCIDR(v) || (v.includes('.') && !v.includes(':') && !ipaddr.IPv4.isValidCIDRFourPartDecimal(v))) {
    return `${echo(v)} is not a CIDR block (such as 54.240.196.0/24)`;
  }
  const [addr, bits] = ipaddr.parseCIDR(v);
  const network = addr.kind() === 'ipv4' ? ipaddr.IPv4.networkAddressFromCIDR(v) : ipaddr.IPv6.networkAddressFromCIDR(v);
  if (network.toString() !== addr.toString()) return `${echo(v)} has host bits set; the block is ${network.toString()}/${bits}`;
  const range = network.range();
  if (range !== 'unicast') return `${v} is not publicly routable (${range} range); only public CIDR blocks are allowed (VC3)`;
  for (const [special, sbits] of specialRanges(addr.kind())) {
    if (sbits >= bits && special.kind() === addr.kind() && (special as { match(addr: ipaddr.IPv4 | ipaddr.IPv6, bits: number): boolean }).match(network, bits)) {
      return `${v} contains non-public addresses (${special.toString()}/${sbits}, ${special.range()}); only public CIDR blocks are allowed (VC3)`;
    }
  }
  return undefined;
}

const HOSTNAME_RE = /^(?=.{1,253}$)([A-Za-z0-9]([A-Za-z0-9-]{0,61}[A-Za-z0-9])?)(\.[A-Za-z0-9]([A-Za-z0-9-]{0,61}[A-Za-z0-9])?)*$/;

/** Why an origination host is unacceptable, or undefined (VC4: IP literals must be public). */
export function checkSipHost(v: string): string | undefined {
  const looksV4 = /^[0-9.]+$/.test(v);
  if (looksV4 || v.includes(':')) {
    if (looksV4 ? !ipaddr.IPv4.isValidFourPartDecimal(v) : !ipaddr.IPv6.isValid(v)) return `${echo(v)} is not a valid IP address`;
    const range = ipaddr.parse(v).range();
    if (range !== 'unicast') return `${v} is not publicly routable (${range} range); origination hosts must be public (VC4)`;
    return undefined;
  }
  if (!HOSTNAME_RE.test(v)) return `${echo(v)} is not a valid host name or IP address`;
  return undefined;
}

const FORMAT_CHECKS: Record<ChimeFormat, (v: string) => string | undefined> = {
  e164: checkE164,
  'public-cidr': checkPublicCidr,
  'sip-host': checkSipHost,
};

// ---- Keywords checked here ----------------------------------------------------------------------

function checkListType(ctx: Ctx, arg: HookArguments['x-kubernetes-list-type'], data: unknown, pointer: string): void {
  if (!Array.isArray(data)) return;
  const keys = arg.type === 'map' ? arg.keys : undefined;
  const keyOf = (x: unknown) => (keys ? keys.map((k) => (x as Record<string, unknown> | undefined)?.[k]) : x);
  data.forEach((x, i) => {
    const first = data.findIndex((y) => deepEqual(keyOf(y), keyOf(x)));
    if (first !== i) {
      const what = keys ? `${keys.join(', ')} ${echo((keyOf(x) as unknown[]).length === 1 ? (keyOf(x) as unknown[])[0] : keyOf(x))}` : echo(x);
      ctx.errors.push({ path: `${formatPath(ctx.root, pointer)}[${i}]`, message: `duplicate entry: ${what} is already at [${first}]` });
    }
  });
}

function checkFormat(ctx: Ctx, format: ChimeFormat, data: unknown, pointer: string): void {
  if (typeof data !== 'string') return;
  const why = FORMAT_CHECKS[format](data);
  if (why) ctx.errors.push({ path: formatPath(ctx.root, pointer), message: why });
}

function checkCelTwins(ctx: Ctx, rules: CelValidation[], data: unknown, pointer: string): void {
  for (const v of rules) {
    const twin = celCheckFor(v.rule);
    if (!twin) throw new Error(`CEL rule without a TS twin: ${v.rule}`);
    let oldSelf: unknown;
    if (isTransitionRule(v.rule)) {
      // Kubernetes runs transition rules only on update, where the old value exists.
      if (ctx.old === undefined) continue;
      oldSelf = getAt(ctx.old, pointer);
      if (oldSelf === undefined) continue;
    }
    let ok: boolean;
    try {
      ok = twin.check(data, oldSelf);
    } catch {
      // A value of the wrong shape is already reported by the schema; the rule cannot judge it.
      continue;
    }
    if (!ok) {
      let path = formatPath(ctx.root, pointer);
      for (const seg of (v.fieldPath ?? '').split('.').filter(Boolean)) path = join(path, seg);
      ctx.celErrors.push({ pointer, error: { path, message: v.message } });
    }
  }
}

function newCtx(root: unknown, old?: unknown): Ctx {
  return {
    errors: [],
    celErrors: [],
    old,
    root,
    keyword(keyword, argument, data, instancePath) {
      if (keyword === 'x-kubernetes-list-type') checkListType(this, argument as HookArguments['x-kubernetes-list-type'], data, instancePath);
      else if (keyword === 'x-chimevoice-format') checkFormat(this, argument as ChimeFormat, data, instancePath);
      else if (keyword === 'x-kubernetes-validations') checkCelTwins(this, argument as CelValidation[], data, instancePath);
      else throw new Error(`validator calls back for an unknown keyword ${String(keyword)}: regenerate src/api/generated (npm run generate)`);
    },
  };
}

function compiledFor(kind: KindDescriptor): { validate: ValidateFunction; defaults: ValidateFunction } {
  const validate = validators[kind.kind];
  const defaults = defaulters[kind.kind];
  if (!validate || !defaults) throw new Error(`no generated validator for kind ${kind.kind}: regenerate src/api/generated (npm run generate)`);
  return { validate, defaults };
}

const TYPE_NAMES: Record<string, string> = {
  string: 'a string',
  integer: 'an integer',
  number: 'a number',
  boolean: 'a boolean (true or false)',
  object: 'an object',
  array: 'a list',
  null: 'null',
};

function ajvErrorToMessage(e: ErrorObject, root: unknown): ValidationError | undefined {
  const path = formatPath(root, e.instancePath);
  const p = e.params as Record<string, unknown>;
  switch (e.keyword) {
    case 'additionalProperties':
      return {
        path: join(path, String(p.additionalProperty)),
        message: `unknown field ${echo(p.additionalProperty)}${suggestion(String(p.additionalProperty), Object.keys((e.parentSchema as { properties?: object })?.properties ?? {}))}`,
      };
    case 'required':
      return { path: join(path, String(p.missingProperty)), message: 'required field is missing' };
    case 'type':
      return { path, message: `must be ${String(p.type).split(',').map((t) => TYPE_NAMES[t] ?? t).join(' or ')}` };
    case 'enum':
      return {
        path,
        message: `must be one of ${(p.allowedValues as unknown[]).map((x) => JSON.stringify(x)).join(', ')} (got ${echo(e.data)})${
          typeof e.data === 'string' ? suggestion(e.data, (p.allowedValues as unknown[]).map(String)) : ''
        }`,
      };
    case 'pattern':
      // A TS-only format gives a better message for the same value.
      if (e.parentSchema && (e.parentSchema as Record<string, unknown>)[CHIME_FORMAT_KEYWORD]) return undefined;
      return { path, message: `${echo(e.data)} does not match the pattern ${p.pattern}` };
    case 'format':
      return { path, message: p.format === 'date-time' ? 'must be an RFC 3339 date-time' : `must be a ${p.format}` };
    case 'minLength':
      return { path, message: `must be at least ${p.limit} characters long` };
    case 'maxLength':
      return { path, message: `must be at most ${p.limit} characters long` };
    case 'minimum':
      return { path, message: `must be at least ${p.limit}` };
    case 'maximum':
      return { path, message: `must be at most ${p.limit}` };
    case 'minItems':
      return { path, message: `must have at least ${p.limit} item${p.limit === 1 ? '' : 's'}` };
    case 'maxItems':
      return { path, message: `must have at most ${p.limit} items` };
    case 'maxProperties':
      return { path, message: `must have at most ${p.limit} entries` };
    case 'anyOf':
      return undefined; // the branches' own errors say more
    default:
      return { path, message: e.message ?? `fails ${e.keyword}` };
  }
}

// ---- Public API -----------------------------------------------------------------------------------

export interface ValidateOptions {
  /** The object before this change: enables the transition rules (immutable fields). */
  old?: unknown;
}

/**
 * Validate a whole object (apiVersion, kind, metadata, spec, status). Defaults are applied first,
 * as the API server does. Returns [] when valid.
 */
export function validateObject(obj: unknown, opts: ValidateOptions = {}): ValidationError[] {
  if (!obj || typeof obj !== 'object' || Array.isArray(obj)) return [{ path: '', message: 'must be an object' }];
  const o = obj as Record<string, unknown>;
  if (o.apiVersion !== API_VERSION_STRING) {
    return [{ path: 'apiVersion', message: `must be ${API_VERSION_STRING} (got ${echo(o.apiVersion)})` }];
  }
  const kind = typeof o.kind === 'string' ? getAnyKind(o.kind) : undefined;
  if (!kind) {
    return [{ path: 'kind', message: `unknown kind ${echo(o.kind)}; known kinds: ${CRD_KINDS.map((k) => k.kind).join(', ')}` }];
  }
  const data = applyDefaults(obj);
  const old = opts.old === undefined ? undefined : applyDefaults(opts.old);
  const ctx = newCtx(data, old);
  const { validate } = compiledFor(kind);
  validate.call(ctx, data);
  const errors: ValidationError[] = [];
  for (const e of validate.errors ?? []) {
    const m = ajvErrorToMessage(e, data);
    if (m) errors.push(m);
  }
  // A rule cannot judge a node whose content is already wrong (as in Kubernetes, where CEL sees
  // only values that passed the schema); its message would only add noise.
  const broken = (validate.errors ?? []).map((e) => e.instancePath);
  for (const c of ctx.celErrors) {
    if (!broken.some((b) => b === c.pointer || b.startsWith(`${c.pointer}/`))) errors.push(c.error);
  }
  errors.push(...ctx.errors);
  errors.push(...awsNameErrors(kind, data as Parameters<typeof awsNameErrors>[1]));
  // Kind-specific TS checks assume a well-typed object, so they run only when the schema passed.
  if (errors.length === 0 && kind.extraChecks) errors.push(...kind.extraChecks(data as Parameters<typeof kind.extraChecks>[0]));
  return dedupe(errors);
}

/** A defaulted deep copy of the object (schema defaults, as the API server applies them). */
export function applyDefaults<T>(obj: T): T {
  const copy = structuredClone(obj);
  const kindName = (copy as { kind?: unknown } | null)?.kind;
  const kind = typeof kindName === 'string' ? getAnyKind(kindName) : undefined;
  if (!kind) return copy;
  const ctx = newCtx(copy);
  compiledFor(kind).defaults.call(ctx, copy);
  return copy;
}

function awsNameErrors(kind: KindDescriptor, obj: { metadata?: { name?: string }; spec?: { name?: string } }): ValidationError[] {
  // metadata.name stands in for spec.name; only TS can compare them (CEL on spec cannot see metadata).
  const n = kind.awsName;
  const name = obj.metadata?.name;
  if (!n || obj.spec?.name !== undefined || name === undefined) return [];
  if (name.length > n.maxLength || !new RegExp(n.pattern).test(name)) {
    return [
      {
        path: 'metadata.name',
        message: `the AWS name defaults to metadata.name, which must then be at most ${n.maxLength} characters and match ${n.pattern}; set spec.name`,
      },
    ];
  }
  return [];
}

function dedupe(errors: ValidationError[]): ValidationError[] {
  const seen = new Set<string>();
  return errors.filter((e) => {
    const k = `${e.path}\u0000${e.message}`;
    if (seen.has(k)) return false;
    seen.add(k);
    return true;
  });
}

/** Errors as `path: message` lines, for people. */
export function formatErrors(errors: ValidationError[]): string {
  return errors.map((e) => (e.path ? `${e.path}: ${e.message}` : e.message)).join('\n');
}
