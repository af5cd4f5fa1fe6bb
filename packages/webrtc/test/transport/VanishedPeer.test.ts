import { assert, describe, it } from "@effect/vitest"
import { Effect, Fiber, Option, Stream } from "effect"
import { childPeer } from "../support/childPeer.ts"
import { signalingEnv } from "../support/signalingEnv.ts"
import { awaitEvent, eventFor, startedTransport } from "../support/testTransport.ts"

describe("a remote peer that vanishes", () => {
  it.live("is detected, reported and cleaned up while the other peers keep working", () =>
    Effect.gen(function*() {
      // A short grace period: the server reports a dead socket's peer as gone 1 s after the drop.
      const urls = yield* signalingEnv({ gracePeriodMs: 1_000 })
      const alice = yield* startedTransport("alice", urls)
      const bob = yield* startedTransport("bob", urls)
      const child = yield* childPeer("doomed", urls)
      yield* alice.connectPeer("doomed")
      yield* alice.connectPeer("bob")
      assert.deepStrictEqual((yield* alice.listPeers).map((p) => p.peerId).sort(), ["bob", "doomed"])

      const gone = yield* awaitEvent(
        alice,
        eventFor("PeerFailed", "doomed"),
        "30 seconds"
      )
      const killedAt = Date.now()
      yield* child.kill
      const event = yield* gone
      const detectedAfterMs = Date.now() - killedAt
      assert.isBelow(detectedAfterMs, 15_000, `detected after ${detectedAfterMs} ms`)
      assert.include(event.reason, "doomed")
      assert.deepStrictEqual((yield* alice.listPeers).map((p) => p.peerId), ["bob"])

      const atBob = yield* Stream.runHead(bob.dataChannelMessages).pipe(Effect.forkScoped({ startImmediately: true }))
      yield* alice.sendDataChannelMessage("bob", { _tag: "Text", payload: "still here" })
      assert.deepStrictEqual(
        Option.map(yield* Fiber.join(atBob).pipe(Effect.timeout("5 seconds")), (m) => m.message),
        Option.some({ _tag: "Text" as const, payload: "still here" })
      )
    }), 60_000)
})
