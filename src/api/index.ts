// Registry of every kind of chimevoice.io/v1alpha1.
import { API_VERSION_STRING } from './common.js';
import type { KindDescriptor } from './kind.js';
import { VoiceConnectorKind } from './kinds/voice-connector.js';
import { VoiceConnectorGroupKind } from './kinds/voice-connector-group.js';
import { VoiceGlobalSettingsKind } from './kinds/voice-global-settings.js';

export * from './common.js';
export * from './kind.js';
export * from './kinds/voice-connector.js';
export * from './kinds/voice-connector-group.js';
export * from './kinds/voice-global-settings.js';

/** Every kind, in dependency order (what is referenced comes before what references it). */
export const KINDS: readonly KindDescriptor[] = [VoiceGlobalSettingsKind, VoiceConnectorKind, VoiceConnectorGroupKind];

export type KindName = 'VoiceGlobalSettings' | 'VoiceConnector' | 'VoiceConnectorGroup';

const byKind = new Map<string, KindDescriptor>(KINDS.map((k) => [k.kind, k]));

/** The descriptor of a kind, or undefined when the kind is not part of this API. */
export function getKind(kind: string): KindDescriptor | undefined {
  return byKind.get(kind);
}

export function isKnownKind(kind: string): kind is KindName {
  return byKind.has(kind);
}

/** True when apiVersion/kind name one of our kinds. */
export function isChimeObject(o: unknown): o is { apiVersion: typeof API_VERSION_STRING; kind: KindName } {
  if (!o || typeof o !== 'object') return false;
  const r = o as Record<string, unknown>;
  return r.apiVersion === API_VERSION_STRING && typeof r.kind === 'string' && byKind.has(r.kind);
}
