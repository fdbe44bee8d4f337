/**
 * Routes inside the controller: a PhoneNumber's one-line route (`status.route`) from the objects
 * on its path, and which numbers a change to a SIP rule, application, connector or group reaches,
 * so that their route is brought up to date at once rather than at their next resync. Pure: the
 * objects come through a lookup (the controller's informer caches).
 */
import { inventoryOfObjects } from './from-objects.js';
import { buildRoutes, routeSummary } from './model.js';

/** An object as the caches hold it: kind, identity, spec and status. */
export interface PathObject {
  kind: string;
  metadata: { name: string; namespace?: string };
  spec?: PathSpec;
  status?: { atProvider?: PathAtProvider };
}

/**
 * A cached object as the path sees it. The caches hold objects the API server admitted against the
 * CRDs' schemas, which give these members the shapes PathSpec names; only those members are read.
 */
export function asPathObject(o: { kind: string; metadata: { name: string; namespace?: string }; spec?: object; status?: object }): PathObject {
  return o as PathObject;
}

interface Ref {
  name: string;
}

/** The spec members of the kinds on a call path that the path follows (each kind has some of them). */
export interface PathSpec {
  e164?: string;
  trigger?: { type?: string; e164?: string; phoneNumberRef?: Ref };
  targetApplications?: Array<{ sipMediaApplicationRef?: Ref; sipMediaApplicationId?: string }>;
  assignment?: { voiceConnectorRef?: Ref; voiceConnectorGroupRef?: Ref };
  voiceConnectors?: Array<{ voiceConnectorRef?: Ref; voiceConnectorId?: string }>;
}

/** The ids status records, by which a member given by AWS id is found. */
export interface PathAtProvider {
  e164?: string;
  sipMediaApplicationId?: string;
  voiceConnectorId?: string;
  voiceConnectorGroupId?: string;
  [member: string]: unknown;
}

export interface PathLookup {
  get(kind: string, namespace: string, name: string): PathObject | undefined;
  list(kind: string, namespace: string): PathObject[];
}

const ns = (o: PathObject) => o.metadata.namespace ?? 'default';
const e164Of = (n: PathObject): string | undefined => n.spec?.e164 ?? n.status?.atProvider?.e164;

/** Whether a SIP rule is triggered by this number (by reference, or by its E.164). */
function triggers(rule: PathObject, number: PathObject): boolean {
  const t = rule.spec?.trigger;
  if (t?.type !== 'ToPhoneNumber') return false;
  if (t.phoneNumberRef?.name === number.metadata.name) return true;
  const e164 = e164Of(number);
  return e164 !== undefined && t.e164 === e164;
}

/** The objects a number's path goes through, the number included. */
export function pathObjects(number: PathObject, lookup: PathLookup): PathObject[] {
  const namespace = ns(number);
  const out: PathObject[] = [number];
  const add = (o: PathObject | undefined) => {
    if (o && !out.includes(o)) out.push(o);
  };
  for (const rule of lookup.list('SipRule', namespace).filter((r) => triggers(r, number))) {
    add(rule);
    for (const t of rule.spec?.targetApplications ?? []) {
      if (t.sipMediaApplicationRef) add(lookup.get('SipMediaApplication', namespace, t.sipMediaApplicationRef.name));
      // A target given by id is found by the id its object's status holds.
      else if (t.sipMediaApplicationId) add(lookup.list('SipMediaApplication', namespace).find((a) => a.status?.atProvider?.sipMediaApplicationId === t.sipMediaApplicationId));
    }
  }
  const a = number.spec?.assignment;
  if (a?.voiceConnectorRef) add(lookup.get('VoiceConnector', namespace, a.voiceConnectorRef.name));
  if (a?.voiceConnectorGroupRef) {
    const group = lookup.get('VoiceConnectorGroup', namespace, a.voiceConnectorGroupRef.name);
    add(group);
    for (const m of group?.spec?.voiceConnectors ?? []) {
      if (m.voiceConnectorRef) add(lookup.get('VoiceConnector', namespace, m.voiceConnectorRef.name));
      else if (m.voiceConnectorId) add(lookup.list('VoiceConnector', namespace).find((c) => c.status?.atProvider?.voiceConnectorId === m.voiceConnectorId));
    }
  }
  return out;
}

/** The number's `status.route`: its inbound path in one line, with what is broken or risky on it. */
export function numberRouteLine(number: PathObject, lookup: PathLookup): string {
  const map = buildRoutes(inventoryOfObjects('cluster', pathObjects(number, lookup)));
  const object = `${ns(number)}/${number.metadata.name}`;
  const route = map.numbers.find((n) => n.object === object);
  const line = route ? routeSummary(route, map) : 'no route';
  // The status field's limit (the schema's maxLength): a route of many hosts is cut, and says so.
  return line.length > 1024 ? `${line.slice(0, 1020)} ...` : line;
}

/**
 * The PhoneNumbers (`namespace/name`) whose path goes through `changed`: the numbers a SIP rule
 * triggers, those of the rules using an application, those assigned to a connector or group,
 * directly or through a group holding the connector.
 */
export function numbersOnPathOf(changed: PathObject, lookup: PathLookup): string[] {
  const namespace = ns(changed);
  const numbers = () => lookup.list('PhoneNumber', namespace);
  const key = (n: PathObject) => `${ns(n)}/${n.metadata.name}`;
  const ofRule = (rule: PathObject) => numbers().filter((n) => triggers(rule, n));
  const assignedTo = (field: 'voiceConnectorRef' | 'voiceConnectorGroupRef', name: string) => numbers().filter((n) => n.spec?.assignment?.[field]?.name === name);
  const id = (field: string) => changed.status?.atProvider?.[field] as string | undefined;
  let found: PathObject[] = [];
  switch (changed.kind) {
    case 'SipRule':
      found = ofRule(changed);
      break;
    case 'SipMediaApplication': {
      const appId = id('sipMediaApplicationId');
      const uses = (t: NonNullable<PathSpec['targetApplications']>[number]) => t.sipMediaApplicationRef?.name === changed.metadata.name || (appId !== undefined && t.sipMediaApplicationId === appId);
      found = lookup
        .list('SipRule', namespace)
        .filter((r) => (r.spec?.targetApplications ?? []).some(uses))
        .flatMap(ofRule);
      break;
    }
    case 'VoiceConnector': {
      const vcId = id('voiceConnectorId');
      const groups = lookup
        .list('VoiceConnectorGroup', namespace)
        .filter((g) => (g.spec?.voiceConnectors ?? []).some((m) => m.voiceConnectorRef?.name === changed.metadata.name || (vcId !== undefined && m.voiceConnectorId === vcId)));
      found = [...assignedTo('voiceConnectorRef', changed.metadata.name), ...groups.flatMap((g) => assignedTo('voiceConnectorGroupRef', g.metadata.name))];
      break;
    }
    case 'VoiceConnectorGroup':
      found = assignedTo('voiceConnectorGroupRef', changed.metadata.name);
      break;
  }
  return [...new Set(found.map(key))].sort();
}
