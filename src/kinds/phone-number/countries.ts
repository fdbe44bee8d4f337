/**
 * PN2, PN3: what can be ordered through the API. The identity documents by country and number
 * type come from the administrator guide's "phone number requirements by country" tables; a
 * country listed here cannot be ordered from the pool: the number is requested through an AWS
 * Support case with these documents. Checked before any write, so such a spec never reaches
 * CreatePhoneNumberOrder (AWS would refuse it with the same list).
 */
import { parsePhoneNumberFromString } from 'libphonenumber-js/max';

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

export const countryName = (code: string) => NAMES[code] ?? code;

const SAME_AREA = 'business address in the same geographic area as the number';
const FOREIGN_OK = 'business address (foreign addresses accepted)';
const inCountry = (c: string) => `business address within ${NAMES[c]}`;
const PROOF_OF_LOCATION = 'proof of location';
const REGISTRATION_OR_ID = 'copy of business registration, or copy of ID for an individual';
const PROOF_OF_ADDRESS = 'proof of address, such as a utility bill';

const REQUIRED: Record<string, Partial<Record<NumberType, string[]>>> = {
  AU: { Local: [SAME_AREA, PROOF_OF_LOCATION], TollFree: ['business address (international addresses accepted)'] },
  AT: { Local: [SAME_AREA, 'proof of telecom service in the same area (an invoice for another number or a fixed-IP connection there)'], TollFree: [FOREIGN_OK] },
  DK: { Local: [FOREIGN_OK], TollFree: [FOREIGN_OK] },
  FI: { Local: [SAME_AREA, PROOF_OF_LOCATION] },
  DE: { Local: [SAME_AREA, REGISTRATION_OR_ID, PROOF_OF_ADDRESS], TollFree: [inCountry('DE'), PROOF_OF_ADDRESS, 'number certificate from the national regulator'] },
  IE: { Local: [SAME_AREA], TollFree: ['business address (worldwide addresses accepted)', 'copy of business registration'] },
  IT: { Local: [SAME_AREA, PROOF_OF_LOCATION, 'copy of business registration', 'passport or end-user ID'] },
  NG: { Local: [FOREIGN_OK] },
  KR: { TollFree: [inCountry('KR'), PROOF_OF_LOCATION] },
  SE: { Local: [FOREIGN_OK], TollFree: [FOREIGN_OK] },
  CH: { Local: [SAME_AREA, PROOF_OF_LOCATION, REGISTRATION_OR_ID], TollFree: [FOREIGN_OK, REGISTRATION_OR_ID] },
};

/** PN3: the documents a country asks for this number type; empty when the API can order it. */
export function requiredDocuments(country: string, type: NumberType | undefined): string[] {
  const table = REQUIRED[country];
  if (!table) return [];
  if (type) return table[type] ?? [];
  // No type chosen: the search may return either, so both lists apply.
  return [...new Set([...(table.Local ?? []), ...(table.TollFree ?? [])])];
}

/** North American toll-free numbers: +1 8xx with a toll-free prefix. */
const NANP_TOLL_FREE = /^\+18(00|33|44|55|66|77|88)\d{7}$/;

/** Country and type of an E.164 number from its digits (NANP toll-free numbers count as US). */
export function describeE164(e164: string): { country?: string; type: NumberType } {
  if (NANP_TOLL_FREE.test(e164)) return { country: 'US', type: 'TollFree' };
  const parsed = parsePhoneNumberFromString(e164);
  return { country: parsed?.country, type: parsed?.getType() === 'TOLL_FREE' ? 'TollFree' : 'Local' };
}

/** Area code (NANP local) or toll-free prefix of a +1 number. */
export function nanpPrefix(e164: string): string | undefined {
  return /^\+1(\d{3})\d{7}$/.exec(e164)?.[1];
}
