// Directory mode: read the manifests of a folder (or one file) the way Argo CD or `kubectl apply -f`
// would, keeping for every object where it came from, down to the line of any field, so that every
// problem found later (schema, references, AWS) can be reported as file:line.
import { readdir, readFile, stat } from 'node:fs/promises';
import path from 'node:path';
import { LineCounter, isAlias, isMap, isPair, isScalar, isSeq, parseAllDocuments, type Document, type Node as YamlNode } from 'yaml';
import { API_GROUP, API_VERSION_STRING, isKnownKind } from '../api/index.js';

export type Severity = 'error' | 'warning';

/** Something wrong in the manifests. `line` and `column` are 1-based. */
export interface Problem {
  file: string;
  line: number;
  column?: number;
  /** Path of the field inside the object, such as `spec.termination.cidrAllowedList[0]`. */
  path?: string;
  message: string;
  severity: Severity;
}

export interface Position {
  line: number;
  column: number;
}

/** A position in a manifest; `exact` is false when the path is absent and its nearest ancestor was used. */
export interface FieldPosition extends Position {
  exact: boolean;
}

/** Where a document (or a field) came from. */
export interface SourceInfo extends Position {
  file: string;
  /** 0-based index of the document in its file. */
  documentIndex: number;
  /** Position of a path inside the object (see parsePath); falls back to the nearest ancestor present. */
  locate(fieldPath: string | PathSegment[]): FieldPosition;
}

/** The minimal shape of a Kubernetes object as read from YAML (not yet validated). */
export interface KubeObject {
  apiVersion: string;
  kind: string;
  metadata: { name: string; namespace?: string; [k: string]: unknown };
  spec?: any;
  [k: string]: unknown;
}

/** An object of our API group, with its source. */
export interface ManifestObject extends SourceInfo {
  object: KubeObject;
  kind: string;
  namespace: string;
  name: string;
}

/** A v1/Secret, decoded: `data` base64-decoded, `stringData` merged over it (as the API server does). */
export interface SecretObject extends SourceInfo {
  object: KubeObject;
  namespace: string;
  name: string;
  data: Record<string, string>;
}

export interface LoadResult {
  objects: ManifestObject[];
  secrets: SecretObject[];
  /** Documents of other kinds, left alone (each also reported as a warning). */
  ignored: Array<SourceInfo & { apiVersion?: string; kind?: string; name?: string }>;
  problems: Problem[];
  /** Files read, in the order read. */
  files: string[];
}

export const DEFAULT_NAMESPACE = 'default';

const YAML_EXTENSIONS = new Set(['.yaml', '.yml']);

// Where each loaded object came from, so that code handed only the plain object (the engine, the
// graph) can still report file:line when the object was read from a folder.
const sources = new WeakMap<object, SourceInfo>();

/** The source of an object read by this module, or undefined (e.g. an object from a cluster). */
export function sourceOf(object: object): SourceInfo | undefined {
  return sources.get(object);
}

/** `file:line:column`, or `file:line` when the column is unknown. */
export function formatLocation(p: { file: string; line: number; column?: number }): string {
  return p.column ? `${p.file}:${p.line}:${p.column}` : `${p.file}:${p.line}`;
}

/**
 * The YAML files under `target`, recursively, sorted by path (byte order, so the result does not
 * depend on the locale), skipping dot-folders and dot-files (.git, editor swap files). A file given
 * directly is returned as is, whatever its extension.
 */
export async function listManifestFiles(target: string): Promise<string[]> {
  const info = await stat(target);
  if (info.isFile()) return [target];
  const out: string[] = [];
  const walk = async (dir: string): Promise<void> => {
    const entries = await readdir(dir, { withFileTypes: true });
    entries.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
    for (const e of entries) {
      if (e.name.startsWith('.')) continue;
      const full = path.join(dir, e.name);
      if (e.isDirectory()) await walk(full);
      else if (e.isFile() && YAML_EXTENSIONS.has(path.extname(e.name).toLowerCase())) out.push(full);
    }
  };
  await walk(target);
  return out;
}

/** Loads every manifest under `target` (a folder or a file). Problems are returned, never thrown. */
export async function loadDirectory(target: string): Promise<LoadResult> {
  const result: LoadResult = { objects: [], secrets: [], ignored: [], problems: [], files: [] };
  let files: string[];
  try {
    files = await listManifestFiles(target);
  } catch (err) {
    result.problems.push({ file: target, line: 1, message: `cannot read: ${(err as Error).message}`, severity: 'error' });
    return result;
  }
  for (const file of files) {
    let text: string;
    try {
      text = await readFile(file, 'utf8');
    } catch (err) {
      result.problems.push({ file, line: 1, message: `cannot read: ${(err as Error).message}`, severity: 'error' });
      continue;
    }
    result.files.push(file);
    mergeInto(result, parseManifests(text, file));
  }
  checkDuplicates(result);
  return result;
}

function mergeInto(into: LoadResult, from: LoadResult): void {
  into.objects.push(...from.objects);
  into.secrets.push(...from.secrets);
  into.ignored.push(...from.ignored);
  into.problems.push(...from.problems);
}

/**
 * Parses one file's text (multi-document YAML). Duplicates across documents are not checked here
 * (see loadDirectory), since they usually span files.
 */
export function parseManifests(text: string, file: string): LoadResult {
  const result: LoadResult = { objects: [], secrets: [], ignored: [], problems: [], files: [file] };
  const lineCounter = new LineCounter();
  // merge: Kubernetes YAML (go-yaml) honours `<<` merge keys; prettyErrors off keeps messages to
  // one line, the position is added from the LineCounter instead.
  const docs = parseAllDocuments(text, { lineCounter, prettyErrors: false, merge: true });
  const list: Document[] = Array.isArray(docs) ? docs : [];
  const pos = (offset: number): Position => {
    const p = lineCounter.linePos(offset);
    return { line: p.line, column: p.col };
  };
  list.forEach((doc, documentIndex) => {
    if (doc.errors.length > 0) {
      for (const e of doc.errors) {
        result.problems.push({ file, ...pos(e.pos[0]), message: `YAML syntax error: ${e.message}`, severity: 'error' });
      }
      return;
    }
    for (const w of doc.warnings) {
      result.problems.push({ file, ...pos(w.pos[0]), message: `YAML: ${w.message}`, severity: 'warning' });
    }
    const root = doc.contents as YamlNode | null;
    if (root === null || (isScalar(root) && (root.value === null || root.value === undefined))) return; // empty document
    const start = pos(root.range?.[0] ?? doc.range?.[0] ?? 0);
    let value: unknown;
    try {
      value = doc.toJS({ maxAliasCount: 1000 });
    } catch (err) {
      result.problems.push({ file, ...start, message: `YAML: ${(err as Error).message}`, severity: 'error' });
      return;
    }
    const makeSource = (base: PathSegment[], at: Position): SourceInfo => ({
      file,
      documentIndex,
      line: at.line,
      column: at.column,
      locate: (fieldPath) => locateIn(doc, [...base, ...(typeof fieldPath === 'string' ? parsePath(fieldPath) : fieldPath)], pos),
    });
    const docSource = makeSource([], start);
    if (!isPlainObject(value)) {
      result.problems.push({ ...problemAt(docSource), message: 'not a Kubernetes object (the document is not a mapping); ignored', severity: 'warning' });
      result.ignored.push(docSource);
      return;
    }
    // A v1 List (what `kubectl get -o yaml` writes) holds its objects in items.
    if (value.apiVersion === 'v1' && value.kind === 'List' && Array.isArray(value.items)) {
      value.items.forEach((item, i) => {
        const base: PathSegment[] = ['items', i];
        const at = locateIn(doc, base, pos);
        classify(item, makeSource(base, at), result);
      });
      return;
    }
    classify(value, docSource, result);
  });
  return result;
}

function problemAt(s: SourceInfo): { file: string; line: number; column: number } {
  return { file: s.file, line: s.line, column: s.column };
}

/** file, line, column and path of a field, for a Problem. */
function fieldAt(s: SourceInfo, fieldPath: string): { file: string; line: number; column: number; path: string } {
  const { line, column } = s.locate(fieldPath);
  return { file: s.file, line, column, path: fieldPath };
}

/** Sorts one document into objects, secrets or ignored, reporting what is wrong with it. */
function classify(value: unknown, source: SourceInfo, result: LoadResult): void {
  if (!isPlainObject(value)) {
    result.problems.push({ ...problemAt(source), message: 'not a Kubernetes object (not a mapping); ignored', severity: 'warning' });
    result.ignored.push(source);
    return;
  }
  const apiVersion = typeof value.apiVersion === 'string' ? value.apiVersion : undefined;
  const kind = typeof value.kind === 'string' ? value.kind : undefined;
  const meta = isPlainObject(value.metadata) ? value.metadata : undefined;
  const name = meta && typeof meta.name === 'string' ? meta.name : undefined;
  const group = apiVersion?.includes('/') ? apiVersion.slice(0, apiVersion.indexOf('/')) : '';

  if (group === API_GROUP) {
    const at = (p: string) => fieldAt(source, p);
    if (!kind) {
      result.problems.push({ ...at('kind'), message: `an object of ${apiVersion} needs a kind`, severity: 'error' });
      return;
    }
    if (apiVersion !== API_VERSION_STRING) {
      result.problems.push({ ...at('apiVersion'), message: `unsupported apiVersion ${apiVersion}; this version of the controller serves ${API_VERSION_STRING}`, severity: 'error' });
      return;
    }
    if (!isKnownKind(kind)) {
      result.problems.push({ ...at('kind'), message: `unknown kind ${kind} in ${API_VERSION_STRING}`, severity: 'error' });
      return;
    }
    const object = value as unknown as KubeObject;
    const namespace = defaultNamespace(object);
    const managed: ManifestObject = { ...source, object, kind, namespace, name: name ?? '' };
    sources.set(object, source);
    result.objects.push(managed);
    return;
  }

  if (apiVersion === 'v1' && kind === 'Secret') {
    const secret = decodeSecret(value, source, result.problems);
    if (secret) {
      sources.set(secret.object, source);
      result.secrets.push(secret);
    }
    return;
  }

  const what = kind ? `${apiVersion ?? '(no apiVersion)'}/${kind}${name ? ` ${name}` : ''}` : 'a document without apiVersion/kind';
  result.problems.push({ ...problemAt(source), message: `${what} is not managed by this controller; ignored`, severity: 'warning' });
  result.ignored.push({ ...source, apiVersion, kind, name });
}

/** Sets metadata.namespace to `default` when absent (as `kubectl apply` does) and returns it. */
function defaultNamespace(object: KubeObject): string {
  if (!isPlainObject(object.metadata)) return DEFAULT_NAMESPACE;
  const ns = object.metadata.namespace;
  if (typeof ns === 'string' && ns.length > 0) return ns;
  object.metadata.namespace = DEFAULT_NAMESPACE;
  return DEFAULT_NAMESPACE;
}

const BASE64 = /^[A-Za-z0-9+/]*={0,2}$/;

function decodeSecret(value: Record<string, unknown>, source: SourceInfo, problems: Problem[]): SecretObject | undefined {
  const at = (p: string) => fieldAt(source, p);
  const object = value as unknown as KubeObject;
  const meta = isPlainObject(object.metadata) ? object.metadata : undefined;
  if (!meta || typeof meta.name !== 'string' || meta.name.length === 0) {
    problems.push({ ...at('metadata.name'), message: 'a Secret needs metadata.name', severity: 'error' });
    return undefined;
  }
  const data: Record<string, string> = {};
  let ok = true;
  const check = (field: 'data' | 'stringData', decode: (k: string, v: string) => string | undefined) => {
    const block = value[field];
    if (block === undefined || block === null) return;
    if (!isPlainObject(block)) {
      problems.push({ ...at(field), message: `${field} must be a map of key to string`, severity: 'error' });
      ok = false;
      return;
    }
    for (const [k, v] of Object.entries(block)) {
      const p = formatPath([field, k]);
      if (typeof v !== 'string') {
        problems.push({ ...at(p), message: `${field}.${k} must be a string`, severity: 'error' });
        ok = false;
        continue;
      }
      const decoded = decode(k, v);
      if (decoded === undefined) ok = false;
      else data[k] = decoded;
    }
  };
  check('data', (k, v) => {
    const compact = v.replace(/\s+/g, '');
    if (compact.length % 4 !== 0 || !BASE64.test(compact)) {
      problems.push({ ...at(formatPath(['data', k])), message: `data.${k} is not valid base64 (use stringData for plain text)`, severity: 'error' });
      return undefined;
    }
    return Buffer.from(compact, 'base64').toString('utf8');
  });
  // stringData is merged over data, and wins on a shared key (Kubernetes semantics).
  check('stringData', (_k, v) => v);
  if (!ok) return undefined;
  const namespace = defaultNamespace(object);
  return { ...source, object, namespace, name: meta.name, data };
}

/** Reports every kind/namespace/name (and Secret namespace/name) defined twice; the first one is kept. */
function checkDuplicates(result: LoadResult): void {
  const seen = new Map<string, SourceInfo>();
  const keep = <T extends SourceInfo>(items: T[], keyOf: (t: T) => string | undefined, label: (t: T) => string): T[] =>
    items.filter((item) => {
      const key = keyOf(item);
      if (key === undefined) return true;
      const first = seen.get(key);
      if (!first) {
        seen.set(key, item);
        return true;
      }
      const here = fieldAt(item, 'metadata.name');
      const there = fieldAt(first, 'metadata.name');
      result.problems.push({
        ...here,
        message: `duplicate ${label(item)}: defined at ${formatLocation(there)} and again at ${formatLocation(here)}`,
        severity: 'error',
      });
      return false;
    });
  result.objects = keep(
    result.objects,
    (o) => (o.name ? `${o.kind}/${o.namespace}/${o.name}` : undefined),
    (o) => `${o.kind} ${o.namespace}/${o.name}`,
  );
  result.secrets = keep(
    result.secrets,
    (s) => `Secret/${s.namespace}/${s.name}`,
    (s) => `Secret ${s.namespace}/${s.name}`,
  );
}

// ---- Paths ----------------------------------------------------------------------------------------

export type PathSegment = string | number;

/**
 * Parses `spec.termination.cidrAllowedList[0]`, `metadata.annotations["chimevoice.io/external-id"]`
 * and JSON pointers (`/spec/termination/cidrAllowedList/0`, as ajv reports them) into segments.
 */
export function parsePath(p: string): PathSegment[] {
  if (p === '' || p === '/') return [];
  if (p.startsWith('/')) {
    return p
      .slice(1)
      .split('/')
      .map((s) => s.replace(/~1/g, '/').replace(/~0/g, '~'))
      .map((s) => (/^\d+$/.test(s) ? Number(s) : s));
  }
  const out: PathSegment[] = [];
  let i = 0;
  let current = '';
  const flush = () => {
    if (current !== '') out.push(current);
    current = '';
  };
  while (i < p.length) {
    const c = p[i];
    if (c === '.') {
      flush();
      i++;
    } else if (c === '[') {
      flush();
      const close = findClosingBracket(p, i);
      const inner = p.slice(i + 1, close).trim();
      if (/^\d+$/.test(inner)) out.push(Number(inner));
      else if (inner.startsWith('"')) out.push(JSON.parse(inner) as string);
      else if (inner.startsWith("'")) out.push(inner.slice(1, -1));
      else out.push(inner);
      i = close + 1;
    } else {
      current += c;
      i++;
    }
  }
  flush();
  return out;
}

function findClosingBracket(p: string, open: number): number {
  const quote = p[open + 1] === '"' || p[open + 1] === "'" ? p[open + 1] : undefined;
  let i = open + 1;
  if (quote) {
    i++;
    while (i < p.length && p[i] !== quote) i += p[i] === '\\' ? 2 : 1;
    i++;
  }
  const close = p.indexOf(']', i);
  return close === -1 ? p.length : close;
}

/** Formats segments back into the dotted form (`a.b[0]["x.y"]`). */
export function formatPath(segments: PathSegment[]): string {
  let out = '';
  for (const s of segments) {
    if (typeof s === 'number') out += `[${s}]`;
    else if (/^[A-Za-z_$][A-Za-z0-9_$-]*$/.test(s)) out += out === '' ? s : `.${s}`;
    else out += `[${JSON.stringify(s)}]`;
  }
  return out;
}

/**
 * Walks the YAML AST along `segments` and returns the position of the deepest node reached: the key
 * of a map entry (the line a person looks at), or the item of a sequence. A key with dots written
 * unquoted in a dotted path (`tags.team.name`) is found by joining the following segments.
 */
function locateIn(doc: Document, segments: PathSegment[], pos: (offset: number) => Position): FieldPosition {
  let node = resolve(doc, doc.contents as YamlNode | null);
  let best: Position = pos(node?.range?.[0] ?? doc.range?.[0] ?? 0);
  let i = 0;
  while (i < segments.length) {
    if (!node) return { ...best, exact: false };
    if (isMap(node)) {
      let matched: { keyNode: YamlNode | undefined; value: YamlNode | null; used: number } | undefined;
      // Try the plain segment first, then longer joins for keys that contain dots.
      for (let j = i; j < segments.length && !matched; j++) {
        const key = segments.slice(i, j + 1).join('.');
        for (const item of node.items) {
          if (!isPair(item)) continue;
          const k = item.key as YamlNode | null;
          const kv = isScalar(k) ? k.value : k;
          if (kv !== null && kv !== undefined && String(kv) === key) {
            matched = { keyNode: k ?? undefined, value: item.value as YamlNode | null, used: j + 1 - i };
            break;
          }
        }
      }
      if (!matched) return { ...best, exact: false };
      const range = matched.keyNode?.range ?? matched.value?.range;
      if (range) best = pos(range[0]);
      node = resolve(doc, matched.value);
      i += matched.used;
    } else if (isSeq(node)) {
      const seg = segments[i];
      const index = typeof seg === 'number' ? seg : /^\d+$/.test(seg) ? Number(seg) : NaN;
      const item = Number.isInteger(index) ? (node.items[index] as YamlNode | undefined) : undefined;
      if (!item) return { ...best, exact: false };
      const resolved = resolve(doc, item);
      const range = item.range ?? resolved?.range;
      if (range) best = pos(range[0]);
      node = resolved;
      i++;
    } else {
      return { ...best, exact: false };
    }
  }
  return { ...best, exact: true };
}

function resolve(doc: Document, node: YamlNode | null | undefined): YamlNode | undefined {
  let n = node ?? undefined;
  for (let guard = 0; n && isAlias(n) && guard < 100; guard++) n = (n.resolve(doc) as YamlNode | undefined) ?? undefined;
  return n;
}

function isPlainObject(v: unknown): v is Record<string, unknown> {
  return v !== null && typeof v === 'object' && !Array.isArray(v);
}
