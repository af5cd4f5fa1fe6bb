import { assert, describe, it } from "@effect/vitest"
import * as fc from "fast-check"
import { PlayoutClock } from "../../src/session/PlayoutClock.ts"

const FRAME_US = 20_000

describe("PlayoutClock", () => {
  it("puts frames into shared 20 ms slots by release time", () => {
    const alice = new PlayoutClock()
    const carol = new PlayoutClock()
    // Released 7 ms apart within one slot: the same slot, so a Mixer puts them in one round.
    assert.strictEqual(alice.date(1_001, FRAME_US), 1_000_000)
    assert.strictEqual(carol.date(1_008, FRAME_US), 1_000_000)
    assert.strictEqual(alice.date(1_060, FRAME_US), 1_060_000, "a lost frame leaves its slot empty")
    // A burst of three released at once fills the following slots, in order.
    assert.deepStrictEqual([carol.date(1_061, FRAME_US), carol.date(1_061, FRAME_US), carol.date(1_061, FRAME_US)], [1_060_000, 1_080_000, 1_100_000])
    assert.strictEqual(carol.date(1_090, FRAME_US), 1_120_000, "never two frames in one slot")
    assert.strictEqual(carol.date(1_200, FRAME_US), 1_200_000, "back on time once the release time passes")
  })

  it("slots are on the shared grid, strictly increasing, never before the release slot", () => {
    fc.assert(fc.property(fc.array(fc.integer({ min: 0, max: 1_000_000 }), { minLength: 1, maxLength: 200 }), (releases) => {
      const clock = new PlayoutClock()
      let previous = Number.NEGATIVE_INFINITY
      for (const ms of [...releases].sort((a, b) => a - b)) {
        const at = clock.date(ms, FRAME_US)
        assert.strictEqual(at % FRAME_US, 0)
        assert.isAbove(at, previous)
        assert.isAtLeast(at, Math.floor((ms * 1000) / FRAME_US) * FRAME_US)
        previous = at
      }
    }))
  })
})
