// The values table of docs/helm.md, from the chart's values.schema.json (the one description of
// each value, which also refuses unknown and wrong ones).
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { replaceMarked } from '../marked.js';
import { CHART_DIR } from './render.js';

interface SchemaNode {
  type?: string | string[];
  description?: string;
  default?: unknown;
  enum?: unknown[];
  properties?: Record<string, SchemaNode>;
  items?: SchemaNode;
  additionalProperties?: boolean | SchemaNode;
  $ref?: string;
  pattern?: string;
  minimum?: number;
  maximum?: number;
}

function resolveRef(root: SchemaNode & { definitions?: Record<string, SchemaNode> }, node: SchemaNode): SchemaNode {
  if (!node.$ref) return node;
  const name = node.$ref.replace('#/definitions/', '');
  const target = root.definitions?.[name];
  if (!target) throw new Error(`values.schema.json: unknown $ref ${node.$ref}`);
  // The node's own description and default win over the definition's.
  return { ...resolveRef(root, target), ...Object.fromEntries(Object.entries(node).filter(([k]) => k !== '$ref')) };
}

function typeOf(root: SchemaNode, n: SchemaNode): string {
  if (n.enum) return n.enum.map((v) => `\`${JSON.stringify(v).replace(/"/g, '')}\``).join(', ');
  const t = Array.isArray(n.type) ? n.type.join(' or ') : (n.type ?? 'any');
  const items = n.items && resolveRef(root, n.items);
  if (t === 'array' && items?.type) return `array of ${items.type}`;
  if (t === 'object' && n.additionalProperties && typeof n.additionalProperties === 'object') return `map of ${n.additionalProperties.type}`;
  return t;
}

const cell = (s: string) => s.replace(/\|/g, '\\|').replace(/\n/g, ' ');

/** Rows for every leaf value (objects with fixed properties are walked; maps and lists are leaves). */
export function valueRows(schema: SchemaNode & { definitions?: Record<string, SchemaNode> }): string[] {
  const rows: string[] = [];
  const walk = (prefix: string, node: SchemaNode) => {
    for (const [key, raw] of Object.entries(node.properties ?? {})) {
      const n = resolveRef(schema, raw);
      const path = prefix ? `${prefix}.${key}` : key;
      const isGroup = n.type === 'object' && n.properties && n.additionalProperties === false && !('default' in n);
      if (isGroup) {
        walk(path, n);
        continue;
      }
      const def = n.default === undefined ? '' : `\`${JSON.stringify(n.default)}\``;
      rows.push(`| \`${path}\` | ${cell(typeOf(schema, n))} | ${cell(def)} | ${cell(n.description ?? '')} |`);
    }
  };
  walk('', schema);
  return rows;
}

export function helmDocFile(root: string): { file: string; content: string } {
  const schema = JSON.parse(readFileSync(join(root, CHART_DIR, 'values.schema.json'), 'utf8'));
  const body = ['| value | type | default | what it does |', '| --- | --- | --- | --- |', ...valueRows(schema), ''].join('\n');
  return { file: 'helm.md', content: replaceMarked(join(root, 'docs/helm.md'), 'values', body) };
}
