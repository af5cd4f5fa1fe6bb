import { assert, describe, it } from "@effect/vitest"
import { Effect } from "effect"
import { sendTone, star } from "./support/mediaMesh.ts"

describe("configure on a live connection", () => {
  it.live("a lower audioBitrateKbps lowers the Opus rate sent to a connected peer", () =>
    Effect.gen(function*() {
      const [alice] = yield* star(["alice", "bob"])
      const sentKbps = Effect.map(alice!.listPeers, (peers) => peers[0]!.metrics.audioBitrateKbps ?? 0)
      let before = 0
      let sent = 0
      // 4 s of tone; the change at 1.5 s applies within a second, the last one-second window is all after it.
      yield* sendTone(200, (chunk) =>
        Effect.gen(function*() {
          if (++sent === 75) {
            before = yield* sentKbps
            yield* alice!.configure({ audioBitrateKbps: 16 })
          }
          yield* alice!.sendToPeer("bob", chunk)
        }))
      const after = yield* sentKbps
      assert.isAbove(before, 20, `before: ${before} kbps`)
      assert.isBelow(after, before / 2, `before ${before} kbps, after ${after} kbps`)
    }), 30_000)
})
