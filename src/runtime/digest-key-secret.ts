/**
 * The controller's digest key (see SecretDigest): the key of a Secret in its own namespace. The
 * controller reads it on start, or creates it (immutable, 32 random bytes) when it is not there and
 * it may; of two replicas racing to create it, the second reads what the first made. The key never
 * leaves the process: it is not logged, not put in status or Events. A Secret recreated with a new
 * key costs one more write of each termination password, never a wrong answer.
 */
import { randomBytes } from 'node:crypto';
import type { CoreV1Api } from '@kubernetes/client-node';
import { DigestKeyError, SECRET_DIGEST_KEY_BYTES } from '../reconcile/secret-digest.js';
import { statusCodeOf } from './kube.js';

/** The data key of the Secret that holds the digest key. */
export const DIGEST_KEY_DATA_KEY = 'key';
export const DEFAULT_DIGEST_KEY_SECRET = 'chime-voice-operator-digest-key';

export interface DigestKeySecretOptions {
  namespace: string;
  name: string;
  /** Create the Secret when it does not exist (needs `create` on Secrets in that namespace). */
  create: boolean;
}

/** Thrown when the key cannot be had; the message names the Secret and what to do. */
export class DigestKeySecretError extends DigestKeyError {}

export async function loadDigestKeySecret(core: CoreV1Api, opts: DigestKeySecretOptions): Promise<{ key: Buffer; created: boolean }> {
  const where = `Secret ${opts.namespace}/${opts.name}`;
  const read = async (): Promise<Buffer | undefined> => {
    try {
      const secret = await core.readNamespacedSecret({ namespace: opts.namespace, name: opts.name });
      const encoded = secret.data?.[DIGEST_KEY_DATA_KEY];
      if (encoded === undefined) throw new DigestKeySecretError(`the digest key ${where} has no data key "${DIGEST_KEY_DATA_KEY}"`);
      const key = Buffer.from(encoded, 'base64');
      if (key.length < SECRET_DIGEST_KEY_BYTES) {
        throw new DigestKeySecretError(`the digest key in ${where} (data key "${DIGEST_KEY_DATA_KEY}") has ${key.length} bytes; it needs at least ${SECRET_DIGEST_KEY_BYTES}`);
      }
      return key;
    } catch (err) {
      if (err instanceof DigestKeySecretError) throw err;
      const code = statusCodeOf(err);
      if (code === 404) return undefined;
      if (code === 403) throw new DigestKeySecretError(`cannot read the digest key ${where} (403 Forbidden): the controller needs get on it (the Helm chart grants it)`);
      throw new DigestKeySecretError(`cannot read the digest key ${where}: ${(err as Error).message}`);
    }
  };
  const existing = await read();
  if (existing) return { key: existing, created: false };
  if (!opts.create) throw new DigestKeySecretError(`the digest key ${where} does not exist, and creating it is turned off: create it (see docs/operations.md) or allow the controller to`);
  const key = randomBytes(SECRET_DIGEST_KEY_BYTES);
  try {
    await core.createNamespacedSecret({
      namespace: opts.namespace,
      body: {
        apiVersion: 'v1',
        kind: 'Secret',
        metadata: {
          name: opts.name,
          namespace: opts.namespace,
          labels: { 'app.kubernetes.io/name': 'chime-voice-operator', 'app.kubernetes.io/component': 'digest-key' },
          annotations: {
            'chimevoice.io/description':
              'Key of the HMAC-SHA-256 digests of termination passwords kept in status. Deleting it costs one more write of each password to AWS.',
          },
        },
        type: 'Opaque',
        // Nothing should edit a key in place: a change is a new key, made by deleting the Secret.
        immutable: true,
        data: { [DIGEST_KEY_DATA_KEY]: key.toString('base64') },
      },
    });
    return { key, created: true };
  } catch (err) {
    const code = statusCodeOf(err);
    if (code === 409) {
      const won = await read();
      if (won) return { key: won, created: false };
    }
    if (code === 403) throw new DigestKeySecretError(`cannot create the digest key ${where} (403 Forbidden): the controller needs create on Secrets in ${opts.namespace} (the Helm chart grants it), or create the Secret yourself`);
    throw new DigestKeySecretError(`cannot create the digest key ${where}: ${(err as Error).message}`);
  }
}
