import { describe, expect, it } from "@effect/vitest"
import * as fc from "fast-check"
import { makeRtpClock } from "../../src/media/index.ts"
import { SequenceUnwrapper, sequenceDistance } from "../../src/sync/index.ts"

describe("RtpClock", () => {
  it("advances 960 per 20 ms at 48 kHz and 3000 per 1/30 s at 90 kHz, across the 32-bit wrap", () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 0xffff_ffff }), fc.integer({ min: 0, max: 10_000_000 }), (start, frame) => {
        const audio = makeRtpClock(48_000, start)
        const video = makeRtpClock(90_000, start)
        const step = (clock: typeof audio, a: number, b: number) => (clock.timestampAt(b) - clock.timestampAt(a) + 0x1_0000_0000) % 0x1_0000_0000
        expect(step(audio, frame * 20_000, (frame + 1) * 20_000)).toBe(960)
        expect(step(video, (frame * 1e6) / 30, ((frame + 1) * 1e6) / 30)).toBe(3000)
        expect(audio.timestampAt(frame * 20_000)).toBeLessThan(0x1_0000_0000)
      })
    )
  })

  it("starts at a random offset", () => {
    const starts = new Set(Array.from({ length: 8 }, () => makeRtpClock(90_000).timestampAt(0)))
    expect(starts.size).toBeGreaterThan(1)
  })
})

describe("sequence numbers", () => {
  it("measure signed distance across the wrap", () => {
    expect(sequenceDistance(65535, 0)).toBe(1)
    expect(sequenceDistance(0, 65535)).toBe(-1)
    expect(sequenceDistance(100, 100)).toBe(0)
  })

  it("unwrap monotonically through many wraps, tolerating reordering", () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 0xffff }), fc.array(fc.integer({ min: -100, max: 1000 }), { maxLength: 300 }), (first, steps) => {
        const unwrapper = new SequenceUnwrapper(16)
        let truth = first
        expect(unwrapper.unwrap(first)).toBe(truth)
        for (const step of steps) {
          truth += step
          expect(unwrapper.unwrap(truth & 0xffff)).toBe(truth)
        }
      })
    )
  })
})
