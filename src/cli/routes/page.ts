// The routes as a self-contained SVG picture, and as an HTML page (the picture, each number's path
// as text, the outbound side and the findings) that opens offline: no script, font or stylesheet
// from elsewhere. The layout is computed here rather than by Graphviz or Mermaid, which would need
// a binary or a browser at run time: the graph is layered left to right (number → rule, connector or
// group → application or connector → host), which a column per layer and rows from a depth-first
// walk draw without crossings inside one number's path.
import type { RouteComparison } from '../../domain/routes/compare.js';
import type { RouteMap } from '../../domain/routes/model.js';
import { comparisonGraph, routeGraph, type GraphNode, type RouteGraph } from './graph.js';
import { comparisonText, routesText } from './text.js';

// Labels are set in a monospaced font, whose every character is 0.6em wide (DejaVu Sans Mono,
// Menlo, Courier; Consolas 0.55em): a box sized by character count then holds its text in any
// viewer, which proportional fonts of unknown metrics would not promise.
const FONT_SIZE = 11;
const CHAR_WIDTH = FONT_SIZE * 0.62;
const LINE_HEIGHT = 14;
const PAD = 8;
const COLUMN_GAP = 130;
const ROW_GAP = 14;
const CLUSTER_TITLE = 24;

export function escapeXml(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');
}

interface Box {
  node: GraphNode;
  x: number;
  y: number;
  w: number;
  h: number;
}

const COLOURS: Record<GraphNode['kind'], string> = {
  number: '#e8f1fb',
  rule: '#eef7ee',
  application: '#f3eefb',
  lambda: '#fbf6ee',
  group: '#eef5f7',
  connector: '#f2f2f2',
  host: '#ffffff',
  outbound: '#f7f7f7',
};

function layout(graph: RouteGraph): { boxes: Map<string, Box>; width: number; height: number; clusters: Array<{ title: string; y: number; h: number }> } {
  const out = new Map<string, string[]>();
  const incoming = new Map<string, number>();
  for (const e of graph.edges) {
    out.set(e.from, [...(out.get(e.from) ?? []), e.to]);
    incoming.set(e.to, (incoming.get(e.to) ?? 0) + 1);
  }
  const size = (n: GraphNode) => ({ w: Math.ceil(Math.max(...n.lines.map((l) => l.length)) * CHAR_WIDTH + 2 * PAD), h: n.lines.length * LINE_HEIGHT + 2 * PAD });
  // Longest path from a root: every edge goes one column or more to the right.
  const layer = new Map<string, number>();
  const visit = (id: string, depth: number) => {
    if ((layer.get(id) ?? -1) >= depth) return;
    layer.set(id, depth);
    for (const t of out.get(id) ?? []) visit(t, depth + 1);
  };
  for (const n of graph.nodes) if (!incoming.has(n.id)) visit(n.id, 0);
  const columns = Math.max(0, ...layer.values()) + 1;
  const colWidth = Array.from({ length: columns }, (_, c) => Math.max(0, ...graph.nodes.filter((n) => layer.get(n.id) === c).map((n) => size(n).w)));
  const colX = colWidth.map((_, c) => 20 + colWidth.slice(0, c).reduce((a, b) => a + b + COLUMN_GAP, 0));

  const boxes = new Map<string, Box>();
  const groups = graph.clusters.length ? graph.clusters.map((c) => ({ title: c.title, ids: c.nodes })) : [{ title: '', ids: graph.nodes.map((n) => n.id) }];
  const clusters: Array<{ title: string; y: number; h: number }> = [];
  let cursor = 20;
  for (const group of groups) {
    const start = cursor;
    if (group.title) cursor += CLUSTER_TITLE;
    const inGroup = new Set(group.ids);
    const colBottom = new Array<number>(columns).fill(cursor);
    const place = (id: string): Box => {
      const known = boxes.get(id);
      if (known) return known;
      const node = graph.nodes.find((n) => n.id === id)!;
      const { w, h } = size(node);
      const col = layer.get(id) ?? 0;
      // Reserve the box first: a node met again further down this walk is not placed twice.
      const box: Box = { node, x: colX[col], y: 0, w, h };
      boxes.set(id, box);
      const children = (out.get(id) ?? []).filter((t) => inGroup.has(t) && !boxes.has(t)).map(place);
      let y: number;
      if (children.length > 0) y = (children[0].y + children[children.length - 1].y + children[children.length - 1].h) / 2 - h / 2;
      else y = cursor;
      y = Math.max(y, colBottom[col]);
      box.y = y;
      colBottom[col] = y + h + ROW_GAP;
      cursor = Math.max(cursor, y + h + ROW_GAP);
      return box;
    };
    for (const id of group.ids) if (!incoming.has(id)) place(id);
    for (const id of group.ids) place(id);
    clusters.push({ title: group.title, y: start, h: cursor - start });
    cursor += 20;
  }
  const width = Math.max(200, colX[columns - 1] + colWidth[columns - 1] + 20);
  return { boxes, width, height: cursor, clusters };
}

/** The picture alone, self-contained. */
export function routesSvg(graph: RouteGraph): string {
  const { boxes, width, height, clusters } = layout(graph);
  const parts: string[] = [];
  parts.push(
    `<svg xmlns="http://www.w3.org/2000/svg" class="routes" width="${Math.ceil(width)}" height="${Math.ceil(height)}" viewBox="0 0 ${Math.ceil(width)} ${Math.ceil(height)}" font-family="ui-monospace, 'DejaVu Sans Mono', Menlo, Consolas, 'Liberation Mono', monospace" font-size="${FONT_SIZE}">`,
    '<defs><marker id="arrow" viewBox="0 0 10 10" refX="10" refY="5" markerWidth="7" markerHeight="7" orient="auto-start-reverse"><path d="M 0 0 L 10 5 L 0 10 z" fill="#555"/></marker></defs>',
  );
  for (const c of clusters) {
    if (!c.title) continue;
    parts.push(`<g class="cluster"><rect x="8" y="${c.y - 6}" width="${Math.ceil(width) - 16}" height="${c.h}" fill="none" stroke="#bbb" stroke-dasharray="4 3" rx="6"/><text x="16" y="${c.y + 10}" font-weight="bold">${escapeXml(c.title)}</text></g>`);
  }
  for (const e of graph.edges) {
    const a = boxes.get(e.from);
    const b = boxes.get(e.to);
    if (!a || !b) continue;
    const x1 = a.x + a.w;
    const y1 = a.y + a.h / 2;
    const x2 = b.x;
    const y2 = b.y + b.h / 2;
    const mid = (x1 + x2) / 2;
    parts.push(
      `<g class="edge" data-from="${e.from}" data-to="${e.to}"><path d="M ${x1} ${y1} C ${mid} ${y1}, ${mid} ${y2}, ${x2} ${y2}" fill="none" stroke="#555"${e.dashed ? ' stroke-dasharray="5 4"' : ''} marker-end="url(#arrow)"/>` +
        (e.label ? `<text x="${mid}" y="${(y1 + y2) / 2 - 4}" text-anchor="middle" font-size="9" fill="#333">${escapeXml(e.label)}</text>` : '') +
        '</g>',
    );
  }
  for (const box of boxes.values()) {
    const n = box.node;
    const stroke = n.mark === 'broken' ? '#c0392b' : n.mark === 'risky' ? '#b9770e' : n.changed ? '#8e44ad' : '#777';
    const fill = n.mark === 'broken' ? '#fde2e1' : n.mark === 'risky' ? '#fff4d6' : COLOURS[n.kind];
    const lines = n.lines.map((l, i) => `<tspan x="${box.x + PAD}" y="${box.y + PAD + (i + 1) * LINE_HEIGHT - 3}"${i === 0 ? ' font-weight="bold"' : ''}>${escapeXml(l)}</tspan>`).join('');
    parts.push(
      `<g class="node ${n.kind}${n.mark ? ` ${n.mark}` : ''}${n.changed ? ' changed' : ''}" id="${n.id}"><rect x="${box.x}" y="${box.y}" width="${box.w}" height="${box.h}" rx="${n.kind === 'number' ? 12 : 4}" fill="${fill}" stroke="${stroke}" stroke-width="${n.mark || n.changed ? 2 : 1}"/><text>${lines}</text></g>`,
    );
  }
  parts.push('</svg>');
  return `${parts.join('\n')}\n`;
}

const STYLE = `body{font-family:Helvetica,Arial,sans-serif;margin:24px;color:#222}
h1{font-size:20px}h2{font-size:16px;margin-top:28px}
pre{background:#f7f7f7;padding:10px;border-radius:4px;overflow:auto}
.picture{overflow:auto;border:1px solid #ddd;border-radius:4px;padding:4px}
.broken{color:#c0392b}.risky{color:#b9770e}`;

/** A complete HTML page: the picture, then the same routes as text, then what is broken or risky. */
export function routesHtml(input: RouteMap | RouteComparison, title?: string): string {
  const comparison = 'left' in input;
  const graph = comparison ? comparisonGraph(input) : routeGraph(input);
  const heading = title ?? (comparison ? `Routes: ${input.left.source} and ${input.right.source}` : `Routes from ${input.source}`);
  const text = comparison ? comparisonText(input) : routesText(input);
  const findings = comparison
    ? [...input.left.findings.map((f) => ({ ...f, side: input.left.source })), ...input.right.findings.map((f) => ({ ...f, side: input.right.source }))]
    : input.findings.map((f) => ({ ...f, side: '' }));
  const list = findings.length
    ? `<ul class="findings">${findings.map((f) => `<li class="${f.severity}" data-finding="${escapeXml(f.id)}">${f.side ? `${escapeXml(f.side)}: ` : ''}${f.severity}: ${escapeXml(f.message)} <code>${escapeXml(f.id)}</code></li>`).join('')}</ul>`
    : '<p>Nothing broken or risky.</p>';
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<title>${escapeXml(heading)}</title>
<style>${STYLE}</style>
</head>
<body>
<h1>${escapeXml(heading)}</h1>
<div class="picture">
${routesSvg(graph)}</div>
<h2>Broken or risky</h2>
${list}
<h2>As text</h2>
<pre class="routes-text">${escapeXml(text)}</pre>
</body>
</html>
`;
}
