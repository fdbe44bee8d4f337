/**
 * The contract between the emulator's HTTP core (routing, SigV4 check, model-driven validation,
 * serialization, faults, counters, persistence) and the service handlers, which hold the
 * Chime SDK Voice domain rules. Handlers see only parsed, validated input and return output
 * objects keyed by the model's member names; they never touch HTTP.
 */
import type { EmulatorState } from './state.js';

/** The error shapes of the model (rule API2): the name is the x-amzn-ErrorType header and the class the v3 client raises. */
export type ApiErrorName =
  | 'BadRequestException'
  | 'ResourceLimitExceededException'
  | 'UnauthorizedClientException'
  | 'ForbiddenException'
  | 'AccessDeniedException'
  | 'NotFoundException'
  | 'ConflictException'
  | 'GoneException'
  | 'UnprocessableEntityException'
  | 'ThrottledClientException'
  | 'ServiceFailureException'
  | 'ServiceUnavailableException';

const STATUS: Record<ApiErrorName, number> = {
  BadRequestException: 400,
  ResourceLimitExceededException: 400,
  UnauthorizedClientException: 401,
  ForbiddenException: 403,
  AccessDeniedException: 403,
  NotFoundException: 404,
  ConflictException: 409,
  GoneException: 410,
  UnprocessableEntityException: 422,
  ThrottledClientException: 429,
  ServiceFailureException: 500,
  ServiceUnavailableException: 503,
};

/** `Code` values of the model's ErrorCode enum, by exception. */
const CODE: Record<ApiErrorName, string> = {
  BadRequestException: 'BadRequest',
  ResourceLimitExceededException: 'ResourceLimitExceeded',
  UnauthorizedClientException: 'Unauthorized',
  ForbiddenException: 'Forbidden',
  AccessDeniedException: 'AccessDenied',
  NotFoundException: 'NotFound',
  ConflictException: 'Conflict',
  GoneException: 'Gone',
  UnprocessableEntityException: 'Unprocessable',
  ThrottledClientException: 'Throttled',
  ServiceFailureException: 'ServiceFailure',
  ServiceUnavailableException: 'ServiceUnavailable',
};

export class ApiError extends Error {
  readonly status: number;
  readonly code: string;
  constructor(
    readonly errorType: ApiErrorName,
    message: string,
    code?: string,
  ) {
    super(message);
    this.status = STATUS[errorType];
    this.code = code ?? CODE[errorType];
  }
}

/** The region of an ARN (`arn:aws:chime:<region>:...`): where a resource created through a region's endpoint lives. */
export const regionOfArn = (arn: string): string => arn.split(':')[3] ?? '';

export const badRequest = (message: string) => new ApiError('BadRequestException', message);
export const notFound = (message: string) => new ApiError('NotFoundException', message);
export const conflict = (message: string) => new ApiError('ConflictException', message);
export const limitExceeded = (message: string) => new ApiError('ResourceLimitExceededException', message);

/** The emulated clock: real time by default, accelerated or advanced by hand through the control endpoint. */
export interface Clock {
  now(): Date;
}

export interface EmulatorConfig {
  accountId: string;
  /** Region used when neither the request nor its credential scope says otherwise. */
  defaultRegion: string;
  /**
   * Strict regions: the region of a request (its SigV4 credential scope) decides what it sees and
   * where a create lands. A regional resource (voice connector, group, SIP media application, SIP
   * rule, voice profile domain, media insights pipeline configuration) is NotFound through another
   * region's endpoint, and listings show the request region's only; phone numbers, orders and global
   * settings stay account-wide. Off: every endpoint sees every region (docs/emulator.md).
   */
  strictRegions: boolean;
}

export interface OpContext {
  readonly state: EmulatorState;
  readonly clock: Clock;
  readonly config: EmulatorConfig;
  /** Region of the request's SigV4 credential scope (the client's configured region). */
  readonly region: string;
  /**
   * Whether a regional resource of `region` is visible through this request's endpoint: under
   * strict regions only the request's own region's; always, outside strict mode.
   */
  sees(region: string): boolean;
  /**
   * The region a create lands in. Under strict regions: the request's, and a `requested` region
   * (an AwsRegion member) other than it is refused, since a regional resource is created through its
   * own region's endpoint. Outside strict mode: `requested`, else `fallback` (the API's default).
   */
  createRegion(requested: string | undefined, fallback: string, what: string): string;
  /** The operation being served, e.g. `CreateVoiceConnector`. */
  readonly operation: string;
  /** ISO-8601 timestamp of `clock.now()`, for Created/UpdatedTimestamp members. */
  nowIso(): string;
  /** `arn:aws:chime:<region>:<account>:<resource>`. */
  arn(region: string, resource: string): string;
  uuid(): string;
  /** A voice connector or group id: lowercase letters and digits, as AWS issues them. */
  lowerAlnumId(length?: number): string;
  /**
   * Rule API5: record that a resource was just created, so that reads of it inside the configured
   * eventual-consistency window answer NotFound. `key` is `<collection>/<id>`.
   */
  markCreated(key: string): void;
  /** Throws NotFoundException with `message` when `key` is still inside its consistency window. */
  assertVisible(key: string, message: string): void;
  /**
   * The listing lag (FaultSettings.listingLagMs): record that a resource was just deleted, keeping
   * a copy of its record that listings still show until the lag has passed. `key` as above.
   */
  markDeleted(key: string, record: unknown): void;
  /**
   * The records a listing of `collection` answers with under the listing lag: those created within
   * the lag left out, those deleted within it put back (from the copies markDeleted kept).
   */
  listed<T>(collection: string, records: T[], idOf: (record: T) => string): T[];
}

/** Input and output use the model's member names (PascalCase); timestamps may be Date or ISO strings. */
export type Handler = (input: any, ctx: OpContext) => any | Promise<any>;

export interface ServiceModule {
  /** Operation name → handler. Operations of the model with no handler answer with a clear error naming them. */
  handlers: Record<string, Handler>;
  /**
   * Advances time-driven state (orders completing, calling name status, deletion queue expiry).
   * Called before every request and every control read, with the emulated time; must be idempotent.
   */
  tick?(state: EmulatorState, now: Date): void;
}
