/**
 * The route inventory of chimevoice.io objects: manifests of a folder (specs only) or the cluster's
 * objects (specs, and statuses that know the ordered numbers and the AWS ids). Pure. References are
 * resolved by object name within the namespace and keyed by the AWS name, which is how AWS knows
 * the same resources, so that a manifest picture and an AWS picture line up.
 */
import type {
  AnyChimeObject,
  PhoneNumber,
  SipMediaApplication,
  SipRule,
  VoiceConnector,
  VoiceConnectorGroup,
} from '../../api/index.js';
import type { ConnectorInput, NumberInput, RouteInventory, RuleInput } from './model.js';

/** An object as it reaches this module: a manifest or a cluster object (status optional). */
type Loose<T extends AnyChimeObject> = Pick<T, 'kind' | 'spec'> & { metadata: { name: string; namespace?: string }; status?: unknown };

const ns = (o: { metadata: { namespace?: string } }) => o.metadata.namespace ?? 'default';
const atProvider = (o: { status?: unknown }): Record<string, unknown> => ((o.status as { atProvider?: Record<string, unknown> } | undefined)?.atProvider ?? {});
const str = (v: unknown): string | undefined => (typeof v === 'string' && v !== '' ? v : undefined);

/** The ownership marker's object (`chimevoice.<namespace>.<name>` as the AWS name's last token), as `namespace/name`. */
export function objectOfMarker(awsName: string | undefined): string | undefined {
  const token = awsName?.trim().split(/\s+/).pop();
  const m = token ? /^chimevoice\.([a-z0-9-]+)\.([a-z0-9.-]+)$/.exec(token) : null;
  return m ? `${m[1]}/${m[2]}` : undefined;
}

/** The AWS name a number's name carries, without the ownership marker. */
export function withoutMarker(awsName: string | undefined): string | undefined {
  if (awsName === undefined) return undefined;
  const marker = objectOfMarker(awsName);
  const rest = marker ? awsName.trim().split(/\s+/).slice(0, -1).join(' ') : awsName;
  return rest === '' ? undefined : rest;
}

function orderLabel(order: NonNullable<PhoneNumber['spec']['order']>): string {
  const parts = [order.country ?? 'US', order.numberType ?? (order.tollFreePrefix ? 'TollFree' : undefined), order.state, order.city, order.areaCode, order.tollFreePrefix];
  return `to be ordered: ${parts.filter((p) => p !== undefined).join(', ')}`;
}

export function inventoryOfObjects(source: string, objects: ReadonlyArray<{ kind: string; metadata: { name: string; namespace?: string }; spec?: unknown; status?: unknown }>): RouteInventory {
  const of = <T extends AnyChimeObject>(kind: T['kind']) => objects.filter((o) => o.kind === kind && o.spec !== undefined) as unknown as Array<Loose<T>>;
  const connectors = of<VoiceConnector>('VoiceConnector');
  const groups = of<VoiceConnectorGroup>('VoiceConnectorGroup');
  const applications = of<SipMediaApplication>('SipMediaApplication');
  const rules = of<SipRule>('SipRule');
  const numbers = of<PhoneNumber>('PhoneNumber');

  // Keys are AWS names; a reference to an object the source does not hold keeps the object's name.
  const keyIn = (list: ReadonlyArray<{ metadata: { name: string; namespace?: string }; spec: { name?: string } }>, namespace: string, name: string) => {
    const target = list.find((o) => o.metadata.name === name && ns(o) === namespace);
    return target ? (target.spec.name ?? target.metadata.name) : name;
  };
  // An AWS id (a group member or rule target not managed here) is shown by the name of the object holding it, when one does.
  const keyOfId = (list: ReadonlyArray<{ metadata: { name: string }; spec: { name?: string }; status?: unknown }>, idField: string, id: string) => {
    const target = list.find((o) => atProvider(o)[idField] === id);
    return target ? { key: target.spec.name ?? target.metadata.name } : { key: id, external: true as const };
  };

  const numberInputs = numbers.map((o): NumberInput => {
    const s = o.spec;
    const e164 = s.e164 ?? str(atProvider(o).e164);
    const a = s.assignment;
    return {
      ...(e164 ? { e164 } : {}),
      object: `${ns(o)}/${o.metadata.name}`,
      ...(s.name ? { name: s.name } : {}),
      productType: s.productType,
      ...(e164 === undefined && s.order ? { pending: orderLabel(s.order) } : {}),
      ...(a?.voiceConnectorRef
        ? { assignment: { kind: 'VoiceConnector' as const, key: keyIn(connectors, ns(o), a.voiceConnectorRef.name) } }
        : a?.voiceConnectorGroupRef
          ? { assignment: { kind: 'VoiceConnectorGroup' as const, key: keyIn(groups, ns(o), a.voiceConnectorGroupRef.name) } }
          : {}),
    };
  });

  const connectorInputs = connectors.map((o): ConnectorInput => {
    const s = o.spec;
    const id = str(atProvider(o).voiceConnectorId);
    return {
      key: s.name ?? o.metadata.name,
      ...(id ? { id } : {}),
      region: s.region ?? 'us-east-1',
      ...(s.requireEncryption !== undefined ? { requireEncryption: s.requireEncryption } : {}),
      ...(s.origination
        ? {
            origination: {
              disabled: s.origination.disabled === true,
              hosts: (s.origination.routes ?? []).map((r) => ({ host: r.host, port: r.port ?? 5060, ...(r.protocol ? { protocol: r.protocol } : {}), priority: r.priority, weight: r.weight })),
            },
          }
        : {}),
      ...(s.termination
        ? {
            termination: {
              disabled: s.termination.disabled === true,
              cidrAllowedList: [...(s.termination.cidrAllowedList ?? [])],
              callingRegions: [...(s.termination.callingRegions ?? [])],
              ...(s.termination.cpsLimit !== undefined ? { cpsLimit: s.termination.cpsLimit } : {}),
              ...(s.termination.defaultPhoneNumber ? { defaultPhoneNumber: s.termination.defaultPhoneNumber } : {}),
              credentials: (s.termination.credentials ?? []).map((c) => c.username),
            },
          }
        : { terminationUnmanaged: true }),
      ...(s.emergencyCalling
        ? {
            emergency: s.emergencyCalling.dnis.map((d) => ({
              emergencyPhoneNumber: d.emergencyPhoneNumber,
              ...(d.testPhoneNumber ? { testPhoneNumber: d.testPhoneNumber } : {}),
              callingCountry: d.callingCountry ?? 'US',
            })),
          }
        : {}),
    };
  });

  const ruleInputs = rules.map((o): RuleInput => {
    const s = o.spec;
    const t = s.trigger;
    const id = str(atProvider(o).sipRuleId);
    let trigger: RuleInput['trigger'];
    if (t.type === 'ToPhoneNumber') {
      const ref = t.phoneNumberRef ? numbers.find((n) => n.metadata.name === t.phoneNumberRef?.name && ns(n) === ns(o)) : undefined;
      const e164 = t.e164 ?? (ref ? (ref.spec.e164 ?? str(atProvider(ref).e164)) : undefined);
      trigger = { type: 'ToPhoneNumber', ...(e164 ? { e164 } : {}), ...(t.phoneNumberRef ? { numberObject: `${ns(o)}/${t.phoneNumberRef.name}` } : {}) };
    } else {
      const vc = t.voiceConnectorRef ? connectors.find((c) => c.metadata.name === t.voiceConnectorRef?.name && ns(c) === ns(o)) : undefined;
      const host = t.hostname ?? str(vc ? atProvider(vc).outboundHostName : undefined) ?? (t.voiceConnectorRef ? `host of Voice Connector ${vc ? (vc.spec.name ?? vc.metadata.name) : t.voiceConnectorRef.name}` : '?');
      trigger = { type: 'RequestUriHostname', hostname: host };
    }
    return {
      key: s.name ?? o.metadata.name,
      ...(id ? { id } : {}),
      disabled: s.disabled === true,
      trigger,
      targets: s.targetApplications.map((a) => {
        const refName = a.sipMediaApplicationRef?.name;
        const app = refName ? applications.find((x) => x.metadata.name === refName && ns(x) === ns(o)) : undefined;
        const target = refName ? { key: keyIn(applications, ns(o), refName) } : keyOfId(applications, 'sipMediaApplicationId', a.sipMediaApplicationId ?? '?');
        const region = a.region ?? app?.spec.region;
        return { ...target, priority: a.priority, ...(region ? { region } : {}) };
      }),
    };
  });

  return {
    source,
    numbers: numberInputs,
    connectors: connectorInputs,
    groups: groups.map((o) => {
      const id = str(atProvider(o).voiceConnectorGroupId);
      return {
        key: o.spec.name ?? o.metadata.name,
        ...(id ? { id } : {}),
        members: (o.spec.voiceConnectors ?? []).map((m) => ({
          ...(m.voiceConnectorRef ? { key: keyIn(connectors, ns(o), m.voiceConnectorRef.name) } : keyOfId(connectors, 'voiceConnectorId', m.voiceConnectorId ?? '?')),
          priority: m.priority,
        })),
      };
    }),
    applications: applications.map((o) => {
      const id = str(atProvider(o).sipMediaApplicationId);
      return { key: o.spec.name ?? o.metadata.name, ...(id ? { id } : {}), region: o.spec.region ?? 'us-east-1', lambdaArns: [o.spec.endpoint.lambdaArn] };
    }),
    rules: ruleInputs,
  };
}
