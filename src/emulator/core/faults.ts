/**
 * Fault injection for reliability work: per-operation rate limits (token buckets answering 429),
 * error rates (500/503), added latency, the eventual-consistency window of rule API5 for reads by
 * id, and the listing lag (API5 for listings: a new resource is missing from list answers, a
 * deleted one still listed, for a while).
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
  status: 500 | 503;
}

export interface FaultSettings {
  rateLimits?: Record<string, RateLimit>;
  errorRates?: Record<string, ErrorRate>;
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

  /** The status of an injected failure for this call, if one is drawn. */
  injectedFailure(operation: string): 500 | 503 | undefined {
    const rate = pick(this.settings.errorRates, operation);
    if (!rate || rate.probability <= 0) return undefined;
    return this.random() < rate.probability ? rate.status : undefined;
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
  for (const [op, rate] of Object.entries(settings.errorRates ?? {})) {
    if (!(rate.probability >= 0 && rate.probability <= 1)) problems.push(`errorRates.${op}.probability must be between 0 and 1`);
    if (rate.status !== 500 && rate.status !== 503) problems.push(`errorRates.${op}.status must be 500 or 503`);
  }
  for (const [op, ms] of Object.entries(settings.latencyMs ?? {})) {
    if (!(ms >= 0)) problems.push(`latencyMs.${op} must be >= 0`);
  }
  if (settings.consistencyWindowMs !== undefined && !(settings.consistencyWindowMs >= 0)) problems.push('consistencyWindowMs must be >= 0');
  if (settings.listingLagMs !== undefined && !(settings.listingLagMs >= 0)) problems.push('listingLagMs must be >= 0');
  if (problems.length > 0) throw new RangeError(`invalid fault settings: ${problems.join('; ')}`);
}

/** A small seeded PRNG: fault draws must repeat run after run. */
function mulberry32(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}
