/**
 * PN2, PN3: what can be ordered through the API. The identity documents by country and number
 * type come from the administrator guide's "phone number requirements by country" tables; a
 * country listed here cannot be ordered from the pool: the number is requested through an AWS
 * Support case with these documents. Checked before any write, so such a spec never reaches
 * CreatePhoneNumberOrder (AWS would refuse it with the same list).
 */
import { parsePhoneNumberFromString } from 'libphonenumber-js/max';

// The PN3 document table and the country names are shared with the emulator (src/domain), so the
// operator refuses with the same list AWS does.
import { requiredDocuments as documentsFor, type NumberType } from '../../domain/phone-number-countries.js';
export { countryName, type NumberType } from '../../domain/phone-number-countries.js';

/** PN3: the documents for this number type (both types without one), worded to follow a colon mid-sentence. */
export const requiredDocuments = (country: string, type: NumberType | undefined): string[] =>
  documentsFor(country, type).map((d) => d[0].toLowerCase() + d.slice(1));

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
