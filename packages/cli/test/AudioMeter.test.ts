import { describe, expect, it } from "@effect/vitest"
import * as fc from "fast-check"
import { makeSineTone } from "@remotemedia/signals"
import { AudioMeter } from "../src/stats/AudioMeter.ts"

describe("AudioMeter", () => {
  it("has no frequency before a quarter second, nor for silence", () => {
    const meter = new AudioMeter(48_000)
    meter.push(makeSineTone({ frequency: 440, sampleRate: 48_000 }).next(9_600), 1)
    expect(meter.dominantHz()).toBeNull()
    const silent = new AudioMeter(48_000)
    silent.push(new Float32Array(48_000), 1)
    expect(silent.dominantHz()).toBeNull()
  })

  it("follows the last second: a tone that changes is reported at its new frequency", () => {
    const meter = new AudioMeter(48_000)
    const low = makeSineTone({ frequency: 300, sampleRate: 48_000 })
    const high = makeSineTone({ frequency: 1_200, sampleRate: 48_000 })
    for (let i = 0; i < 100; i++) meter.push(low.next(960), 1)
    expect(meter.dominantHz()).toBeCloseTo(300, 0)
    for (let i = 0; i < 50; i++) meter.push(high.next(960), 1)
    expect(meter.dominantHz()).toBeCloseTo(1_200, 0)
  })

  it("property: any tone, any channel count, any chunking is measured within 1 Hz", () => {
    fc.assert(
      fc.property(fc.integer({ min: 100, max: 8_000 }), fc.integer({ min: 1, max: 2 }), fc.integer({ min: 100, max: 3_000 }), (hz, channels, chunk) => {
        const meter = new AudioMeter(48_000)
        const tone = makeSineTone({ frequency: hz, sampleRate: 48_000, channels })
        for (let written = 0; written < 60_000; written += chunk) meter.push(tone.next(chunk), channels)
        expect(Math.abs(meter.dominantHz()! - hz)).toBeLessThan(1)
      }),
      { numRuns: 20 }
    )
  })
})
