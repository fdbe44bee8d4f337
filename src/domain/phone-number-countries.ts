/**
 * Country facts about ordering phone numbers (PN3) that both sides of the project need: the
 * operator refuses such an order before any call (src/kinds/phone-number), and the emulator refuses
 * it the way AWS does (src/emulator). They live here, outside both, so the two cannot drift; not in
 * src/api, which is the CRD schema the CRDs and the reference pages are generated from.
 */

export type NumberType = 'Local' | 'TollFree';

const NAMES: Record<string, string> = {
  AU: 'Australia',
  AT: 'Austria',
  DK: 'Denmark',
  FI: 'Finland',
  DE: 'Germany',
  IE: 'Ireland',
  IT: 'Italy',
  NG: 'Nigeria',
  KR: 'South Korea',
  SE: 'Sweden',
  CH: 'Switzerland',
  US: 'the United States',
  CA: 'Canada',
  GB: 'the United Kingdom',
  NZ: 'New Zealand',
  PR: 'Puerto Rico',
};

/** The English name of a country code, or the code when it is not one of the supported countries. */
export const countryName = (code: string) => NAMES[code] ?? code;

const SAME_AREA = 'Business address in the same geographic area as the phone number';
const FOREIGN_OK = 'Business address (foreign addresses accepted)';
const inCountry = (c: string) => `Business address within ${NAMES[c]}`;
const PROOF_OF_LOCATION = 'Proof of location';
const REGISTRATION_OR_ID = 'Copy of business registration, or copy of ID for an individual';
const PROOF_OF_ADDRESS = 'Proof of address, such as a utility bill';

/**
 * PN3: the identity documents the administrator guide's "phone number requirements by country"
 * tables demand for ordering, by country and then by number class (`Local`, `TollFree`, or a
 * national range such as `DE-32`, which the emulator's pool tags its numbers with). An empty or
 * missing list means the number can be ordered through the API.
 */
const REQUIRED_DOCUMENTS: Record<string, Record<string, string[]>> = {
  AU: { Local: [SAME_AREA, PROOF_OF_LOCATION], TollFree: ['Business address (international addresses accepted)'] },
  AT: {
    Local: [
      SAME_AREA,
      'Proof of telecom service in the same area: an invoice from the network operator of another number there, or from an internet provider for a fixed-IP connection there',
    ],
    'AT-720': [inCountry('AT')],
    TollFree: [FOREIGN_OK],
  },
  DK: { Local: [FOREIGN_OK], TollFree: [FOREIGN_OK] },
  FI: { Local: [SAME_AREA, PROOF_OF_LOCATION], 'FI-075': [], TollFree: [] },
  DE: {
    Local: [SAME_AREA, REGISTRATION_OR_ID, PROOF_OF_ADDRESS],
    'DE-32': [inCountry('DE'), REGISTRATION_OR_ID, PROOF_OF_ADDRESS],
    TollFree: [inCountry('DE'), PROOF_OF_ADDRESS, 'Number certificate obtained first from the national regulator'],
  },
  IE: {
    Local: [SAME_AREA],
    'IE-0818': [inCountry('IE')],
    'IE-076': [inCountry('IE')],
    TollFree: ['Business address (worldwide addresses accepted)', 'Copy of business registration'],
  },
  IT: { Local: [SAME_AREA, PROOF_OF_LOCATION, 'Copy of business registration', 'Passport or end-user ID'], TollFree: [] },
  NG: { Local: [FOREIGN_OK] },
  KR: { TollFree: [inCountry('KR'), PROOF_OF_LOCATION] },
  SE: { Local: [FOREIGN_OK], TollFree: [FOREIGN_OK] },
  CH: {
    Local: [SAME_AREA, PROOF_OF_LOCATION, REGISTRATION_OR_ID],
    'CH-051': [inCountry('CH')],
    'CH-058': [inCountry('CH')],
    TollFree: [FOREIGN_OK, REGISTRATION_OR_ID],
  },
};

/**
 * PN3: the documents a number of this country, type and (optional) national range needs before it
 * can be ordered; empty when the API can order it. Without a type (an operator search that may
 * return either), the documents of both types apply.
 */
export function requiredDocuments(country: string, type: NumberType | undefined, cls?: string): string[] {
  const table = REQUIRED_DOCUMENTS[country];
  if (!table) return [];
  if (!type) return [...new Set([...(table.Local ?? []), ...(table.TollFree ?? [])])];
  return table[cls ?? type] ?? table[type] ?? [];
}
