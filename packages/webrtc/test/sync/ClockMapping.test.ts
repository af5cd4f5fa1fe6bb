import { describe, expect, it } from "@effect/vitest"
import * as fc from "fast-check"
import { ClockMapping, DriftEstimator, NTP_EPOCH_OFFSET_S, ntpToUnixUs, unixUsToNtp } from "../../src/sync/index.ts"

/** A deterministic standard-normal source (Box-Muller over a 32-bit LCG), so noisy runs repeat exactly. */
const gaussian = (seed: number) => {
  let state = seed >>> 0
  const uniform = () => {
    state = (Math.imul(state, 1_664_525) + 1_013_904_223) >>> 0
    return (state + 1) / 2 ** 32
  }
  return () => Math.sqrt(-2 * Math.log(uniform())) * Math.cos(2 * Math.PI * uniform())
}

const startUs = 1_764_000_000_000_000

describe("NTP time", () => {
  it("uses the 1900 epoch and a binary fraction", () => {
    expect(unixUsToNtp(0)).toBe(BigInt(NTP_EPOCH_OFFSET_S) << 32n)
    expect(unixUsToNtp(500_000) & 0xffffffffn).toBe(0x80000000n)
  })

  it("property: round-trips Unix µs within a microsecond", () => {
    fc.assert(fc.property(fc.integer({ min: 0, max: 4_000_000_000_000_000 }), (us) => {
      expect(Math.abs(ntpToUnixUs(unixUsToNtp(us)) - us)).toBeLessThan(1)
    }))
  })
})

describe("ClockMapping", () => {

  it("maps RTP to wall clock and back, across the 32-bit wrap", () => {
    const mapping = new ClockMapping(48_000)
    expect(mapping.rtpToWallClock(0)).toBeUndefined()
    const baseRtp = 2 ** 32 - 48_000
    expect(mapping.observe({ ssrc: 1, ntpUs: startUs, rtpTimestamp: baseRtp })).toBe("started")
    // Two seconds later the RTP timestamp has wrapped.
    expect(mapping.rtpToWallClock(48_000)).toBeCloseTo(startUs + 2_000_000, 3)
    expect(mapping.wallClockToRtp(startUs + 2_000_000)).toBe(48_000)
    expect(mapping.wallClockToRtp(startUs - 500_000)).toBe(baseRtp - 24_000)
  })

  it("resets the timeline when a report disagrees by more than 2 s", () => {
    const mapping = new ClockMapping(90_000)
    mapping.observe({ ssrc: 1, ntpUs: startUs, rtpTimestamp: 0 })
    expect(mapping.observe({ ssrc: 1, ntpUs: startUs + 1_000_000, rtpTimestamp: 90_000 + 90 * 1_500 })).toBe("updated")
    expect(mapping.reports()).toBe(2)
    expect(mapping.observe({ ssrc: 1, ntpUs: startUs + 2_000_000, rtpTimestamp: 5_000_000 })).toBe("reset")
    expect(mapping.reports()).toBe(1)
    expect(mapping.rtpToWallClock(5_090_000)).toBeCloseTo(startUs + 3_000_000, 3)
  })
})

describe("DriftEstimator", () => {
  for (const ppm of [-500, -50, 50, 500]) {
    it(`recovers ${ppm} ppm within ±10 ppm from noisy sender reports`, () => {
      const noise = gaussian(ppm + 1000)
      const mapping = new ClockMapping(48_000)
      // 64 reports, 5 s apart (the default RTCP interval); the report's RTP timestamp jitters by ±1 ms (σ).
      for (let k = 0; k < 64; k++) {
        const wallSeconds = k * 5
        const mediaSeconds = wallSeconds * (1 + ppm / 1e6) + noise() * 0.001
        mapping.observe({ ssrc: 7, ntpUs: startUs + wallSeconds * 1e6, rtpTimestamp: Math.round(mediaSeconds * 48_000) >>> 0 })
      }
      expect(mapping.drift.driftPpm()).toBeGreaterThan(ppm - 10)
      expect(mapping.drift.driftPpm()).toBeLessThan(ppm + 10)
      // The correction converges on 1/slope: predicting an RTP time's wall clock stays accurate.
      expect(mapping.drift.correction()).toBeCloseTo(1 / (1 + ppm / 1e6), 5)
    })
  }

  it("needs 10 observations, clamps the correction to ±1 % and applies it gradually", () => {
    const drift = new DriftEstimator()
    for (let k = 0; k < 9; k++) drift.observe({ wallSeconds: k, mediaSeconds: k * 1.05 })
    expect(drift.driftPpm()).toBeUndefined()
    expect(drift.correction()).toBe(1)
    drift.observe({ wallSeconds: 9, mediaSeconds: 9 * 1.05 })
    expect(drift.driftPpm()).toBeCloseTo(50_000, 3)
    const first = drift.correction()
    expect(first).toBeLessThan(1)
    expect(first).toBeGreaterThan(0.99)
    for (let k = 10; k < 60; k++) drift.observe({ wallSeconds: k, mediaSeconds: k * 1.05 })
    expect(drift.correction()).toBeCloseTo(0.99, 6)
  })
})
