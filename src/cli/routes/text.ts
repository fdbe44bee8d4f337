// The routes as a text tree for the terminal: each number's inbound path, each connector's
// outbound side, then what is broken or risky. With two sources, one block per number: the same
// path once, a different one from each side, marked.
import type { RouteComparison } from '../../domain/routes/compare.js';
import type { ConnectorHop, ConnectorOutbound, Finding, NumberRoute, OriginationHost, RouteMap } from '../../domain/routes/model.js';
import type { Colour } from '../output.js';

type Paint = (colour: Colour, text: string) => string;
const plain: Paint = (_c, t) => t;

export interface TreeNode {
  label: string;
  children: TreeNode[];
  /** broken: calls fail here; risky: they work until one more thing fails. */
  mark?: 'broken' | 'risky';
}

const node = (label: string, children: TreeNode[] = [], mark?: TreeNode['mark']): TreeNode => ({ label, children, ...(mark ? { mark } : {}) });

export function hostLabel(h: OriginationHost): string {
  return `${h.host}${h.port !== undefined ? `:${h.port}` : ''}${h.protocol ? ` ${h.protocol}` : ''}  priority ${h.priority}, weight ${h.weight}`;
}

export function numberHeading(route: NumberRoute): string {
  const parts = [route.e164 ?? route.object ?? route.id];
  if (route.name) parts.push(route.name);
  const notes = [route.e164 && route.object ? route.object : undefined, route.pending, route.awsStatus ? `AWS status ${route.awsStatus}` : undefined].filter(Boolean);
  return `${parts.join('  ')}${notes.length ? `  (${notes.join('; ')})` : ''}`;
}

function connectorNode(c: ConnectorHop, showIds: boolean): TreeNode {
  const head = `${c.priority !== undefined ? `${c.priority}. ` : ''}Voice Connector ${c.key}${c.region ? `  ${c.region}` : ''}${showIds && c.id ? `  [${c.id}]` : ''}`;
  if (c.missing) return node(`${head}  MISSING`, [], 'broken');
  if (c.external) return node(`${head}  (by id, not managed here)`);
  if (c.originationDisabled) return node(`${head}  origination DISABLED`, [], 'broken');
  if (c.originationDisabled === undefined) return node(`${head}  (origination not managed here)`);
  if (c.hosts.length === 0) return node(`${head}  no origination routes`, [], 'broken');
  return node(head, c.hosts.map((h) => node(hostLabel(h))));
}

/** One number's inbound path as a tree. */
export function numberTree(route: NumberRoute, showIds = true): TreeNode {
  const inbound = route.inbound;
  switch (inbound.type) {
    case 'none':
      return node(numberHeading(route), [node('assigned to nothing: calls are not answered', [], 'broken')]);
    case 'rules':
      return node(
        numberHeading(route),
        inbound.rules.map((r) =>
          node(
            `SIP rule ${r.key}${showIds && r.id ? `  [${r.id}]` : ''}${r.disabled ? '  DISABLED' : ''}`,
            r.applications.map((a) =>
              node(
                `${a.priority}. SIP media application ${a.key}${a.region ? `  ${a.region}` : ''}${showIds && a.id ? `  [${a.id}]` : ''}${a.missing ? '  MISSING' : a.external ? '  (by id, not managed here)' : ''}`,
                a.lambdaArns.map((arn) => node(`Lambda ${arn}`)),
                a.missing ? 'broken' : undefined,
              ),
            ),
            r.disabled ? 'broken' : undefined,
          ),
        ),
      );
    case 'connector':
      return node(numberHeading(route), [connectorNode(inbound.connector, showIds)]);
    case 'group':
      return node(numberHeading(route), [
        inbound.group.missing
          ? node(`Voice Connector group ${inbound.group.key}  MISSING`, [], 'broken')
          : node(
              `Voice Connector group ${inbound.group.key}${showIds && inbound.group.id ? `  [${inbound.group.id}]` : ''}`,
              inbound.connectors.length ? inbound.connectors.map((c) => connectorNode(c, showIds)) : [node('no connectors', [], 'broken')],
            ),
      ]);
  }
}

export function outboundTree(c: ConnectorOutbound, showIds = true): TreeNode {
  const head = `Voice Connector ${c.key}${c.region ? `  ${c.region}` : ''}${c.requireEncryption ? '  encrypted' : ''}${showIds && c.id ? `  [${c.id}]` : ''}`;
  const t = c.termination;
  const children: TreeNode[] = [];
  if (!t) children.push(node(c.terminationUnmanaged ? 'termination not managed here' : 'termination not configured: no outbound calls'));
  else if (t.disabled) children.push(node('termination DISABLED: no outbound calls', [], 'risky'));
  else {
    children.push(node(`allowed from ${t.cidrAllowedList.length ? t.cidrAllowedList.join(', ') : 'no CIDR (credentials only)'}`));
    children.push(node(`calling regions ${t.callingRegions.length ? t.callingRegions.join(', ') : 'none'}`));
    children.push(node(`${t.cpsLimit ?? 1} calls per second${t.cpsLimit === undefined ? ' (AWS default)' : ''}`));
    if (t.defaultPhoneNumber) children.push(node(`default caller id ${t.defaultPhoneNumber}`));
    children.push(node(`credentials ${t.credentials.length ? t.credentials.join(', ') : 'none'}`));
  }
  for (const e of c.emergency ?? []) children.push(node(`emergency calls → ${e.emergencyPhoneNumber}${e.testPhoneNumber ? ` (test ${e.testPhoneNumber})` : ''}, ${e.callingCountry}`));
  return node(head, children);
}

function drawTree(root: TreeNode, paint: Paint, prefix = '', lines: string[] = []): string[] {
  const label = (n: TreeNode) => (n.mark === 'broken' ? paint('red', n.label) : n.mark === 'risky' ? paint('yellow', n.label) : n.label);
  lines.push(`${prefix}${label(root)}`);
  const walk = (n: TreeNode, indent: string) => {
    n.children.forEach((child, i) => {
      const last = i === n.children.length - 1;
      lines.push(`${indent}${last ? '└─ ' : '├─ '}${label(child)}`);
      walk(child, `${indent}${last ? '   ' : '│  '}`);
    });
  };
  walk(root, prefix);
  return lines;
}

export function findingLine(f: Finding, paint: Paint = plain): string {
  return f.severity === 'broken' ? paint('red', `✗ broken  ${f.message}  (${f.id})`) : paint('yellow', `! risky   ${f.message}  (${f.id})`);
}

function findingsBlock(map: RouteMap, paint: Paint): string[] {
  if (map.findings.length === 0) return [paint('green', 'Nothing broken or risky.')];
  return ['Broken or risky:', ...map.findings.map((f) => `  ${findingLine(f, paint)}`)];
}

export function routesText(map: RouteMap, options: { paint?: Paint; heading?: string } = {}): string {
  const paint = options.paint ?? plain;
  const out: string[] = [paint('bold', options.heading ?? `Routes from ${map.source}`), ''];
  if (map.numbers.length === 0) out.push('No phone numbers.', '');
  for (const n of map.numbers) out.push(...drawTree(numberTree(n), paint), '');
  if (map.hostnameRules.length) {
    out.push(paint('bold', 'Calls by host name'), '');
    for (const r of map.hostnameRules) {
      out.push(...drawTree(node(`${r.trigger}`, numberTree({ id: r.key, inbound: { type: 'rules', rules: [r] } }).children), paint), '');
    }
  }
  if (map.connectors.length) {
    out.push(paint('bold', 'Outbound (termination)'), '');
    for (const c of map.connectors) out.push(...drawTree(outboundTree(c), paint), '');
  }
  out.push(...findingsBlock(map, paint));
  return `${out.join('\n')}\n`;
}

/** Two sources side by side: equal paths once, different ones from each side. */
export function comparisonText(cmp: RouteComparison, options: { paint?: Paint } = {}): string {
  const paint = options.paint ?? plain;
  const l = cmp.left.source;
  const r = cmp.right.source;
  const differing = cmp.numbers.filter((p) => !p.same).length + cmp.connectors.filter((c) => !c.same).length;
  const out: string[] = [paint('bold', `Routes: ${l} and ${r}`), differing ? paint('yellow', `${differing} differ (marked ≠)`) : paint('green', 'the same in both'), ''];
  for (const p of cmp.numbers) {
    if (p.same && p.left) {
      // The same path: shown once, from the side that knows the E.164.
      out.push(...drawTree(numberTree(p.left.e164 === undefined && p.right ? p.right : p.left, false), paint, '  '), '');
      continue;
    }
    out.push(paint('yellow', `≠ ${p.id}`));
    for (const [side, route] of [
      [l, p.left],
      [r, p.right],
    ] as const) {
      if (route) out.push(...drawTree(node(`${side}:`, [numberTree(route, false)]), paint, '    '));
      else out.push(`    ${side}: ${paint('red', 'not there')}`);
    }
    out.push('');
  }
  if (cmp.connectors.length) out.push(paint('bold', 'Outbound (termination)'), '');
  for (const c of cmp.connectors) {
    if (c.same && c.left) {
      out.push(...drawTree(outboundTree(c.left, false), paint, '  '), '');
      continue;
    }
    out.push(paint('yellow', `≠ Voice Connector ${c.key}`));
    for (const [side, conn] of [
      [l, c.left],
      [r, c.right],
    ] as const) {
      if (conn) out.push(...drawTree(node(`${side}:`, outboundTree(conn, false).children), paint, '    '));
      else out.push(`    ${side}: ${paint('red', 'not there')}`);
    }
    out.push('');
  }
  for (const [side, map] of [
    [l, cmp.left],
    [r, cmp.right],
  ] as const) {
    out.push(paint('bold', `In ${side}:`), ...findingsBlock(map, paint).map((x) => `  ${x}`), '');
  }
  return `${out.join('\n').trimEnd()}\n`;
}
