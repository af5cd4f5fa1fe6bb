import { assert, describe, it } from "@effect/vitest"
import { Effect, Option, Schedule } from "effect"
import { makeMemorySignaling } from "../support/memorySignaling.ts"
import { stunServer } from "../support/stunServer.ts"
import { startedTransport } from "../support/testTransport.ts"

const countByKind = (kinds: ReadonlyArray<string>) => {
  const counts: Record<string, number> = {}
  for (const kind of kinds) counts[kind] = (counts[kind] ?? 0) + 1
  return counts
}

describe("WebRtcTransport shutdown", () => {
  it.live("releases every socket, timer and fiber it opened", () =>
    Effect.gen(function*() {
      const hub = yield* makeMemorySignaling
      const stunUrl = yield* stunServer
      const before = countByKind(process.getActiveResourcesInfo())
      yield* Effect.scoped(Effect.gen(function*() {
        const urls = { signalingUrl: "ws://127.0.0.1:1/memory", stunUrl }
        const alice = yield* startedTransport("alice", urls)
        const bob = yield* startedTransport("bob", urls)
        const carol = yield* startedTransport("carol", urls)
        yield* Effect.all([alice.connectPeer("bob"), alice.connectPeer("carol"), bob.connectPeer("carol")], { concurrency: 3 })
        yield* alice.sendDataChannelMessage("bob", { _tag: "Text", payload: "x" })
        const during = countByKind(process.getActiveResourcesInfo())
        assert.isAbove(during["UDPWrap"] ?? 0, before["UDPWrap"] ?? 0, "the mesh opened UDP sockets")
        const started = Date.now()
        yield* Effect.all([alice.shutdown, bob.shutdown, carol.shutdown], { concurrency: 3 })
        assert.isBelow(Date.now() - started, 5_000)
      }).pipe(Effect.provide(hub.layer)))
      // Closing handles is asynchronous in libuv, and werift's DTLS handshake flights sleep 0.5-1 s on
      // uncancellable timers after the handshake (werift 0.25.2, lib dtls flight.transmit): allow them
      // 1.5 s to lapse, then every resource must be gone.
      const settled = yield* Effect.sync(() => countByKind(process.getActiveResourcesInfo())).pipe(
        Effect.repeat({ schedule: Schedule.spaced("50 millis"), until: (now) => JSON.stringify(now) === JSON.stringify(before) }),
        Effect.timeoutOption("1500 millis")
      )
      assert.deepStrictEqual(Option.getOrElse(settled, () => countByKind(process.getActiveResourcesInfo())), before)
    }))
})
