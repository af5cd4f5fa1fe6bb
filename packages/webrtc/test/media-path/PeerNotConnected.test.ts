import { audio } from "@remotemedia/runtime-core"
import { assert, describe, it } from "@effect/vitest"
import { Effect, Layer, Schedule } from "effect"
import { type Connect, SignalingConnector } from "../../src/transport/SignalingLink.ts"
import { makeMemorySignaling } from "../support/memorySignaling.ts"
import { stunServer } from "../support/stunServer.ts"
import { startedTransport } from "../support/testTransport.ts"

describe("media to a peer still negotiating", () => {
  it.live("fails with PeerNotConnected, and the attempt goes on", () =>
    Effect.gen(function*() {
      const hub = yield* makeMemorySignaling
      const inner = yield* SignalingConnector.pipe(Effect.provide(hub.layer))
      // Offers vanish on the way: alice's connection to bob stays in negotiation.
      const silent: Connect = (config) => Effect.map(inner(config), (client) => ({ ...client, offer: () => Effect.void }))
      const urls = { signalingUrl: "ws://127.0.0.1:1/memory", stunUrl: yield* stunServer }
      const [alice] = yield* Effect.all([startedTransport("alice", urls), startedTransport("bob", urls)]).pipe(
        Effect.provide(Layer.succeed(SignalingConnector, silent))
      )
      yield* alice!.connectPeer("bob").pipe(Effect.ignore, Effect.forkScoped({ startImmediately: true }))
      // Until the attempt exists bob is unknown to the media path (PeerNotFound); then it is not connected.
      const error = yield* alice!.sendToPeer("bob", audio(new Float32Array(960), 48_000)).pipe(
        Effect.flip,
        Effect.repeat({ schedule: Schedule.spaced("10 millis"), until: (e) => e._tag !== "PeerNotFound" }),
        Effect.timeout("5 seconds")
      )
      assert.strictEqual(error._tag, "PeerNotConnected")
      assert.include(error.message, "bob")
    }), 30_000)
})
