import { assert, describe, it } from "@effect/vitest"
import * as fc from "fast-check"
import { SourceTimeline } from "../../src/session/SourceTimeline.ts"

const FRAME_RTP = 960

describe("SourceTimeline", () => {
  it("dates the first frame by its release and the rest by RTP, so a lost frame leaves a gap", () => {
    const timeline = new SourceTimeline(48_000)
    const base = 2 ** 32 - 8 * FRAME_RTP // wraps after 8 frames
    assert.strictEqual(timeline.map(base, 1_000), 1_000_000)
    assert.strictEqual(timeline.map(base + FRAME_RTP, 1_025), 1_020_000, "release jitter does not move it")
    // Frame 2 was lost: frame 3 keeps its place 60 ms after the first.
    assert.strictEqual(timeline.map((base + 3 * FRAME_RTP) >>> 0, 1_058), 1_060_000)
    // Across the wrap.
    const wrapped = (base + 400 * FRAME_RTP) >>> 0
    assert.isBelow(wrapped, base)
    assert.strictEqual(timeline.map(wrapped, 9_000), 9_000_000)
  })

  it("re-anchors when the RTP clock and the release time disagree by more than the limit", () => {
    const timeline = new SourceTimeline(48_000, 500)
    timeline.map(0, 10_000)
    timeline.map(FRAME_RTP, 10_020)
    // The sender paused for 3 s without advancing its RTP clock.
    assert.strictEqual(timeline.map(2 * FRAME_RTP, 13_040), 13_040_000)
    assert.strictEqual(timeline.map(3 * FRAME_RTP, 13_061), 13_060_000)
  })

  it("a steady source stays within the limit of its release times, whatever the jitter", () => {
    fc.assert(fc.property(fc.integer({ min: 0, max: 2 ** 32 - 1 }), fc.array(fc.integer({ min: 0, max: 200 }), { minLength: 1, maxLength: 300 }), (start, jitters) => {
      const timeline = new SourceTimeline(48_000, 500)
      let previous = Number.NEGATIVE_INFINITY
      jitters.forEach((jitterMs, i) => {
        const releasedAtMs = 1_000_000 + i * 20 + jitterMs
        const at = timeline.map((start + i * FRAME_RTP) >>> 0, releasedAtMs)
        assert.isAtMost(Math.abs(at - releasedAtMs * 1000), 500_000)
        assert.isAbove(at, previous, "time moves forward")
        previous = at
      })
    }))
  })
})
