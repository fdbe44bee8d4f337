/**
 * Directory mode's digest key: 32 random bytes (hex) in a file beside the status file, readable by
 * its owner only, created atomically the first time a password is digested. The key stays on this
 * machine; status holds only digests made with it (see SecretDigest). A lost key costs one more
 * write of each termination password, never a wrong answer.
 */
import { randomBytes } from 'node:crypto';
import { closeSync, fsyncSync, linkSync, mkdirSync, openSync, readFileSync, statSync, unlinkSync, writeSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { DigestKeyError, SECRET_DIGEST_KEY_BYTES, SecretDigest } from '../reconcile/secret-digest.js';

export const DIGEST_KEY_FILE_NAME = 'digest.key';

/** The key file that goes with a status file: `digest.key` in the same folder. */
export function digestKeyFileFor(statusFile: string): string {
  return join(dirname(statusFile), DIGEST_KEY_FILE_NAME);
}

/** Thrown when the key file exists but cannot be trusted or read; the message says what to do. */
export class DigestKeyFileError extends DigestKeyError {}

/**
 * Reads an existing key file: it must be the owner's alone (as ssh insists for private keys: a key
 * others could read no longer keeps digests from being checked against guesses) and hold at least
 * 32 bytes of hex. Undefined when there is no file.
 */
export function readDigestKeyFile(file: string): Buffer | undefined {
  let mode: number;
  try {
    mode = statSync(file).mode;
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw new DigestKeyFileError(`cannot read the digest key ${file}: ${(err as Error).message}`);
  }
  if (process.platform !== 'win32' && (mode & 0o077) !== 0) {
    throw new DigestKeyFileError(
      `the digest key ${file} is readable by others (mode ${(mode & 0o777).toString(8).padStart(4, '0')}): run chmod 600 ${file}, ` +
        'or, if others may have read it, delete it (a new key is made, and each termination password is sent to AWS once more)',
    );
  }
  const text = readFileSync(file, 'utf8').trim();
  if (!/^([0-9a-f]{2})+$/i.test(text) || text.length < SECRET_DIGEST_KEY_BYTES * 2) {
    throw new DigestKeyFileError(
      `the digest key ${file} is not ${SECRET_DIGEST_KEY_BYTES} or more bytes of hex: delete it to make a new one (each termination password is then sent to AWS once more)`,
    );
  }
  return Buffer.from(text, 'hex');
}

/**
 * Reads the key file, or creates it: written whole to a temporary file opened with mode 0600, then
 * linked into place, so that no reader ever sees a partial key and, of two processes racing, one
 * key wins and both use it.
 */
export function loadOrCreateDigestKeyFile(file: string): Buffer {
  const existing = readDigestKeyFile(file);
  if (existing) return existing;
  mkdirSync(dirname(file), { recursive: true, mode: 0o700 });
  const tmp = `${file}.${process.pid}.${randomBytes(4).toString('hex')}.tmp`;
  const fd = openSync(tmp, 'wx', 0o600);
  try {
    writeSync(fd, `${randomBytes(SECRET_DIGEST_KEY_BYTES).toString('hex')}\n`);
    fsyncSync(fd);
  } finally {
    closeSync(fd);
  }
  try {
    linkSync(tmp, file);
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err;
  } finally {
    unlinkSync(tmp);
  }
  const key = readDigestKeyFile(file);
  if (!key) throw new DigestKeyFileError(`the digest key ${file} vanished right after it was created`);
  return key;
}

/**
 * The digester of directory mode: a key file beside the status file, or, when status lives in
 * memory only (an embedded emulator without a state file), a key that lives as long as the process.
 * An existing key file is checked at once, so that a bad one stops the command before any work.
 */
export function directoryModeDigest(statusFile: string | undefined): SecretDigest {
  if (statusFile === undefined) return SecretDigest.ephemeral();
  const file = digestKeyFileFor(statusFile);
  const existing = readDigestKeyFile(file);
  return new SecretDigest(() => existing ?? loadOrCreateDigestKeyFile(file));
}
