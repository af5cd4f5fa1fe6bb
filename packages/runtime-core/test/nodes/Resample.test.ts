import { describe, expect, it } from "@effect/vitest"
import { gainToDb, Resample, Resampler } from "@remotemedia/runtime-core"
import { concat, frames, instantiate, runNode, samplesOf, sine, toneAmplitude, wrap } from "../support/signals.ts"

/** Resamples `input` in 20 ms frames through the node; returns the output with the filter's start-up skipped. */
const resample = (input: Float32Array, from: number, to: number) => {
  const out = concat(samplesOf(runNode(instantiate(Resample, { targetRate: to }), frames(input, from).map((f) => wrap(f)))))
  return out.subarray(Math.round(to * 0.05))
}

describe("Resample", () => {
  it.each([
    [8_000, 48_000, 1_000],
    [16_000, 48_000, 3_000],
    [44_100, 48_000, 10_000],
    [48_000, 16_000, 3_000],
    [48_000, 8_000, 1_000]
  ])("%d Hz -> %d Hz keeps a %d Hz tone within 0.1 dB (passband)", (from, to, tone) => {
    const out = resample(sine(tone, from, 1, 0.5), from, to)
    expect(Math.abs(gainToDb(toneAmplitude(out, tone, to) / 0.5))).toBeLessThan(0.1)
  })

  it("48 kHz -> 16 kHz suppresses a 10 kHz tone (would alias to 6 kHz) by more than 60 dB", () => {
    const out = resample(sine(10_000, 48_000, 1, 0.5), 48_000, 16_000)
    expect(gainToDb(toneAmplitude(out, 6_000, 16_000) / 0.5)).toBeLessThan(-60)
  })

  it("16 kHz -> 48 kHz leaves no image of a 3 kHz tone at 13 kHz (anti-imaging, > 60 dB)", () => {
    const out = resample(sine(3_000, 16_000, 1, 0.5), 16_000, 48_000)
    expect(gainToDb(toneAmplitude(out, 13_000, 48_000) / 0.5)).toBeLessThan(-60)
  })

  it("produces the right number of samples and the same stream whether fed at once or in frames", () => {
    const input = sine(440, 44_100, 1)
    const whole = new Resampler(44_100, 48_000, 1).process(input)
    const framed = resample(input, 44_100, 48_000)
    expect(Math.abs(whole.length - 48_000)).toBeLessThan(64)
    expect(framed.length + Math.round(48_000 * 0.05)).toBe(whole.length)
    const skip = Math.round(48_000 * 0.05)
    let maxDiff = 0
    for (let i = 0; i < framed.length; i++) maxDiff = Math.max(maxDiff, Math.abs(framed[i]! - whole[i + skip]!))
    expect(maxDiff).toBeLessThan(1e-6)
  })

  it("passes audio already at the target rate through untouched (same buffer)", () => {
    const [f] = frames(sine(440, 48_000, 0.02), 48_000)
    const [out] = runNode(instantiate(Resample, {}), [wrap(f!)])
    expect(out?.data).toBe(f)
  })

  it("refuses a ratio needing a huge filter table, with a clear message", () => {
    expect(() => new Resampler(47_999, 48_000, 1)).toThrow(/47999 Hz -> 48000 Hz/)
  })
})
