/**
 * Loads the published service models (botocore's JSON form of the Smithy models) and builds the
 * routing table and the shape graph the core validates and serializes with. Nothing here is copied
 * by hand from the model: a newer model file changes routes and constraints by itself.
 */
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { ApiError } from './types.js';

export interface ShapeRef {
  shape: string;
  location?: 'uri' | 'querystring' | 'header' | 'headers' | 'statusCode';
  locationName?: string;
  idempotencyToken?: boolean;
}

export interface Shape {
  type: 'structure' | 'list' | 'map' | 'string' | 'integer' | 'long' | 'float' | 'double' | 'boolean' | 'timestamp' | 'blob';
  members?: Record<string, ShapeRef>;
  required?: string[];
  member?: ShapeRef;
  key?: ShapeRef;
  value?: ShapeRef;
  min?: number;
  max?: number;
  pattern?: string;
  enum?: string[];
  timestampFormat?: string;
  exception?: boolean;
  union?: boolean;
}

export interface ServiceModelFile {
  metadata: { serviceId: string; apiVersion: string; signingName: string; endpointPrefix: string };
  operations: Record<string, { name: string; http: { method: string; requestUri: string; responseCode?: number }; input?: { shape: string }; output?: { shape: string }; errors?: Array<{ shape: string }> }>;
  shapes: Record<string, Shape>;
}

export interface Route {
  service: string;
  operation: string;
  method: string;
  /** Path segments; `{label}` segments capture, `{label+}` greedy. */
  segments: Array<{ literal: string } | { label: string; greedy: boolean }>;
  /** Query members the route requires with a fixed value (`?operation=put`), or only present (`?arn`). */
  fixedQuery: Record<string, string | null>;
  responseCode: number;
  inputShape?: string;
  outputShape?: string;
  model: LoadedModel;
}

export interface LoadedModel {
  serviceId: string;
  file: ServiceModelFile;
  shapes: Record<string, Shape>;
  /** Compiled patterns by shape name; a pattern JavaScript cannot compile is kept out, not guessed at. */
  patterns: Map<string, RegExp>;
}

const MODEL_DIR = fileURLToPath(new URL('../model/', import.meta.url));

export const MODEL_FILES = ['chime-sdk-voice-2022-08-03.json', 'chime-sdk-media-pipelines-2021-07-15.json'] as const;

export function loadModel(fileName: string): LoadedModel {
  const file = JSON.parse(readFileSync(MODEL_DIR + fileName, 'utf8')) as ServiceModelFile;
  const patterns = new Map<string, RegExp>();
  for (const [name, shape] of Object.entries(file.shapes)) {
    if (shape.pattern === undefined) continue;
    // AWS matches the whole value (Java's Matcher.matches), so the pattern is anchored at both ends.
    const whole = `^(?:${shape.pattern})$`;
    try {
      patterns.set(name, new RegExp(whole, 'u'));
    } catch {
      try {
        patterns.set(name, new RegExp(whole));
      } catch {
        // A Java-only construct; the member's other constraints still apply.
      }
    }
  }
  return { serviceId: file.metadata.serviceId, file, shapes: file.shapes, patterns };
}

const enumCache = new Map<string, LoadedModel>();

/**
 * The values of an enum shape (VoiceConnectorAwsRegion, PhoneNumberStatus, ...) of a published
 * model, for services that check or list them: read from the model rather than copied, so a newer
 * model file updates them with the core's constraints. Throws on a shape that is not an enum.
 */
export function modelEnum(shape: string, fileName: (typeof MODEL_FILES)[number] = 'chime-sdk-voice-2022-08-03.json'): readonly string[] {
  let model = enumCache.get(fileName);
  if (!model) enumCache.set(fileName, (model = loadModel(fileName)));
  const values = model.shapes[shape]?.enum;
  if (!values) throw new Error(`${shape} is not an enum shape of ${fileName}`);
  return Object.freeze([...values]);
}

function parseRequestUri(uri: string): Pick<Route, 'segments' | 'fixedQuery'> {
  const [path, query] = uri.split('?', 2);
  const segments = path
    .split('/')
    .filter((s) => s.length > 0)
    .map((s) => {
      const m = /^\{([^}+]+)(\+?)\}$/.exec(s);
      return m ? { label: m[1], greedy: m[2] === '+' } : { literal: s };
    });
  const fixedQuery: Record<string, string | null> = {};
  if (query) {
    for (const part of query.split('&')) {
      const [k, v] = part.split('=', 2);
      fixedQuery[decodeURIComponent(k)] = v === undefined ? null : decodeURIComponent(v);
    }
  }
  return { segments, fixedQuery };
}

export function buildRoutes(models: LoadedModel[]): Route[] {
  const routes: Route[] = [];
  const seen = new Set<string>();
  for (const model of models) {
    for (const [name, op] of Object.entries(model.file.operations)) {
      const key = `${op.http.method} ${op.http.requestUri}`;
      // The media pipelines tag operations share paths and shapes with Chime SDK Voice's: the first model wins.
      if (seen.has(key)) continue;
      seen.add(key);
      routes.push({
        service: model.serviceId,
        operation: name,
        method: op.http.method,
        ...parseRequestUri(op.http.requestUri),
        responseCode: op.http.responseCode ?? 200,
        inputShape: op.input?.shape,
        outputShape: op.output?.shape,
        model,
      });
    }
  }
  // Most specific first: more literal segments, then more fixed query members.
  const score = (r: Route) => r.segments.filter((s) => 'literal' in s).length * 100 + Object.keys(r.fixedQuery).length * 10 + r.segments.length;
  return routes.sort((a, b) => score(b) - score(a));
}

export interface RouteMatch {
  route: Route;
  labels: Record<string, string>;
}

/** The control endpoint's exact prefix: only a request target that starts with these bytes, undecoded, reaches it. */
export const CONTROL_PREFIX = '/_emulator/';

/** A request target, split once: the control endpoint by its raw prefix, or AWS path segments decoded exactly once. */
export type RequestTarget =
  | { kind: 'control'; name: string; query: URLSearchParams }
  | { kind: 'api'; path: string; segments: string[]; query: URLSearchParams };

/**
 * Parses the raw request target (Node's `req.url`, which nothing has normalized). The control
 * endpoint is recognised on the raw bytes only, so no encoding (`%5f`, `%2e%2e`, `%252e`, `..`) can
 * lead there from another path; `new URL()` is not used because it resolves `..` and `%2e%2e`
 * segments, which is how `/voice-connectors/%2e%2e/_emulator/state` reached the control endpoint.
 * AWS paths are decoded once per segment; a segment that decodes to a dot segment, or to a value
 * with a `..` component, is refused rather than resolved, and invalid percent-encoding or UTF-8
 * anywhere in the path or the query is refused rather than replaced. Throws a BadRequestException.
 */
export function parseRequestTarget(raw: string): RequestTarget {
  if (!raw.startsWith('/')) {
    throw new ApiError('BadRequestException', `The request target must be an absolute path (origin-form), got ${quoteShort(raw)}.`);
  }
  const q = raw.indexOf('?');
  const path = q === -1 ? raw : raw.slice(0, q);
  const query = parseQuery(q === -1 ? '' : raw.slice(q + 1));
  if (path.startsWith(CONTROL_PREFIX)) return { kind: 'control', name: path.slice(CONTROL_PREFIX.length), query };
  const segments: string[] = [];
  for (const encoded of path.split('/')) {
    if (encoded.length === 0) continue;
    const segment = decodeStrict(encoded, 'path');
    if (segment.split('/').some((part) => part === '.' || part === '..')) {
      throw new ApiError('BadRequestException', `The request path must not contain dot segments ('.' or '..', encoded or not): ${quoteShort(path)}.`);
    }
    segments.push(segment);
  }
  return { kind: 'api', path, segments, query };
}

function decodeStrict(text: string, where: 'path' | 'query'): string {
  try {
    // decodeURIComponent throws on malformed escapes and on escapes that are not UTF-8, where
    // URLSearchParams would silently substitute U+FFFD.
    return decodeURIComponent(text);
  } catch {
    throw new ApiError('BadRequestException', `Malformed percent-encoding or invalid UTF-8 in the request ${where}: ${quoteShort(text)}.`);
  }
}

function parseQuery(text: string): URLSearchParams {
  const params = new URLSearchParams();
  for (const part of text.split('&')) {
    if (part.length === 0) continue;
    const eq = part.indexOf('=');
    const key = eq === -1 ? part : part.slice(0, eq);
    const value = eq === -1 ? '' : part.slice(eq + 1);
    params.append(decodeStrict(key.replace(/\+/g, ' '), 'query'), decodeStrict(value.replace(/\+/g, ' '), 'query'));
  }
  return params;
}

/** At most 100 characters of an offending value, so that an error never echoes a huge input whole. */
export function quoteShort(text: string): string {
  return JSON.stringify(text.length > 100 ? `${text.slice(0, 100)}…` : text);
}

/** Methods of the routes whose path and query match, for a 405's `Allow` header; empty when no route has this path. */
export function allowedMethods(routes: Route[], pathSegments: string[], query: URLSearchParams): string[] {
  const methods = new Set<string>();
  for (const route of routes) {
    if (methods.has(route.method)) continue;
    if (matchRoute([route], route.method, pathSegments, query)) methods.add(route.method);
  }
  return [...methods].sort();
}

export function matchRoute(routes: Route[], method: string, pathSegments: string[], query: URLSearchParams): RouteMatch | undefined {
  for (const route of routes) {
    if (route.method !== method) continue;
    const labels = matchSegments(route.segments, pathSegments);
    if (!labels) continue;
    let queryOk = true;
    for (const [k, v] of Object.entries(route.fixedQuery)) {
      if (!query.has(k) || (v !== null && query.get(k) !== v)) {
        queryOk = false;
        break;
      }
    }
    if (queryOk) return { route, labels };
  }
  return undefined;
}

function matchSegments(segments: Route['segments'], path: string[]): Record<string, string> | undefined {
  const labels: Record<string, string> = {};
  for (let i = 0; i < segments.length; i++) {
    const seg = segments[i];
    if ('literal' in seg) {
      if (path[i] !== seg.literal) return undefined;
    } else if (seg.greedy) {
      if (i >= path.length) return undefined;
      labels[seg.label] = path.slice(i).join('/');
      return labels;
    } else {
      if (path[i] === undefined || path[i] === '') return undefined;
      labels[seg.label] = path[i];
    }
  }
  return path.length === segments.length ? labels : undefined;
}
