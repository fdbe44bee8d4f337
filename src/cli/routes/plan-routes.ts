// `plan -o markdown`: the routes a change touches, before (AWS now) and after (the manifests
// applied). Pure rendering; the plan command reads AWS and the manifests.
import type { RouteComparison } from '../../domain/routes/compare.js';
import { routeSummary, type NumberRoute, type RouteMap } from '../../domain/routes/model.js';
import { routeGraph } from './graph.js';
import { routesMermaid } from './mermaid.js';

const cell = (s: string) => s.replace(/\|/g, '\\|');

/**
 * The numbers of the manifests whose path apply changes (a new number included), and the
 * connectors whose outbound side it changes. Numbers only AWS holds are not the folder's to change.
 */
export function touchedRoutes(cmp: RouteComparison): { numbers: Array<{ id: string; before?: NumberRoute; after: NumberRoute }>; connectors: string[] } {
  return {
    numbers: cmp.numbers.filter((p) => !p.same && p.right !== undefined).map((p) => ({ id: p.id, ...(p.left ? { before: p.left } : {}), after: p.right! })),
    // A manifest that leaves termination out changes nothing outbound.
    connectors: cmp.connectors.filter((c) => !c.same && c.right !== undefined && c.right.terminationUnmanaged !== true).map((c) => c.key),
  };
}

function only(map: RouteMap, numbers: NumberRoute[], connectors: string[]): RouteMap {
  const keep = new Set(numbers);
  const ids = new Set(numbers.map((n) => n.id));
  return {
    ...map,
    numbers: map.numbers.filter((n) => keep.has(n)),
    hostnameRules: [],
    connectors: map.connectors.filter((c) => connectors.includes(c.key)),
    findings: map.findings.filter((f) => ids.has(f.subject)),
  };
}

/** Markdown lines: a table of the touched numbers' paths, then a Mermaid picture before and after. */
export function planRoutesMarkdown(cmp: RouteComparison): string[] {
  const touched = touchedRoutes(cmp);
  if (touched.numbers.length === 0 && touched.connectors.length === 0) return ['#### Routes', '', 'No call path changes.', ''];
  const out = ['#### Routes this change touches', ''];
  if (touched.numbers.length > 0) {
    out.push('| Number | Before | After |', '| --- | --- | --- |');
    for (const t of touched.numbers) {
      const e164 = t.after.e164 ?? t.before?.e164;
      const label = e164 ? `\`${e164}\`${t.after.object ? ` (${t.after.object})` : ''}` : `\`${t.after.object ?? t.id}\` (to be ordered)`;
      out.push(`| ${label} | ${t.before ? cell(routeSummary(t.before, cmp.left)) : '_not in AWS_'} | ${cell(routeSummary(t.after, cmp.right))} |`);
    }
    out.push('');
  }
  if (touched.connectors.length > 0) out.push(`Outbound side changed: ${touched.connectors.map((c) => `\`${c}\``).join(', ')}.`, '');
  const before = only(cmp.left, touched.numbers.flatMap((t) => (t.before ? [t.before] : [])), touched.connectors);
  const after = only(cmp.right, touched.numbers.map((t) => t.after), touched.connectors);
  if (before.numbers.length === 0 && before.connectors.length === 0) out.push('Before (AWS now): none of these routes exists yet.', '');
  else out.push('Before (AWS now):', '', '```mermaid', routesMermaid(routeGraph(before)).trimEnd(), '```', '');
  out.push('After apply:', '', '```mermaid', routesMermaid(routeGraph(after)).trimEnd(), '```', '');
  return out;
}
