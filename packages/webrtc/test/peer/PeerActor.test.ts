import { assert, describe, it } from "@effect/vitest"
import { Effect, Fiber, Option, Stream } from "effect"
import { connectedActors } from "../support/connectedActors.ts"
import { stunServer } from "../support/stunServer.ts"

describe("PeerActor", () => {
  it.live("two in-process actors negotiate, connect and exchange data-channel messages", () =>
    Effect.gen(function*() {
      const stunUrl = yield* stunServer
      const { alice, bob } = yield* connectedActors(stunUrl)
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
