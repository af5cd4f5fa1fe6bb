import { describe, expect, it } from "@effect/vitest"
import * as fc from "fast-check"
import { bandPowerRatio, bestLag, concatSamples, correlationAtLag, dominantFrequency, makeVoiceSignal, powerAt, psnr, rms, sineTone, testPatternFrame } from "../src/index.ts"

describe("dominantFrequency", () => {
  it("finds a 440 Hz tone within ±2 Hz from one 20 ms frame", () => {
    expect(Math.abs(dominantFrequency(sineTone(440, 48_000, 960), 48_000) - 440)).toBeLessThan(2)
  })

  it("finds any tone between 100 Hz and 8 kHz within 0.5 % from 100 ms", () => {
    fc.assert(
      fc.property(fc.double({ min: 100, max: 8000, noNaN: true }), (f) => {
        expect(Math.abs(dominantFrequency(sineTone(f, 48_000, 4800), 48_000) - f)).toBeLessThan(Math.max(2, f * 0.005))
      }),
      { numRuns: 50 }
    )
  })
})

describe("powerAt and bandPowerRatio", () => {
  it("gives A²/2 at the tone and almost nothing elsewhere", () => {
    const tone = sineTone(1000, 48_000, 4800, 0.8)
    expect(powerAt(tone, 48_000, 1000)).toBeCloseTo(0.32, 2)
    expect(powerAt(tone, 48_000, 3000)).toBeLessThan(1e-4)
    expect(bandPowerRatio(tone, 48_000, 900, 1100)).toBeGreaterThan(0.99)
    expect(bandPowerRatio(tone, 48_000, 2000, 24_000)).toBeLessThan(0.01)
  })
})

describe("rms", () => {
  it("is 0 for silence and empty input", () => {
    expect(rms(new Float32Array(10))).toBe(0)
    expect(rms(new Float32Array(0))).toBe(0)
  })
})

describe("cross-correlation", () => {
  it("finds the delay of a shifted voice signal", () => {
    fc.assert(
      fc.property(fc.integer({ min: -200, max: 400 }), (delay) => {
        const reference = makeVoiceSignal({ sampleRate: 48_000 }).next(9600)
        const shifted = new Float32Array(9600)
        for (let i = 0; i < 9600; i++) shifted[i] = reference[i - delay] ?? 0
        const match = bestLag(reference, shifted, -300, 500, 4800)
        expect(match.lag).toBe(delay)
        expect(match.correlation).toBeGreaterThan(0.999)
      }),
      { numRuns: 10 }
    )
  })

  it("is -1 for an inverted signal and 0 against silence", () => {
    const tone = sineTone(440, 48_000, 960)
    expect(correlationAtLag(tone, tone.map((x) => -x), 0)).toBeCloseTo(-1, 6)
    expect(correlationAtLag(tone, new Float32Array(960), 0)).toBe(0)
  })
})

describe("psnr", () => {
  it("measures a known uniform error", () => {
    const a = testPatternFrame(64, 32, 0)
    const b = { ...a, planes: a.planes.map((p) => p.map((x) => (x < 250 ? x + 4 : x - 4))) }
    expect(psnr(a, b)).toBeCloseTo(10 * Math.log10((255 * 255) / 16), 6)
  })

  it("rejects frames of different sizes", () => {
    expect(() => psnr(testPatternFrame(64, 32, 0), testPatternFrame(32, 32, 0))).toThrow(RangeError)
  })
})

describe("concatSamples", () => {
  it("joins frames end to end", () => {
    expect(concatSamples([Float32Array.of(1, 2), new Float32Array(0), Float32Array.of(3)])).toEqual(Float32Array.of(1, 2, 3))
  })
})
