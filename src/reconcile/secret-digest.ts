/**
 * Keyed digests of secret values (termination passwords), to notice that a Secret changed without
 * keeping anything that leads back to the value. AWS never returns a password, so the controller
 * must remember what it sent; a plain SHA-256 of it would be a password hash anyone who reads the
 * status could brute-force (`sha256sum` gives the same value). An HMAC-SHA-256 under a random
 * per-installation key cannot be checked against a guess without the key, and the key never
 * appears in any output, status, Event or log.
 *
 * A digest reads `hmac-sha256:<key id>:<64 hex>`. The key id (itself an HMAC of a fixed label,
 * so it says nothing about the key) tells a digest made under another key (a lost key file, a
 * recreated Secret) or by an older scheme (`sha256:<hex>`) from a changed password: such a digest
 * is `unknown`, and the password is sent once more, never reported as drift forever.
 */
import { createHmac, randomBytes, timingSafeEqual } from 'node:crypto';

export const SECRET_DIGEST_SCHEME = 'hmac-sha256';
/** Bytes of a generated key; a given key must have at least as many. */
export const SECRET_DIGEST_KEY_BYTES = 32;

const KEY_ID_LABEL = 'chime-voice-operator digest key id';

/**
 * The digest key cannot be had or trusted (a key file others can read, a Secret the controller may
 * not read): the message says which and what to do, and is all the command prints.
 */
export class DigestKeyError extends Error {}

/** How a recorded digest relates to the digest of the current value. */
export type DigestComparison = 'same' | 'changed' | 'unknown';

export class SecretDigest {
  private key: Buffer | undefined;
  private prefix = '';

  /**
   * `loadKey` is called on first use, so that a folder without credentials never creates a key
   * file, and the controller can fetch its Secret after construction.
   */
  constructor(private readonly loadKey: () => Buffer) {}

  /** A key that lives as long as the process: for state that lives no longer (an embedded emulator without a state file). */
  static ephemeral(): SecretDigest {
    const key = randomBytes(SECRET_DIGEST_KEY_BYTES);
    return new SecretDigest(() => key);
  }

  private ensureKey(): Buffer {
    if (!this.key) {
      const key = this.loadKey();
      if (key.length < SECRET_DIGEST_KEY_BYTES) throw new Error(`the digest key has ${key.length} bytes; it needs at least ${SECRET_DIGEST_KEY_BYTES}`);
      this.key = key;
      this.prefix = `${SECRET_DIGEST_SCHEME}:${createHmac('sha256', key).update(KEY_ID_LABEL).digest('hex').slice(0, 16)}:`;
    }
    return this.key;
  }

  /** The keyed digest of `value`: `hmac-sha256:<key id>:<hex>`. */
  of(value: string): string {
    const key = this.ensureKey();
    return `${this.prefix}${createHmac('sha256', key).update(value, 'utf8').digest('hex')}`;
  }
}

/** The scheme and key id of a digest: everything before the last colon. */
function keyPart(digest: string): string {
  return digest.slice(0, digest.lastIndexOf(':') + 1);
}

/**
 * `current` is the digest of the value now (under the current key); `recorded` what status holds.
 * `unknown` when nothing is recorded or the record was made under another key or scheme: the
 * value cannot be compared, which is not the same as changed.
 */
export function compareDigests(current: string, recorded: string | undefined): DigestComparison {
  if (recorded === undefined || keyPart(recorded) !== keyPart(current) || keyPart(current) === '') return 'unknown';
  const a = Buffer.from(current);
  const b = Buffer.from(recorded);
  return a.length === b.length && timingSafeEqual(a, b) ? 'same' : 'changed';
}
