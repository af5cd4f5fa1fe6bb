import { assert, describe, it } from "@effect/vitest"
import * as fc from "fast-check"
import { RateLimiter } from "../src/RateLimiter.ts"

describe("RateLimiter", () => {
  it("accepts `limit` messages per window, then refuses until the oldest leaves the window", () => {
    const limiter = new RateLimiter(3, 1000)
    assert.deepStrictEqual([0, 10, 20, 30].map((t) => limiter.tryAcquire(t)), [true, true, true, false])
    assert.isFalse(limiter.tryAcquire(999))
    assert.isTrue(limiter.tryAcquire(1000))
    assert.isFalse(limiter.tryAcquire(1005))
    assert.isTrue(limiter.tryAcquire(1010))
  })

  it("property: no window of `windowMs` ever holds more than `limit` accepted messages, and a message is refused only when it would", () => {
    fc.assert(fc.property(
      fc.integer({ min: 1, max: 20 }),
      fc.integer({ min: 1, max: 500 }),
      fc.array(fc.integer({ min: 0, max: 100 }), { maxLength: 300 }),
      (limit, windowMs, gaps) => {
        const limiter = new RateLimiter(limit, windowMs)
        const accepted: Array<number> = []
        let now = 0
        for (const gap of gaps) {
          now += gap
          const inWindow = accepted.filter((t) => now - t < windowMs).length
          const ok = limiter.tryAcquire(now)
          assert.strictEqual(ok, inWindow < limit, `at ${now} ms with ${inWindow} in the window`)
          if (ok) accepted.push(now)
        }
      }
    ))
  })
})
