/**
 * The one retry delay formula: exponential in the attempt, capped, with half jitter (the delay is
 * drawn between half the ceiling and the ceiling, so retries of many keys spread out but never
 * come back sooner than half the ceiling). Each caller keeps its own base and cap.
 *
 * `attempt` counts from 1 (the first retry waits about `baseMs`). `jitter` draws from [0, 1);
 * `false` gives the ceiling itself, for a single retry loop that has nothing to spread apart.
 */
export function backoffMs(attempt: number, baseMs = 1_000, maxMs = 300_000, jitter: (() => number) | false = Math.random): number {
  // The exponent is capped so that a long outage's attempt count cannot overflow to Infinity.
  const ceiling = Math.min(maxMs, baseMs * 2 ** Math.min(Math.max(0, attempt - 1), 52));
  if (jitter === false) return Math.round(ceiling);
  return Math.round(ceiling / 2 + (jitter() * ceiling) / 2);
}
