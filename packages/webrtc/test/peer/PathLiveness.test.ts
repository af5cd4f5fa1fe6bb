import { assert, describe, it } from "@effect/vitest"
import * as fc from "fast-check"
import { SilenceDetector } from "../../src/peer/PathLiveness.ts"

describe("SilenceDetector", () => {
  it("reports silence once after silenceMs without a new count, and hearing once when counts move again", () => {
    const detector = new SilenceDetector(3_000)
    assert.strictEqual(detector.observe(5, 0), undefined)
    assert.strictEqual(detector.observe(5, 2_999), undefined)
    assert.strictEqual(detector.observe(5, 3_000), "silent")
    assert.strictEqual(detector.observe(5, 9_000), undefined)
    assert.strictEqual(detector.observe(6, 9_500), "heard")
    assert.strictEqual(detector.observe(7, 12_000), undefined)
    assert.strictEqual(detector.observe(7, 14_999), undefined)
    assert.strictEqual(detector.observe(7, 15_000), "silent")
  })

  it("alternates silent / heard, and says silent exactly when the last change is silenceMs old", () =>
    fc.assert(fc.property(
      fc.integer({ min: 1, max: 10_000 }),
      fc.array(fc.record({ changed: fc.boolean(), afterMs: fc.integer({ min: 0, max: 5_000 }) }), { maxLength: 100 }),
      (silenceMs, samples) => {
        const detector = new SilenceDetector(silenceMs)
        let now = 0
        let count = 0
        let lastChangeAt = 0
        let silent = false
        detector.observe(count, now)
        for (const { changed, afterMs } of samples) {
          now += afterMs
          if (changed) [count, lastChangeAt] = [count + 1, now]
          const change = detector.observe(count, now)
          const expected = changed ? (silent ? "heard" : undefined) : !silent && now - lastChangeAt >= silenceMs ? "silent" : undefined
          assert.strictEqual(change, expected)
          if (change !== undefined) silent = change === "silent"
        }
      }
    )))
})
