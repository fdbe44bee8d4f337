/** Keyed digests of passwords, the directory-mode key file, and the leak check other tests rely on. */
import { createHash } from 'node:crypto';
import { chmodSync, mkdtempSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { compareDigests, DigestKeyError, SecretDigest } from '../../src/reconcile/secret-digest.js';
import { digestKeyFileFor, directoryModeDigest, loadOrCreateDigestKeyFile } from '../../src/sources/digest-key-file.js';
import { assertNoSecretLeak, leakForms } from '../helpers/secrets.js';

const sha256 = (v: string) => createHash('sha256').update(v).digest('hex');

describe('SecretDigest', () => {
  const a = new SecretDigest(() => Buffer.alloc(32, 1));
  const b = new SecretDigest(() => Buffer.alloc(32, 2));

  it('is an HMAC under the key, with the scheme and a key id, and never the plain sha256 of the value', () => {
    const d = a.of('hunter22');
    expect(d).toMatch(/^hmac-sha256:[0-9a-f]{16}:[0-9a-f]{64}$/);
    expect(d).not.toContain(sha256('hunter22'));
    expect(a.of('hunter22')).toBe(d);
    expect(b.of('hunter22')).not.toBe(d);
    // The key id says which key, not what it is: it is not the key, nor a plain hash of it.
    expect(d.split(':')[1]).not.toBe(Buffer.alloc(32, 1).toString('hex').slice(0, 16));
  });

  it('compares: same, changed under the same key, unknown under another key, an older scheme, or no record', () => {
    expect(compareDigests(a.of('x-password'), a.of('x-password'))).toBe('same');
    expect(compareDigests(a.of('x-password'), a.of('y-password'))).toBe('changed');
    expect(compareDigests(a.of('x-password'), b.of('x-password'))).toBe('unknown');
    expect(compareDigests(a.of('x-password'), `sha256:${sha256('x-password')}`)).toBe('unknown');
    expect(compareDigests(a.of('x-password'), undefined)).toBe('unknown');
  });

  it('refuses a key shorter than 32 bytes', () => {
    expect(() => new SecretDigest(() => Buffer.alloc(16)).of('x')).toThrow(/needs at least 32/);
  });
});

describe('the digest key file of directory mode', () => {
  const dir = () => mkdtempSync(path.join(tmpdir(), 'cvo-key-'));

  it('lives beside the status file and is created with mode 0600, 32 bytes of hex, only when first needed', () => {
    const status = path.join(dir(), 'nested', 'status.json');
    const file = digestKeyFileFor(status);
    expect(file).toBe(path.join(path.dirname(status), 'digest.key'));
    const digest = directoryModeDigest(status);
    expect(() => statSync(file)).toThrow(/ENOENT/);
    const first = digest.of('hunter22');
    expect(statSync(file).mode & 0o777).toBe(0o600);
    expect(readFileSync(file, 'utf8')).toMatch(/^[0-9a-f]{64}\n$/);
    // Another process (a later command) finds the same key, so the same digest.
    expect(directoryModeDigest(status).of('hunter22')).toBe(first);
    expect(loadOrCreateDigestKeyFile(file).toString('hex')).toBe(readFileSync(file, 'utf8').trim());
  });

  it('refuses a key file group or others can read, and one that is not a key, saying what to do', () => {
    const status = path.join(dir(), 'status.json');
    const file = digestKeyFileFor(status);
    loadOrCreateDigestKeyFile(file);
    chmodSync(file, 0o640);
    expect(() => directoryModeDigest(status)).toThrow(DigestKeyError);
    expect(() => directoryModeDigest(status)).toThrow(/readable by others \(mode 0640\): run chmod 600/);
    writeFileSync(file, 'not a key\n', { mode: 0o600 });
    chmodSync(file, 0o600);
    expect(() => directoryModeDigest(status)).toThrow(/is not 32 or more bytes of hex: delete it/);
  });

  it('keeps the key in memory when status does (an embedded emulator without a state file)', () => {
    const one = directoryModeDigest(undefined);
    expect(one.of('hunter22')).toBe(one.of('hunter22'));
    expect(directoryModeDigest(undefined).of('hunter22')).not.toBe(one.of('hunter22'));
  });
});

describe('assertNoSecretLeak', () => {
  it('finds the value, base64 and sha256/sha1/md5 hex (either case), and names the form, never the secret', () => {
    const secret = 'hunter22';
    for (const { form, text } of leakForms(secret)) {
      const shown = /hex$/.test(form) ? text.toUpperCase() : text;
      expect(() => assertNoSecretLeak(`drift: AWS has "sha256:${shown}"`, [secret]), form).toThrow(new RegExp(`leaked as ${form}`));
      try {
        assertNoSecretLeak(`x ${shown}`, [secret]);
      } catch (err) {
        expect((err as Error).message).not.toContain(secret);
      }
    }
    expect(leakForms(secret).map((f) => f.form)).toEqual(expect.arrayContaining(['the value', 'base64', 'sha256 hex', 'sha1 hex', 'md5 hex']));
  });

  it('passes text with only a keyed digest, and refuses secrets too short to search for', () => {
    expect(() => assertNoSecretLeak(new SecretDigest(() => Buffer.alloc(32, 3)).of('hunter22'), ['hunter22'])).not.toThrow();
    expect(() => assertNoSecretLeak('anything', ['pw'])).toThrow(/shorter than 6/);
  });
});
