import { assert, describe, it } from "@effect/vitest"
import { Deferred, Effect, Fiber, Option, Predicate, Queue, Stream } from "effect"
import { decodeConfig } from "../../src/config/WebRtcTransportConfig.ts"
import * as PeerActor from "../../src/peer/PeerActor.ts"
import type { OutgoingSignal } from "../../src/peer/PeerSignal.ts"
import { stunServer } from "../support/stunServer.ts"

const configFor = (peerId: string, stunUrl: string) =>
  decodeConfig({
    signalingUrl: "ws://127.0.0.1:1",
    peerId,
    stunServers: [stunUrl],
    candidateHosts: "loopback",
    rtcpIntervalMs: 1_000
  })

describe("PeerActor", () => {
  it.live("two in-process actors negotiate, connect and exchange data-channel messages", () =>
    Effect.gen(function*() {
      const stunUrl = yield* stunServer
      const requestId = "req-1"
      const toBob = yield* Queue.unbounded<OutgoingSignal>()
      const bobReady = yield* Deferred.make<PeerActor.PeerActor>()
      const alice = yield* PeerActor.make({
        remoteId: "bob",
        config: yield* configFor("alice", stunUrl),
        role: { _tag: "Offerer", requestId },
        signal: (message) => Queue.offer(toBob, message)
      })
      // Bob is created from Alice's offer; her candidates that came first go to him once he exists.
      yield* Effect.forkScoped(Effect.gen(function*() {
        const offer = yield* Queue.take(toBob)
        if (!Predicate.isTagged(offer, "Offer")) return assert.fail("the first message must be the offer")
        const bob = yield* PeerActor.make({
          remoteId: "alice",
          config: yield* configFor("bob", stunUrl),
          role: { _tag: "Answerer", requestId, offerSdp: offer.sdp },
          signal: (message) => Predicate.isTagged(message, "Offer") ? Effect.void : alice.receive(message)
        })
        yield* Deferred.succeed(bobReady, bob)
        yield* Effect.forkScoped(bob.run)
        while (true) {
          const message = yield* Queue.take(toBob)
          if (!Predicate.isTagged(message, "Offer")) yield* bob.receive(message)
        }
      }))
      yield* Effect.forkScoped(alice.run)
      const bob = yield* Deferred.await(bobReady)
      yield* Effect.all([alice.connected, bob.connected], { concurrency: 2 }).pipe(Effect.timeout("10 seconds"))
      assert.strictEqual(yield* alice.state, "Connected")
      assert.strictEqual(yield* bob.state, "Connected")
      assert.isAbove(yield* alice.connectedAt, 0)

      const aliceChannel = alice.dataChannel!
      const bobChannel = bob.dataChannel!
      yield* Effect.all([aliceChannel.opened, bobChannel.opened]).pipe(Effect.timeout("5 seconds"))
      const atBob = yield* Effect.forkChild(Stream.runHead(bobChannel.messages), { startImmediately: true })
      yield* aliceChannel.send({ _tag: "Text", payload: "hello bob" })
      assert.deepStrictEqual(yield* Fiber.join(atBob), Option.some({
        peerId: "alice",
        message: { _tag: "Text" as const, payload: "hello bob" }
      }))
      const bytes = Uint8Array.from([0, 1, 2, 253, 254, 255])
      const atAlice = yield* Effect.forkChild(Stream.runHead(aliceChannel.messages), { startImmediately: true })
      yield* bobChannel.send({ _tag: "Binary", payload: bytes })
      assert.deepStrictEqual(Option.getOrThrow(yield* Fiber.join(atAlice)).message, { _tag: "Binary", payload: bytes })

      // Media was negotiated up front: VP9 first on video, Opus on audio.
      const sdp = alice.connection.remoteDescription?.sdp ?? ""
      assert.match(sdp, /m=video \d+ [A-Z/]+ (\d+)/)
      const videoPt = /m=video \d+ [A-Z/]+ (\d+)/.exec(sdp)?.[1]
      assert.match(sdp, new RegExp(`a=rtpmap:${videoPt} VP9/90000`))
      assert.match(sdp, /a=rtpmap:\d+ opus\/48000\/2/i)
      assert.strictEqual(alice.audio.currentDirection, "sendrecv")
      assert.strictEqual(alice.video.currentDirection, "sendrecv")
    }))
})
