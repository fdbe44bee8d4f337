/**
 * Observation of the account's settings. They exist once per account, so two objects describing
 * them would fight; the world decides one winner deterministically (oldest creationTimestamp, then
 * namespace/name) and every other object is reported as a conflict and left out of AWS.
 */
import type { VoiceGlobalSettingsAtProvider, VoiceGlobalSettingsSpec } from '../../api/kinds/voice-global-settings.js';
import type { ManagedObject, ObserveArgs, World } from '../../reconcile/types.js';
import type { GlobalSettingsDesired } from './desired.js';

export interface GlobalSettingsObserved {
  /** The bucket AWS reports; undefined when none is set. */
  cdrBucket?: string;
  /** Set when another object owns the account's settings: `<namespace>/<name>` of the winner. */
  conflictWith?: string;
}

const keyName = (o: ManagedObject) => `${o.metadata.namespace ?? 'default'}/${o.metadata.name}`;

/** Objects without a creationTimestamp (directory mode) sort after those with one, then by namespace/name. */
function precedes(a: ManagedObject, b: ManagedObject): boolean {
  const ta = a.metadata.creationTimestamp ? Date.parse(a.metadata.creationTimestamp) : Number.POSITIVE_INFINITY;
  const tb = b.metadata.creationTimestamp ? Date.parse(b.metadata.creationTimestamp) : Number.POSITIVE_INFINITY;
  if (ta !== tb) return ta < tb;
  return keyName(a) < keyName(b);
}

/** The VoiceGlobalSettings object (any namespace) that owns the account's settings. */
export function settingsOwner(world: World, obj: ManagedObject): ManagedObject {
  const all = world.list('VoiceGlobalSettings');
  if (!all.some((o) => keyName(o) === keyName(obj))) all.push(obj);
  return all.reduce((best, o) => (precedes(o, best) ? o : best));
}

export async function observeGlobalSettings({ obj, aws, world }: ObserveArgs<GlobalSettingsDesired, unknown, VoiceGlobalSettingsSpec, VoiceGlobalSettingsAtProvider>): Promise<GlobalSettingsObserved> {
  const out = await aws.send<{ VoiceConnector?: { CdrBucket?: string } }>('voice', 'GetGlobalSettings', {});
  const owner = settingsOwner(world, obj);
  const bucket = out.VoiceConnector?.CdrBucket;
  return {
    ...(bucket ? { cdrBucket: bucket } : {}),
    ...(keyName(owner) !== keyName(obj) ? { conflictWith: keyName(owner) } : {}),
  };
}
