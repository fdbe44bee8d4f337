/**
 * Directory mode has no API server to keep status in, so it keeps its own: per target (endpoint,
 * region), the last status of every object and the spec it was reconciled from. Status only caches
 * what AWS holds (ids, keyed digests of passwords); losing the file loses nothing but a few reads,
 * and at most one re-put of termination credentials. The digest key lives beside it (digest.key).
 */
import { mkdirSync, readFileSync, renameSync, writeFileSync, existsSync } from 'node:fs';
import { dirname } from 'node:path';
import { digest } from '../core/canonical.js';
import type { SecretDigest } from '../reconcile/secret-digest.js';
import { directoryModeDigest } from './digest-key-file.js';
import type { ManagedObject, ObjectKey, ObjectStatus } from '../reconcile/types.js';
import { keyString } from '../reconcile/types.js';

export interface StoredObject {
  object: Pick<ManagedObject, 'apiVersion' | 'kind' | 'metadata' | 'spec'>;
  status: ObjectStatus;
  /** Digest of the spec last reconciled, to tell a spec change from drift. */
  specDigest: string;
  /** Counts spec changes, standing in for metadata.generation. */
  generation: number;
}

interface StoreFile {
  format: 'chime-voice-operator-status';
  version: 1;
  targets: Record<string, Record<string, StoredObject>>;
}

export class StatusStore {
  private data: StoreFile = { format: 'chime-voice-operator-status', version: 1, targets: {} };
  /** Keys the password digests this status keeps: a key file beside it, or in memory with it. */
  readonly secretDigest: SecretDigest;

  /** `file` undefined keeps everything in memory (the embedded emulator starts empty every time). */
  constructor(
    private readonly file: string | undefined,
    private readonly target: string,
  ) {
    this.secretDigest = directoryModeDigest(file);
    if (file && existsSync(file)) {
      const parsed = JSON.parse(readFileSync(file, 'utf8')) as StoreFile;
      if (parsed.format !== 'chime-voice-operator-status' || parsed.version !== 1) {
        throw new Error(`${file} is not a chime-voice-operator status file (format ${JSON.stringify(parsed.format)}, version ${parsed.version})`);
      }
      this.data = parsed;
    }
  }

  private get entries(): Record<string, StoredObject> {
    return (this.data.targets[this.target] ??= {});
  }

  get(key: ObjectKey): StoredObject | undefined {
    return this.entries[keyString(key)];
  }

  all(): StoredObject[] {
    return Object.values(this.entries);
  }

  /**
   * The object as the engine should see it: the spec from the folder, the status from the store,
   * and a generation that moves when the spec changes. Returns whether the spec changed.
   */
  hydrate(obj: ManagedObject, key: ObjectKey): { obj: ManagedObject; specChanged: boolean } {
    const stored = this.get(key);
    const specDigest = digest(obj.spec ?? {});
    const generation = stored ? (stored.specDigest === specDigest ? stored.generation : stored.generation + 1) : 1;
    return {
      obj: { ...obj, metadata: { ...obj.metadata, generation }, status: stored?.status },
      specChanged: !stored || stored.specDigest !== specDigest || stored.status.observedGeneration !== generation,
    };
  }

  put(obj: ManagedObject, key: ObjectKey, status: ObjectStatus): void {
    const { status: _ignored, ...object } = obj;
    this.entries[keyString(key)] = { object, status, specDigest: digest(obj.spec ?? {}), generation: obj.metadata.generation ?? 1 };
  }

  remove(key: ObjectKey): void {
    delete this.entries[keyString(key)];
  }

  save(): void {
    if (!this.file) return;
    mkdirSync(dirname(this.file), { recursive: true });
    const tmp = `${this.file}.tmp`;
    writeFileSync(tmp, JSON.stringify(this.data, null, 1));
    renameSync(tmp, this.file);
  }
}
