// Directory mode: read the manifests of a folder (or one file) the way Argo CD or `kubectl apply -f`
// would, keeping for every object where it came from, down to the line of any field, so that every
// problem found later (schema, references, AWS) can be reported as file:line.
import { readdir, readFile, stat } from 'node:fs/promises';
import path from 'node:path';
import { Composer, LineCounter, Lexer, Parser, isAlias, isMap, isPair, isScalar, isSeq, type Document, type Node as YamlNode } from 'yaml';
import { API_GROUP, API_VERSION_STRING, CONFIG_KINDS, KINDS, isKnownKind } from '../api/index.js';
import { suggestion } from '../domain/suggest.js';
import { INPUT_LIMITS, echo } from '../domain/input-limits.js';
import { formatPath, parsePath, type PathSegment } from '../core/paths.js';

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
  spec?: unknown;
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
  /** Keys present but unusable (invalid base64, not a string), with why: a reference to one says so, not "not found". */
  invalid: Record<string, string>;
}

export interface LoadResult {
  objects: ManifestObject[];
  secrets: SecretObject[];
  /** AwsAccount objects: how `--account NAME` reaches an account (docs/accounts.md); not reconciled. */
  accounts: ManifestObject[];
  /** Documents of other kinds, left alone (each also reported as a warning). */
  ignored: Array<SourceInfo & { apiVersion?: string; kind?: string; name?: string }>;
  problems: Problem[];
  /** Files read, in the order read. */
  files: string[];
}

export const DEFAULT_NAMESPACE = 'default';

const YAML_EXTENSIONS = new Set(['.yaml', '.yml']);
const KIND_NAMES = KINDS.map((k) => k.kind);

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

/**
 * Loads every manifest under `target` (a folder or a file). Problems are returned, never thrown.
 * `namespace` is where objects that name none go (`default`, as kubectl apply without -n).
 */
export async function loadDirectory(target: string, { namespace = DEFAULT_NAMESPACE }: { namespace?: string } = {}): Promise<LoadResult> {
  const result: LoadResult = { objects: [], secrets: [], accounts: [], ignored: [], problems: [], files: [] };
  let files: string[];
  try {
    files = await listManifestFiles(target);
  } catch (err) {
    result.problems.push({ file: target, line: 1, message: `cannot read: ${(err as Error).message}`, severity: 'error' });
    return result;
  }
  for (const file of files) {
    let bytes: Buffer;
    try {
      const size = (await stat(file)).size;
      if (size > INPUT_LIMITS.fileBytes) {
        result.problems.push({
          file,
          line: 1,
          message: `the file is ${size} bytes; a manifest file may hold at most ${INPUT_LIMITS.fileBytes} bytes (split it into several files)`,
          severity: 'error',
        });
        continue;
      }
      bytes = await readFile(file);
    } catch (err) {
      result.problems.push({ file, line: 1, message: `cannot read: ${(err as Error).message}`, severity: 'error' });
      continue;
    }
    const decoded = decodeManifest(bytes);
    if (typeof decoded !== 'string') {
      result.problems.push({ file, ...decoded, severity: 'error' });
      continue;
    }
    result.files.push(file);
    mergeInto(result, parseManifests(decoded, file, namespace));
  }
  checkDuplicates(result);
  return result;
}

// Loops rather than push(...spread): a file of many documents would pass more arguments than the stack holds.
function mergeInto(into: LoadResult, from: LoadResult): void {
  for (const o of from.objects) into.objects.push(o);
  for (const s of from.secrets) into.secrets.push(s);
  for (const a of from.accounts) into.accounts.push(a);
  for (const i of from.ignored) into.ignored.push(i);
  for (const p of from.problems) into.problems.push(p);
}

/** 1-based line and column of a byte offset in a buffer. */
function bytePosition(bytes: Buffer, offset: number): Position {
  let line = 1;
  let lineStart = 0;
  for (let i = bytes.indexOf(10); i !== -1 && i < offset; i = bytes.indexOf(10, i + 1)) {
    line++;
    lineStart = i + 1;
  }
  return { line, column: bytes.subarray(lineStart, offset).toString('utf8').length + 1 };
}

/**
 * The text of a manifest file: UTF-8 (a UTF-8 byte order mark is dropped), or UTF-16 when the file
 * starts with its byte order mark. Anything else is refused with where it goes wrong, never
 * decoded into replacement characters that would then be written to AWS.
 */
export function decodeManifest(bytes: Buffer): string | { line: number; column?: number; message: string } {
  const starts = (...b: number[]) => b.every((x, i) => bytes[i] === x);
  if (starts(0xff, 0xfe, 0, 0) || starts(0, 0, 0xfe, 0xff)) {
    return { line: 1, message: 'the file is UTF-32; save it as UTF-8' };
  }
  const utf16 = starts(0xff, 0xfe) ? 'utf-16le' : starts(0xfe, 0xff) ? 'utf-16be' : undefined;
  let text: string;
  if (utf16) {
    try {
      text = new TextDecoder(utf16, { fatal: true }).decode(bytes);
    } catch {
      return { line: 1, message: `the file starts with a ${utf16.toUpperCase()} byte order mark but is not valid ${utf16.toUpperCase()}` };
    }
  } else {
    try {
      text = new TextDecoder('utf-8', { fatal: true }).decode(bytes);
    } catch {
      const offset = firstInvalidUtf8(bytes);
      const at = bytePosition(bytes, offset);
      const shown = [...bytes.subarray(offset, offset + 4)].map((b) => b.toString(16).padStart(2, '0')).join(' ');
      return { ...at, message: `the file is not valid UTF-8: bytes ${shown} at byte offset ${offset} (save the file as UTF-8)` };
    }
  }
  const nul = text.indexOf('\u0000');
  if (nul !== -1) {
    const before = text.slice(0, nul);
    const line = before.split('\n').length;
    return {
      line,
      column: nul - before.lastIndexOf('\n'),
      message: 'the file holds a NUL character: it is binary, or UTF-16 without a byte order mark (save it as UTF-8)',
    };
  }
  return text;
}

/**
 * Byte offset of the first invalid UTF-8 sequence, found with the platform's decoder rather than a
 * hand-written one: the lenient decoder puts U+FFFD where a sequence is invalid, and a U+FFFD that
 * was really in the file (EF BF BD) is skipped.
 */
function firstInvalidUtf8(bytes: Buffer): number {
  const text = bytes.toString('utf8');
  let from = 0;
  for (;;) {
    const i = text.indexOf('\ufffd', from);
    if (i === -1) return bytes.length;
    const offset = Buffer.byteLength(text.slice(0, i), 'utf8');
    if (!(bytes[offset] === 0xef && bytes[offset + 1] === 0xbf && bytes[offset + 2] === 0xbd)) return offset;
    from = i + 1;
  }
}

/** Line and column of a character offset in a text. */
function textPosition(text: string, offset: number): Position {
  const before = text.slice(0, offset);
  const lastNewline = before.lastIndexOf('\n');
  let line = 1;
  for (let i = before.indexOf('\n'); i !== -1; i = before.indexOf('\n', i + 1)) line++;
  return { line, column: offset - lastNewline };
}

const LEXER_MARKERS = new Set(['\u0002', '\u0018', '\u001f']);

/**
 * Where flow collections (`[`, `{`) nest deeper than the limit, found with the YAML lexer, which
 * keeps no stack: the composer recurses per level, and a file of a million `[` would exhaust it.
 */
function flowTooDeep(text: string): number | undefined {
  let depth = 0;
  let offset = 0;
  for (const token of new Lexer().lex(text)) {
    if (token === '[' || token === '{') {
      depth++;
      if (depth > INPUT_LIMITS.nestingDepth) return offset;
    } else if (token === ']' || token === '}') depth = Math.max(0, depth - 1);
    // Control tokens (the lexer's document and scalar markers) are not part of the source.
    if (!LEXER_MARKERS.has(token)) offset += token.length;
  }
  return undefined;
}

/**
 * What is wrong with a document's values, if anything: nesting past the limit, a key or value longer
 * than the limit, or an integer too large to be read exactly (JavaScript numbers hold integers up
 * to 2^53 - 1; a larger one would be rounded, and a rounded value must not reach AWS). Walked with
 * an explicit stack, so depth cannot crash it.
 */
function documentLimitProblem(doc: Document, text: string): { offset: number; message: string } | undefined {
  const stack: Array<{ node: unknown; depth: number }> = [{ node: doc.contents, depth: 0 }];
  while (stack.length > 0) {
    const { node, depth } = stack.pop()!;
    if (isMap(node) || isSeq(node)) {
      if (depth + 1 > INPUT_LIMITS.nestingDepth) {
        return { offset: node.range?.[0] ?? 0, message: `mappings and lists nest more than ${INPUT_LIMITS.nestingDepth} levels deep` };
      }
      for (const item of node.items) {
        if (isPair(item)) {
          stack.push({ node: item.key, depth: depth + 1 });
          stack.push({ node: item.value, depth: depth + 1 });
        } else stack.push({ node: item, depth: depth + 1 });
      }
    } else if (isScalar(node)) {
      const v = node.value;
      const at = node.range?.[0] ?? 0;
      if (typeof v === 'string' && v.length > INPUT_LIMITS.valueLength) {
        return { offset: at, message: `a value of ${v.length} characters; values may be at most ${INPUT_LIMITS.valueLength} characters (${echo(v)})` };
      }
      if (typeof v === 'number' && Number.isInteger(v) && !Number.isSafeInteger(v)) {
        const source = node.range ? text.slice(node.range[0], node.range[1]) : String(v);
        return {
          offset: at,
          message: `the number ${echo(source.trim()).slice(1, -1)} is too large to be read exactly (integers are exact up to ${Number.MAX_SAFE_INTEGER}); it would be rounded, so it is refused`,
        };
      }
    }
  }
  return undefined;
}

/**
 * Parses one file's text (multi-document YAML). Duplicates across documents are not checked here
 * (see loadDirectory), since they usually span files.
 */
export function parseManifests(text: string, file: string, namespace = DEFAULT_NAMESPACE): LoadResult {
  const result: LoadResult = { objects: [], secrets: [], accounts: [], ignored: [], problems: [], files: [file] };
  const refuse = (at: Position, message: string) => result.problems.push({ file, ...at, message, severity: 'error' });
  const deep = flowTooDeep(text);
  if (deep !== undefined) {
    refuse(textPosition(text, deep), `flow collections ([ ] and { }) nest more than ${INPUT_LIMITS.nestingDepth} levels deep; the file is not read`);
    return result;
  }
  const lineCounter = new LineCounter();
  const pos = (offset: number): Position => {
    const p = lineCounter.linePos(offset);
    return { line: p.line, column: p.col };
  };
  // merge: Kubernetes YAML (go-yaml) honours `<<` merge keys; prettyErrors off keeps messages to
  // one line, the position is added from the LineCounter instead. Documents are composed one at a
  // time, so a file of too many stops at the limit instead of building them all.
  const composer = new Composer({ prettyErrors: false, merge: true });
  let documentIndex = 0;
  try {
    for (const doc of composer.compose(new Parser(lineCounter.addNewLine).parse(text))) {
      if (documentIndex >= INPUT_LIMITS.documentsPerFile) {
        refuse(pos((doc.contents as YamlNode | null)?.range?.[0] ?? doc.range?.[0] ?? 0), `more than ${INPUT_LIMITS.documentsPerFile} YAML documents in one file; split it into several files`);
        break;
      }
      parseDocument(doc as Document, documentIndex++, file, text, pos, result, namespace);
    }
  } catch (err) {
    // The last line of defence: the composer recurses per block level. Say so; never crash.
    const why = err instanceof RangeError ? 'it nests too deeply to be read' : `it cannot be read (${echo((err as Error).message)})`;
    refuse({ line: 1, column: 1 }, `YAML: ${why}`);
  }
  return result;
}

function parseDocument(doc: Document, documentIndex: number, file: string, text: string, pos: (offset: number) => Position, result: LoadResult, namespace: string): void {
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
  const limit = documentLimitProblem(doc, text);
  if (limit) {
    result.problems.push({ file, ...pos(limit.offset), message: limit.message, severity: 'error' });
    return;
  }
  let value: unknown;
  try {
    value = doc.toJS({ maxAliasCount: INPUT_LIMITS.aliases });
  } catch (err) {
    const message = /alias/i.test((err as Error).message)
      ? `aliases (*name) expand to more than ${INPUT_LIMITS.aliases} copies in this document; write the values out instead`
      : `YAML: ${echo((err as Error).message)}`;
    result.problems.push({ file, ...start, message, severity: 'error' });
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
  // A v1 List (what `kubectl get -o yaml` writes) holds its objects in items.
  if (isPlainObject(value) && value.apiVersion === 'v1' && value.kind === 'List' && Array.isArray(value.items)) {
    value.items.forEach((item, i) => {
      const base: PathSegment[] = ['items', i];
      const at = locateIn(doc, base, pos);
      classify(item, makeSource(base, at), result, namespace);
    });
    return;
  }
  classify(value, docSource, result, namespace);
}

function problemAt(s: SourceInfo): { file: string; line: number; column: number } {
  return { file: s.file, line: s.line, column: s.column };
}

/** file, line, column and path of a field, for a Problem. */
function fieldAt(s: SourceInfo, fieldPath: string): { file: string; line: number; column: number; path: string } {
  const { line, column } = s.locate(fieldPath);
  return { file: s.file, line, column, path: fieldPath };
}

/** A name from the input as is when it is a plain short word, else quoted and cut (see echo). */
function bare(s: string): string {
  return /^[\w./-]{1,100}$/.test(s) ? s : echo(s);
}

/** What a YAML value is, for a message about a document that is not a mapping. */
function shapeOf(value: unknown): string {
  if (Array.isArray(value)) return 'a list';
  if (value === null) return 'null';
  return `a ${typeof value} (${echo(value)})`;
}

/**
 * Sorts one document into objects, secrets or ignored. A document that cannot be a Kubernetes
 * object (a list, a scalar, no apiVersion or kind) is an error: ignoring it would make the object
 * the author meant silently disappear. An object of another API (a ConfigMap beside the
 * manifests) is left alone, with a warning.
 */
function classify(value: unknown, source: SourceInfo, result: LoadResult, namespace: string): void {
  if (!isPlainObject(value)) {
    result.problems.push({
      ...problemAt(source),
      message: `this document is ${shapeOf(value)}, not a Kubernetes object (a mapping with apiVersion, kind and metadata)`,
      severity: 'error',
    });
    return;
  }
  const apiVersion = typeof value.apiVersion === 'string' ? value.apiVersion : undefined;
  const kind = typeof value.kind === 'string' ? value.kind : undefined;
  const meta = isPlainObject(value.metadata) ? value.metadata : undefined;
  const name = meta && typeof meta.name === 'string' ? meta.name : undefined;
  const group = apiVersion?.includes('/') ? apiVersion.slice(0, apiVersion.indexOf('/')) : '';
  if (!apiVersion || !kind) {
    const missing = [!apiVersion && 'apiVersion', !kind && 'kind'].filter(Boolean).join(' and ');
    const bad = (f: string) => value[f] !== undefined && typeof value[f] !== 'string';
    const what = bad('apiVersion') || bad('kind') ? `${missing} must be a string` : `the document has no ${missing}`;
    result.problems.push({
      ...fieldAt(source, !apiVersion ? 'apiVersion' : 'kind'),
      message: `${what}: every document must be a Kubernetes object (apiVersion: ${API_VERSION_STRING}, kind: VoiceConnector, ...)`,
      severity: 'error',
    });
    return;
  }

  if (group === API_GROUP) {
    const at = (p: string) => fieldAt(source, p);
    if (!kind) {
      result.problems.push({ ...at('kind'), message: `an object of ${apiVersion} needs a kind`, severity: 'error' });
      return;
    }
    if (apiVersion !== API_VERSION_STRING) {
      result.problems.push({ ...at('apiVersion'), message: `unsupported apiVersion ${bare(apiVersion)}; this version of the controller serves ${API_VERSION_STRING}`, severity: 'error' });
      return;
    }
    if (CONFIG_KINDS.some((k) => k.kind === kind)) {
      const object = value as unknown as KubeObject;
      sources.set(object, source);
      result.accounts.push({ ...source, object, kind, namespace: '', name: name ?? '' });
      return;
    }
    if (!isKnownKind(kind)) {
      result.problems.push({ ...at('kind'), message: `unknown kind ${bare(kind)} in ${API_VERSION_STRING}${suggestion(kind, KIND_NAMES)}`, severity: 'error' });
      return;
    }
    const object = value as unknown as KubeObject;
    const objectNamespace = defaultNamespace(object, namespace);
    const managed: ManifestObject = { ...source, object, kind, namespace: objectNamespace, name: name ?? '' };
    sources.set(object, source);
    result.objects.push(managed);
    return;
  }

  if (apiVersion === 'v1' && kind === 'Secret') {
    const secret = decodeSecret(value, source, result.problems, namespace);
    if (secret) {
      sources.set(secret.object, source);
      result.secrets.push(secret);
    }
    return;
  }

  const what = `${bare(apiVersion)}/${bare(kind)}${name ? ` ${bare(name)}` : ''}`;
  // A kustomization is how the folder is built (`kubectl apply -k`, Argo CD), not a resource: nothing to warn about.
  const buildConfiguration = typeof apiVersion === 'string' && apiVersion.startsWith('kustomize.config.k8s.io/');
  if (!buildConfiguration) result.problems.push({ ...problemAt(source), message: `${what} is not managed by this controller; ignored`, severity: 'warning' });
  result.ignored.push({ ...source, apiVersion, kind, name });
}

/** Sets metadata.namespace to `namespace` when absent (as `kubectl apply` does with its -n, else `default`) and returns it. */
function defaultNamespace(object: KubeObject, namespace: string): string {
  if (!isPlainObject(object.metadata)) return namespace;
  const ns = object.metadata.namespace;
  if (typeof ns === 'string' && ns.length > 0) return ns;
  object.metadata.namespace = namespace;
  return namespace;
}

/** Why a Secret's data value is not the standard, padded base64 the API server accepts, or undefined. */
export function base64Problem(value: string): string | undefined {
  const compact = value.replace(/\s+/g, '');
  const bad = /[^A-Za-z0-9+/=\s]/.exec(value);
  if (bad) {
    const what = bad[0] === '-' || bad[0] === '_' ? `"${bad[0]}" (URL-safe base64; use + and /)` : echo(bad[0]);
    return `${what} at character ${bad.index + 1} is not a base64 character`;
  }
  const padding = compact.indexOf('=');
  if (padding !== -1 && !/^={1,2}$/.test(compact.slice(padding))) return `"=" padding at character ${padding + 1} is not at the end`;
  if (compact.length % 4 !== 0) return `its length (${compact.length} characters) is not a multiple of 4: the "=" padding is missing or a character was lost`;
  return undefined;
}

function decodeSecret(value: Record<string, unknown>, source: SourceInfo, problems: Problem[], namespace: string): SecretObject | undefined {
  const at = (p: string) => fieldAt(source, p);
  const object = value as unknown as KubeObject;
  const meta = isPlainObject(object.metadata) ? object.metadata : undefined;
  if (!meta || typeof meta.name !== 'string' || meta.name.length === 0) {
    problems.push({ ...at('metadata.name'), message: 'a Secret needs metadata.name', severity: 'error' });
    return undefined;
  }
  const data: Record<string, string> = {};
  // A key that is present but unusable is kept here, so a reference to it says what is wrong rather than "not found".
  const invalid: Record<string, string> = {};
  const check = (field: 'data' | 'stringData', decode: (k: string, v: string) => string | undefined) => {
    const block = value[field];
    if (block === undefined || block === null) return;
    if (!isPlainObject(block)) {
      problems.push({ ...at(field), message: `${field} must be a map of key to string`, severity: 'error' });
      return;
    }
    for (const [k, v] of Object.entries(block)) {
      const p = formatPath([field, k]);
      if (typeof v !== 'string') {
        const why = `${field}.${k} must be a string (got ${shapeOf(v)})`;
        problems.push({ ...at(p), message: why, severity: 'error' });
        invalid[k] = why;
        continue;
      }
      const decoded = decode(k, v);
      if (decoded !== undefined) {
        data[k] = decoded;
        delete invalid[k];
      }
    }
  };
  check('data', (k, v) => {
    const why = base64Problem(v);
    if (why) {
      const message = `data.${k} is not valid base64: ${why} (put plain text under stringData instead)`;
      problems.push({ ...at(formatPath(['data', k])), message, severity: 'error' });
      invalid[k] = message;
      return undefined;
    }
    const bytes = Buffer.from(v.replace(/\s+/g, ''), 'base64');
    try {
      return new TextDecoder('utf-8', { fatal: true }).decode(bytes);
    } catch {
      const message = `data.${k} decodes to bytes that are not UTF-8 text; a password must be text`;
      problems.push({ ...at(formatPath(['data', k])), message, severity: 'error' });
      invalid[k] = message;
      return undefined;
    }
  });
  // stringData is merged over data, and wins on a shared key (Kubernetes semantics).
  check('stringData', (_k, v) => v);
  const objectNamespace = defaultNamespace(object, namespace);
  return { ...source, object, namespace: objectNamespace, name: meta.name, data, invalid };
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

export { formatPath, parsePath, type PathSegment } from '../core/paths.js';

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
