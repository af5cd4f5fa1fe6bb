import { audio, video } from "@remotemedia/runtime-core"
import { makeSineTone, testPatternFrame } from "@remotemedia/signals"
import { assert, describe, it } from "@effect/vitest"
import { Effect, Option, Schedule } from "effect"
import { makeMemorySignaling } from "../support/memorySignaling.ts"
import { stunServer } from "../support/stunServer.ts"
import { startedTransport } from "../support/testTransport.ts"
import { collect } from "./support/mediaMesh.ts"

const countByKind = (kinds: ReadonlyArray<string>) => {
  const counts: Record<string, number> = {}
  for (const kind of kinds) counts[kind] = (counts[kind] ?? 0) + 1
  return counts
}

describe("media path shutdown", () => {
  it.live("after media flowed both ways, shutdown leaves no socket, timer or fiber behind", () =>
    Effect.gen(function*() {
      const hub = yield* makeMemorySignaling
      const stunUrl = yield* stunServer
      const before = countByKind(process.getActiveResourcesInfo())
      yield* Effect.scoped(Effect.gen(function*() {
        const urls = { signalingUrl: "ws://127.0.0.1:1/memory", stunUrl }
        const alice = yield* startedTransport("alice", urls)
        const bob = yield* startedTransport("bob", urls)
        yield* alice.connectPeer("bob")
        const videoAtBob = yield* collect(bob, "alice", "Video", 3)
        const audioAtAlice = yield* collect(alice, "bob", "Audio", 3)
        const tone = makeSineTone({ frequency: 440, sampleRate: 48_000 })
        for (let i = 0; i < 20; i++) {
          yield* alice.sendToPeer("bob", video(testPatternFrame(320, 180, i)))
          yield* alice.broadcast(video(testPatternFrame(320, 180, i)))
          yield* bob.sendToPeer("alice", audio(tone.next(960), 48_000))
          yield* Effect.sleep("20 millis")
        }
        yield* videoAtBob
        yield* audioAtAlice
        yield* Effect.all([alice.shutdown, bob.shutdown], { concurrency: 2 })
      }).pipe(Effect.provide(hub.layer)))
      // As in the transport's own release test: libuv closes handles asynchronously and werift's DTLS
      // flights sleep on uncancellable timers for up to 1.5 s.
      const settled = yield* Effect.sync(() => countByKind(process.getActiveResourcesInfo())).pipe(
        Effect.repeat({ schedule: Schedule.spaced("50 millis"), until: (now) => JSON.stringify(now) === JSON.stringify(before) }),
        Effect.timeoutOption("1500 millis")
      )
      assert.deepStrictEqual(Option.getOrElse(settled, () => countByKind(process.getActiveResourcesInfo())), before)
    }), 60_000)
})
