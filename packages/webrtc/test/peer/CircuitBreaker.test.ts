import { assert, describe, it } from "@effect/vitest"
import * as fc from "fast-check"
import {
  type CircuitBreakerPolicy,
  type CircuitState,
  closed,
  recordFailure,
  recordSuccess,
  retryAfterMs,
  stateAt,
  transition
} from "../../src/peer/CircuitBreaker.ts"

const policy: fc.Arbitrary<CircuitBreakerPolicy> = fc.record({
  failureThreshold: fc.integer({ min: 1, max: 8 }),
  successThreshold: fc.integer({ min: 1, max: 4 }),
  recoveryMs: fc.integer({ min: 1, max: 60_000 })
})

/** An outcome and the time that passed before it. */
type Step = { readonly outcome: "Failure" | "Success"; readonly afterMs: number }
const steps = fc.array(
  fc.record({ outcome: fc.constantFrom("Failure" as const, "Success" as const), afterMs: fc.integer({ min: 0, max: 90_000 }) }),
  { maxLength: 60 }
)

const apply = (p: CircuitBreakerPolicy, state: CircuitState, step: Step, now: number) =>
  step.outcome === "Failure" ? recordFailure(p, state, now) : recordSuccess(p, state, now)

/**
 * A reference model written the long way: the breaker fails fast at `now` iff it opened (N consecutive
 * failures while closed, or one failed trial while half-open) less than recoveryMs ago and no connection
 * succeeded since; M successes after opening close it.
 */
const model = (p: CircuitBreakerPolicy, history: ReadonlyArray<Step>) => {
  let now = 0
  let mode: "Closed" | "Open" = "Closed"
  let failures = 0
  let successes = 0
  let openedAt = 0
  for (const step of history) {
    now += step.afterMs
    const open = mode === "Open" && successes === 0 && now < openedAt + p.recoveryMs
    if (step.outcome === "Failure") {
      if (mode === "Closed") {
        failures++
        if (failures >= p.failureThreshold) [mode, openedAt, successes] = ["Open", now, 0]
      } else if (!open) [openedAt, successes] = [now, 0]
    } else if (mode === "Closed") {
      failures = 0
    } else if (++successes >= p.successThreshold) [mode, failures] = ["Closed", 0]
  }
  return { mode, failsFastUntil: mode === "Open" && successes === 0 ? openedAt + p.recoveryMs : 0 }
}

describe("CircuitBreaker", () => {
  it("agrees with the reference model on every history: open means fail fast until the recovery time", () =>
    fc.assert(fc.property(policy, steps, fc.integer({ min: 0, max: 90_000 }), (p, history, laterMs) => {
      let state = closed
      let now = 0
      for (const step of history) {
        now += step.afterMs
        state = apply(p, state, step, now)
      }
      const expected = model(p, history)
      const at = now + laterMs
      assert.strictEqual(retryAfterMs(p, state, at), Math.max(0, expected.failsFastUntil - at))
      assert.strictEqual(state._tag === "Closed", expected.mode === "Closed")
    })))

  it("opens on exactly the N-th consecutive failure, and never before", () =>
    fc.assert(fc.property(policy, fc.integer({ min: 0, max: 1_000 }), (p, spacing) => {
      let state = closed
      for (let i = 1; i <= p.failureThreshold; i++) {
        const now = i * spacing
        const next = recordFailure(p, state, now)
        assert.strictEqual(transition(p, state, next, now), i === p.failureThreshold ? "Opened" : undefined)
        state = next
      }
      assert.strictEqual(state._tag, "Open")
    })))

  it("a success resets the count of consecutive failures", () =>
    fc.assert(fc.property(policy.filter((p) => p.failureThreshold > 1), (p) => {
      let state = closed
      for (let i = 1; i < p.failureThreshold; i++) state = recordFailure(p, state, 0)
      state = recordSuccess(p, state, 0)
      for (let i = 1; i < p.failureThreshold; i++) state = recordFailure(p, state, 0)
      assert.deepStrictEqual(state, { _tag: "Closed", failures: p.failureThreshold - 1 })
    })))

  it("half-open after the recovery time: M successes close it, one failure opens it for a whole recovery time", () =>
    fc.assert(fc.property(policy, fc.integer({ min: 0, max: 10_000 }), (p, lateMs) => {
      const opened: CircuitState = { _tag: "Open", openedAt: 1_000 }
      const trialAt = 1_000 + p.recoveryMs + lateMs
      assert.strictEqual(stateAt(p, opened, trialAt - lateMs - 1)._tag, "Open")
      assert.strictEqual(stateAt(p, opened, trialAt)._tag, "HalfOpen")
      assert.strictEqual(retryAfterMs(p, opened, trialAt), 0)

      const reopened = recordFailure(p, opened, trialAt)
      assert.deepStrictEqual(reopened, { _tag: "Open", openedAt: trialAt })
      assert.strictEqual(transition(p, opened, reopened, trialAt), "Opened")
      assert.strictEqual(retryAfterMs(p, reopened, trialAt), p.recoveryMs)

      let state: CircuitState = opened
      for (let i = 1; i <= p.successThreshold; i++) {
        const next = recordSuccess(p, state, trialAt)
        assert.strictEqual(transition(p, state, next, trialAt), i === p.successThreshold ? "Closed" : undefined)
        state = next
      }
      assert.deepStrictEqual(state, closed)
    })))
})
