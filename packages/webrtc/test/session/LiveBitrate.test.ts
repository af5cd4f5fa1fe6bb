import { assert, describe, it } from "@effect/vitest"
import { Effect, Schedule } from "effect"
import { video, type VideoFrame } from "@remotemedia/runtime-core"
import type { WebRtcTransportService } from "../../src/transport/WebRtcTransport.ts"
import { signalingEnv } from "../support/signalingEnv.ts"
import { startedTransport } from "../support/testTransport.ts"

const WIDTH = 320
const HEIGHT = 180

/** Random pictures: nothing to predict, so the encoder spends all the bitrate it is given. */
const noiseFrame = (index: number): VideoFrame => {
  const plane = (size: number) => crypto.getRandomValues(new Uint8Array(size))
  const chroma = (WIDTH / 2) * (HEIGHT / 2)
  return { width: WIDTH, height: HEIGHT, format: "I420", planes: [plane(WIDTH * HEIGHT), plane(chroma), plane(chroma)], timestampUs: Math.round((index * 1e6) / 30) }
}

/** What `receiver` measures coming in from `sender` (kbit/s over its last stats interval, 1 s here). */
const receivedKbps = (receiver: WebRtcTransportService, sender: string) =>
  receiver.listPeers.pipe(Effect.map((peers) => peers.find((p) => p.peerId === sender)?.metrics.bandwidthKbps ?? 0))

/** Waits until the measured rate satisfies `ok` (stats refresh once a second), failing after 20 s. */
const rateWhen = (receiver: WebRtcTransportService, sender: string, ok: (kbps: number) => boolean) =>
  receivedKbps(receiver, sender).pipe(
    Effect.repeat({ until: ok, schedule: Schedule.spaced("250 millis") }),
    Effect.timeout("20 seconds")
  )

describe("configure on a live connection", () => {
  it.live("lowering targetBitrateKbps mid-call lowers the bitrate the receiver measures", () =>
    Effect.gen(function*() {
      const urls = yield* signalingEnv()
      const alice = yield* startedTransport("alice", urls)
      const bob = yield* startedTransport("bob", urls)
      yield* alice.connectPeer("bob")
      // A 30 fps camera; it keeps going through the change.
      let index = 0
      yield* Effect.suspend(() => alice.sendToPeer("bob", video(noiseFrame(index++)))).pipe(
        Effect.repeat(Schedule.fixed("33 millis")),
        Effect.forkScoped
      )
      const before = yield* rateWhen(bob, "alice", (kbps) => kbps > 900)
      const settings = yield* alice.configure({ targetBitrateKbps: 200 })
      assert.strictEqual(settings.targetBitrateKbps, 200)
      const after = yield* rateWhen(bob, "alice", (kbps) => kbps < 350)
      yield* Effect.logInfo(`bob measured ${before.toFixed(0)} kbit/s from alice before, ${after.toFixed(0)} kbit/s after`)
      assert.isAbove(before, 3 * after, `measured ${before.toFixed(0)} kbit/s before, ${after.toFixed(0)} kbit/s after`)
    }), 60_000)
})
