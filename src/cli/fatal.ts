/**
 * The one line the CLI prints for an error nothing else handled: what failed, and the file when the
 * error names one (Node's file system errors carry it), never a stack trace (input must not be able
 * to produce one). CHIME_VOICE_DEBUG=1 adds the stack for a developer. The entry point
 * (src/cli/main.ts) calls it from its top-level catch.
 */
import { echo } from '../domain/input-limits.js';

export function fatalMessage(err: unknown, env: NodeJS.ProcessEnv = process.env): string {
  const e = err as { name?: unknown; message?: unknown; path?: unknown; code?: unknown; stack?: unknown } | null | undefined;
  const name = typeof e?.name === 'string' && e.name !== 'Error' ? `${e.name}: ` : '';
  const raw = typeof e?.message === 'string' ? e.message : String(err);
  // The message may quote input (a value, a file's text): cut it, and keep it to one line.
  const message = raw.length > 300 ? echo(raw).slice(1, -1) : raw;
  const file = typeof e?.path === 'string' && !raw.includes(e.path) ? ` (${e.path})` : '';
  const line = `chime-voice-operator: ${name}${message}${file}`.replace(/\s*\n\s*/g, ' ');
  return env.CHIME_VOICE_DEBUG === '1' && typeof e?.stack === 'string' ? `${line}\n${e.stack}` : line;
}
