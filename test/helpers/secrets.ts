/**
 * Checks that text shown to people or stored (plan output, a Markdown comment, a status file,
 * Events, logs) carries no secret: neither the value, nor a form that leads back to it. An
 * unkeyed digest is as good as the value for a short password (a dictionary finds it in seconds),
 * and base64 is only an encoding, so each is searched for, case-insensitively for the hex forms.
 */
import { createHash } from 'node:crypto';

/** Every form of `secret` that must not appear: the value, its base64 (padded and not), and its sha256, sha1 and md5 hex. */
export function leakForms(secret: string): Array<{ form: string; text: string }> {
  const base64 = Buffer.from(secret, 'utf8').toString('base64');
  const forms = [
    { form: 'the value', text: secret },
    { form: 'base64', text: base64 },
    { form: 'base64 without padding', text: base64.replace(/=+$/, '') },
    { form: 'base64url', text: Buffer.from(secret, 'utf8').toString('base64url') },
    ...(['sha256', 'sha1', 'md5'] as const).map((algorithm) => ({ form: `${algorithm} hex`, text: createHash(algorithm).update(secret, 'utf8').digest('hex') })),
  ];
  return forms.filter((f, i) => f.text.length > 0 && forms.findIndex((g) => g.text === f.text) === i);
}

/**
 * Throws, naming the form and where it was found (never the secret itself), when `text` holds any
 * form of any of `secrets`. A secret shorter than 6 characters would match by chance in ordinary
 * text, so it is refused: tests must use passwords that cannot occur otherwise.
 */
export function assertNoSecretLeak(text: string, secrets: readonly string[], where = 'the text'): void {
  const haystack = text.toLowerCase();
  for (const [i, secret] of secrets.entries()) {
    if (secret.length < 6) throw new Error(`assertNoSecretLeak: secret #${i + 1} is shorter than 6 characters and would match ordinary text by chance; use a longer one`);
    for (const { form, text: needle } of leakForms(secret)) {
      // The value and base64 are case-sensitive; hex digests are searched in either case.
      const found = /hex$/.test(form) ? haystack.indexOf(needle.toLowerCase()) : text.indexOf(needle);
      if (found >= 0) {
        const context = text.slice(Math.max(0, found - 40), found).replace(/\s+/g, ' ');
        throw new Error(`secret #${i + 1} leaked as ${form} in ${where}, after "…${context}"`);
      }
    }
  }
}
