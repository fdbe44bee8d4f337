/** What a PhoneNumber's status.atProvider caches, as the kind reads it back. */
import type { PhoneNumberAtProvider } from '../../api/kinds/phone-number.js';

/**
 * The schema's atProvider, plus what the association calls capture (API4): their per-number
 * errors, which the observation right after the call reads from the cache. AWS data as answered,
 * so read defensively (observe's `asErrors`).
 */
export type PnCache = PhoneNumberAtProvider & {
  associationErrors?: unknown;
  disassociationErrors?: unknown;
};
