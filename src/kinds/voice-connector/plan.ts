/**
 * Pure planning for Voice Connectors. The order is the domain's, not AWS's error messages':
 * - VC5: emergency calling comes off before termination or origination is disabled (or deleted),
 *   and goes on only after termination and origination are enabled.
 * - VC2: encryption is switched on only after origination routes have moved off UDP, and switched
 *   off before routes move to UDP.
 * - A create is one CreateVoiceConnector carrying the tags and the ownership marker (so a crash
 *   right after it leaves a findable connector), then the settings, addressed to the new id through
 *   a `{ $output }` placeholder.
 * - VC8: numbers and groups holding the connector block its deletion; those this project manages
 *   let go first, the others are reported by name.
 * Every Put replaces its whole sub-configuration in AWS, so what the spec does not manage inside a
 * block is sent back as AWS has it, and Puts of different blocks do not touch each other: within
 * each of the three steps the order above leaves, they go out side by side (`alongside`).
 */
import type { VoiceConnectorAtProvider } from '../../api/kinds/voice-connector.js';
import { InvalidSpecError } from '../../reconcile/errors.js';
import { numberHolder } from '../shared/references.js';
import { awsTags, tagActions } from '../shared/tags.js';
import type { DeleteBlocker, DeletePlan, Difference, ManagedObject, OutputRef, PlannedAction, World } from '../../reconcile/types.js';
import { DEFAULT_NETWORK_TYPE, DEFAULT_REGION, type DesiredRoute, type VoiceConnectorDesired } from './desired.js';
import { credentialPath, diffVoiceConnector, effectiveEncryption } from './diff.js';
import type { VoiceConnectorObserved } from './observed.js';

type Id = string | OutputRef;

const under = (diffs: Difference[], prefix: string) => diffs.filter((d) => d.path === prefix || d.path.startsWith(`${prefix}.`) || d.path.startsWith(`${prefix}[`));
const paths = (diffs: Difference[]) => diffs.map((d) => d.path);
const list = (values: readonly string[]) => (values.length === 0 ? 'none' : values.join(', '));

/** What a connector looks like right after CreateVoiceConnector: the baseline a create's settings are planned against. */
export function freshConnector(desired: VoiceConnectorDesired): VoiceConnectorObserved {
  return {
    voiceConnectorId: '(new)',
    name: desired.name,
    region: desired.region ?? DEFAULT_REGION,
    requireEncryption: desired.requireEncryption ?? true,
    networkType: desired.networkType ?? DEFAULT_NETWORK_TYPE,
    tags: { ...desired.tags },
    credentialHashes: {},
    ...(desired.termination ? { termination: null } : {}),
    ...(desired.termination?.credentials ? { credentialUsernames: [] } : {}),
    ...(desired.origination ? { origination: null } : {}),
    ...(desired.streaming ? { streaming: null } : {}),
    ...(desired.logging ? { logging: { enableSIPLogs: false, enableMediaMetricLogs: false } } : {}),
    ...(desired.emergencyCalling ? { emergencyCalling: null } : {}),
    ...(desired.proxy ? { proxy: null } : {}),
    ...(desired.externalSystems ? { externalSystems: null } : {}),
  };
}

export function planVoiceConnector(desired: VoiceConnectorDesired, observed: VoiceConnectorObserved | undefined, diffs: Difference[]): PlannedAction<VoiceConnectorAtProvider>[] {
  if (observed === undefined) {
    const fresh = freshConnector(desired);
    const settings = diffVoiceConnector(desired, fresh).filter((d) => !d.requiresReplacement);
    const create: PlannedAction = {
      service: 'voice',
      operation: 'CreateVoiceConnector',
      input: {
        Name: desired.name,
        AwsRegion: fresh.region,
        RequireEncryption: fresh.requireEncryption,
        NetworkType: fresh.networkType,
        Tags: awsTags(desired.tags),
      },
      description: `create Voice Connector "${desired.name}" in ${fresh.region} (${fresh.requireEncryption ? 'encrypted' : 'unencrypted'}, ${fresh.networkType}) with the ownership tag`,
      captures: { VoiceConnectorId: 'VoiceConnector.VoiceConnectorId' },
    };
    return [create, ...planSettings(desired, fresh, settings, { $output: 'VoiceConnectorId' })];
  }
  return planSettings(desired, observed, diffs, observed.voiceConnectorId);
}

function planSettings(desired: VoiceConnectorDesired, observed: VoiceConnectorObserved, diffs: Difference[], id: Id): PlannedAction<VoiceConnectorAtProvider>[] {
  const label = typeof id === 'string' ? `Voice Connector ${id}` : 'the new Voice Connector';
  const first: PlannedAction<VoiceConnectorAtProvider>[] = [];
  // Termination and origination, which credentials, encryption going on and emergency calling need first.
  const enabling: PlannedAction<VoiceConnectorAtProvider>[] = [];
  const middle: PlannedAction<VoiceConnectorAtProvider>[] = [];
  const last: PlannedAction<VoiceConnectorAtProvider>[] = [];

  // Identity: UpdateVoiceConnector takes the name and encryption together.
  const identity = [...under(diffs, 'name'), ...under(diffs, 'requireEncryption')];
  const turningEncryptionOn = desired.requireEncryption === true && observed.requireEncryption === false;
  const update: PlannedAction | undefined =
    identity.length > 0
      ? {
          service: 'voice',
          operation: 'UpdateVoiceConnector',
          input: { VoiceConnectorId: id, Name: desired.name, RequireEncryption: effectiveEncryption(desired, observed) },
          description: `update ${label}: ${identity.map((d) => (d.path === 'name' ? `name "${desired.name}"` : `encryption ${d.desired ? 'required' : 'not required'}`)).join(', ')}`,
          fixes: paths(identity),
        }
      : undefined;
  if (update && !turningEncryptionOn) first.push(update);

  if (observed.arn) first.push(...tagActions({ service: 'voice', arn: observed.arn, label, desired: desired.tags, diffs }));

  // VC5, coming off: emergency calling goes before anything that disables termination or origination.
  const emergencyDiffs = under(diffs, 'emergencyCalling');
  const wantsEmergency = (desired.emergencyCalling?.dnis.length ?? 0) > 0;
  const removingEmergency = emergencyDiffs.length > 0 && !wantsEmergency && !!observed.emergencyCalling;
  if (removingEmergency) {
    first.push({
      service: 'voice',
      operation: 'DeleteVoiceConnectorEmergencyCallingConfiguration',
      input: { VoiceConnectorId: id },
      description: `remove emergency calling from ${label} (VC5: before termination or origination is turned off)`,
      fixes: paths(emergencyDiffs),
    });
  }
  const emergencyStays = !!observed.emergencyCalling && !removingEmergency;

  // Termination (VC3), without its credentials.
  const termDiffs = under(diffs, 'termination').filter((d) => !d.path.startsWith('termination.credentials'));
  const t = desired.termination;
  if (t && termDiffs.length > 0) {
    const o = observed.termination ?? undefined;
    const disabled = t.disabled ?? o?.disabled ?? false;
    if (disabled && emergencyStays) {
      throw new InvalidSpecError(
        `termination.disabled: ${label} has emergency calling configured, and it must be removed before termination is turned off (VC5); set emergencyCalling.dnis: [] in the same change`,
        'termination.disabled',
      );
    }
    const cps = t.cpsLimit ?? o?.cpsLimit;
    const regions = t.callingRegions ?? o?.callingRegions;
    const cidrs = t.cidrAllowedList ?? o?.cidrAllowedList;
    const caller = t.defaultPhoneNumber ?? o?.defaultPhoneNumber;
    enabling.push({
      service: 'voice',
      operation: 'PutVoiceConnectorTermination',
      input: {
        VoiceConnectorId: id,
        Termination: {
          ...(cps !== undefined ? { CpsLimit: cps } : {}),
          ...(regions !== undefined ? { CallingRegions: [...regions] } : {}),
          ...(cidrs !== undefined ? { CidrAllowedList: [...cidrs] } : {}),
          ...(caller !== undefined ? { DefaultPhoneNumber: caller } : {}),
          Disabled: disabled,
        },
      },
      description: disabled
        ? `turn off termination (outbound calls) on ${label}`
        : `set termination on ${label}: calling regions ${list(regions ?? [])}, allowed hosts ${list(cidrs ?? [])}${cps !== undefined ? `, ${cps} calls per second` : ''}${caller ? `, caller id ${caller}` : ''}`,
      fixes: paths(termDiffs),
    });
  }

  // Credentials: user names are compared with AWS, passwords through their hashes in status.
  const credDiffs = under(diffs, 'termination.credentials');
  if (t?.credentials && credDiffs.length > 0) {
    const removed = credDiffs.filter((d) => d.desired === undefined).map((d) => (d.actual as { username: string }).username);
    const toWrite = t.credentials.filter((c) => credDiffs.some((d) => d.path === credentialPath(c.username) || d.path === `${credentialPath(c.username)}.password`));
    if (removed.length > 0) {
      middle.push({
        service: 'voice',
        operation: 'DeleteVoiceConnectorTerminationCredentials',
        input: { VoiceConnectorId: id, Usernames: removed },
        description: `remove termination credentials ${removed.join(', ')} from ${label}`,
        fixes: removed.map(credentialPath),
      });
    }
    const unsupplied = toWrite.find((c) => c.password === undefined);
    if (unsupplied) {
      // An optional reference leaves an existing password alone; a credential AWS lacks cannot be made without one.
      throw new InvalidSpecError(
        `${credentialPath(unsupplied.username)}: ${label} has no credential ${unsupplied.username} yet, and ${unsupplied.source ?? 'its Secret'} holds no password; supply the password to create it`,
        `${credentialPath(unsupplied.username)}.passwordSecretRef`,
      );
    }
    if (toWrite.length > 0) {
      middle.push({
        service: 'voice',
        operation: 'PutVoiceConnectorTerminationCredentials',
        input: { VoiceConnectorId: id, Credentials: toWrite.map((c) => ({ Username: c.username, Password: c.password })) },
        description: `set termination credentials ${toWrite.map((c) => c.username).join(', ')} on ${label} (passwords from Secrets)`,
        fixes: paths(credDiffs.filter((d) => d.desired !== undefined)),
        sensitive: ['Password'],
      });
    }
  }

  // Origination (VC4).
  const origDiffs = under(diffs, 'origination');
  const og = desired.origination;
  if (og && origDiffs.length > 0) {
    const o = observed.origination ?? undefined;
    const disabled = og.disabled ?? o?.disabled ?? false;
    if (disabled && emergencyStays) {
      throw new InvalidSpecError(
        `origination.disabled: ${label} has emergency calling configured, and it must be removed before origination is turned off (VC5); set emergencyCalling.dnis: [] in the same change`,
        'origination.disabled',
      );
    }
    const routes = og.routes ? normalizeSent(og.routes, effectiveEncryption(desired, observed)) : (o?.routes ?? []);
    enabling.push({
      service: 'voice',
      operation: 'PutVoiceConnectorOrigination',
      input: {
        VoiceConnectorId: id,
        Origination: {
          Routes: routes.map((r) => ({ Host: r.host, Port: r.port, Protocol: r.protocol, Priority: r.priority, Weight: r.weight })),
          Disabled: disabled,
        },
      },
      description: disabled
        ? `turn off origination (inbound calls) on ${label}`
        : `set origination on ${label}: routes ${list(routes.map((r) => `${r.host}:${r.port}/${r.protocol} priority ${r.priority} weight ${r.weight}`))}`,
      fixes: paths(origDiffs),
    });
  }
  if (update && turningEncryptionOn) middle.push(update);

  // VC5, going on: after termination and origination are enabled.
  if (emergencyDiffs.length > 0 && wantsEmergency) {
    const dnis = desired.emergencyCalling!.dnis;
    last.push({
      service: 'voice',
      operation: 'PutVoiceConnectorEmergencyCallingConfiguration',
      input: {
        VoiceConnectorId: id,
        EmergencyCallingConfiguration: {
          DNIS: dnis.map((d) => ({ EmergencyPhoneNumber: d.emergencyPhoneNumber, ...(d.testPhoneNumber !== undefined ? { TestPhoneNumber: d.testPhoneNumber } : {}), CallingCountry: d.callingCountry })),
        },
      },
      description: `set emergency calling on ${label}: ${dnis.map((d) => `${d.callingCountry} emergency ${d.emergencyPhoneNumber}${d.testPhoneNumber ? `, test ${d.testPhoneNumber}` : ''}`).join('; ')} (VC5: after termination and origination)`,
      fixes: paths(emergencyDiffs),
    });
  }

  // Streaming (VC6).
  const streamDiffs = under(diffs, 'streaming');
  const s = desired.streaming;
  if (s && streamDiffs.length > 0) {
    const o = observed.streaming ?? undefined;
    const disabled = s.disabled ?? o?.disabled ?? false;
    const retention = s.dataRetentionInHours ?? o?.dataRetentionInHours ?? 0;
    const targets = s.notificationTargets ?? o?.notificationTargets;
    const mic = s.callAnalyticsConfigurationArn !== undefined ? { Disabled: false, ConfigurationArn: s.callAnalyticsConfigurationArn } : o?.mediaInsights;
    last.push({
      service: 'voice',
      operation: 'PutVoiceConnectorStreamingConfiguration',
      input: {
        VoiceConnectorId: id,
        StreamingConfiguration: {
          DataRetentionInHours: retention,
          Disabled: disabled,
          ...(targets !== undefined && targets.length > 0 ? { StreamingNotificationTargets: targets.map((NotificationTarget) => ({ NotificationTarget })) } : {}),
          ...(mic !== undefined ? { MediaInsightsConfiguration: mic } : {}),
        },
      },
      description: disabled
        ? `turn off media streaming on ${label}`
        : `stream media of ${label} to Kinesis Video Streams, kept ${retention} hours${targets?.length ? `, notifying ${targets.join(', ')}` : ''}${
            s.callAnalyticsConfigurationArn ? `, call analytics ${s.callAnalyticsConfigurationArn} (takes about 5 minutes to apply)` : ''
          }`,
      fixes: paths(streamDiffs),
    });
  }

  // Logging (VC7).
  const logDiffs = under(diffs, 'logging');
  if (desired.logging && logDiffs.length > 0) {
    const l = desired.logging;
    last.push({
      service: 'voice',
      operation: 'PutVoiceConnectorLoggingConfiguration',
      input: { VoiceConnectorId: id, LoggingConfiguration: { EnableSIPLogs: l.enableSIPLogs, EnableMediaMetricLogs: l.enableMediaMetricLogs } },
      description: `set logging on ${label}: SIP message logs ${l.enableSIPLogs ? 'on' : 'off'}, media metric logs ${l.enableMediaMetricLogs ? 'on' : 'off'}`,
      fixes: paths(logDiffs),
    });
  }

  // Proxy.
  const proxyDiffs = under(diffs, 'proxy');
  if (desired.proxy && proxyDiffs.length > 0) {
    const p = desired.proxy;
    const o = observed.proxy ?? undefined;
    const fallback = p.fallBackPhoneNumber ?? o?.fallBackPhoneNumber;
    const disabled = p.disabled ?? o?.disabled;
    last.push({
      service: 'voice',
      operation: 'PutVoiceConnectorProxy',
      input: {
        VoiceConnectorId: id,
        DefaultSessionExpiryMinutes: p.defaultSessionExpiryMinutes,
        PhoneNumberPoolCountries: [...p.phoneNumberCountries],
        ...(fallback !== undefined ? { FallBackPhoneNumber: fallback } : {}),
        ...(disabled !== undefined ? { Disabled: disabled } : {}),
      },
      description: `set proxy sessions on ${label}: ${p.defaultSessionExpiryMinutes} minutes, numbers from ${list(p.phoneNumberCountries)}${disabled ? ' (disabled)' : ''}`,
      fixes: paths(proxyDiffs),
    });
  }

  // External systems: AWS keeps no empty configuration, so "none of either" is a delete.
  const extDiffs = under(diffs, 'externalSystems');
  if (desired.externalSystems && extDiffs.length > 0) {
    const e = desired.externalSystems;
    const o = observed.externalSystems ?? undefined;
    const sbc = e.sessionBorderControllerTypes ?? o?.sessionBorderControllerTypes ?? [];
    const ccs = e.contactCenterSystemTypes ?? o?.contactCenterSystemTypes ?? [];
    if (sbc.length === 0 && ccs.length === 0) {
      if (o) {
        last.push({
          service: 'voice',
          operation: 'DeleteVoiceConnectorExternalSystemsConfiguration',
          input: { VoiceConnectorId: id },
          description: `remove the external systems configuration of ${label}`,
          fixes: paths(extDiffs),
        });
      }
    } else {
      last.push({
        service: 'voice',
        operation: 'PutVoiceConnectorExternalSystemsConfiguration',
        input: { VoiceConnectorId: id, SessionBorderControllerTypes: [...sbc], ContactCenterSystemTypes: [...ccs] },
        description: `set external systems of ${label}: session border controllers ${list(sbc)}, contact center systems ${list(ccs)}`,
        fixes: paths(extDiffs),
      });
    }
  }
  // Three steps, each sent side by side (every Put replaces its own sub-configuration only): what
  // comes off or is renamed first; then termination and origination; then what needs them
  // (credentials VC3, encryption going on VC2, emergency calling VC5) and the independent rest.
  return [...sideBySide(first), ...sideBySide(enabling), ...sideBySide([...middle, ...last])];
}

/** The actions as one step: each after the first goes out alongside it. */
function sideBySide<A extends object>(actions: PlannedAction<A>[]): PlannedAction<A>[] {
  return actions.map((action, k) => (k === 0 ? action : { ...action, alongside: true as const }));
}

/** Routes as sent: the spec's host spelling, AWS's defaults made explicit. */
function normalizeSent(routes: DesiredRoute[], encrypted: boolean) {
  return routes.map((r) => ({ host: r.host, port: r.port, protocol: r.protocol ?? (encrypted ? 'TCP' : 'UDP'), priority: r.priority, weight: r.weight }));
}

const objectName = (o: ManagedObject) => `${o.kind} ${o.metadata.namespace ?? 'default'}/${o.metadata.name}`;

export function planVoiceConnectorDelete(_desired: VoiceConnectorDesired, observed: VoiceConnectorObserved, world: World): DeletePlan<VoiceConnectorAtProvider> {
  const id = observed.voiceConnectorId;
  const blockers: DeleteBlocker[] = [];
  // VC8: a connector must have no phone numbers before it is deleted.
  for (const n of observed.phoneNumbers ?? []) {
    const owner = numberHolder(world, n);
    blockers.push(
      owner
        ? { managed: true, message: `phone number ${n.e164} (${objectName(owner)}) to leave Voice Connector ${id}` }
        : {
            managed: false,
            message: `phone number ${n.e164} is associated with Voice Connector ${id}; disassociate it (DisassociatePhoneNumbersFromVoiceConnector) before the connector can be deleted (VC8)`,
          },
    );
  }
  for (const g of observed.groups ?? []) {
    const owner = world.list('VoiceConnectorGroup').find((o) => o.status?.atProvider?.voiceConnectorGroupId === g.voiceConnectorGroupId);
    const label = `Voice Connector group ${g.voiceConnectorGroupId}${g.name ? ` ("${g.name}")` : ''}`;
    blockers.push(
      owner
        ? { managed: true, message: `${label} (${objectName(owner)}) to remove Voice Connector ${id}` }
        : { managed: false, message: `${label} holds Voice Connector ${id}; remove it from the group (UpdateVoiceConnectorGroup) before the connector can be deleted` },
    );
  }
  const actions: PlannedAction<VoiceConnectorAtProvider>[] = [];
  // VC5: emergency calling goes before termination.
  if (observed.emergencyCalling) {
    actions.push({
      service: 'voice',
      operation: 'DeleteVoiceConnectorEmergencyCallingConfiguration',
      input: { VoiceConnectorId: id },
      description: `remove emergency calling from Voice Connector ${id} (VC5: before termination)`,
    });
  }
  if (observed.termination) {
    actions.push({
      service: 'voice',
      operation: 'DeleteVoiceConnectorTermination',
      input: { VoiceConnectorId: id },
      description: `remove termination (outbound calls) from Voice Connector ${id}`,
    });
  }
  actions.push({ service: 'voice', operation: 'DeleteVoiceConnector', input: { VoiceConnectorId: id }, description: `delete Voice Connector ${id}` });
  return { actions, blockers };
}
