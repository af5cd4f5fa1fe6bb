import { describe, expect, it } from "@effect/vitest"
import { AvAligner } from "../../src/sync/index.ts"

const AUDIO = 1
const VIDEO = 2

/** Feed 100 frames per stream: audio ready 40 ms after capture, video 120 ms after (80 ms later). */
const aligned = () => {
  const aligner = new AvAligner()
  for (let i = 0; i < 100; i++) {
    aligner.observe(AUDIO, i * 20, i * 20 + 40)
    aligner.observe(VIDEO, i * 20, i * 20 + 120)
  }
  return aligner
}

describe("AvAligner", () => {
  it("holds the faster stream to the slower one's need plus headroom", () => {
    const aligner = aligned()
    expect(aligner.targetOffsetMs()).toBe(120)
    expect(aligner.playoutOffsetMs()).toBe(135)
    // Audio and video captured at the same sender time are released at the same local time.
    expect(aligner.releaseAtMs(5000)).toBe(5135)
  })

  it("ignores a single stalled frame (the need is a percentile) and slews instead of jumping", () => {
    const aligner = aligned()
    aligner.observe(VIDEO, 2000, 2000 + 900)
    expect(aligner.targetOffsetMs()).toBe(120)
    expect(aligner.playoutOffsetMs()).toBe(135)
    for (let i = 0; i < 10; i++) aligner.observe(VIDEO, 2020 + i * 20, 2020 + i * 20 + 220)
    expect(aligner.targetOffsetMs()).toBe(220)
    expect(aligner.playoutOffsetMs()).toBeLessThanOrEqual(135 + 5 * 11)
  })

  it("forgets a stream on reset and everything on a full reset", () => {
    const aligner = aligned()
    aligner.reset(VIDEO)
    expect(aligner.targetOffsetMs()).toBe(40)
    aligner.reset()
    expect(aligner.releaseAtMs(0)).toBeUndefined()
  })
})
