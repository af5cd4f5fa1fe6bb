import { describe, expect, it } from "@effect/vitest"
import * as fc from "fast-check"
import { nextBitrate } from "../../src/media/BitrateController.ts"

const bounds = { minBps: 100_000, maxBps: 2_000_000 }

describe("nextBitrate", () => {
  it("backs off by 20 % under loss or long round trips", () => {
    expect(nextBitrate(1_000_000, { lossFraction: 0.15, rttMs: 20 }, bounds)).toBe(800_000)
    expect(nextBitrate(1_000_000, { lossFraction: 0, rttMs: 600 }, bounds)).toBe(800_000)
  })

  it("ramps up by 20 % on a clean, short path and holds in between", () => {
    expect(nextBitrate(1_000_000, { lossFraction: 0.005, rttMs: 50 }, bounds)).toBe(1_200_000)
    expect(nextBitrate(1_000_000, { lossFraction: 0, rttMs: undefined }, bounds)).toBe(1_200_000)
    expect(nextBitrate(1_000_000, { lossFraction: 0.05, rttMs: 50 }, bounds)).toBe(1_000_000)
    expect(nextBitrate(1_000_000, { lossFraction: 0, rttMs: 200 }, bounds)).toBe(1_000_000)
  })

  it("follows a receiver's estimate (REMB): down to it at once, up no further than it, never below the floor", () => {
    expect(nextBitrate(1_000_000, { lossFraction: 0, rttMs: 20, estimatedMaxBps: 300_000 }, bounds)).toBe(300_000)
    expect(nextBitrate(300_000, { lossFraction: 0, rttMs: 20, estimatedMaxBps: 1_000_000 }, bounds)).toBe(360_000)
    expect(nextBitrate(900_000, { lossFraction: 0, rttMs: 20, estimatedMaxBps: 1_000_000 }, bounds)).toBe(1_000_000)
    expect(nextBitrate(1_000_000, { lossFraction: 0, rttMs: 20, estimatedMaxBps: 20_000 }, bounds)).toBe(100_000)
  })

  it("never leaves its bounds, and a congested path never raises the rate", () => {
    const feedback = fc.record({
      lossFraction: fc.double({ min: 0, max: 1, noNaN: true }),
      rttMs: fc.option(fc.double({ min: 0, max: 5_000, noNaN: true }), { nil: undefined }),
      estimatedMaxBps: fc.option(fc.integer({ min: 0, max: 5_000_000 }), { nil: undefined })
    })
    fc.assert(fc.property(fc.integer({ min: 100_000, max: 2_000_000 }), feedback, (current, fb) => {
      const next = nextBitrate(current, fb, bounds)
      expect(next).toBeGreaterThanOrEqual(bounds.minBps)
      expect(next).toBeLessThanOrEqual(bounds.maxBps)
      expect(fb.lossFraction > 0.1 && next > current).toBe(false)
      expect(next).toBeLessThanOrEqual(Math.max(bounds.minBps, fb.estimatedMaxBps ?? Infinity))
    }))
  })
})
