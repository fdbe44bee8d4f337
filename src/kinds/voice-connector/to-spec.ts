/**
 * Pure: the spec of a Voice Connector as AWS holds it, for `import`. Every block AWS has configured
 * is written, so that the imported object manages all of it and `desired` of this spec diffs
 * to nothing against the same observation (test/kinds/to-spec.test.ts proves the round trip).
 * Blocks AWS has never configured (null in the observation) are left out: not managed.
 */
import type { VoiceConnectorSpec } from '../../api/kinds/voice-connector.js';
import { declarableTags, type CredentialSecretRef, type ImportNames } from '../shared/import.js';
import type { VoiceConnectorObserved } from './observe.js';

export interface VoiceConnectorToSpecOptions {
  names: ImportNames;
  /** The Secret (and key) that will hold the password of a credential user name. */
  credentialSecret(username: string): CredentialSecretRef;
}

const sorted = (values: readonly string[]) => [...values].sort();

export function voiceConnectorToSpec(observed: VoiceConnectorObserved, opts: VoiceConnectorToSpecOptions): VoiceConnectorSpec {
  const spec: VoiceConnectorSpec = { name: observed.name };
  if (observed.region) spec.region = observed.region as VoiceConnectorSpec['region'];
  if (observed.requireEncryption !== undefined) spec.requireEncryption = observed.requireEncryption;
  if (observed.networkType) spec.networkType = observed.networkType as VoiceConnectorSpec['networkType'];
  const tags = declarableTags(observed.tags);
  if (tags) spec.tags = tags;

  const t = observed.termination;
  if (t) {
    spec.termination = {
      // Written even when false: drift that turns a block off is then seen.
      disabled: t.disabled,
      ...(t.cpsLimit !== undefined ? { cpsLimit: t.cpsLimit } : {}),
      ...(t.callingRegions.length > 0 ? { callingRegions: sorted(t.callingRegions) } : {}),
      ...(t.cidrAllowedList.length > 0 ? { cidrAllowedList: sorted(t.cidrAllowedList) } : {}),
      ...(t.defaultPhoneNumber !== undefined ? { defaultPhoneNumber: t.defaultPhoneNumber } : {}),
    };
  }
  if (observed.credentialUsernames !== undefined && (t || observed.credentialUsernames.length > 0)) {
    // AWS never returns passwords: each credential points at a Secret that holds none yet, and
    // `optional` tells the controller to leave the password AWS has alone until one is supplied.
    spec.termination ??= {};
    spec.termination.credentials = sorted(observed.credentialUsernames).map((username) => ({
      username,
      passwordSecretRef: { ...opts.credentialSecret(username), optional: true },
    }));
  }

  const o = observed.origination;
  if (o) {
    spec.origination = {
      disabled: o.disabled,
      ...(o.routes.length > 0
        ? {
            routes: [...o.routes]
              .sort((a, b) => a.priority - b.priority || a.weight - b.weight || (a.host < b.host ? -1 : a.host > b.host ? 1 : a.port - b.port))
              .map((r) => ({ host: r.host, port: r.port, protocol: r.protocol, priority: r.priority, weight: r.weight })),
          }
        : {}),
    };
  }

  const s = observed.streaming;
  if (s) {
    const arn = s.callAnalyticsConfigurationArn;
    const ref = arn !== undefined ? opts.names.nameOf('CallAnalyticsConfiguration', arn) : undefined;
    spec.streaming = {
      disabled: s.disabled,
      ...(s.dataRetentionInHours !== undefined ? { dataRetentionInHours: s.dataRetentionInHours } : {}),
      ...(s.notificationTargets.length > 0 ? { notificationTargets: sorted(s.notificationTargets) as NonNullable<VoiceConnectorSpec['streaming']>['notificationTargets'] } : {}),
      ...(ref !== undefined ? { callAnalyticsConfigurationRef: { name: ref } } : arn !== undefined ? { callAnalyticsConfigurationArn: arn } : {}),
    };
  }

  if (observed.logging) spec.logging = { enableSIPLogs: observed.logging.enableSIPLogs, enableMediaMetricLogs: observed.logging.enableMediaMetricLogs };

  const e = observed.emergencyCalling;
  if (e && e.dnis.length > 0) {
    spec.emergencyCalling = {
      dnis: e.dnis.map((d) => ({
        emergencyPhoneNumber: d.emergencyPhoneNumber,
        ...(d.testPhoneNumber !== undefined ? { testPhoneNumber: d.testPhoneNumber } : {}),
        callingCountry: d.callingCountry as 'US',
      })),
    };
  }

  const p = observed.proxy;
  if (p && p.defaultSessionExpiryMinutes !== undefined && p.phoneNumberCountries.length > 0) {
    spec.proxy = {
      defaultSessionExpiryMinutes: p.defaultSessionExpiryMinutes,
      phoneNumberCountries: sorted(p.phoneNumberCountries),
      ...(p.fallBackPhoneNumber !== undefined ? { fallBackPhoneNumber: p.fallBackPhoneNumber } : {}),
      disabled: p.disabled,
    };
  }

  const x = observed.externalSystems;
  if (x && (x.sessionBorderControllerTypes.length > 0 || x.contactCenterSystemTypes.length > 0)) {
    type X = NonNullable<VoiceConnectorSpec['externalSystems']>;
    spec.externalSystems = {
      ...(x.sessionBorderControllerTypes.length > 0 ? { sessionBorderControllerTypes: sorted(x.sessionBorderControllerTypes) as X['sessionBorderControllerTypes'] } : {}),
      ...(x.contactCenterSystemTypes.length > 0 ? { contactCenterSystemTypes: sorted(x.contactCenterSystemTypes) as X['contactCenterSystemTypes'] } : {}),
    };
  }
  return spec;
}
