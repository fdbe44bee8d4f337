// The routes as a graph (nodes, edges, one cluster per source), which the Mermaid, DOT and SVG
// renderers draw. Node ids are given in the order met, so that a picture is the same on every run.
import type { RouteComparison } from '../../domain/routes/compare.js';
import type { ConnectorHop, ConnectorOutbound, NumberRoute, RouteMap } from '../../domain/routes/model.js';

export type NodeKind = 'number' | 'rule' | 'application' | 'lambda' | 'group' | 'connector' | 'host' | 'outbound';

export interface GraphNode {
  id: string;
  kind: NodeKind;
  /** Lines of the label; the first is the name. */
  lines: string[];
  mark?: 'broken' | 'risky';
  /** A number whose path differs between the two sources. */
  changed?: boolean;
}

export interface GraphEdge {
  from: string;
  to: string;
  label?: string;
  /** The outbound side, drawn dashed. */
  dashed?: boolean;
}

export interface GraphCluster {
  title: string;
  nodes: string[];
}

export interface RouteGraph {
  nodes: GraphNode[];
  edges: GraphEdge[];
  clusters: GraphCluster[];
}

const hostText = (h: { host: string; port?: number; protocol?: string }) => `${h.host}${h.port !== undefined ? `:${h.port}` : ''}${h.protocol ? ` ${h.protocol}` : ''}`;

/** `Lambda us-east-1` over `ivr-call-flow:live`: the function and its region, without the account. */
function lambdaLines(arn: string): string[] {
  const m = /^arn:aws[a-z-]*:lambda:([^:]+):\d+:function:(.+)$/.exec(arn);
  return m ? [`Lambda ${m[1]}`, m[2]] : ['Lambda', arn];
}

class Builder {
  readonly graph: RouteGraph = { nodes: [], edges: [], clusters: [] };
  private readonly ids = new Map<string, string>();
  private readonly edgeKeys = new Set<string>();

  node(semantic: string, kind: NodeKind, lines: string[], mark?: GraphNode['mark']): string {
    let id = this.ids.get(semantic);
    if (id === undefined) {
      id = `n${this.ids.size + 1}`;
      this.ids.set(semantic, id);
      this.graph.nodes.push({ id, kind, lines, ...(mark ? { mark } : {}) });
    } else if (mark) {
      const n = this.graph.nodes.find((x) => x.id === id)!;
      if (n.mark !== 'broken') n.mark = mark;
    }
    return id;
  }

  edge(from: string, to: string, label?: string, dashed?: boolean) {
    const key = `${from}>${to}>${label ?? ''}`;
    if (this.edgeKeys.has(key)) return;
    this.edgeKeys.add(key);
    this.graph.edges.push({ from, to, ...(label ? { label } : {}), ...(dashed ? { dashed } : {}) });
  }
}

function addMap(b: Builder, map: RouteMap, prefix: string, changed: ReadonlySet<string>): string[] {
  const before = b.graph.nodes.length;
  const marks = new Map<string, 'broken' | 'risky'>();
  for (const f of map.findings) if (marks.get(f.subject) !== 'broken') marks.set(f.subject, f.severity);
  const p = (s: string) => `${prefix}${s}`;

  const connector = (c: ConnectorHop): string => {
    const lines = [`Voice Connector ${c.key}`, ...(c.region ? [c.region] : [])];
    if (c.missing) lines.push('MISSING');
    else if (c.external) lines.push('by id, not managed here');
    else if (c.originationDisabled) lines.push('origination disabled');
    const id = b.node(p(`vc:${c.key}`), 'connector', lines, c.missing ? 'broken' : marks.get(c.key));
    for (const h of c.hosts) b.edge(id, b.node(p(`host:${c.key}:${h.host}:${h.port ?? ''}`), 'host', [hostText(h)]), `priority ${h.priority}, weight ${h.weight}`);
    return id;
  };

  for (const n of map.numbers) {
    const lines = [n.e164 ?? n.object ?? n.id, ...(n.name ? [n.name] : []), ...(n.pending ? [n.pending] : []), ...(n.awsStatus ? [`AWS status ${n.awsStatus}`] : [])];
    const num = b.node(p(`pn:${n.id}`), 'number', lines, marks.get(n.id));
    if (changed.has(n.id)) b.graph.nodes.find((x) => x.id === num)!.changed = true;
    addInbound(n, num);
  }
  function addInbound(n: NumberRoute, num: string) {
    const inbound = n.inbound;
    if (inbound.type === 'rules') {
      for (const r of inbound.rules) {
        const rule = b.node(p(`rule:${r.key}`), 'rule', [`SIP rule ${r.key}`, ...(r.disabled ? ['DISABLED'] : [])], marks.get(r.key));
        b.edge(num, rule);
        for (const a of r.applications) {
          const app = b.node(
            p(`sma:${a.key}`),
            'application',
            [`SIP media application ${a.key}`, ...(a.region ? [a.region] : []), ...(a.missing ? ['MISSING'] : a.external ? ['by id, not managed here'] : [])],
            a.missing ? 'broken' : marks.get(`${r.key}/${a.key}`),
          );
          b.edge(rule, app, `${a.priority}${a.priority === 1 ? ' (first)' : ' (failover)'}${a.region ? ` ${a.region}` : ''}`);
          for (const arn of a.lambdaArns) b.edge(app, b.node(p(`lambda:${arn}`), 'lambda', lambdaLines(arn)));
        }
      }
    } else if (inbound.type === 'connector') {
      b.edge(num, connector(inbound.connector));
    } else if (inbound.type === 'group') {
      const g = b.node(p(`group:${inbound.group.key}`), 'group', [`Voice Connector group ${inbound.group.key}`, ...(inbound.group.missing ? ['MISSING'] : [])], inbound.group.missing ? 'broken' : marks.get(inbound.group.key));
      b.edge(num, g);
      for (const c of inbound.connectors) b.edge(g, connector(c), `priority ${c.priority}`);
    }
  }
  // Calls placed to a host name (RequestUriHostname rules) start at the host name, not a number.
  for (const r of map.hostnameRules) {
    const host = b.node(p(`uri:${r.trigger}`), 'number', [r.trigger.replace(/^RequestUriHostname /, 'calls to '), 'RequestUriHostname']);
    addInbound({ id: r.key, inbound: { type: 'rules', rules: [r] } }, host);
  }
  for (const c of map.connectors) addOutbound(b, c, p, marks);
  return b.graph.nodes.slice(before).map((n) => n.id);
}

function addOutbound(b: Builder, c: ConnectorOutbound, p: (s: string) => string, marks: Map<string, 'broken' | 'risky'>) {
  const t = c.termination;
  if (!t) return;
  const lines = t.disabled
    ? ['termination disabled']
    : [
        `calls to ${t.callingRegions.join(', ') || 'no country'}`,
        `${t.cpsLimit ?? 1} calls per second`,
        ...(t.cidrAllowedList.length ? [`from ${t.cidrAllowedList.join(', ')}`] : []),
        ...(t.credentials.length ? [`users ${t.credentials.join(', ')}`] : []),
        ...(c.emergency ?? []).map((e) => `emergency → ${e.emergencyPhoneNumber}`),
      ];
  const vc = b.node(p(`vc:${c.key}`), 'connector', [`Voice Connector ${c.key}`, ...(c.region ? [c.region] : [])], marks.get(c.key));
  b.edge(vc, b.node(p(`out:${c.key}`), 'outbound', ['Outbound (PSTN)', ...lines], t.disabled ? 'risky' : undefined), 'outbound', true);
}

export function routeGraph(map: RouteMap): RouteGraph {
  const b = new Builder();
  addMap(b, map, '', new Set());
  return b.graph;
}

/** Both sources, each in its cluster; numbers whose path differs are marked changed on both sides. */
export function comparisonGraph(cmp: RouteComparison): RouteGraph {
  const b = new Builder();
  const leftChanged = new Set(cmp.numbers.filter((x) => !x.same && x.left).map((x) => x.left!.id));
  const rightChanged = new Set(cmp.numbers.filter((x) => !x.same && x.right).map((x) => x.right!.id));
  b.graph.clusters.push({ title: cmp.left.source, nodes: addMap(b, cmp.left, 'L:', leftChanged) });
  b.graph.clusters.push({ title: cmp.right.source, nodes: addMap(b, cmp.right, 'R:', rightChanged) });
  return b.graph;
}
