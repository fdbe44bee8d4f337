/**
 * The desired Voice Connector in AWS terms (VC1-VC9): identity, encryption and network type, tags
 * with the ownership marker, and each settings block the spec manages. A block left out of the spec
 * is `undefined` here and is never compared nor written.
 */
import type { VoiceConnectorSpec, VoiceConnectorAtProvider } from '../../api/kinds/voice-connector.js';
import { LIMITS } from '../../domain/limits.js';
import { InvalidSpecError } from '../../reconcile/errors.js';
import type { DesiredContext, ManagedObject } from '../../reconcile/types.js';
import { resolveField } from '../shared/references.js';
import { declaredTags, type DesiredTags } from '../shared/tags.js';

export const DEFAULT_REGION = 'us-east-1';
export const DEFAULT_NETWORK_TYPE = 'IPV4_ONLY';
/** AWS's default SIP port for an origination route. */
export const DEFAULT_SIP_PORT = 5060;

export interface DesiredCredential {
  username: string;
  /**
   * Sent to AWS only; never printed (the action marks it sensitive), never stored in status.
   * Undefined when an optional Secret reference holds no password yet: the password AWS has is
   * then left alone.
   */
  password?: string;
  /**
   * The keyed digest of the password (`hmac-sha256:<key id>:<hex>`, see SecretDigest): what status
   * keeps to notice a changed Secret. Never a plain hash, which could be brute-forced.
   */
  passwordHash?: string;
  /** Where the password is to come from, for the message when one is needed and missing. */
  source?: string;
}

export interface DesiredTermination {
  disabled?: boolean;
  cpsLimit?: number;
  callingRegions?: string[];
  cidrAllowedList?: string[];
  defaultPhoneNumber?: string;
  /** The complete set of credentials; undefined when not managed. */
  credentials?: DesiredCredential[];
}

export interface DesiredRoute {
  host: string;
  port: number;
  /** Undefined: AWS's default, TCP on an encrypted connector and UDP otherwise (resolved at diff time). */
  protocol?: 'TCP' | 'UDP';
  priority: number;
  weight: number;
}

export interface DesiredOrigination {
  disabled?: boolean;
  routes?: DesiredRoute[];
}

export interface DesiredStreaming {
  disabled?: boolean;
  dataRetentionInHours?: number;
  notificationTargets?: string[];
  /** The call analytics configuration ARN (given, or resolved from the reference). */
  callAnalyticsConfigurationArn?: string;
  /** The spec path the analytics link came from, for drift entries. */
  callAnalyticsPath?: 'streaming.callAnalyticsConfigurationArn' | 'streaming.callAnalyticsConfigurationRef';
}

export interface DesiredLogging {
  enableSIPLogs: boolean;
  enableMediaMetricLogs: boolean;
}

export interface DesiredDnis {
  emergencyPhoneNumber: string;
  testPhoneNumber?: string;
  callingCountry: string;
}

export interface DesiredProxy {
  defaultSessionExpiryMinutes: number;
  phoneNumberCountries: string[];
  fallBackPhoneNumber?: string;
  disabled?: boolean;
}

export interface DesiredExternalSystems {
  sessionBorderControllerTypes?: string[];
  contactCenterSystemTypes?: string[];
}

export interface VoiceConnectorDesired {
  /** The AWS name: spec.name, else metadata.name. */
  name: string;
  /** Compared only when the spec sets them (VC1); creation uses AWS's defaults otherwise. */
  region?: string;
  requireEncryption?: boolean;
  networkType?: string;
  /** The spec's tags plus the ownership marker (src/kinds/shared/tags.ts). */
  tags: DesiredTags;
  termination?: DesiredTermination;
  origination?: DesiredOrigination;
  streaming?: DesiredStreaming;
  logging?: DesiredLogging;
  /** An empty list removes emergency calling. */
  emergencyCalling?: { dnis: DesiredDnis[] };
  proxy?: DesiredProxy;
  externalSystems?: DesiredExternalSystems;
}

const dedupe = (values: string[], path: string): string[] => {
  const seen = new Set<string>();
  for (const v of values) {
    if (seen.has(v)) throw new InvalidSpecError(`${path} lists ${v} more than once`, path);
    seen.add(v);
  }
  return [...values];
};

export function voiceConnectorDesired(obj: ManagedObject<VoiceConnectorSpec, VoiceConnectorAtProvider>, ctx: DesiredContext): VoiceConnectorDesired {
  const spec = obj.spec ?? ({} as VoiceConnectorSpec);
  const desired: VoiceConnectorDesired = {
    name: spec.name ?? obj.metadata.name,
    tags: declaredTags(obj, spec.tags, LIMITS.tagsPerResource.max),
  };
  if (spec.region !== undefined) desired.region = spec.region;
  if (spec.requireEncryption !== undefined) desired.requireEncryption = spec.requireEncryption;
  if (spec.networkType !== undefined) desired.networkType = spec.networkType;
  // The schema defaults requireEncryption to true: UDP routes are checked against that default too (VC2).
  const encrypted = spec.requireEncryption ?? true;

  if (spec.termination) {
    const t = spec.termination;
    const term: DesiredTermination = {};
    if (t.disabled !== undefined) term.disabled = t.disabled;
    if (t.cpsLimit !== undefined) term.cpsLimit = t.cpsLimit;
    if (t.callingRegions !== undefined) term.callingRegions = dedupe(t.callingRegions, 'termination.callingRegions');
    if (t.cidrAllowedList !== undefined) term.cidrAllowedList = dedupe(t.cidrAllowedList, 'termination.cidrAllowedList');
    if (t.defaultPhoneNumber !== undefined) term.defaultPhoneNumber = t.defaultPhoneNumber;
    if (t.disabled !== true && !(term.callingRegions && term.callingRegions.length > 0)) {
      throw new InvalidSpecError('termination.callingRegions needs at least one country while termination is enabled (VC3)', 'termination.callingRegions');
    }
    if (t.credentials !== undefined) {
      const seen = new Set<string>();
      term.credentials = t.credentials.map((c, i) => {
        const path = `termination.credentials[${i}]`;
        if (seen.has(c.username)) throw new InvalidSpecError(`${path}: user name ${c.username} is listed more than once`, path);
        seen.add(c.username);
        const ref = c.passwordSecretRef;
        let password: string;
        try {
          password = ctx.secret(ref.name, ref.key);
        } catch (err) {
          // optional: a password not supplied yet (an imported credential) leaves AWS's alone.
          if (ref.optional !== true || !(err instanceof InvalidSpecError)) throw err;
          return { username: c.username, source: `Secret ${ref.name} key ${ref.key}` };
        }
        // Checked here so that AWS never sees (and never echoes in an error) a malformed password.
        if (password.length === 0 || !/^[\x20-\x7e]+$/.test(password)) {
          throw new InvalidSpecError(
            `${path}: the password in Secret ${ref.name} key ${ref.key} must be non-empty printable US-ASCII (RFC 2617)`,
            `${path}.passwordSecretRef`,
          );
        }
        return { username: c.username, password, passwordHash: ctx.digestSecret(password) };
      });
    }
    desired.termination = term;
  }

  if (spec.origination) {
    const o = spec.origination;
    const orig: DesiredOrigination = {};
    if (o.disabled !== undefined) orig.disabled = o.disabled;
    if (o.routes !== undefined) {
      const seen = new Set<string>();
      orig.routes = o.routes.map((r, i) => {
        const path = `origination.routes[${i}]`;
        if (r.protocol === 'UDP' && encrypted) {
          throw new InvalidSpecError(
            `${path}: a UDP route to ${r.host} cannot be used on a Voice Connector that requires encryption: every inbound call uses TLS over TCP (VC2). Use TCP, or set requireEncryption: false`,
            `${path}.protocol`,
          );
        }
        const port = r.port ?? DEFAULT_SIP_PORT;
        const key = `${r.host.toLowerCase()}|${port}|${r.protocol ?? ''}`;
        if (seen.has(key)) throw new InvalidSpecError(`${path} repeats the route ${r.host}:${port}`, path);
        seen.add(key);
        return { host: r.host, port, ...(r.protocol ? { protocol: r.protocol } : {}), priority: r.priority, weight: r.weight };
      });
    }
    if (o.disabled !== true && !(orig.routes && orig.routes.length > 0)) {
      throw new InvalidSpecError('origination needs at least one route unless it is disabled (VC4)', 'origination.routes');
    }
    desired.origination = orig;
  }

  if (spec.streaming) {
    const s = spec.streaming;
    const str: DesiredStreaming = {};
    if (s.disabled !== undefined) str.disabled = s.disabled;
    if (s.dataRetentionInHours !== undefined) str.dataRetentionInHours = s.dataRetentionInHours;
    if (s.disabled !== true && s.dataRetentionInHours === undefined) {
      throw new InvalidSpecError('streaming.dataRetentionInHours is required unless streaming is disabled (VC6)', 'streaming.dataRetentionInHours');
    }
    if (s.notificationTargets !== undefined) str.notificationTargets = dedupe(s.notificationTargets, 'streaming.notificationTargets');
    if (s.callAnalyticsConfigurationArn !== undefined && s.callAnalyticsConfigurationRef !== undefined) {
      throw new InvalidSpecError('streaming: link the call analytics configuration by ARN or by reference, not both', 'streaming.callAnalyticsConfigurationRef');
    }
    if (s.callAnalyticsConfigurationArn !== undefined) {
      str.callAnalyticsConfigurationArn = s.callAnalyticsConfigurationArn;
      str.callAnalyticsPath = 'streaming.callAnalyticsConfigurationArn';
    } else if (s.callAnalyticsConfigurationRef !== undefined) {
      const refName = s.callAnalyticsConfigurationRef.name;
      str.callAnalyticsConfigurationArn = resolveField({ ctx, obj, kind: 'CallAnalyticsConfiguration', name: refName, field: 'arn', what: 'ARN' });
      str.callAnalyticsPath = 'streaming.callAnalyticsConfigurationRef';
    }
    desired.streaming = str;
  }

  // A field left out of the logging block means off, as in AWS (VC7).
  if (spec.logging) desired.logging = { enableSIPLogs: spec.logging.enableSIPLogs ?? false, enableMediaMetricLogs: spec.logging.enableMediaMetricLogs ?? false };

  if (spec.emergencyCalling) {
    const countries = new Set<string>();
    const dnis = spec.emergencyCalling.dnis.map((d, i) => {
      const path = `emergencyCalling.dnis[${i}]`;
      const callingCountry = d.callingCountry ?? 'US';
      if (countries.has(callingCountry)) throw new InvalidSpecError(`${path}: calling country ${callingCountry} already has a DNIS entry (VC5)`, path);
      countries.add(callingCountry);
      return { emergencyPhoneNumber: d.emergencyPhoneNumber, ...(d.testPhoneNumber !== undefined ? { testPhoneNumber: d.testPhoneNumber } : {}), callingCountry };
    });
    if (dnis.length > 0 && (spec.termination?.disabled === true || spec.origination?.disabled === true)) {
      throw new InvalidSpecError(
        'emergency calling needs termination and origination enabled; remove emergencyCalling.dnis before disabling either (VC5)',
        'emergencyCalling',
      );
    }
    desired.emergencyCalling = { dnis };
  }

  if (spec.proxy) {
    const p = spec.proxy;
    desired.proxy = {
      defaultSessionExpiryMinutes: p.defaultSessionExpiryMinutes,
      phoneNumberCountries: dedupe(p.phoneNumberCountries, 'proxy.phoneNumberCountries'),
      ...(p.fallBackPhoneNumber !== undefined ? { fallBackPhoneNumber: p.fallBackPhoneNumber } : {}),
      ...(p.disabled !== undefined ? { disabled: p.disabled } : {}),
    };
  }

  if (spec.externalSystems) {
    const e = spec.externalSystems;
    desired.externalSystems = {
      ...(e.sessionBorderControllerTypes !== undefined ? { sessionBorderControllerTypes: dedupe(e.sessionBorderControllerTypes, 'externalSystems.sessionBorderControllerTypes') } : {}),
      ...(e.contactCenterSystemTypes !== undefined ? { contactCenterSystemTypes: dedupe(e.contactCenterSystemTypes, 'externalSystems.contactCenterSystemTypes') } : {}),
    };
  }
  return desired;
}
