/**
 * Error classification: a bad spec is terminal (Stalled, no hot retry); throttling, 5xx, conflicts
 * and NotFound just after a create are recoverable (requeued with backoff and jitter).
 */

/** The spec asks for something AWS would refuse, found before any call. */
export class InvalidSpecError extends Error {
  constructor(
    message: string,
    readonly path?: string,
  ) {
    super(message);
  }
}

/** A referenced object is missing or not Ready yet: wait for it, do not fail. */
export class ReferenceNotReadyError extends Error {
  constructor(
    message: string,
    readonly reason: 'ReferenceNotFound' | 'ReferenceNotReady',
  ) {
    super(message);
  }
}

/** An AWS resource exists under this object's name but carries no ownership marker of it. */
export class OwnershipConflictError extends Error {}

/** Something outside this object stops progress for a known time or until a person acts. */
export class BlockedError extends Error {
  constructor(
    message: string,
    readonly reason: string,
    readonly retryAfterMs?: number,
  ) {
    super(message);
  }
}

const TERMINAL_AWS = new Set([
  'BadRequestException',
  'ResourceLimitExceededException',
  'UnprocessableEntityException',
  'ForbiddenException',
  'AccessDeniedException',
  'UnauthorizedClientException',
  'GoneException',
  'ValidationException',
]);

export type ErrorClass = { terminal: true; reason: string; message: string } | { terminal: false; reason: string; message: string };

/** Sorts an error from the SDK or the engine into terminal or recoverable, with a condition reason. */
export function classify(err: unknown): ErrorClass {
  if (err instanceof InvalidSpecError) return { terminal: true, reason: 'InvalidSpec', message: err.message };
  if (err instanceof OwnershipConflictError) return { terminal: true, reason: 'OwnershipConflict', message: err.message };
  if (err instanceof BlockedError) return { terminal: err.retryAfterMs === undefined, reason: err.reason, message: err.message };
  if (err instanceof ReferenceNotReadyError) return { terminal: false, reason: err.reason, message: err.message };
  const e = err as { name?: string; message?: string; $metadata?: { httpStatusCode?: number } };
  const name = e?.name ?? 'Error';
  const message = e?.message ?? String(err);
  // No credentials will not fix themselves by retrying: a person must configure them.
  if (name === 'CredentialsProviderError') return { terminal: true, reason: 'AwsCredentialsMissing', message: `no AWS credentials: ${message}` };
  if (name === 'ResourceLimitExceededException') return { terminal: true, reason: 'AwsLimitExceeded', message: `${name}: ${message}` };
  if (TERMINAL_AWS.has(name)) return { terminal: true, reason: name === 'BadRequestException' ? 'AwsRejectedSpec' : `Aws${name.replace(/Exception$/, '')}`, message: `${name}: ${message}` };
  if (name === 'ThrottledClientException') return { terminal: false, reason: 'AwsThrottled', message: `${name}: ${message}` };
  if (name === 'ConflictException') return { terminal: false, reason: 'AwsConflict', message: `${name}: ${message}` };
  if (name === 'NotFoundException') return { terminal: false, reason: 'AwsNotFound', message: `${name}: ${message}` };
  const status = e?.$metadata?.httpStatusCode;
  if (status !== undefined && status >= 500) return { terminal: false, reason: 'AwsUnavailable', message: `${name}: ${message}` };
  return { terminal: false, reason: 'ReconcileError', message: `${name}: ${message}` };
}

/** Exponential backoff with full jitter, for recoverable errors (attempt counts from 1). */
export function backoffMs(attempt: number, baseMs = 1_000, maxMs = 300_000, random: () => number = Math.random): number {
  const ceiling = Math.min(maxMs, baseMs * 2 ** Math.max(0, attempt - 1));
  return Math.round(ceiling / 2 + (random() * ceiling) / 2);
}
