/**
 * Structured logs: pino JSON, one child logger per object carrying kind, namespace and name on
 * every line. Secrets never reach a log: values under credential-like keys are redacted.
 */
import { pino, type DestinationStream, type Logger } from 'pino';

export type { Logger } from 'pino';

export function createLogger(level: string = process.env.LOG_LEVEL ?? 'info', destination?: NodeJS.WritableStream): Logger {
  return pino(
    {
      level,
      base: { component: 'chime-voice-operator' },
      timestamp: pino.stdTimeFunctions.isoTime,
      redact: {
        paths: ['*.password', '*.Password', '*.data', '*.stringData', '*.token', '*.secretAccessKey', '*.sessionToken', 'input.Credentials[*].Password'],
        censor: '(redacted)',
      },
    },
    destination as DestinationStream | undefined,
  );
}

export function objectLogger(log: Logger, key: { kind: string; namespace: string; name: string }): Logger {
  return log.child({ kind: key.kind, namespace: key.namespace, name: key.name });
}
