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
} from '@aws-sdk/client-chime-sdk-voice';
import type { VoiceConnectorAtProvider, VoiceConnectorSpec } from '../../api/kinds/voice-connector.js';
import { findOwned, listTags } from '../../aws/ownership.js';
import { appliedTagKeysOf } from '../shared/tags.js';
import type { ObserveArgs } from '../../reconcile/types.js';
import {
  healthDue,
  knownHashes,
  readEmergencyCalling,
  readExternalSystems,
  readIdentity,
  readLogging,
  readOrigination,
  readProxy,
  readStreaming,
  readTermination,
  type AwsConnector,
  type AwsEmergencyCalling,
  type AwsOrigination,
  type VoiceConnectorPart,
} from './answers.js';
import { DEFAULT_REGION, type VoiceConnectorDesired } from './desired.js';
import type { VoiceConnectorObserved } from './observed.js';

export type { ObservedExternalSystems, ObservedProxy, ObservedRoute, ObservedStreaming, ObservedTermination, VoiceConnectorObserved } from './observed.js';

export { TERMINATION_HEALTH_EVERY_MS } from './answers.js';

/** The region whose endpoint serves the connector: where it was last seen, else the spec's (VC1). */
export function connectorRegion(desired: VoiceConnectorDesired, atProvider: Record<string, unknown>): string {
  return (typeof atProvider.region === 'string' && atProvider.region) || desired.region || DEFAULT_REGION;
}

/**
 * I/O. With `answered` (right after this object's writes, see answers.ts), the connector is not
 * looked for again: observe starts from what the writes answered and reads only the parts in
 * `answered.unread`.
 */
export async function observeVoiceConnector({ obj, desired, aws: account, executed, mode, now, answered }: ObserveArgs<VoiceConnectorDesired, VoiceConnectorObserved, VoiceConnectorSpec, VoiceConnectorAtProvider>): Promise<VoiceConnectorObserved | undefined> {
  const atProvider = obj.status?.atProvider ?? {};
  // A connector is read and written through its own region's endpoint: the one it was found in (so
  // that a changed spec.region is seen as a replacement, not as a connector gone), else the spec's.
  const aws = account.in(connectorRegion(desired, atProvider));
  let vc: AwsConnector | undefined;
  if (answered) {
    vc = { VoiceConnectorId: answered.observed.voiceConnectorId, ...(answered.observed.arn ? { VoiceConnectorArn: answered.observed.arn } : {}) };
  } else {
    const connectors = await aws.inventory.list<AwsConnector>({ service: 'voice', operation: 'ListVoiceConnectors', items: 'VoiceConnectors' });
    vc = await findOwned<AwsConnector>({
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
  }
  if (!vc) return undefined;
  const id = vc.VoiceConnectorId;
  const input = { VoiceConnectorId: id };
  const read = <T>(operation: string) => aws.read<T>('voice', operation, input);
  // What only a deletion needs (associated numbers, groups, and the emergency calling and termination
  // the spec may not manage) is read to delete or plan, so a steady-state resync does not pay for it.
  const readForDelete = mode !== 'apply' && !answered;
  // VC5: a spec that turns termination or origination off must know about emergency calling it
  // does not manage, since AWS refuses the change while it is on.
  const disabling = desired.termination?.disabled === true || desired.origination?.disabled === true;
  const recordedHealth = atProvider.terminationHealth as VoiceConnectorObserved['terminationHealth'];
  const wants: Record<VoiceConnectorPart, boolean> = answered
    ? (Object.fromEntries(PARTS.map((p) => [p, answered.unread.includes(p)])) as Record<VoiceConnectorPart, boolean>)
    : {
        tags: true,
        termination: desired.termination !== undefined || readForDelete,
        credentials: desired.termination?.credentials !== undefined,
        terminationHealth: healthDue(desired, recordedHealth, now),
        origination: desired.origination !== undefined,
        streaming: desired.streaming !== undefined,
        logging: desired.logging !== undefined,
        emergencyCalling: desired.emergencyCalling !== undefined || readForDelete || disabling,
        proxy: desired.proxy !== undefined,
        externalSystems: desired.externalSystems !== undefined,
      };

  const [tags, termination, credentials, health, origination, streaming, logging, emergency, proxy, external, numbers, groups] = await Promise.all([
    !wants.tags ? undefined : vc.VoiceConnectorArn ? listTags(aws, vc.VoiceConnectorArn) : Promise.resolve({} as Record<string, string>),
    wants.termination ? read<GetVoiceConnectorTerminationCommandOutput>('GetVoiceConnectorTermination') : undefined,
    wants.credentials ? read<ListVoiceConnectorTerminationCredentialsCommandOutput>('ListVoiceConnectorTerminationCredentials') : undefined,
    wants.terminationHealth ? read<GetVoiceConnectorTerminationHealthCommandOutput>('GetVoiceConnectorTerminationHealth') : undefined,
    wants.origination ? read<{ Origination?: AwsOrigination }>('GetVoiceConnectorOrigination') : undefined,
    wants.streaming ? read<GetVoiceConnectorStreamingConfigurationCommandOutput>('GetVoiceConnectorStreamingConfiguration') : undefined,
    wants.logging ? read<GetVoiceConnectorLoggingConfigurationCommandOutput>('GetVoiceConnectorLoggingConfiguration') : undefined,
    wants.emergencyCalling ? read<{ EmergencyCallingConfiguration?: AwsEmergencyCalling }>('GetVoiceConnectorEmergencyCallingConfiguration') : undefined,
    wants.proxy ? read<GetVoiceConnectorProxyCommandOutput>('GetVoiceConnectorProxy') : undefined,
    wants.externalSystems ? read<GetVoiceConnectorExternalSystemsConfigurationCommandOutput>('GetVoiceConnectorExternalSystemsConfiguration') : undefined,
    readForDelete
      ? aws.inventory.list<{ E164PhoneNumber?: string; PhoneNumberId?: string }>({
          service: 'voice',
          operation: 'ListPhoneNumbers',
          input: { FilterName: 'VoiceConnectorId', FilterValue: id },
          items: 'PhoneNumbers',
        })
      : undefined,
    // Numbers are account-wide, but a listing filtered by a connector names the connector: asked through
    // its region's endpoint, which answers under either reading of AWS (docs/concepts.md#regions).
    // Groups are listed in the home region, where they are created.
    readForDelete
      ? account.inventory.list<{ VoiceConnectorGroupId: string; Name?: string; VoiceConnectorItems?: Array<{ VoiceConnectorId: string }> }>({
          service: 'voice',
          operation: 'ListVoiceConnectorGroups',
          items: 'VoiceConnectorGroups',
        })
      : undefined,
  ]);

  const observed: VoiceConnectorObserved = answered
    ? structuredClone(answered.observed)
    : {
        ...readIdentity(vc),
        tags: {},
        ...(appliedTagKeysOf(atProvider) ? { appliedTagKeys: appliedTagKeysOf(atProvider) } : {}),
        credentialHashes: knownHashes(atProvider.terminationCredentials, desired, executed),
      };
  if (tags !== undefined) observed.tags = tags;
  if (wants.termination) observed.termination = readTermination(termination?.Termination);
  if (credentials !== undefined) observed.credentialUsernames = [...(credentials?.Usernames ?? [])];
  else if (wants.credentials) observed.credentialUsernames = [];
  if (wants.terminationHealth) {
    const h = health?.TerminationHealth;
    observed.terminationHealth = {
      ...(h?.Timestamp ? { timestamp: new Date(h.Timestamp).toISOString() } : {}),
      ...(h?.Source ? { source: h.Source } : {}),
      readAt: now.toISOString(),
    };
  } else if (!answered && desired.termination !== undefined && recordedHealth) observed.terminationHealth = { ...recordedHealth };
  if (wants.origination) observed.origination = readOrigination(origination?.Origination, observed.requireEncryption);
  if (wants.streaming) observed.streaming = readStreaming(streaming?.StreamingConfiguration);
  if (wants.logging) observed.logging = readLogging(logging?.LoggingConfiguration);
  if (wants.emergencyCalling) observed.emergencyCalling = readEmergencyCalling(emergency?.EmergencyCallingConfiguration);
  if (wants.proxy) observed.proxy = readProxy(proxy?.Proxy);
  if (wants.externalSystems) observed.externalSystems = readExternalSystems(external?.ExternalSystemsConfiguration);

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

const PARTS: readonly VoiceConnectorPart[] = ['tags', 'termination', 'credentials', 'terminationHealth', 'origination', 'streaming', 'logging', 'emergencyCalling', 'proxy', 'externalSystems'];
