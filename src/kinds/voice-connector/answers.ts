/**
 * Pure: AWS's shapes of a Voice Connector's sub-configurations read into the observed state, and
 * the observation after a plan ran, folded from what its writes answered.
 *
 * Every Put of a sub-configuration answers with what AWS stored (the vendored model's outputs), in
 * the shape its Get returns, so the same reader serves both and the answer stands for a read-back.
 * Writes that answer nothing (credentials, tags, deletes of a block) and writes that failed leave
 * their part to be read again (`unread`), as does termination health when its cadence is due.
 */
import type {
  ExternalSystemsConfiguration,
  LoggingConfiguration,
  NotificationTarget,
  Proxy,
  StreamingConfiguration,
  Termination,
} from '@aws-sdk/client-chime-sdk-voice';
import type { Answered, ExecutedAction } from '../../reconcile/types.js';
import { SECRET_DIGEST_SCHEME } from '../../reconcile/secret-digest.js';
import type { DesiredLogging, VoiceConnectorDesired } from './desired.js';
import { freshConnector } from './plan.js';
import type { ObservedExternalSystems, ObservedProxy, ObservedRoute, ObservedStreaming, ObservedTermination, VoiceConnectorObserved } from './observed.js';

/**
 * How often termination health is read. It is status (the last SIP OPTIONS ping), not drift: a
 * resync carries the recorded value over and reads it again only this long after the last read.
 */
export const TERMINATION_HEALTH_EVERY_MS = 600_000;

/** The parts of a connector observe can read one by one (Answered.unread names them). */
export type VoiceConnectorPart =
  | 'tags'
  | 'termination'
  | 'credentials'
  | 'terminationHealth'
  | 'origination'
  | 'streaming'
  | 'logging'
  | 'emergencyCalling'
  | 'proxy'
  | 'externalSystems';

/** A connector as GetVoiceConnector, ListVoiceConnectors and the create and update calls return it. */
export interface AwsConnector {
  VoiceConnectorId: string;
  Name?: string;
  AwsRegion?: string;
  RequireEncryption?: boolean;
  NetworkType?: string;
  OutboundHostName?: string;
  VoiceConnectorArn?: string;
}

// AWS requires these members of every route and DNIS entry, so an answer always carries them (the
// SDK's types mark every member optional).
export interface AwsOrigination {
  Disabled?: boolean;
  Routes?: Array<{ Host: string; Port?: number; Protocol?: 'TCP' | 'UDP'; Priority: number; Weight: number }>;
}
export interface AwsEmergencyCalling {
  DNIS?: Array<{ EmergencyPhoneNumber: string; TestPhoneNumber?: string; CallingCountry: string }>;
}

/** The identity members of the observation, from AWS's connector. */
export function readIdentity(vc: AwsConnector): Pick<VoiceConnectorObserved, 'voiceConnectorId' | 'name' | 'arn' | 'region' | 'requireEncryption' | 'networkType' | 'outboundHostName'> {
  return {
    voiceConnectorId: vc.VoiceConnectorId,
    name: vc.Name ?? '',
    ...(vc.VoiceConnectorArn ? { arn: vc.VoiceConnectorArn } : {}),
    ...(vc.AwsRegion ? { region: vc.AwsRegion } : {}),
    ...(vc.RequireEncryption !== undefined ? { requireEncryption: vc.RequireEncryption } : {}),
    ...(vc.NetworkType ? { networkType: vc.NetworkType } : {}),
    ...(vc.OutboundHostName ? { outboundHostName: vc.OutboundHostName } : {}),
  };
}

export function readTermination(t: Termination | undefined): ObservedTermination | null {
  return t
    ? {
        disabled: t.Disabled === true,
        callingRegions: t.CallingRegions ?? [],
        cidrAllowedList: t.CidrAllowedList ?? [],
        ...(t.CpsLimit !== undefined ? { cpsLimit: t.CpsLimit } : {}),
        ...(t.DefaultPhoneNumber !== undefined ? { defaultPhoneNumber: t.DefaultPhoneNumber } : {}),
      }
    : null;
}

/** `requireEncryption`: the connector's, for the protocol AWS implies on a route that names none. */
export function readOrigination(o: AwsOrigination | undefined, requireEncryption: boolean | undefined): { disabled: boolean; routes: ObservedRoute[] } | null {
  return o
    ? {
        disabled: o.Disabled === true,
        routes: (o.Routes ?? []).map((r) => ({
          host: r.Host,
          port: r.Port ?? 5060,
          protocol: r.Protocol ?? (requireEncryption ? 'TCP' : 'UDP'),
          priority: r.Priority,
          weight: r.Weight,
        })),
      }
    : null;
}

export function readStreaming(s: StreamingConfiguration | undefined): ObservedStreaming | null {
  if (!s) return null;
  const mic = s.MediaInsightsConfiguration as ObservedStreaming['mediaInsights'];
  return {
    disabled: s.Disabled === true,
    notificationTargets: (s.StreamingNotificationTargets ?? []).map((t) => t.NotificationTarget).filter((t): t is NotificationTarget => typeof t === 'string'),
    ...(s.DataRetentionInHours !== undefined ? { dataRetentionInHours: s.DataRetentionInHours } : {}),
    ...(mic ? { mediaInsights: { ...mic } } : {}),
    ...(mic && mic.Disabled !== true && mic.ConfigurationArn ? { callAnalyticsConfigurationArn: mic.ConfigurationArn } : {}),
  };
}

/** Logging always exists in AWS, off by default (VC7). */
export function readLogging(l: LoggingConfiguration | undefined): DesiredLogging {
  return { enableSIPLogs: l?.EnableSIPLogs === true, enableMediaMetricLogs: l?.EnableMediaMetricLogs === true };
}

export function readEmergencyCalling(e: AwsEmergencyCalling | undefined): VoiceConnectorObserved['emergencyCalling'] {
  const dnis = e?.DNIS;
  return dnis
    ? {
        dnis: dnis.map((d) => ({
          emergencyPhoneNumber: d.EmergencyPhoneNumber,
          ...(d.TestPhoneNumber !== undefined ? { testPhoneNumber: d.TestPhoneNumber } : {}),
          callingCountry: d.CallingCountry,
        })),
      }
    : null;
}

export function readProxy(p: Proxy | undefined): ObservedProxy | null {
  return p
    ? {
        disabled: p.Disabled === true,
        phoneNumberCountries: p.PhoneNumberCountries ?? [],
        ...(p.DefaultSessionExpiryMinutes !== undefined ? { defaultSessionExpiryMinutes: p.DefaultSessionExpiryMinutes } : {}),
        ...(p.FallBackPhoneNumber !== undefined ? { fallBackPhoneNumber: p.FallBackPhoneNumber } : {}),
      }
    : null;
}

export function readExternalSystems(e: ExternalSystemsConfiguration | undefined): ObservedExternalSystems | null {
  return e ? { sessionBorderControllerTypes: e.SessionBorderControllerTypes ?? [], contactCenterSystemTypes: e.ContactCenterSystemTypes ?? [] } : null;
}

/**
 * The password digests AWS is known to hold: those status recorded, or, right after a successful
 * credentials write in this reconcile (the engine passes the actions it just ran), the desired
 * ones. AWS never returns passwords, so this is the only way to know it without a second pass.
 * A record of an older, unkeyed scheme (`sha256:<hex>`, which could be brute-forced) is dropped,
 * so that it leaves status with the next write; the password then counts as unknown and is sent once.
 */
export function knownHashes(recorded: unknown, desired: VoiceConnectorDesired, executed: ExecutedAction[] | undefined): Record<string, string> {
  const out: Record<string, string> = {};
  for (const c of (Array.isArray(recorded) ? recorded : []) as Array<{ username?: string; passwordHash?: string }>) {
    if (typeof c?.username === 'string' && typeof c.passwordHash === 'string' && c.passwordHash.startsWith(`${SECRET_DIGEST_SCHEME}:`)) {
      out[c.username] = c.passwordHash;
    }
  }
  return { ...out, ...justWrittenHashes(desired, executed) };
}

function justWrittenHashes(desired: VoiceConnectorDesired, executed: ExecutedAction[] | undefined): Record<string, string> {
  if (!executed?.some((e) => e.ok && e.action.operation === 'PutVoiceConnectorTerminationCredentials')) return {};
  // A credential whose password is left to AWS (an optional Secret without the key) has no digest to record.
  return Object.fromEntries((desired.termination?.credentials ?? []).flatMap((c) => (c.passwordHash === undefined ? [] : [[c.username, c.passwordHash]])));
}

/** Whether termination health is due to be read (its recorded read is older than the cadence, or there is none). */
export function healthDue(desired: VoiceConnectorDesired, recorded: VoiceConnectorObserved['terminationHealth'], now: Date): boolean {
  const readAt = recorded?.readAt ? Date.parse(recorded.readAt) : NaN;
  return desired.termination !== undefined && !(now.getTime() - readAt < TERMINATION_HEALTH_EVERY_MS);
}

/** A Put's answer member and how it is read into the observation (the answer is the model's output shape, as its Get returns it). */
const PUT_ANSWERS: Record<string, { part: VoiceConnectorPart; member: string; fold: (o: VoiceConnectorObserved, answer: unknown) => void }> = {
  PutVoiceConnectorTermination: { part: 'termination', member: 'Termination', fold: (o, a) => (o.termination = readTermination(a as Termination | undefined)) },
  PutVoiceConnectorOrigination: { part: 'origination', member: 'Origination', fold: (o, a) => (o.origination = readOrigination(a as AwsOrigination | undefined, o.requireEncryption)) },
  PutVoiceConnectorStreamingConfiguration: { part: 'streaming', member: 'StreamingConfiguration', fold: (o, a) => (o.streaming = readStreaming(a as StreamingConfiguration | undefined)) },
  PutVoiceConnectorLoggingConfiguration: { part: 'logging', member: 'LoggingConfiguration', fold: (o, a) => (o.logging = readLogging(a as LoggingConfiguration | undefined)) },
  PutVoiceConnectorEmergencyCallingConfiguration: { part: 'emergencyCalling', member: 'EmergencyCallingConfiguration', fold: (o, a) => (o.emergencyCalling = readEmergencyCalling(a as AwsEmergencyCalling | undefined)) },
  PutVoiceConnectorProxy: { part: 'proxy', member: 'Proxy', fold: (o, a) => (o.proxy = readProxy(a as Proxy | undefined)) },
  PutVoiceConnectorExternalSystemsConfiguration: { part: 'externalSystems', member: 'ExternalSystemsConfiguration', fold: (o, a) => (o.externalSystems = readExternalSystems(a as ExternalSystemsConfiguration | undefined)) },
};

/** Writes that answer nothing: the part they change is read again. */
const SILENT_WRITES: Record<string, VoiceConnectorPart> = {
  PutVoiceConnectorTerminationCredentials: 'credentials',
  DeleteVoiceConnectorTerminationCredentials: 'credentials',
  DeleteVoiceConnectorEmergencyCallingConfiguration: 'emergencyCalling',
  TagResource: 'tags',
  UntagResource: 'tags',
};

/** The parts the spec manages, which a create's baseline (`freshConnector`) only assumes until a write's answer tells them. */
function managedParts(desired: VoiceConnectorDesired): VoiceConnectorPart[] {
  const parts: VoiceConnectorPart[] = [];
  if (desired.termination) parts.push('termination');
  if (desired.termination?.credentials) parts.push('credentials');
  if (desired.origination) parts.push('origination');
  if (desired.streaming) parts.push('streaming');
  if (desired.logging) parts.push('logging');
  if (desired.emergencyCalling) parts.push('emergencyCalling');
  if (desired.proxy) parts.push('proxy');
  if (desired.externalSystems) parts.push('externalSystems');
  return parts;
}

/**
 * The connector after `executed` ran, from the observation before (undefined: the plan created it)
 * and the answers. A create's answer is the new connector; the tags it carried are the ones it
 * stored (AWS tags a resource as part of its create, which fails if tagging does), and every
 * managed part is read unless a later Put of the plan answered it. Undefined when an action is one
 * this fold does not know: the engine then observes in full.
 */
export function voiceConnectorAnswered(
  before: VoiceConnectorObserved | undefined,
  desired: VoiceConnectorDesired,
  executed: ExecutedAction[],
  now: Date,
): Answered<VoiceConnectorObserved> | undefined {
  const unread = new Set<VoiceConnectorPart>();
  let observed: VoiceConnectorObserved;
  let rest = executed;
  if (before === undefined) {
    const [create, ...others] = executed;
    const vc = create?.ok && create.action.operation === 'CreateVoiceConnector' ? (create.output as { VoiceConnector?: AwsConnector } | undefined)?.VoiceConnector : undefined;
    if (!vc?.VoiceConnectorId) return undefined;
    const sent = (create.action.input.Tags ?? []) as Array<{ Key: string; Value: string }>;
    observed = { ...freshConnector(desired), ...readIdentity(vc), tags: Object.fromEntries(sent.map((t) => [t.Key, t.Value])) };
    for (const part of managedParts(desired)) unread.add(part);
    rest = others;
  } else {
    observed = structuredClone(before);
  }
  for (const { action, ok, output } of rest) {
    const put = PUT_ANSWERS[action.operation];
    const answer = put && ok ? (output as Record<string, unknown> | undefined)?.[put.member] : undefined;
    if (put && answer !== undefined) {
      put.fold(observed, answer);
      unread.delete(put.part);
    } else if (put) unread.add(put.part);
    else if (SILENT_WRITES[action.operation]) unread.add(SILENT_WRITES[action.operation]);
    else if (action.operation === 'UpdateVoiceConnector') {
      const vc = ok ? (output as { VoiceConnector?: AwsConnector } | undefined)?.VoiceConnector : undefined;
      if (!vc) return undefined;
      Object.assign(observed, readIdentity(vc));
    } else return undefined;
  }
  observed.credentialHashes = { ...observed.credentialHashes, ...justWrittenHashes(desired, executed) };
  if (healthDue(desired, observed.terminationHealth, now)) unread.add('terminationHealth');
  return { observed, unread: [...unread] };
}
