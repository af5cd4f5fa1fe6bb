/**
 * How the signaling client retries a dropped link: exponential backoff with a cap and jitter.
 *
 * @since 0.1.0
 */

/** Reconnect policy; every field has design.md's default. */
export interface ReconnectPolicy {
  /** Attempts after a drop before giving up (`LinkLost`). Default 5. */
  readonly retries: number
  /** Delay before the first attempt. Default 1000 ms. */
  readonly initialDelayMs: number
  /** Cap on any delay (before jitter). Default 30 000 ms. */
  readonly maxDelayMs: number
  /** Growth per attempt. Default 2. */
  readonly multiplier: number
  /** Extra random delay as a fraction of the delay: 0.25 adds 0–25 %. Default 0.25. */
  readonly jitter: number
}

export const defaultReconnectPolicy: ReconnectPolicy = {
  retries: 5,
  initialDelayMs: 1000,
  maxDelayMs: 30_000,
  multiplier: 2,
  jitter: 0.25
}

/**
 * The delay before attempt `attempt` (1-based): `min(initial · multiplier^(attempt-1), max)`, then
 * stretched by `1 + jitter · random` with `random` in [0, 1).
 */
export const backoffDelayMs = (policy: ReconnectPolicy, attempt: number, random: number): number => {
  const base = Math.min(policy.initialDelayMs * policy.multiplier ** Math.max(0, attempt - 1), policy.maxDelayMs)
  return base * (1 + policy.jitter * random)
}
