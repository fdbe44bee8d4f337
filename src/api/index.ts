// Registry of every kind of chimevoice.io/v1alpha1.
import type { TSchema } from '@sinclair/typebox';
import { API_VERSION_STRING } from './common.js';
import type { KindDescriptor } from './kind.js';
import { AwsAccountKind } from './kinds/aws-account.js';
import { CallAnalyticsConfigurationKind, type CallAnalyticsConfiguration } from './kinds/call-analytics-configuration.js';
import { PhoneNumberKind, type PhoneNumber } from './kinds/phone-number.js';
import { SipMediaApplicationKind, type SipMediaApplication } from './kinds/sip-media-application.js';
import { SipRuleKind, type SipRule } from './kinds/sip-rule.js';
import { VoiceConnectorKind, type VoiceConnector } from './kinds/voice-connector.js';
import { VoiceConnectorGroupKind, type VoiceConnectorGroup } from './kinds/voice-connector-group.js';
import { VoiceGlobalSettingsKind, type VoiceGlobalSettings } from './kinds/voice-global-settings.js';
import { VoiceProfileDomainKind, type VoiceProfileDomain } from './kinds/voice-profile-domain.js';
import { CHIME_REF_KEYWORD } from './schema.js';

export * from './common.js';
export * from './kind.js';
export * from './kinds/voice-connector.js';
export * from './kinds/voice-connector-group.js';
export * from './kinds/voice-global-settings.js';
export * from './kinds/phone-number.js';
export * from './kinds/sip-media-application.js';
export * from './kinds/sip-rule.js';
export * from './kinds/voice-profile-domain.js';
export * from './kinds/call-analytics-configuration.js';
export * from './kinds/aws-account.js';

/** Every kind, in dependency order (what is referenced comes before what references it). */
export const KINDS: readonly KindDescriptor[] = [
  VoiceGlobalSettingsKind,
  CallAnalyticsConfigurationKind,
  VoiceProfileDomainKind,
  VoiceConnectorKind,
  VoiceConnectorGroupKind,
  PhoneNumberKind,
  SipMediaApplicationKind,
  SipRuleKind,
];

/** Any object of this API. */
export type AnyChimeObject =
  | VoiceGlobalSettings
  | CallAnalyticsConfiguration
  | VoiceProfileDomain
  | VoiceConnector
  | VoiceConnectorGroup
  | PhoneNumber
  | SipMediaApplication
  | SipRule;

export type KindName = AnyChimeObject['kind'];

/** The object type of a kind name. */
export type ObjectOfKind<K extends KindName> = Extract<AnyChimeObject, { kind: K }>;

/**
 * Kinds the controller reads as configuration and reconciles nothing for (no handler, no AWS
 * resource): how to reach an AWS account.
 */
export const CONFIG_KINDS: readonly KindDescriptor[] = [AwsAccountKind];

/** Every kind with a CRD: the managed kinds, then the configuration kinds. */
export const CRD_KINDS: readonly KindDescriptor[] = [...KINDS, ...CONFIG_KINDS];

const byKind = new Map<string, KindDescriptor>(KINDS.map((k) => [k.kind, k]));
const anyKind = new Map<string, KindDescriptor>(CRD_KINDS.map((k) => [k.kind, k]));

/** The descriptor of a managed kind, or undefined when the kind is not one. */
export function getKind(kind: string): KindDescriptor | undefined {
  return byKind.get(kind);
}

/** The descriptor of any kind of this API (managed or configuration), for validation and the API paths. */
export function getAnyKind(kind: string): KindDescriptor | undefined {
  return anyKind.get(kind);
}

export function isKnownKind(kind: string): kind is KindName {
  return byKind.has(kind);
}

/** True when apiVersion/kind name one of our kinds (the shape is not validated; see validateObject). */
export function isChimeObject(o: unknown): o is AnyChimeObject {
  if (!o || typeof o !== 'object') return false;
  const r = o as Record<string, unknown>;
  return r.apiVersion === API_VERSION_STRING && typeof r.kind === 'string' && byKind.has(r.kind);
}

/** A reference field of a kind: `path` like `spec.voiceConnectors[].voiceConnectorRef`. */
export interface ReferenceField {
  path: string;
  targetKind: string;
}

/** Every reference field of a kind (to our kinds, and to Secrets), read from the schema itself. */
export function referenceFields(kind: string): ReferenceField[] {
  const d = byKind.get(kind);
  if (!d) return [];
  const out: ReferenceField[] = [];
  const walk = (s: TSchema, path: string) => {
    const target = s[CHIME_REF_KEYWORD];
    if (typeof target === 'string') {
      out.push({ path, targetKind: target });
      return;
    }
    if (s.properties) for (const [k, v] of Object.entries(s.properties as Record<string, TSchema>)) walk(v, `${path}.${k}`);
    if (s.items) walk(s.items as TSchema, `${path}[]`);
  };
  walk(d.spec, 'spec');
  return out;
}
