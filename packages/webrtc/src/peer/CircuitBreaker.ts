/**
 * The circuit breaker of one remote peer, as a pure state machine: it opens after `failureThreshold`
 * consecutive failed connection attempts, lets attempts through again (half-open) once `recoveryMs` have
 * passed, and closes after `successThreshold` successful connections. While it is open, `connectPeer`
 * fails fast instead of spending a connect timeout on a peer that cannot be reached.
 *
 * Time is passed in (Unix epoch ms), so the core is tested without clocks.
 *
 * @since 0.2.0
 */

/** design.md defaults: opens after 5 failures, closes after 2 successes, 30 s recovery. */
export interface CircuitBreakerPolicy {
  readonly failureThreshold: number
  readonly successThreshold: number
  readonly recoveryMs: number
}

/** Where a breaker is. */
export type CircuitState =
  /** Attempts go through; `failures` consecutive ones have failed so far. */
  | { readonly _tag: "Closed"; readonly failures: number }
  /** Attempts fail fast until `openedAt + recoveryMs`. */
  | { readonly _tag: "Open"; readonly openedAt: number }
  /** Trial attempts go through; `successes` have succeeded since it opened. */
  | { readonly _tag: "HalfOpen"; readonly successes: number }

/** A breaker that has seen nothing yet. */
export const closed: CircuitState = { _tag: "Closed", failures: 0 }

/** The state at `now`: an open breaker whose recovery time has passed is half-open. */
export const stateAt = (policy: CircuitBreakerPolicy, state: CircuitState, now: number): CircuitState =>
  state._tag === "Open" && now >= state.openedAt + policy.recoveryMs ? { _tag: "HalfOpen", successes: 0 } : state

/** How long attempts still fail fast: 0 unless the breaker is open at `now`. */
export const retryAfterMs = (policy: CircuitBreakerPolicy, state: CircuitState, now: number): number => {
  const current = stateAt(policy, state, now)
  return current._tag === "Open" ? current.openedAt + policy.recoveryMs - now : 0
}

/** A connection attempt failed at `now`. */
export const recordFailure = (policy: CircuitBreakerPolicy, state: CircuitState, now: number): CircuitState => {
  const current = stateAt(policy, state, now)
  switch (current._tag) {
    case "Closed":
      return current.failures + 1 >= policy.failureThreshold ? { _tag: "Open", openedAt: now } : { _tag: "Closed", failures: current.failures + 1 }
    // A trial failed: the peer is still unreachable, wait a whole recovery time again.
    case "HalfOpen":
      return { _tag: "Open", openedAt: now }
    // Only attempts the breaker cannot stop (the remote's own offers) fail while it is open.
    case "Open":
      return current
  }
}

/** A connection to the peer reached Connected at `now` (an attempt of either side). */
export const recordSuccess = (policy: CircuitBreakerPolicy, state: CircuitState, now: number): CircuitState => {
  const current = stateAt(policy, state, now)
  if (current._tag === "Closed") return closed
  const successes = current._tag === "HalfOpen" ? current.successes + 1 : 1
  return successes >= policy.successThreshold ? closed : { _tag: "HalfOpen", successes }
}

/**
 * The change worth reporting when `before` became `after` at `now`, if any (a half-open breaker whose trial
 * failed opens again).
 */
export const transition = (
  policy: CircuitBreakerPolicy,
  before: CircuitState,
  after: CircuitState,
  now: number
): "Opened" | "Closed" | undefined => {
  const was = stateAt(policy, before, now)._tag
  return after._tag === "Open" && was !== "Open" ? "Opened" : after._tag === "Closed" && was !== "Closed" ? "Closed" : undefined
}
