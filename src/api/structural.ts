// A checker for Kubernetes structural schemas (the rules apiextensions.k8s.io/v1 enforces, plus our
// own: every field described, every CEL rule paired with a TS twin and pointing at a real field).
import { celCheckFor } from './schema.js';

const FORBIDDEN = ['$ref', 'const', 'anyOf', 'oneOf', 'allOf', 'not', 'patternProperties', 'dependencies', 'definitions', '$id', '$schema'];

/** Problems of a CRD openAPIV3Schema, as `path: problem` strings; [] when structural. */
export function structuralProblems(schema: Record<string, unknown>, opts: { requireDescriptions?: boolean } = {}): string[] {
  const problems: string[] = [];
  walk(schema, '', problems, opts.requireDescriptions ?? true, true);
  return problems;
}

/** A schema node as the CRD carries it: the members this check descends through, the rest unknown. */
interface SchemaNode {
  properties?: Record<string, SchemaNode>;
  items?: SchemaNode | SchemaNode[];
  additionalProperties?: boolean | SchemaNode;
  required?: string[];
  [member: string]: unknown;
}

function walk(node: SchemaNode, path: string, problems: string[], describe: boolean, isRoot = false): void {
  const at = path || '<root>';
  const free = node['x-kubernetes-preserve-unknown-fields'] === true || node['x-kubernetes-int-or-string'] === true;
  if (!free && (typeof node.type !== 'string' || node.type === '')) problems.push(`${at}: no type`);
  if (describe && !isRoot && typeof node.description !== 'string') problems.push(`${at}: no description`);
  for (const k of FORBIDDEN) if (k in node) problems.push(`${at}: "${k}" is not allowed in a structural schema`);
  if (node.additionalProperties === false) problems.push(`${at}: additionalProperties: false is not allowed`);
  if (node.uniqueItems === true) problems.push(`${at}: uniqueItems: true is not allowed`);
  if (node.properties && node.additionalProperties !== undefined) problems.push(`${at}: properties and additionalProperties are mutually exclusive`);
  if (node.type === 'array' && (!node.items || Array.isArray(node.items))) problems.push(`${at}: an array needs one items schema`);
  if (node.type !== 'object' && (node.properties || node.additionalProperties)) problems.push(`${at}: properties on a non-object`);
  for (const k of Object.keys(node)) if (typeof k !== 'string' || k.startsWith('x-chimevoice')) problems.push(`${at}: internal key ${k}`);
  if (node.required) {
    for (const r of node.required as string[]) if (!node.properties?.[r]) problems.push(`${at}: required "${r}" is not a property`);
  }
  if (node['x-kubernetes-list-map-keys']) {
    if (node['x-kubernetes-list-type'] !== 'map') problems.push(`${at}: list-map-keys without list-type map`);
    for (const key of node['x-kubernetes-list-map-keys'] as string[]) {
      const item = (Array.isArray(node.items) ? undefined : node.items) ?? {};
      const prop = item.properties?.[key];
      if (!prop) problems.push(`${at}: map key "${key}" is not an item property`);
      else if (!(item.required ?? []).includes(key) && prop.default === undefined) problems.push(`${at}: map key "${key}" must be required or defaulted`);
    }
  }
  if (node['x-kubernetes-list-type'] === 'set' && node.items && (Array.isArray(node.items) || !['string', 'integer', 'number', 'boolean'].includes(String(node.items.type)))) {
    problems.push(`${at}: a set list needs scalar items`);
  }
  for (const v of (node['x-kubernetes-validations'] ?? []) as { rule: string; message: string; fieldPath?: string }[]) {
    if (!v.rule || !v.message) problems.push(`${at}: CEL rule without rule or message`);
    if (!celCheckFor(v.rule)) problems.push(`${at}: CEL rule without a TS twin: ${v.rule}`);
    if (v.fieldPath) {
      let cur: SchemaNode | undefined = node;
      for (const seg of v.fieldPath.split('.').filter(Boolean)) cur = cur?.properties?.[seg];
      if (!cur) problems.push(`${at}: CEL fieldPath ${v.fieldPath} names no field`);
    }
  }
  if (node.properties) for (const [k, v] of Object.entries(node.properties)) walk(v, path ? `${path}.${k}` : k, problems, describe && !(isRoot && k === 'metadata'));
  if (node.items && !Array.isArray(node.items)) walk(node.items, `${path}[]`, problems, describe);
  if (node.additionalProperties && typeof node.additionalProperties === 'object') walk(node.additionalProperties, `${path}{}`, problems, false);
}
