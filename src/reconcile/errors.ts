/**
 * Error classification: a bad spec is terminal (Stalled, no hot retry); throttling, 5xx, conflicts
 * and NotFound just after a create are recoverable (requeued with backoff and jitter).
 */
import { OwnershipConflictError } from '../aws/ownership.js';
import { backoffMs } from '../core/backoff.js';
import { withNextStep, type ConditionReason } from './reasons.js';

export { OwnershipConflictError, backoffMs };

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


/** Something outside this object stops progress for a known time or until a person acts. */
export class BlockedError extends Error {
  constructor(
    message: string,
    readonly reason: ConditionReason,
    readonly retryAfterMs?: number,
  ) {
    super(message);
  }
}

/** AWS errors that retrying will not fix, and the condition reason each shows as. */
const TERMINAL_AWS = new Map<string, ConditionReason>([
  ['BadRequestException', 'AwsRejectedSpec'],
  ['ResourceLimitExceededException', 'AwsLimitExceeded'],
  ['UnprocessableEntityException', 'AwsUnprocessableEntity'],
  ['ForbiddenException', 'AwsForbidden'],
  ['AccessDeniedException', 'AwsAccessDenied'],
  ['UnauthorizedClientException', 'AwsUnauthorizedClient'],
  ['GoneException', 'AwsGone'],
  ['ValidationException', 'AwsValidation'],
]);

export interface ErrorClass {
  terminal: boolean;
  reason: ConditionReason;
  message: string;
  /**
   * The error is about reaching AWS at all (network, DNS, TLS, credentials), not about this object:
   * every other call to the same endpoint fails the same way, so directory mode stops the pass and
   * reports the cause once instead of once per object.
   */
  unreachable?: true;
  /**
   * The request id AWS answered an error with (x-amzn-RequestId), what AWS Support asks for. Kept
   * out of `message`, which goes to status: a new id on every retry would rewrite the status each time.
   */
  requestId?: string;
}

/** Socket-level failures: nothing answered at the endpoint. */
const CONNECTION_CODES = new Set(['ECONNREFUSED', 'ECONNRESET', 'EHOSTUNREACH', 'ENETUNREACH', 'EHOSTDOWN', 'EPIPE', 'ECONNABORTED', 'EADDRNOTAVAIL']);
const TIMEOUT_CODES = new Set(['ETIMEDOUT', 'ESOCKETTIMEDOUT', 'UND_ERR_CONNECT_TIMEOUT']);
const DNS_CODES = new Set(['ENOTFOUND', 'EAI_AGAIN', 'EAI_FAIL', 'EAI_NONAME']);
/** AWS answers meaning the credentials exist but are refused as a whole (expired, revoked, wrong). */
const CREDENTIALS_REFUSED = new Set([
  'ExpiredTokenException',
  'ExpiredToken',
  'InvalidClientTokenId',
  'UnrecognizedClientException',
  'InvalidSignatureException',
  'SignatureDoesNotMatch',
  'IncompleteSignature',
  'MissingAuthenticationToken',
]);

/** A TLS handshake or certificate failure, by Node's error codes (openssl's verify codes, ERR_TLS_ and ERR_SSL_ codes). */
function isTlsCode(code: string): boolean {
  return (
    code.startsWith('ERR_TLS_') ||
    code.startsWith('ERR_SSL_') ||
    code === 'EPROTO' ||
    /CERT|SELF_SIGNED|UNABLE_TO_(GET|VERIFY)|LEAF_SIGNATURE|ISSUER/.test(code)
  );
}

/** Where a failure to reach AWS is reported: each names the cause in a person's words. */
function unreachable(reason: ConditionReason, terminal: boolean, what: string, message: string): ErrorClass {
  return { terminal, reason, message: `${what}: ${message}`, unreachable: true };
}

/** Sorts an error from the SDK or the engine into terminal or recoverable, with a condition reason. */
export function classify(err: unknown): ErrorClass {
  if (err instanceof InvalidSpecError) return { terminal: true, reason: 'InvalidSpec', message: err.message };
  if (err instanceof OwnershipConflictError) return { terminal: true, reason: 'OwnershipConflict', message: err.message };
  if (err instanceof BlockedError) return { terminal: err.retryAfterMs === undefined, reason: err.reason, message: err.message };
  if (err instanceof ReferenceNotReadyError) return { terminal: false, reason: err.reason, message: err.message };
  const e = err as { name?: string; message?: string; code?: unknown; $metadata?: { httpStatusCode?: number; requestId?: string } };
  const name = e?.name ?? 'Error';
  const message = e?.message ?? String(err);
  const code = typeof e?.code === 'string' ? e.code : '';
  // Node's network errors name their code in the message already ("connect ECONNREFUSED 127.0.0.1:1").
  const detail = code && !message.includes(code) ? `${code}: ${message}` : message;
  // No credentials will not fix themselves by retrying: a person must configure them.
  if (name === 'CredentialsProviderError') return unreachable('AwsCredentialsMissing', true, 'no AWS credentials', message);
  if (CREDENTIALS_REFUSED.has(name) || CREDENTIALS_REFUSED.has(code)) {
    return unreachable('AwsCredentialsRefused', true, 'AWS refused the credentials (expired, revoked or wrong)', `${name === 'Error' ? code : name}: ${message}`);
  }
  // Network failures: recoverable (the controller retries them with backoff), but they concern every call, not one object.
  if (DNS_CODES.has(code)) return unreachable('AwsEndpointNotFound', false, 'the AWS endpoint\'s host name does not resolve (DNS)', detail);
  if (CONNECTION_CODES.has(code)) return unreachable('AwsUnreachable', false, code === 'ECONNREFUSED' ? 'connection refused' : 'connection failed', detail);
  if (TIMEOUT_CODES.has(code) || name === 'TimeoutError') return unreachable('AwsTimeout', false, 'no answer in time', code ? detail : `${name}: ${message}`);
  if (code && isTlsCode(code)) return unreachable('AwsTlsError', false, 'TLS failed (certificate or handshake)', detail);
  // An answer from AWS: its error name and message, and its request id beside them.
  const requestId = e?.$metadata?.requestId;
  const answer = (terminal: boolean, reason: ConditionReason): ErrorClass => ({ terminal, reason, message: `${name}: ${message}`, ...(requestId ? { requestId } : {}) });
  const terminalReason = TERMINAL_AWS.get(name);
  if (terminalReason) return answer(true, terminalReason);
  if (name === 'ThrottledClientException') return answer(false, 'AwsThrottled');
  if (name === 'ConflictException') return answer(false, 'AwsConflict');
  if (name === 'NotFoundException') return answer(false, 'AwsNotFound');
  const status = e?.$metadata?.httpStatusCode;
  if (status !== undefined && status >= 500) return answer(false, 'AwsUnavailable');
  return answer(false, 'ReconcileError');
}

/** The Warning Event of a failure: what failed, AWS's request id when AWS answered, and what to do next. */
export function failureEventMessage(c: ErrorClass): string {
  return withNextStep(`${c.message}${c.requestId ? ` (AWS request id ${c.requestId})` : ''}`, c.reason);
}

/**
 * Reasons that mean AWS could not be asked about the object at all (unreachable, refused
 * credentials, denied access): a `plan` with any of them is incomplete, never "no changes".
 */
export const NOT_ASKED_REASONS: ReadonlySet<string> = new Set<ConditionReason>([
  'AwsCredentialsMissing',
  'AwsCredentialsRefused',
  'AwsEndpointNotFound',
  'AwsUnreachable',
  'AwsTimeout',
  'AwsTlsError',
  'AwsAccessDenied',
  'AwsForbidden',
  'AwsUnauthorizedClient',
]);
