/**
 * The route inventory of what AWS holds: every phone number, Voice Connector (with its origination,
 * termination, credential user names and emergency calling), group, SIP media application and SIP
 * rule of the account: numbers, groups and SIP rules from the home region, connectors and SIP media
 * applications from each region of the list, through that region's endpoint (docs/concepts.md#regions).
 * Read-only; through the narrow AWS port, so it loads no SDK itself.
 * Keys are AWS names (a resource without a name is keyed by its id), as the manifests' are.
 */
import type { AwsPort } from '../../core/aws-port.js';
import { VOICE_REGIONS } from '../regions.js';
import type { ApplicationInput, ConnectorInput, GroupInput, NumberInput, RouteInventory, RuleInput } from './model.js';
import { objectOfMarker, withoutMarker } from './from-objects.js';

interface AwsNumber {
  PhoneNumberId?: string;
  E164PhoneNumber?: string;
  ProductType?: string;
  Status?: string;
  Name?: string;
  Associations?: Array<{ Name?: string; Value?: string }>;
}
interface AwsConnector {
  VoiceConnectorId: string;
  Name?: string;
  AwsRegion?: string;
  RequireEncryption?: boolean;
}
interface AwsGroup {
  VoiceConnectorGroupId: string;
  Name?: string;
  VoiceConnectorItems?: Array<{ VoiceConnectorId: string; Priority: number }>;
}
interface AwsApplication {
  SipMediaApplicationId: string;
  Name?: string;
  AwsRegion?: string;
  Endpoints?: Array<{ LambdaArn?: string }>;
}
interface AwsRule {
  SipRuleId: string;
  Name?: string;
  Disabled?: boolean;
  TriggerType?: string;
  TriggerValue?: string;
  TargetApplications?: Array<{ SipMediaApplicationId?: string; Priority?: number; AwsRegion?: string }>;
}

/** Numbers AWS is still acquiring or already releasing route nowhere yet; the rest are shown as they are. */
const SETTLED = new Set(['Assigned', 'Unassigned']);

/**
 * `regions`: where connectors and SIP media applications are looked for, each region through its own
 * endpoint, since under the stricter reading of AWS a listing shows only its region's resources.
 */
export async function readAwsInventory(aws: AwsPort, source = 'aws', regions: readonly string[] = VOICE_REGIONS): Promise<RouteInventory> {
  const list = <T>(operation: string, items: string, port: AwsPort = aws) => port.inventory.list<T>({ service: 'voice', operation, items });
  // Each kept from the listing of the region it names as its own, and once: under the looser reading
  // of AWS every endpoint lists every region's resources, and a route must not show twice.
  const inRegions = async <T extends { AwsRegion?: string }>(operation: string, items: string, idOf: (item: T) => string) => {
    const seen = new Set<string>();
    return (await Promise.all(regions.map(async (region) => (await list<T>(operation, items, aws.in(region))).map((item) => ({ item, region })))))
      .flat()
      .filter(({ item, region }) => {
        if ((item.AwsRegion && item.AwsRegion !== region) || seen.has(idOf(item))) return false;
        seen.add(idOf(item));
        return true;
      });
  };
  const [numbers, regionalConnectors, groups, regionalApplications, rules] = await Promise.all([
    list<AwsNumber>('ListPhoneNumbers', 'PhoneNumbers'),
    inRegions<AwsConnector>('ListVoiceConnectors', 'VoiceConnectors', (c) => c.VoiceConnectorId),
    list<AwsGroup>('ListVoiceConnectorGroups', 'VoiceConnectorGroups'),
    inRegions<AwsApplication>('ListSipMediaApplications', 'SipMediaApplications', (a) => a.SipMediaApplicationId),
    list<AwsRule>('ListSipRules', 'SipRules'),
  ]);
  // A listing may leave AwsRegion out: the region whose endpoint listed the resource is where it lives.
  const connectors = regionalConnectors.map(({ item, region }) => ({ ...item, AwsRegion: item.AwsRegion || region }));
  const applications = regionalApplications.map(({ item, region }) => ({ ...item, AwsRegion: item.AwsRegion || region }));
  const connectorKey = new Map(connectors.map((c) => [c.VoiceConnectorId, c.Name || c.VoiceConnectorId]));
  const groupKey = new Map(groups.map((g) => [g.VoiceConnectorGroupId, g.Name || g.VoiceConnectorGroupId]));
  const applicationKey = new Map(applications.map((a) => [a.SipMediaApplicationId, a.Name || a.SipMediaApplicationId]));

  // One connector at a time, its four reads together: a few hundred connectors stay within the
  // API's request rate without a pool, and the SDK's adaptive retries absorb a throttle.
  const connectorInputs: ConnectorInput[] = [];
  for (const c of connectors) connectorInputs.push(await readConnector(aws.in(c.AwsRegion), c));

  const numberInputs = numbers.map((n): NumberInput => {
    const assoc = (n.Associations ?? []).find((a) => a.Name === 'VoiceConnectorId' || a.Name === 'VoiceConnectorGroupId');
    const object = objectOfMarker(n.Name);
    const name = withoutMarker(n.Name);
    return {
      ...(n.E164PhoneNumber ? { e164: n.E164PhoneNumber } : {}),
      ...(object ? { object } : {}),
      ...(name ? { name } : {}),
      ...(n.ProductType ? { productType: n.ProductType } : {}),
      ...(n.Status && !SETTLED.has(n.Status) ? { awsStatus: n.Status } : {}),
      ...(assoc?.Value
        ? assoc.Name === 'VoiceConnectorId'
          ? { assignment: { kind: 'VoiceConnector' as const, key: connectorKey.get(assoc.Value) ?? assoc.Value } }
          : { assignment: { kind: 'VoiceConnectorGroup' as const, key: groupKey.get(assoc.Value) ?? assoc.Value } }
        : {}),
    };
  });

  return {
    source,
    numbers: numberInputs,
    connectors: connectorInputs,
    groups: groups.map(
      (g): GroupInput => ({
        key: g.Name || g.VoiceConnectorGroupId,
        id: g.VoiceConnectorGroupId,
        members: (g.VoiceConnectorItems ?? []).map((i) => ({ key: connectorKey.get(i.VoiceConnectorId) ?? i.VoiceConnectorId, priority: i.Priority })),
      }),
    ),
    applications: applications.map(
      (a): ApplicationInput => ({
        key: a.Name || a.SipMediaApplicationId,
        id: a.SipMediaApplicationId,
        ...(a.AwsRegion ? { region: a.AwsRegion } : {}),
        lambdaArns: (a.Endpoints ?? []).map((e) => e.LambdaArn).filter((x): x is string => x !== undefined),
      }),
    ),
    rules: rules.map(
      (r): RuleInput => ({
        key: r.Name || r.SipRuleId,
        id: r.SipRuleId,
        disabled: r.Disabled === true,
        trigger: r.TriggerType === 'RequestUriHostname' ? { type: 'RequestUriHostname', hostname: r.TriggerValue ?? '' } : { type: 'ToPhoneNumber', e164: r.TriggerValue ?? '' },
        targets: (r.TargetApplications ?? []).map((t) => ({
          key: applicationKey.get(t.SipMediaApplicationId ?? '') ?? t.SipMediaApplicationId ?? '?',
          priority: t.Priority ?? 0,
          ...(t.AwsRegion ? { region: t.AwsRegion } : {}),
        })),
      }),
    ),
  };
}

async function readConnector(aws: AwsPort, c: AwsConnector): Promise<ConnectorInput> {
  const input = { VoiceConnectorId: c.VoiceConnectorId };
  const [origination, termination, credentials, emergency] = await Promise.all([
    aws.read<{ Origination?: { Disabled?: boolean; Routes?: Array<{ Host?: string; Port?: number; Protocol?: string; Priority?: number; Weight?: number }> } }>('voice', 'GetVoiceConnectorOrigination', input),
    aws.read<{ Termination?: { Disabled?: boolean; CpsLimit?: number; DefaultPhoneNumber?: string; CallingRegions?: string[]; CidrAllowedList?: string[] } }>('voice', 'GetVoiceConnectorTermination', input),
    aws.read<{ Usernames?: string[] }>('voice', 'ListVoiceConnectorTerminationCredentials', input),
    aws.read<{ EmergencyCallingConfiguration?: { DNIS?: Array<{ EmergencyPhoneNumber?: string; TestPhoneNumber?: string; CallingCountry?: string }> } }>(
      'voice',
      'GetVoiceConnectorEmergencyCallingConfiguration',
      input,
    ),
  ]);
  const o = origination?.Origination;
  const t = termination?.Termination;
  const dnis = emergency?.EmergencyCallingConfiguration?.DNIS ?? [];
  return {
    key: c.Name || c.VoiceConnectorId,
    id: c.VoiceConnectorId,
    ...(c.AwsRegion ? { region: c.AwsRegion } : {}),
    ...(c.RequireEncryption !== undefined ? { requireEncryption: c.RequireEncryption } : {}),
    // No origination configured in AWS routes nowhere: shown as such, not as "not managed".
    origination: {
      disabled: o?.Disabled === true,
      hosts: (o?.Routes ?? []).map((r) => ({ host: r.Host ?? '?', port: r.Port ?? 5060, ...(r.Protocol ? { protocol: r.Protocol } : {}), priority: r.Priority ?? 0, weight: r.Weight ?? 0 })),
    },
    ...(t
      ? {
          termination: {
            disabled: t.Disabled === true,
            cidrAllowedList: t.CidrAllowedList ?? [],
            callingRegions: t.CallingRegions ?? [],
            ...(t.CpsLimit !== undefined ? { cpsLimit: t.CpsLimit } : {}),
            ...(t.DefaultPhoneNumber ? { defaultPhoneNumber: t.DefaultPhoneNumber } : {}),
            credentials: [...(credentials?.Usernames ?? [])].sort(),
          },
        }
      : {}),
    ...(dnis.length > 0
      ? {
          emergency: dnis.map((d) => ({
            emergencyPhoneNumber: d.EmergencyPhoneNumber ?? '?',
            ...(d.TestPhoneNumber ? { testPhoneNumber: d.TestPhoneNumber } : {}),
            callingCountry: d.CallingCountry ?? 'US',
          })),
        }
      : {}),
  };
}
