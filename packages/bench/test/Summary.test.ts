import * as fc from "fast-check"
import { describe, expect, it } from "vitest"
import { formatNumber, summarise } from "../src/index.ts"

describe("summarise", () => {
  it("takes nearest-rank quantiles of the sorted samples", () => {
    const samples = Array.from({ length: 100 }, (_, i) => 100 - i)
    expect(summarise(samples)).toEqual({ median: 51, p90: 91, p99: 100, min: 1, max: 100, n: 100 })
  })

  it("orders min <= median <= p90 <= p99 <= max, each one of the samples", () => {
    fc.assert(fc.property(fc.array(fc.double({ noNaN: true, noDefaultInfinity: true }), { minLength: 1 }), (samples) => {
      const s = summarise(samples)
      expect(s.min <= s.median && s.median <= s.p90 && s.p90 <= s.p99 && s.p99 <= s.max).toBe(true)
      for (const q of [s.min, s.median, s.p90, s.p99, s.max]) expect(samples).toContain(q)
      expect(s.n).toBe(samples.length)
    }))
  })

  it("refuses an empty series instead of reporting NaN", () => {
    expect(() => summarise([])).toThrow(/no samples/)
  })
})

describe("formatNumber", () => {
  it("keeps three significant digits without exponents", () => {
    expect([0.012345, 1.2345, 12.345, 123.45, 12345.6, 2].map(formatNumber)).toEqual(["0.0123", "1.23", "12.3", "123", "12346", "2"])
  })
})
