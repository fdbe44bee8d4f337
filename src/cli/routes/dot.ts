// The routes in Graphviz DOT (`routes -o dot | dot -Tsvg`), for those who lay graphs out with Graphviz.
import type { GraphNode, NodeKind, RouteGraph } from './graph.js';

const quote = (text: string) => `"${text.replace(/\\/g, '\\\\').replace(/"/g, '\\"')}"`;

const SHAPES: Record<NodeKind, string> = {
  number: 'shape=box, style="rounded,filled", fillcolor="#e8f1fb"',
  rule: 'shape=hexagon',
  application: 'shape=box, style=rounded',
  lambda: 'shape=cds',
  group: 'shape=box3d',
  connector: 'shape=box',
  host: 'shape=cylinder',
  outbound: 'shape=parallelogram',
};

function nodeLine(n: GraphNode, indent: string): string {
  const attrs = [`label=${quote(n.lines.join('\n'))}`, SHAPES[n.kind]];
  if (n.mark === 'broken') attrs.push('color="#c0392b", fontcolor="#7b241c", penwidth=2');
  if (n.mark === 'risky') attrs.push('color="#b9770e", fontcolor="#7e5109", penwidth=2');
  if (n.changed) attrs.push('peripheries=2');
  return `${indent}${n.id} [${attrs.join(', ')}];`;
}

export function routesDot(graph: RouteGraph): string {
  const out = ['digraph routes {', '  rankdir=LR;', '  node [fontname="Helvetica", fontsize=10];', '  edge [fontname="Helvetica", fontsize=9];'];
  const clustered = new Set(graph.clusters.flatMap((c) => c.nodes));
  graph.clusters.forEach((c, i) => {
    out.push(`  subgraph cluster_${i + 1} {`, `    label=${quote(c.title)};`);
    for (const id of c.nodes) out.push(nodeLine(graph.nodes.find((n) => n.id === id)!, '    '));
    out.push('  }');
  });
  for (const n of graph.nodes) if (!clustered.has(n.id)) out.push(nodeLine(n, '  '));
  for (const e of graph.edges) {
    const attrs = [...(e.label ? [`label=${quote(e.label)}`] : []), ...(e.dashed ? ['style=dashed'] : [])];
    out.push(`  ${e.from} -> ${e.to}${attrs.length ? ` [${attrs.join(', ')}]` : ''};`);
  }
  out.push('}');
  return `${out.join('\n')}\n`;
}
