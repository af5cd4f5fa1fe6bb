import { assert, describe, it } from "@effect/vitest"
import * as fc from "fast-check"
import { backoffDelayMs, defaultReconnectPolicy } from "../../src/signaling/index.ts"

describe("backoffDelayMs", () => {
  it("follows design.md's default policy: 1 s doubling to 30 s, plus up to 25 % jitter", () => {
    assert.deepStrictEqual([1, 2, 3, 4, 5, 6, 7].map((n) => backoffDelayMs(defaultReconnectPolicy, n, 0)), [1000, 2000, 4000, 8000, 16_000, 30_000, 30_000])
    assert.strictEqual(backoffDelayMs(defaultReconnectPolicy, 1, 0.999_999), 1000 * (1 + 0.25 * 0.999_999))
  })

  it("property: delays never shrink with attempts (same jitter draw) and stay within [base, base·(1+jitter)]", () => {
    const policy = fc.record({
      retries: fc.integer({ min: 1, max: 20 }),
      initialDelayMs: fc.integer({ min: 1, max: 5000 }),
      maxDelayMs: fc.integer({ min: 5000, max: 60_000 }),
      multiplier: fc.double({ min: 1, max: 4, noNaN: true }),
      jitter: fc.double({ min: 0, max: 1, noNaN: true })
    })
    fc.assert(fc.property(policy, fc.integer({ min: 1, max: 30 }), fc.double({ min: 0, max: 1, maxExcluded: true, noNaN: true }), (p, attempt, random) => {
      const delay = backoffDelayMs(p, attempt, random)
      const base = backoffDelayMs(p, attempt, 0)
      assert.isAtMost(base, p.maxDelayMs)
      assert.isAtLeast(delay, base)
      assert.isAtMost(delay, base * (1 + p.jitter))
      assert.isAtLeast(backoffDelayMs(p, attempt + 1, random), delay)
    }))
  })
})
