// The routes as a Mermaid flowchart, for pull requests (GitHub renders ```mermaid blocks) and
// `plan -o markdown`. Broken nodes are red, risky ones amber, numbers whose path differs between
// two sources outlined.
import type { GraphNode, NodeKind, RouteGraph } from './graph.js';

/** Mermaid's entity codes: a quote, angle brackets or # inside a label would end or break it. */
function escape(text: string): string {
  return text.replace(/#/g, '#35;').replace(/"/g, '#quot;').replace(/</g, '#lt;').replace(/>/g, '#gt;');
}

const SHAPES: Record<NodeKind, [string, string]> = {
  number: ['(["', '"])'],
  rule: ['{{"', '"}}'],
  application: ['("', '")'],
  lambda: ['>"', '"]'],
  group: ['[["', '"]]'],
  connector: ['["', '"]'],
  host: ['[("', '")]'],
  outbound: ['[/"', '"/]'],
};

function nodeLine(n: GraphNode, indent: string): string {
  const [open, close] = SHAPES[n.kind];
  return `${indent}${n.id}${open}${n.lines.map(escape).join('<br/>')}${close}`;
}

export function routesMermaid(graph: RouteGraph): string {
  const out = ['flowchart LR'];
  const clustered = new Set(graph.clusters.flatMap((c) => c.nodes));
  graph.clusters.forEach((c, i) => {
    out.push(`  subgraph s${i + 1}["${escape(c.title)}"]`);
    for (const id of c.nodes) out.push(nodeLine(graph.nodes.find((n) => n.id === id)!, '    '));
    out.push('  end');
  });
  for (const n of graph.nodes) if (!clustered.has(n.id)) out.push(nodeLine(n, '  '));
  for (const e of graph.edges) {
    const arrow = e.dashed ? '-.->' : '-->';
    out.push(`  ${e.from} ${arrow}${e.label ? `|"${escape(e.label)}"|` : ''} ${e.to}`);
  }
  const of = (pred: (n: GraphNode) => boolean) => graph.nodes.filter(pred).map((n) => n.id);
  const classes: Array<[string, string, string[]]> = [
    ['broken', 'fill:#fde2e1,stroke:#c0392b,color:#7b241c', of((n) => n.mark === 'broken')],
    ['risky', 'fill:#fff4d6,stroke:#b9770e,color:#7e5109', of((n) => n.mark === 'risky')],
    ['changed', 'stroke:#8e44ad,stroke-width:3px', of((n) => n.changed === true)],
  ];
  for (const [name, style, ids] of classes) {
    if (ids.length === 0) continue;
    out.push(`  classDef ${name} ${style}`, `  class ${ids.join(',')} ${name}`);
  }
  return `${out.join('\n')}\n`;
}
