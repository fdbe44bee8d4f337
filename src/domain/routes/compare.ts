/**
 * Two pictures of the same numbers side by side (manifests and AWS, before and after a plan): which
 * numbers match, and whether their paths do. Paths are compared as the lines people read, without
 * AWS ids (a manifest does not know them), so only a difference that changes a call path shows.
 */
import type { ConnectorOutbound, NumberRoute, RouteMap } from './model.js';

export interface NumberPair {
  /** The E.164 when either side knows it, else the object. */
  id: string;
  left?: NumberRoute;
  right?: NumberRoute;
  same: boolean;
}

export interface ConnectorPair {
  key: string;
  left?: ConnectorOutbound;
  right?: ConnectorOutbound;
  same: boolean;
}

export interface RouteComparison {
  left: RouteMap;
  right: RouteMap;
  numbers: NumberPair[];
  connectors: ConnectorPair[];
}

/** A number route without what only one source knows (ids, pending order text, AWS status). */
export function pathSignature(route: NumberRoute | undefined, unmanagedOrigination: ReadonlySet<string> = new Set(), externalIds: ReadonlySet<string> = new Set()): string {
  if (!route) return '';
  // A hop one side knows only by its AWS id (a manifest naming a resource not managed here) is
  // compared by that id alone on both sides: that side knows nothing else of it.
  const externalName = (h: { key: string; id?: string; external?: boolean }) => (h.external ? h.key : h.id !== undefined && externalIds.has(h.id) ? h.id : undefined);
  const inbound = route.inbound;
  const hosts = (h: { host: string; port?: number; protocol?: string; priority: number; weight: number }) => `${h.host}:${h.port ?? ''}/${h.protocol ?? ''}/${h.priority}/${h.weight}`;
  // A hop one side knows only by id (external) says nothing of its region or hosts: not compared.
  const connector = (c: { key: string; id?: string; priority?: number; region?: string; missing: boolean; external?: boolean; originationDisabled?: boolean; hosts: Parameters<typeof hosts>[0][] }) =>
    externalName(c) !== undefined
      ? `${c.priority ?? ''}:${externalName(c)}`
      : `${c.priority ?? ''}:${c.key}@${c.region ?? ''}${c.missing ? '!missing' : ''}${unmanagedOrigination.has(c.key) ? '' : `${c.originationDisabled ? '!off' : ''}[${c.hosts.map(hosts).join(',')}]`}`;
  switch (inbound.type) {
    case 'none':
      return 'none';
    case 'rules':
      return inbound.rules.map((r) => `rule:${r.key}${r.disabled ? '!off' : ''}[${r.applications.map((a) => (externalName(a) !== undefined ? `${a.priority}:${externalName(a)}` : `${a.priority}:${a.key}@${a.region ?? ''}${a.missing ? '!missing' : ''}`)).join(',')}]`).join(';');
    case 'connector':
      return `vc:${connector(inbound.connector)}`;
    case 'group':
      return `group:${inbound.group.key}${inbound.group.missing ? '!missing' : ''}[${inbound.connectors.map(connector).join(',')}]`;
  }
}

function outboundSignature(c: ConnectorOutbound | undefined, terminationUnmanaged: boolean): string {
  if (!c) return '';
  const t = terminationUnmanaged ? undefined : c.termination;
  return JSON.stringify([
    c.region ?? '',
    t ? [t.disabled, [...t.cidrAllowedList].sort(), [...t.callingRegions].sort(), t.cpsLimit ?? null, t.defaultPhoneNumber ?? null, [...t.credentials].sort()] : null,
    (c.emergency ?? []).map((e) => [e.emergencyPhoneNumber, e.testPhoneNumber ?? null, e.callingCountry]),
  ]);
}

/** The AWS ids a side names without holding the resource (external hops). */
function externalIdsOf(map: RouteMap, into: Set<string>): void {
  const rules = [...map.hostnameRules, ...map.numbers.flatMap((n) => (n.inbound.type === 'rules' ? n.inbound.rules : []))];
  for (const r of rules) for (const a of r.applications) if (a.external) into.add(a.key);
  for (const n of map.numbers) if (n.inbound.type === 'group') for (const c of n.inbound.connectors) if (c.external) into.add(c.key);
}

/** Connectors whose origination a side leaves unmanaged (a manifest without `origination`): their hosts are not compared. */
function unmanagedOriginationOf(map: RouteMap, into: Set<string>): void {
  for (const n of map.numbers) {
    const hops = n.inbound.type === 'connector' ? [n.inbound.connector] : n.inbound.type === 'group' ? n.inbound.connectors : [];
    for (const h of hops) if (!h.missing && h.originationDisabled === undefined) into.add(h.key);
  }
}

export function compareRoutes(left: RouteMap, right: RouteMap): RouteComparison {
  const unmanaged = new Set<string>();
  unmanagedOriginationOf(left, unmanaged);
  unmanagedOriginationOf(right, unmanaged);
  const external = new Set<string>();
  externalIdsOf(left, external);
  externalIdsOf(right, external);
  const pairs: NumberPair[] = [];
  const unmatched = [...right.numbers];
  const take = (pred: (n: NumberRoute) => boolean) => {
    const i = unmatched.findIndex(pred);
    return i < 0 ? undefined : unmatched.splice(i, 1)[0];
  };
  for (const l of left.numbers) {
    // The E.164 first; a number one side has not ordered yet is matched by its object (the AWS name's marker).
    const r = (l.e164 ? take((n) => n.e164 === l.e164) : undefined) ?? (l.object ? take((n) => n.object === l.object) : undefined);
    pairs.push({ id: l.e164 ?? r?.e164 ?? l.id, left: l, ...(r ? { right: r } : {}), same: r !== undefined && pathSignature(l, unmanaged, external) === pathSignature(r, unmanaged, external) });
  }
  for (const r of unmatched) pairs.push({ id: r.id, right: r, same: false });

  const keys = [...new Set([...left.connectors.map((c) => c.key), ...right.connectors.map((c) => c.key)])].sort();
  const connectors = keys.map((key) => {
    const l = left.connectors.find((c) => c.key === key);
    const r = right.connectors.find((c) => c.key === key);
    const skip = l?.terminationUnmanaged === true || r?.terminationUnmanaged === true;
    return { key, ...(l ? { left: l } : {}), ...(r ? { right: r } : {}), same: l !== undefined && r !== undefined && outboundSignature(l, skip) === outboundSignature(r, skip) };
  });
  return { left, right, numbers: pairs, connectors };
}
