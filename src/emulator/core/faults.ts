import { ApiError, type ApiErrorName } from './types.js';

/**
 * Fault injection for reliability work: per-operation rate limits (token buckets answering 429),
 * error rates (500/503, or any error of the model such as AccessDeniedException), added latency,
 * the eventual-consistency window of rule API5 for reads by id, and the listing lag (API5 for
 * listings: a new resource is missing from list answers, a deleted one still listed, for a while).
 * Keys are operation names, or `*` for every operation; an operation's own entry wins over `*`.
 */

export interface RateLimit {
  /** Tokens added per second of real time. */
  ratePerSecond: number;
  /** Bucket size: the burst allowed after a quiet period. */
  burst: number;
}

export interface ErrorRate {
  /** Probability in [0, 1] that a call fails. */
  probability: number;
  /** 500 ServiceFailureException or 503 ServiceUnavailableException; unused when `error` is set. */
  status?: 500 | 503;
  /** An error of the model to answer instead, e.g. AccessDeniedException to rehearse a missing IAM permission. */
  error?: ApiErrorName;
}

/** The failure drawn for a call. */
export interface InjectedFailure {
  error: ApiErrorName;
  message: string;
}

export interface FaultSettings {
  rateLimits?: Record<string, RateLimit>;
  /**
   * Failures by operation: one rate, or several (20% throttling and 5% 503s at once). One draw per
   * call picks at most one of them, each with its own probability; the probabilities sum to at most 1.
   */
  errorRates?: Record<string, ErrorRate | ErrorRate[]>;
  /**
   * Emulated milliseconds a call takes before it is served (real time: this divided by the clock
   * rate), so that an accelerated clock keeps latency in proportion to everything else.
   */
  latencyMs?: Record<string, number>;
  /** Emulated milliseconds during which a just-created resource reads as NotFound. */
  consistencyWindowMs?: number;
  /**
   * Emulated milliseconds during which list answers lag behind: a just-created resource is missing
   * from its listing, and a just-deleted one is still in it, as AWS's eventually consistent
   * listings do. Reads by id are governed by consistencyWindowMs.
   */
  listingLagMs?: number;
  /** Seed of the error-rate draws, so a faulty run repeats exactly. */
  seed?: number;
}

export class FaultInjector {
  private settings: FaultSettings = {};
  private buckets = new Map<string, { tokens: number; at: number }>();
  private random: () => number = mulberry32(1);

  constructor(settings?: FaultSettings) {
    if (settings) this.set(settings);
  }

  set(settings: FaultSettings): void {
    validateFaults(settings);
    this.settings = structuredClone(settings);
    this.buckets.clear();
    this.random = mulberry32(settings.seed ?? 1);
  }

  get(): FaultSettings {
    return structuredClone(this.settings);
  }

  get consistencyWindowMs(): number {
    return this.settings.consistencyWindowMs ?? 0;
  }

  get listingLagMs(): number {
    return this.settings.listingLagMs ?? 0;
  }

  /** Emulated milliseconds of latency for the operation. */
  latencyFor(operation: string): number {
    return pick(this.settings.latencyMs, operation) ?? 0;
  }

  /** True when the call is within its rate limit (and takes a token). */
  admit(operation: string): boolean {
    const limit = pick(this.settings.rateLimits, operation);
    if (!limit) return true;
    const key = this.settings.rateLimits?.[operation] ? operation : '*';
    const now = Date.now();
    const bucket = this.buckets.get(key) ?? { tokens: limit.burst, at: now };
    bucket.tokens = Math.min(limit.burst, bucket.tokens + ((now - bucket.at) / 1000) * limit.ratePerSecond);
    bucket.at = now;
    this.buckets.set(key, bucket);
    if (bucket.tokens < 1) return false;
    bucket.tokens -= 1;
    return true;
  }

  /** The failure injected into this call, if one is drawn. */
  injectedFailure(operation: string): InjectedFailure | undefined {
    const rates = pick(this.settings.errorRates, operation);
    if (!rates) return undefined;
    const draw = this.random();
    let below = 0;
    const rate = (Array.isArray(rates) ? rates : [rates]).find((r) => draw < (below += r.probability));
    if (!rate) return undefined;
    if (rate.error === 'AccessDeniedException') {
      return { error: rate.error, message: `User: arn:aws:iam::123456789012:user/emulator is not authorized to perform: chime:${operation} (injected by the emulator's fault settings)` };
    }
    if (rate.error) return { error: rate.error, message: `Injected ${rate.error} for ${operation}` };
    return rate.status === 500
      ? { error: 'ServiceFailureException', message: `Injected service failure for ${operation}` }
      : { error: 'ServiceUnavailableException', message: `Injected service unavailability for ${operation}` };
  }
}

function pick<T>(table: Record<string, T> | undefined, operation: string): T | undefined {
  return table?.[operation] ?? table?.['*'];
}

/** Refuses settings that would make the emulator misbehave rather than fail as AWS does. */
export function validateFaults(settings: FaultSettings): void {
  const problems: string[] = [];
  for (const [op, limit] of Object.entries(settings.rateLimits ?? {})) {
    if (!(limit.ratePerSecond >= 0) || !(limit.burst >= 1)) problems.push(`rateLimits.${op}: ratePerSecond must be >= 0 and burst >= 1`);
  }
  for (const [op, rates] of Object.entries(settings.errorRates ?? {})) {
    const list = Array.isArray(rates) ? rates : [rates];
    list.forEach((rate, i) => {
      const at = Array.isArray(rates) ? `errorRates.${op}[${i}]` : `errorRates.${op}`;
      if (!(rate.probability >= 0 && rate.probability <= 1)) problems.push(`${at}.probability must be between 0 and 1`);
      if (rate.error !== undefined) {
        if (!isApiErrorName(rate.error)) problems.push(`${at}.error must be an error of the model (AccessDeniedException, ThrottledClientException, ...)`);
      } else if (rate.status !== 500 && rate.status !== 503) problems.push(`${at}.status must be 500 or 503 (or set error)`);
    });
    if (list.reduce((sum, r) => sum + r.probability, 0) > 1) problems.push(`errorRates.${op}: the probabilities add up to more than 1`);
  }
  for (const [op, ms] of Object.entries(settings.latencyMs ?? {})) {
    if (!(ms >= 0)) problems.push(`latencyMs.${op} must be >= 0`);
  }
  if (settings.consistencyWindowMs !== undefined && !(settings.consistencyWindowMs >= 0)) problems.push('consistencyWindowMs must be >= 0');
  if (settings.listingLagMs !== undefined && !(settings.listingLagMs >= 0)) problems.push('listingLagMs must be >= 0');
  if (problems.length > 0) throw new RangeError(`invalid fault settings: ${problems.join('; ')}`);
}

function isApiErrorName(name: unknown): name is ApiErrorName {
  if (typeof name !== 'string') return false;
  try {
    return new ApiError(name as ApiErrorName, '').status !== undefined;
  } catch {
    return false;
  }
}

/** A small seeded PRNG: fault draws (and the chaos test's kill moments) must repeat run after run. */
export function mulberry32(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}
