/**
 * Observation of a Voice Connector: one ListVoiceConnectors per pass (through the inventory) serves
 * every connector object; then only the sub-configurations the spec manages are read, so a resync
 * costs what the spec asks for. A Get that answers NotFound means "not configured" (null here).
 */
import type {
  GetVoiceConnectorExternalSystemsConfigurationCommandOutput,
  GetVoiceConnectorLoggingConfigurationCommandOutput,
  GetVoiceConnectorProxyCommandOutput,
  GetVoiceConnectorStreamingConfigurationCommandOutput,
  GetVoiceConnectorTerminationCommandOutput,
  GetVoiceConnectorTerminationHealthCommandOutput,
  ListVoiceConnectorTerminationCredentialsCommandOutput,
  NotificationTarget,
} from '@aws-sdk/client-chime-sdk-voice';
import type { VoiceConnectorAtProvider, VoiceConnectorSpec } from '../../api/kinds/voice-connector.js';
import { findOwned, listTags } from '../../aws/ownership.js';
import { appliedTagKeysOf } from '../shared/tags.js';
import { SECRET_DIGEST_SCHEME } from '../../reconcile/secret-digest.js';
import type { ExecutedAction, ObserveArgs } from '../../reconcile/types.js';
import type { DesiredDnis, DesiredLogging, DesiredRoute, VoiceConnectorDesired } from './desired.js';

// The answers as AWS stores them: it requires these members of every route and DNIS entry, so an
// answer always carries them (the SDK's types mark every member optional).
interface OriginationAnswer {
  Origination?: { Disabled?: boolean; Routes?: Array<{ Host: string; Port?: number; Protocol?: 'TCP' | 'UDP'; Priority: number; Weight: number }> };
}
interface EmergencyCallingAnswer {
  EmergencyCallingConfiguration?: { DNIS?: Array<{ EmergencyPhoneNumber: string; TestPhoneNumber?: string; CallingCountry: string }> };
}

export interface ObservedTermination {
  disabled: boolean;
  cpsLimit?: number;
  callingRegions: string[];
  cidrAllowedList: string[];
  defaultPhoneNumber?: string;
}

export interface ObservedRoute extends DesiredRoute {
  protocol: 'TCP' | 'UDP';
}

export interface ObservedStreaming {
  disabled: boolean;
  dataRetentionInHours?: number;
  notificationTargets: string[];
  /** The linked configuration, when analytics is on. */
  callAnalyticsConfigurationArn?: string;
  /** AWS's MediaInsightsConfiguration as read, sent back unchanged when the spec does not manage the link. */
  mediaInsights?: { Disabled?: boolean; ConfigurationArn?: string };
}

export interface ObservedProxy {
  defaultSessionExpiryMinutes?: number;
  phoneNumberCountries: string[];
  fallBackPhoneNumber?: string;
  disabled: boolean;
}

export interface ObservedExternalSystems {
  sessionBorderControllerTypes: string[];
  contactCenterSystemTypes: string[];
}

/** For each sub-configuration: undefined = not read (the spec does not manage it), null = not configured in AWS. */
export interface VoiceConnectorObserved {
  voiceConnectorId: string;
  arn?: string;
  name: string;
  region?: string;
  requireEncryption?: boolean;
  networkType?: string;
  outboundHostName?: string;
  tags: Record<string, string>;
  /** The tag keys the spec declared on an earlier pass (status.atProvider). */
  appliedTagKeys?: string[];
  termination?: ObservedTermination | null;
  /** User names AWS holds (ListVoiceConnectorTerminationCredentials); undefined when credentials are not managed. */
  credentialUsernames?: string[];
  /** Password hashes known to be in AWS, by user name: status.atProvider's record, or what was just written. */
  credentialHashes: Record<string, string>;
  terminationHealth?: { timestamp?: string; source?: string; readAt?: string };
  origination?: { disabled: boolean; routes: ObservedRoute[] } | null;
  streaming?: ObservedStreaming | null;
  logging?: DesiredLogging;
  emergencyCalling?: { dnis: DesiredDnis[] } | null;
  proxy?: ObservedProxy | null;
  externalSystems?: ObservedExternalSystems | null;
  /** Numbers associated with the connector; read only for deletions (VC8). */
  phoneNumbers?: Array<{ e164: string; phoneNumberId?: string }>;
  /** Groups holding the connector; read only for deletions. */
  groups?: Array<{ voiceConnectorGroupId: string; name?: string }>;
}

interface AwsConnector {
  VoiceConnectorId: string;
  Name?: string;
  AwsRegion?: string;
  RequireEncryption?: boolean;
  NetworkType?: string;
  OutboundHostName?: string;
  VoiceConnectorArn?: string;
}

/**
 * How often termination health is read. It is status (the last SIP OPTIONS ping), not drift: a
 * resync carries the recorded value over and reads it again only this long after the last read.
 */
export const TERMINATION_HEALTH_EVERY_MS = 600_000;

export async function observeVoiceConnector({ obj, desired, aws, executed, mode, now }: ObserveArgs<VoiceConnectorDesired, VoiceConnectorSpec, VoiceConnectorAtProvider>): Promise<VoiceConnectorObserved | undefined> {
  const connectors = await aws.inventory.list<AwsConnector>({ service: 'voice', operation: 'ListVoiceConnectors', items: 'VoiceConnectors' });
  const atProvider = obj.status?.atProvider ?? {};
  const vc = await findOwned<AwsConnector>({
    obj,
    kindLabel: 'Voice Connector',
    candidates: connectors,
    idOf: (c) => c.VoiceConnectorId,
    nameOf: (c) => c.Name ?? '',
    awsName: desired.name,
    cachedId: atProvider.voiceConnectorId,
    fetch: async (id) => (await aws.read<{ VoiceConnector?: AwsConnector }>('voice', 'GetVoiceConnector', { VoiceConnectorId: id }))?.VoiceConnector,
    arnOf: (c) => c.VoiceConnectorArn ?? '',
    aws,
  });
  if (!vc) return undefined;
  const id = vc.VoiceConnectorId;
  const input = { VoiceConnectorId: id };
  const read = <T>(operation: string) => aws.read<T>('voice', operation, input);
  // What only a deletion needs (associated numbers, groups, and the emergency calling and termination
  // the spec may not manage) is read to delete or plan, so a steady-state resync does not pay for it.
  const readForDelete = mode !== 'apply';
  const readTermination = desired.termination !== undefined || readForDelete;
  // VC5: a spec that turns termination or origination off must know about emergency calling it
  // does not manage, since AWS refuses the change while it is on.
  const disabling = desired.termination?.disabled === true || desired.origination?.disabled === true;
  const readEmergency = desired.emergencyCalling !== undefined || readForDelete || disabling;
  const recordedHealth = atProvider.terminationHealth as VoiceConnectorObserved['terminationHealth'];
  const healthReadAt = recordedHealth?.readAt ? Date.parse(recordedHealth.readAt) : NaN;
  const readHealth = desired.termination !== undefined && !(now.getTime() - healthReadAt < TERMINATION_HEALTH_EVERY_MS);

  const [tags, termination, credentials, health, origination, streaming, logging, emergency, proxy, external, numbers, groups] = await Promise.all([
    vc.VoiceConnectorArn ? listTags(aws, vc.VoiceConnectorArn) : Promise.resolve({} as Record<string, string>),
    readTermination ? read<GetVoiceConnectorTerminationCommandOutput>('GetVoiceConnectorTermination') : undefined,
    desired.termination?.credentials !== undefined ? read<ListVoiceConnectorTerminationCredentialsCommandOutput>('ListVoiceConnectorTerminationCredentials') : undefined,
    readHealth ? read<GetVoiceConnectorTerminationHealthCommandOutput>('GetVoiceConnectorTerminationHealth') : undefined,
    desired.origination !== undefined ? read<OriginationAnswer>('GetVoiceConnectorOrigination') : undefined,
    desired.streaming !== undefined ? read<GetVoiceConnectorStreamingConfigurationCommandOutput>('GetVoiceConnectorStreamingConfiguration') : undefined,
    desired.logging !== undefined ? read<GetVoiceConnectorLoggingConfigurationCommandOutput>('GetVoiceConnectorLoggingConfiguration') : undefined,
    readEmergency ? read<EmergencyCallingAnswer>('GetVoiceConnectorEmergencyCallingConfiguration') : undefined,
    desired.proxy !== undefined ? read<GetVoiceConnectorProxyCommandOutput>('GetVoiceConnectorProxy') : undefined,
    desired.externalSystems !== undefined ? read<GetVoiceConnectorExternalSystemsConfigurationCommandOutput>('GetVoiceConnectorExternalSystemsConfiguration') : undefined,
    readForDelete
      ? aws.inventory.list<{ E164PhoneNumber?: string; PhoneNumberId?: string }>({
          service: 'voice',
          operation: 'ListPhoneNumbers',
          input: { FilterName: 'VoiceConnectorId', FilterValue: id },
          items: 'PhoneNumbers',
        })
      : undefined,
    readForDelete
      ? aws.inventory.list<{ VoiceConnectorGroupId: string; Name?: string; VoiceConnectorItems?: Array<{ VoiceConnectorId: string }> }>({
          service: 'voice',
          operation: 'ListVoiceConnectorGroups',
          items: 'VoiceConnectorGroups',
        })
      : undefined,
  ]);

  const observed: VoiceConnectorObserved = {
    voiceConnectorId: id,
    name: vc.Name ?? '',
    tags,
    ...(appliedTagKeysOf(atProvider) ? { appliedTagKeys: appliedTagKeysOf(atProvider) } : {}),
    credentialHashes: knownHashes(atProvider, desired, executed),
    ...(vc.VoiceConnectorArn ? { arn: vc.VoiceConnectorArn } : {}),
    ...(vc.AwsRegion ? { region: vc.AwsRegion } : {}),
    ...(vc.RequireEncryption !== undefined ? { requireEncryption: vc.RequireEncryption } : {}),
    ...(vc.NetworkType ? { networkType: vc.NetworkType } : {}),
    ...(vc.OutboundHostName ? { outboundHostName: vc.OutboundHostName } : {}),
  };

  if (readTermination) {
    const t = termination?.Termination;
    observed.termination = t
      ? {
          disabled: t.Disabled === true,
          callingRegions: t.CallingRegions ?? [],
          cidrAllowedList: t.CidrAllowedList ?? [],
          ...(t.CpsLimit !== undefined ? { cpsLimit: t.CpsLimit } : {}),
          ...(t.DefaultPhoneNumber !== undefined ? { defaultPhoneNumber: t.DefaultPhoneNumber } : {}),
        }
      : null;
  }
  if (credentials !== undefined) observed.credentialUsernames = [...(credentials?.Usernames ?? [])];
  else if (desired.termination?.credentials !== undefined) observed.credentialUsernames = [];
  const h = health?.TerminationHealth;
  if (readHealth) {
    observed.terminationHealth = {
      ...(h?.Timestamp ? { timestamp: new Date(h.Timestamp).toISOString() } : {}),
      ...(h?.Source ? { source: h.Source } : {}),
      readAt: now.toISOString(),
    };
  } else if (desired.termination !== undefined && recordedHealth) observed.terminationHealth = { ...recordedHealth };

  if (desired.origination !== undefined) {
    const o = origination?.Origination;
    observed.origination = o
      ? {
          disabled: o.Disabled === true,
          routes: (o.Routes ?? []).map((r) => ({
            host: r.Host,
            port: r.Port ?? 5060,
            protocol: r.Protocol ?? (vc.RequireEncryption ? 'TCP' : 'UDP'),
            priority: r.Priority,
            weight: r.Weight,
          })),
        }
      : null;
  }

  if (desired.streaming !== undefined) {
    const s = streaming?.StreamingConfiguration;
    if (!s) observed.streaming = null;
    else {
      const mic = s.MediaInsightsConfiguration as ObservedStreaming['mediaInsights'];
      observed.streaming = {
        disabled: s.Disabled === true,
        notificationTargets: (s.StreamingNotificationTargets ?? []).map((t) => t.NotificationTarget).filter((t): t is NotificationTarget => typeof t === 'string'),
        ...(s.DataRetentionInHours !== undefined ? { dataRetentionInHours: s.DataRetentionInHours } : {}),
        ...(mic ? { mediaInsights: { ...mic } } : {}),
        ...(mic && mic.Disabled !== true && mic.ConfigurationArn ? { callAnalyticsConfigurationArn: mic.ConfigurationArn } : {}),
      };
    }
  }

  if (desired.logging !== undefined) {
    // Logging always exists in AWS, off by default (VC7).
    const l = logging?.LoggingConfiguration ?? {};
    observed.logging = { enableSIPLogs: l.EnableSIPLogs === true, enableMediaMetricLogs: l.EnableMediaMetricLogs === true };
  }

  if (readEmergency) {
    const dnis = emergency?.EmergencyCallingConfiguration?.DNIS;
    observed.emergencyCalling = dnis
      ? {
          dnis: dnis.map((d) => ({
            emergencyPhoneNumber: d.EmergencyPhoneNumber,
            ...(d.TestPhoneNumber !== undefined ? { testPhoneNumber: d.TestPhoneNumber } : {}),
            callingCountry: d.CallingCountry,
          })),
        }
      : null;
  }

  if (desired.proxy !== undefined) {
    const p = proxy?.Proxy;
    observed.proxy = p
      ? {
          disabled: p.Disabled === true,
          phoneNumberCountries: p.PhoneNumberCountries ?? [],
          ...(p.DefaultSessionExpiryMinutes !== undefined ? { defaultSessionExpiryMinutes: p.DefaultSessionExpiryMinutes } : {}),
          ...(p.FallBackPhoneNumber !== undefined ? { fallBackPhoneNumber: p.FallBackPhoneNumber } : {}),
        }
      : null;
  }

  if (desired.externalSystems !== undefined) {
    const e = external?.ExternalSystemsConfiguration;
    observed.externalSystems = e ? { sessionBorderControllerTypes: e.SessionBorderControllerTypes ?? [], contactCenterSystemTypes: e.ContactCenterSystemTypes ?? [] } : null;
  }

  if (numbers !== undefined) {
    observed.phoneNumbers = numbers.map((n) => ({ e164: n.E164PhoneNumber ?? n.PhoneNumberId ?? '', ...(n.PhoneNumberId ? { phoneNumberId: n.PhoneNumberId } : {}) }));
  }
  if (groups !== undefined) {
    observed.groups = groups
      .filter((g) => (g.VoiceConnectorItems ?? []).some((i) => i.VoiceConnectorId === id))
      .map((g) => ({ voiceConnectorGroupId: g.VoiceConnectorGroupId, ...(g.Name ? { name: g.Name } : {}) }));
  }
  return observed;
}

/**
 * The password digests AWS is known to hold: those status recorded, or, right after a successful
 * credentials write in this reconcile (the engine passes the actions it just ran), the desired
 * ones. AWS never returns passwords, so this is the only way to know it without a second pass.
 * A record of an older, unkeyed scheme (`sha256:<hex>`, which could be brute-forced) is dropped,
 * so that it leaves status with the next write; the password then counts as unknown and is sent once.
 */
function knownHashes(atProvider: Partial<VoiceConnectorAtProvider>, desired: VoiceConnectorDesired, executed: ExecutedAction[] | undefined): Record<string, string> {
  const out: Record<string, string> = {};
  for (const c of (atProvider.terminationCredentials ?? []) as Array<{ username?: string; passwordHash?: string }>) {
    if (typeof c?.username === 'string' && typeof c.passwordHash === 'string' && c.passwordHash.startsWith(`${SECRET_DIGEST_SCHEME}:`)) {
      out[c.username] = c.passwordHash;
    }
  }
  if (executed?.some((e) => e.ok && e.action.operation === 'PutVoiceConnectorTerminationCredentials')) {
    for (const c of desired.termination?.credentials ?? []) out[c.username] = c.passwordHash;
  }
  return out;
}
