/**
 * `--state FILE`: the state survives a restart. Writes are atomic (temporary file, fsync, rename)
 * and carry a checksum, so a file cut short or edited by hand is refused whole, never half-loaded.
 */
import { createHash } from 'node:crypto';
import { closeSync, fsyncSync, openSync, readFileSync, renameSync, writeSync, existsSync } from 'node:fs';
import { dirname, basename, join } from 'node:path';
import { emptyState, type EmulatorState } from './state.js';

const FORMAT = 'chime-voice-operator-emulator-state';

export class SnapshotError extends Error {}

export function encodeSnapshot(state: EmulatorState, savedAt: Date): string {
  const body = JSON.stringify(state);
  const sha256 = createHash('sha256').update(body).digest('hex');
  return `{"format":"${FORMAT}","version":${state.version},"savedAt":"${savedAt.toISOString()}","sha256":"${sha256}","state":${body}}\n`;
}

export function decodeSnapshot(text: string, source: string): EmulatorState {
  let doc: { format?: unknown; version?: unknown; sha256?: unknown; state?: Record<string, unknown> } | null;
  try {
    doc = JSON.parse(text);
  } catch (err) {
    throw new SnapshotError(`${source}: not a complete JSON document (${(err as Error).message}); the file may have been cut short. Refusing to load it.`);
  }
  if (doc?.format !== FORMAT) throw new SnapshotError(`${source}: not an emulator state file (format is ${JSON.stringify(doc?.format)}, expected "${FORMAT}").`);
  if (doc.version !== 1) throw new SnapshotError(`${source}: state format version ${JSON.stringify(doc.version)} is not supported (expected 1).`);
  if (typeof doc.state !== 'object' || doc.state === null) throw new SnapshotError(`${source}: the "state" member is missing.`);
  const sha256 = createHash('sha256').update(JSON.stringify(doc.state)).digest('hex');
  if (sha256 !== doc.sha256) throw new SnapshotError(`${source}: checksum mismatch (the file was modified or corrupted after it was written). Refusing to load it.`);
  const template = emptyState();
  for (const key of Object.keys(template) as Array<keyof EmulatorState>) {
    if (key === 'version') continue;
    const value = doc.state[key];
    if (typeof value !== 'object' || value === null || Array.isArray(value)) {
      throw new SnapshotError(`${source}: state.${key} must be an object.`);
    }
  }
  return { ...template, ...doc.state } as EmulatorState;
}

export function loadSnapshot(file: string): EmulatorState | undefined {
  if (!existsSync(file)) return undefined;
  return decodeSnapshot(readFileSync(file, 'utf8'), file);
}

export function writeSnapshotAtomically(file: string, state: EmulatorState, savedAt: Date): void {
  const tmp = join(dirname(file), `.${basename(file)}.${process.pid}.tmp`);
  const fd = openSync(tmp, 'w', 0o600);
  try {
    writeSync(fd, encodeSnapshot(state, savedAt));
    fsyncSync(fd);
  } finally {
    closeSync(fd);
  }
  renameSync(tmp, file);
}
