/**
 * The routing picture, as telephony engineers reason about it: who answers a call to each number
 * (number → SIP rule → SIP media applications in failover order; number → Voice Connector or group
 * → connectors by priority → origination hosts), what each connector lets out (termination), and
 * what is broken or risky on the way. Pure: it reads a RouteInventory, which the manifests
 * (from-objects.ts), AWS (read-aws.ts) or the cluster build, and knows nothing of where it came from.
 */

/** A number as a source knows it: AWS always knows the E.164; a manifest that orders knows only its object. */
export interface NumberInput {
  e164?: string;
  /** `namespace/name` of the PhoneNumber object (manifests, cluster; in AWS read from the ownership marker). */
  object?: string;
  /** The descriptive name (without the ownership marker). */
  name?: string;
  productType?: string;
  /** What a number not yet in the inventory is, for people: `to be ordered: US, WA, 206`. */
  pending?: string;
  /** The AWS status when not Assigned/Unassigned (AcquireInProgress, DeleteInProgress...). */
  awsStatus?: string;
  /** Where a VoiceConnector number is assigned; `key` is the connector's or group's route key. */
  assignment?: { kind: 'VoiceConnector' | 'VoiceConnectorGroup'; key: string };
}

export interface OriginationHost {
  host: string;
  port?: number;
  protocol?: string;
  priority: number;
  weight: number;
}

export interface ConnectorInput {
  /** Route key: the AWS name (manifests and AWS agree on it), else the id. */
  key: string;
  id?: string;
  region?: string;
  requireEncryption?: boolean;
  /** Undefined: the source does not say (a manifest leaving origination unmanaged). */
  origination?: { disabled: boolean; hosts: OriginationHost[] };
  termination?: {
    disabled: boolean;
    cidrAllowedList: string[];
    callingRegions: string[];
    cpsLimit?: number;
    defaultPhoneNumber?: string;
    /** User names only: a password never appears in the picture. */
    credentials: string[];
  };
  /** A manifest that leaves termination out does not manage it: not the same as none in AWS. */
  terminationUnmanaged?: boolean;
  /** Emergency calling: where emergency calls are routed (DNIS). */
  emergency?: Array<{ emergencyPhoneNumber: string; testPhoneNumber?: string; callingCountry: string }>;
}

export interface GroupInput {
  key: string;
  id?: string;
  /** `external`: named by an AWS id the source does not hold (a manifest's resource not managed here): unknown, not missing. */
  members: Array<{ key: string; priority: number; external?: boolean }>;
}

export interface ApplicationInput {
  key: string;
  id?: string;
  region?: string;
  lambdaArns: string[];
}

export interface RuleInput {
  key: string;
  id?: string;
  disabled: boolean;
  trigger: { type: 'ToPhoneNumber'; e164?: string; numberObject?: string } | { type: 'RequestUriHostname'; hostname: string };
  /** `external` as for group members. */
  targets: Array<{ key: string; priority: number; region?: string; external?: boolean }>;
}

/** Everything one source says about routing. */
export interface RouteInventory {
  /** manifests, aws or cluster: where the picture comes from, for headings. */
  source: string;
  numbers: NumberInput[];
  connectors: ConnectorInput[];
  groups: GroupInput[];
  applications: ApplicationInput[];
  rules: RuleInput[];
}

// ---- the picture -----------------------------------------------------------------------------------

export interface ApplicationHop {
  /** The rule's priority for it: 1 answers first, the next on failure. */
  priority: number;
  key: string;
  id?: string;
  /** The region the rule names, else the application's own. */
  region?: string;
  lambdaArns: string[];
  /** The rule names an application the source does not hold. */
  missing: boolean;
  /** Named by id, outside what the source holds (a manifest's application not managed here): nothing is known of it. */
  external?: boolean;
}

export interface RuleHop {
  key: string;
  id?: string;
  disabled: boolean;
  trigger: string;
  applications: ApplicationHop[];
}

export interface ConnectorHop {
  /** Its priority within a group; undefined when the number is assigned to the connector directly. */
  priority?: number;
  key: string;
  id?: string;
  region?: string;
  missing: boolean;
  /** As ApplicationHop's. */
  external?: boolean;
  /** Undefined when the source does not say (origination unmanaged in a manifest). */
  originationDisabled?: boolean;
  hosts: OriginationHost[];
}

export type InboundPath =
  | { type: 'none' }
  | { type: 'rules'; rules: RuleHop[] }
  | { type: 'connector'; connector: ConnectorHop }
  | { type: 'group'; group: { key: string; id?: string; missing: boolean }; connectors: ConnectorHop[] };

/** A number's route: what its source knew of it (NumberInput's identity members), and its inbound path. */
export interface NumberRoute extends Pick<NumberInput, 'e164' | 'object' | 'name' | 'productType' | 'pending' | 'awsStatus'> {
  /** The E.164 when known, else the PhoneNumber object `namespace/name`. */
  id: string;
  inbound: InboundPath;
}

export interface ConnectorOutbound {
  key: string;
  id?: string;
  region?: string;
  requireEncryption?: boolean;
  termination?: ConnectorInput['termination'];
  terminationUnmanaged?: boolean;
  emergency?: ConnectorInput['emergency'];
}

export type Severity = 'broken' | 'risky';

/** What is broken (calls fail) or risky (calls work until one thing fails). */
export interface Finding {
  /** Stable: `<code>:<subject>`, the same on every run for the same problem. */
  id: string;
  code: FindingCode;
  severity: Severity;
  /** The number, connector, group or rule it is about, as shown in the picture. */
  subject: string;
  message: string;
}

export type FindingCode =
  | 'number-unrouted'
  | 'number-missing-target'
  | 'rule-disabled'
  | 'rule-application-missing'
  | 'rule-failover-same-region'
  | 'rule-no-failover'
  | 'connector-origination-disabled'
  | 'connector-no-origination'
  | 'group-missing-connector'
  | 'group-single-region'
  | 'group-empty'
  | 'termination-disabled';

export const FINDING_SEVERITY: Record<FindingCode, Severity> = {
  'number-unrouted': 'broken',
  'number-missing-target': 'broken',
  'rule-disabled': 'broken',
  'rule-application-missing': 'broken',
  'rule-failover-same-region': 'risky',
  'rule-no-failover': 'risky',
  'connector-origination-disabled': 'broken',
  'connector-no-origination': 'broken',
  'group-missing-connector': 'broken',
  'group-single-region': 'risky',
  'group-empty': 'broken',
  'termination-disabled': 'risky',
};

export interface RouteMap {
  source: string;
  /** By E.164, then by object; numbers not yet ordered last. */
  numbers: NumberRoute[];
  /** Rules triggered by a host name (RequestUriHostname): calls placed through a connector's host name. */
  hostnameRules: RuleHop[];
  /** Every connector's outbound side, by key. */
  connectors: ConnectorOutbound[];
  findings: Finding[];
}

const byPriority = <T extends { priority?: number; key?: string }>(a: T, b: T) => (a.priority ?? 0) - (b.priority ?? 0) || (a.key ?? '').localeCompare(b.key ?? '');

/** The route map of one source's inventory. */
export function buildRoutes(inv: RouteInventory): RouteMap {
  const connectors = new Map(inv.connectors.map((c) => [c.key, c]));
  const groups = new Map(inv.groups.map((g) => [g.key, g]));
  const applications = new Map(inv.applications.map((a) => [a.key, a]));
  const findings = new Map<string, Finding>();
  const find = (code: FindingCode, subject: string, message: string) => {
    const id = `${code}:${subject}`;
    if (!findings.has(id)) findings.set(id, { id, code, severity: FINDING_SEVERITY[code], subject, message });
  };

  const connectorHop = (key: string, priority?: number, external = false): ConnectorHop => {
    const c = connectors.get(key);
    if (!c) return { ...(priority !== undefined ? { priority } : {}), key, missing: !external, ...(external ? { external } : {}), hosts: [] };
    if (c.origination?.disabled) find('connector-origination-disabled', c.key, `Voice Connector ${c.key} has origination disabled: inbound calls to its numbers reach no SIP host`);
    else if (c.origination && c.origination.hosts.length === 0) find('connector-no-origination', c.key, `Voice Connector ${c.key} has no origination routes: inbound calls reach no SIP host`);
    return {
      ...(priority !== undefined ? { priority } : {}),
      key: c.key,
      ...(c.id ? { id: c.id } : {}),
      ...(c.region ? { region: c.region } : {}),
      missing: false,
      ...(c.origination ? { originationDisabled: c.origination.disabled } : {}),
      hosts: [...(c.origination?.hosts ?? [])].sort((a, b) => a.priority - b.priority || b.weight - a.weight || a.host.localeCompare(b.host)),
    };
  };

  const ruleHop = (r: RuleInput): RuleHop => {
    const apps = r.targets
      .map((t): ApplicationHop => {
        const a = applications.get(t.key);
        const region = t.region ?? a?.region;
        const external = a === undefined && t.external === true;
        return { priority: t.priority, key: t.key, ...(a?.id ? { id: a.id } : {}), ...(region ? { region } : {}), lambdaArns: a?.lambdaArns ?? [], missing: a === undefined && !external, ...(external ? { external } : {}) };
      })
      .sort(byPriority);
    if (r.disabled) find('rule-disabled', r.key, `SIP rule ${r.key} is disabled: calls it would route are not answered`);
    for (const app of apps.filter((a) => a.missing)) {
      find('rule-application-missing', `${r.key}/${app.key}`, `SIP rule ${r.key} routes to SIP media application ${app.key}, which does not exist`);
    }
    const regions = apps.map((a) => a.region).filter((x): x is string => x !== undefined);
    if (apps.length > 1 && new Set(regions).size < regions.length) {
      find('rule-failover-same-region', r.key, `SIP rule ${r.key} fails over within one region (${[...new Set(regions)].join(', ')}): a regional outage takes every target down`);
    } else if (apps.length === 1) {
      find('rule-no-failover', r.key, `SIP rule ${r.key} has one target application (${apps[0].key}${apps[0].region ? ` in ${apps[0].region}` : ''}): no failover to another region`);
    }
    return {
      key: r.key,
      ...(r.id ? { id: r.id } : {}),
      disabled: r.disabled,
      trigger: r.trigger.type === 'ToPhoneNumber' ? `ToPhoneNumber ${r.trigger.e164 ?? r.trigger.numberObject ?? '?'}` : `RequestUriHostname ${r.trigger.hostname}`,
      applications: apps,
    };
  };

  const numbers = inv.numbers.map((n): NumberRoute => {
    const id = n.e164 ?? n.object ?? '?';
    const base = {
      id,
      ...(n.e164 ? { e164: n.e164 } : {}),
      ...(n.object ? { object: n.object } : {}),
      ...(n.name ? { name: n.name } : {}),
      ...(n.productType ? { productType: n.productType } : {}),
      ...(n.pending ? { pending: n.pending } : {}),
      ...(n.awsStatus ? { awsStatus: n.awsStatus } : {}),
    };
    const rules = inv.rules
      .filter((r) => r.trigger.type === 'ToPhoneNumber' && ((n.e164 !== undefined && r.trigger.e164 === n.e164) || (n.object !== undefined && r.trigger.numberObject === n.object)))
      .sort((a, b) => a.key.localeCompare(b.key));
    if (rules.length > 0) return { ...base, inbound: { type: 'rules', rules: rules.map(ruleHop) } };
    const a = n.assignment;
    if (a?.kind === 'VoiceConnector') {
      const hop = connectorHop(a.key);
      if (hop.missing) find('number-missing-target', id, `${id} is assigned to Voice Connector ${a.key}, which does not exist`);
      return { ...base, inbound: { type: 'connector', connector: hop } };
    }
    if (a?.kind === 'VoiceConnectorGroup') {
      const g = groups.get(a.key);
      if (!g) {
        find('number-missing-target', id, `${id} is assigned to Voice Connector group ${a.key}, which does not exist`);
        return { ...base, inbound: { type: 'group', group: { key: a.key, missing: true }, connectors: [] } };
      }
      return { ...base, inbound: { type: 'group', group: { key: g.key, ...(g.id ? { id: g.id } : {}), missing: false }, connectors: groupHops(g) } };
    }
    find('number-unrouted', id, `${id} is assigned to no Voice Connector or group and triggers no SIP rule: calls to it are not answered`);
    return { ...base, inbound: { type: 'none' } };
  });

  function groupHops(g: GroupInput): ConnectorHop[] {
    return [...g.members].sort(byPriority).map((m) => connectorHop(m.key, m.priority, m.external === true));
  }
  // Every group is checked, used by a number or not: a group is a failover plan on its own.
  for (const g of inv.groups) {
    const hops = groupHops(g);
    if (hops.length === 0) find('group-empty', g.key, `Voice Connector group ${g.key} has no connectors: calls to its numbers are not answered`);
    for (const h of hops.filter((x) => x.missing)) find('group-missing-connector', `${g.key}/${h.key}`, `Voice Connector group ${g.key} lists Voice Connector ${h.key}, which does not exist`);
    const regions = new Set(hops.filter((h) => !h.missing && h.region).map((h) => h.region));
    if (hops.length > 0 && regions.size === 1) {
      find('group-single-region', g.key, `Voice Connector group ${g.key} has every connector in ${[...regions][0]}: no failover to another region`);
    }
  }
  // A connector's own outbound and inbound sides, whatever number uses it.
  for (const c of inv.connectors) connectorHop(c.key);
  for (const c of inv.connectors) {
    if (c.termination?.disabled) find('termination-disabled', c.key, `Voice Connector ${c.key} has termination disabled: outbound calls through it are refused`);
  }
  const hostnameRules = inv.rules.filter((r) => r.trigger.type === 'RequestUriHostname').sort((a, b) => a.key.localeCompare(b.key)).map(ruleHop);
  // Rules on numbers the source does not hold are still checked (their applications may be missing).
  for (const r of inv.rules) ruleHop(r);

  const numberOrder = (a: NumberRoute, b: NumberRoute) =>
    (a.e164 === undefined ? 1 : 0) - (b.e164 === undefined ? 1 : 0) || a.id.localeCompare(b.id);
  return {
    source: inv.source,
    numbers: numbers.sort(numberOrder),
    hostnameRules,
    connectors: inv.connectors
      .map((c) => ({
        key: c.key,
        ...(c.id ? { id: c.id } : {}),
        ...(c.region ? { region: c.region } : {}),
        ...(c.requireEncryption !== undefined ? { requireEncryption: c.requireEncryption } : {}),
        ...(c.termination ? { termination: c.termination } : {}),
        ...(c.terminationUnmanaged ? { terminationUnmanaged: true } : {}),
        ...(c.emergency ? { emergency: c.emergency } : {}),
      }))
      .sort((a, b) => a.key.localeCompare(b.key)),
    findings: [...findings.values()].sort((a, b) => (a.severity === b.severity ? 0 : a.severity === 'broken' ? -1 : 1) || a.id.localeCompare(b.id)),
  };
}

/** The findings about one number's path: its own and those of what it goes through. */
export function findingsOnPath(map: RouteMap, route: NumberRoute): Finding[] {
  const subjects = new Set<string>([route.id]);
  const addConnector = (c: ConnectorHop) => subjects.add(c.key);
  const inbound = route.inbound;
  if (inbound.type === 'rules') {
    for (const r of inbound.rules) {
      subjects.add(r.key);
      for (const a of r.applications) subjects.add(`${r.key}/${a.key}`);
    }
  } else if (inbound.type === 'connector') addConnector(inbound.connector);
  else if (inbound.type === 'group') {
    subjects.add(inbound.group.key);
    for (const c of inbound.connectors) {
      addConnector(c);
      subjects.add(`${inbound.group.key}/${c.key}`);
    }
  }
  // Outbound-only findings (termination) are not about who answers the number.
  return map.findings.filter((f) => subjects.has(f.subject) && f.code !== 'termination-disabled');
}

const hostLabel = (h: OriginationHost) => `${h.host}${h.port !== undefined ? `:${h.port}` : ''}`;

/**
 * One line for a number's inbound path, as PhoneNumber's `status.route` and its Route printer
 * column show it: `SipRule/ivr-main-number → ivr-east (us-east-1), ivr-west (us-west-2)`.
 */
export function routeSummary(route: NumberRoute, map?: RouteMap): string {
  const inbound = route.inbound;
  let line: string;
  const connectorText = (c: ConnectorHop) =>
    c.missing ? `${c.key} (missing)` : c.originationDisabled ? `${c.key} (origination disabled)` : `${c.key}${c.region ? ` (${c.region})` : ''}${c.hosts.length ? ` → ${c.hosts.map(hostLabel).join(', ')}` : ''}`;
  switch (inbound.type) {
    case 'none':
      line = 'no route: assigned to nothing';
      break;
    case 'rules':
      line = inbound.rules
        .map((r) => `SipRule/${r.key}${r.disabled ? ' (disabled)' : ''} → ${r.applications.map((a) => `${a.key}${a.missing ? ' (missing)' : a.region ? ` (${a.region})` : ''}`).join(', ')}`)
        .join('; ');
      break;
    case 'connector':
      line = `VoiceConnector/${connectorText(inbound.connector)}`;
      break;
    case 'group':
      line = inbound.group.missing
        ? `VoiceConnectorGroup/${inbound.group.key} (missing)`
        : `VoiceConnectorGroup/${inbound.group.key} → ${inbound.connectors.map((c) => `${c.priority}. ${connectorText(c)}`).join(', ')}`;
      break;
  }
  const found = map ? findingsOnPath(map, route) : [];
  const broken = found.filter((f) => f.severity === 'broken').length;
  const risky = found.length - broken;
  const tail = [broken ? `${broken} broken` : '', risky ? `${risky} risky` : ''].filter(Boolean).join(', ');
  return tail ? `${line} [${tail}]` : line;
}

/** The number a `--number` argument means: an E.164 (spaces, dashes and dots ignored), or an object name. */
export function findNumber(map: RouteMap, query: string): NumberRoute | undefined {
  const digits = query.replace(/[\s().-]/g, '');
  return (
    map.numbers.find((n) => n.e164 !== undefined && n.e164 === digits) ??
    map.numbers.find((n) => n.e164 !== undefined && digits.length > 0 && n.e164.replace(/^\+/, '') === digits.replace(/^\+/, '')) ??
    map.numbers.find((n) => n.object === query || (n.object !== undefined && n.object.endsWith(`/${query}`)))
  );
}

/** Keeps one number (and what its path goes through) in a map: `routes --number`. */
export function onlyNumber(map: RouteMap, route: NumberRoute): RouteMap {
  const keys = new Set<string>();
  if (route.inbound.type === 'connector') keys.add(route.inbound.connector.key);
  if (route.inbound.type === 'group') for (const c of route.inbound.connectors) keys.add(c.key);
  const findings = findingsOnPath(map, route);
  return { source: map.source, numbers: [route], hostnameRules: [], connectors: map.connectors.filter((c) => keys.has(c.key)), findings };
}
