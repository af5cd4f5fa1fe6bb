import { assert, describe, it } from "@effect/vitest"
import { Effect, Fiber, Option, Stream } from "effect"
import { makeMemorySignaling } from "../support/memorySignaling.ts"
import { stunServer } from "../support/stunServer.ts"
import { startedTransport } from "../support/testTransport.ts"
import { turnServer } from "../support/turnServer.ts"

describe("WebRtcTransport through TURN", () => {
  it.live("connects relay-only through a TURN server on 127.0.0.1 and carries data through it", () =>
    Effect.gen(function*() {
      const hub = yield* makeMemorySignaling
      const stunUrl = yield* stunServer
      const turn = yield* turnServer({ username: "mesh", password: "s3cret" })
      const relayOnly = {
        turnServers: [{ url: turn.url, username: "mesh", credential: "s3cret" }],
        iceTransportPolicy: "relay" as const
      }
      yield* Effect.gen(function*() {
        const urls = { signalingUrl: "ws://127.0.0.1:1/memory", stunUrl }
        const alice = yield* startedTransport("alice", urls, relayOnly)
        const bob = yield* startedTransport("bob", urls, relayOnly)
        yield* alice.connectPeer("bob")
        const atBob = yield* Stream.runHead(bob.dataChannelMessages).pipe(Effect.forkScoped({ startImmediately: true }))
        const before = yield* turn.relayedBytes
        const payload = Uint8Array.from({ length: 50_000 }, (_, i) => i % 251)
        yield* alice.sendDataChannelMessage("bob", { _tag: "Binary", payload })
        const received = Option.getOrThrow(yield* Fiber.join(atBob).pipe(Effect.timeout("10 seconds"))).message
        assert.deepStrictEqual(received, { _tag: "Binary", payload })
        assert.isAbove((yield* turn.relayedBytes) - before, payload.length, "the message went through the relay")
      }).pipe(Effect.provide(hub.layer))
    }))
})
