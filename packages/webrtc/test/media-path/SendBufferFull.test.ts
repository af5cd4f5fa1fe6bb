import { video } from "@remotemedia/runtime-core"
import { testPatternFrame } from "@remotemedia/signals"
import { assert, describe, it } from "@effect/vitest"
import { Effect } from "effect"
import { star } from "./support/mediaMesh.ts"

describe("video backpressure", () => {
  it.live("frames handed over faster than the pacer sends them end in SendBufferFull, naming the peer", () =>
    Effect.gen(function*() {
      const [alice] = yield* star(["alice", "bob"])
      // No pause between frames: each takes half a 30 fps interval to pace out, encoding is faster.
      const error = yield* Effect.flip(Effect.forEach(Array.from({ length: 200 }, (_, i) => i), (i) => alice!.sendToPeer("bob", video(testPatternFrame(160, 90, i))), { discard: true }))
      assert.strictEqual(error._tag, "SendBufferFull")
      assert.include(error.message, "bob")
    }), 60_000)
})
