import { audio, video } from "@remotemedia/runtime-core"
import { makeSineTone, testPatternFrame } from "@remotemedia/signals"
import { assert, describe, it } from "@effect/vitest"
import { Effect } from "effect"
import { makeMemorySignaling } from "../support/memorySignaling.ts"
import { stunServer } from "../support/stunServer.ts"
import { startedTransport } from "../support/testTransport.ts"
import { activeResources, resourcesSettledTo } from "../support/activeResources.ts"
import { collect, patient } from "./support/mediaMesh.ts"

describe("media path shutdown", () => {
  it.live("after media flowed both ways, shutdown leaves no socket, timer or fiber behind", () =>
    Effect.gen(function*() {
      const hub = yield* makeMemorySignaling
      const stunUrl = yield* stunServer
      const before = activeResources()
      yield* Effect.scoped(Effect.gen(function*() {
        const urls = { signalingUrl: "ws://127.0.0.1:1/memory", stunUrl }
        const alice = yield* startedTransport("alice", urls, patient)
        const bob = yield* startedTransport("bob", urls, patient)
        yield* alice.connectPeer("bob")
        const videoAtBob = yield* collect(bob, "alice", "Video", 3)
        const audioAtAlice = yield* collect(alice, "bob", "Audio", 3)
        const tone = makeSineTone({ frequency: 440, sampleRate: 48_000 })
        for (let i = 0; i < 30; i++) {
          // One 30 fps video track, fed alternately by alice's own stream and her broadcast.
          yield* i % 2 === 0 ? alice.sendToPeer("bob", video(testPatternFrame(320, 180, i))) : Effect.asVoid(alice.broadcast(video(testPatternFrame(320, 180, i))))
          yield* bob.sendToPeer("alice", audio(tone.next(1600), 48_000))
          yield* Effect.sleep("33 millis")
        }
        yield* videoAtBob
        yield* audioAtAlice
        yield* Effect.all([alice.shutdown, bob.shutdown], { concurrency: 2 })
      }).pipe(Effect.provide(hub.layer)))
      assert.deepStrictEqual(yield* resourcesSettledTo(before), before)
    }), 60_000)
})
