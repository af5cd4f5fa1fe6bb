import { describe, expect, it } from "@effect/vitest"
import * as fc from "fast-check"
import { dominantFrequency, makeSineTone, makeVoiceSignal, powerAt, psnr, rms, testPatternFrame } from "../src/index.ts"

describe("makeSineTone", () => {
  it("produces 440 Hz at the requested amplitude", () => {
    const samples = makeSineTone({ frequency: 440, sampleRate: 48_000, amplitude: 0.5 }).next(48_000)
    expect(dominantFrequency(samples, 48_000)).toBeCloseTo(440, 0)
    expect(rms(samples)).toBeCloseTo(0.5 / Math.SQRT2, 3)
  })

  it("is phase-continuous across frames of any length", () => {
    fc.assert(
      fc.property(fc.array(fc.integer({ min: 1, max: 700 }), { minLength: 1, maxLength: 12 }), (lengths) => {
        const pieces = makeSineTone({ frequency: 997, sampleRate: 48_000 })
        const whole = makeSineTone({ frequency: 997, sampleRate: 48_000 }).next(lengths.reduce((a, b) => a + b, 0))
        let offset = 0
        for (const length of lengths) {
          const piece = pieces.next(length)
          for (let i = 0; i < length; i++) expect(piece[i]).toBeCloseTo(whole[offset + i]!, 5)
          offset += length
        }
      })
    )
  })

  it("interleaves identical channels", () => {
    const stereo = makeSineTone({ frequency: 440, sampleRate: 48_000, channels: 2 }).next(480)
    expect(stereo.length).toBe(960)
    for (let i = 0; i < 480; i++) expect(stereo[2 * i]).toBe(stereo[2 * i + 1])
  })
})

describe("makeVoiceSignal", () => {
  it("has its fundamental as the dominant frequency and a syllable envelope", () => {
    const samples = makeVoiceSignal({ sampleRate: 48_000, fundamental: 150 }).next(48_000)
    expect(Math.abs(dominantFrequency(samples, 48_000) - 150)).toBeLessThan(3)
    expect(powerAt(samples, 48_000, 300)).toBeGreaterThan(0.001)
    const quiet = rms(samples.subarray(0, 1200))
    const loud = rms(samples.subarray(5400, 6600))
    expect(loud / quiet).toBeGreaterThan(2.5)
  })
})

describe("testPatternFrame", () => {
  it("has I420 plane sizes, including odd dimensions", () => {
    const frame = testPatternFrame(33, 17, 0)
    expect(frame.planes.map((p) => p.length)).toEqual([33 * 17, 17 * 9, 17 * 9])
    expect(frame.format).toBe("I420")
  })

  it("moves: consecutive frames differ, the same index repeats exactly", () => {
    const a = testPatternFrame(320, 180, 5)
    expect(psnr(a, testPatternFrame(320, 180, 5))).toBe(Infinity)
    expect(psnr(a, testPatternFrame(320, 180, 6))).toBeLessThan(30)
    expect(testPatternFrame(320, 180, 30).timestampUs).toBe(1_000_000)
  })
})
