import { assert, describe, it } from "@effect/vitest"
import { Effect, Schedule } from "effect"
import { video, type VideoFrame } from "@remotemedia/runtime-core"
import { testPatternFrame } from "@remotemedia/signals"
import type { WebRtcTransportService } from "../../src/transport/WebRtcTransport.ts"
import { signalingEnv } from "../support/signalingEnv.ts"
import { startedTransport } from "../support/testTransport.ts"

const WIDTH = 320
const HEIGHT = 180
const FPS = 15

/**
 * The moving test pattern with fine grain on the luma: at a high target the encoder spends its bits on the
 * grain, at a low one it quantizes the grain away, so the bitrate follows the target both ways.
 */
const grainyFrame = (index: number): VideoFrame => {
  const frame = testPatternFrame(WIDTH, HEIGHT, index, FPS)
  const luma = frame.planes[0]!
  const grain = crypto.getRandomValues(new Uint8Array(luma.length))
  for (let i = 0; i < luma.length; i++) luma[i] = Math.min(235, Math.max(16, luma[i]! + (grain[i]! % 17) - 8))
  return frame
}

/** What `receiver` measures coming in from `sender` (kbit/s over its last stats interval, 1 s here). */
const receivedKbps = (receiver: WebRtcTransportService, sender: string) =>
  receiver.listPeers.pipe(Effect.map((peers) => peers.find((p) => p.peerId === sender)?.metrics.bandwidthKbps ?? 0), )

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
      // The adaptive controller would lower the rate on its own when a loaded machine delays RTCP: hold it at
      // the target, so what changes the rate here is the target alone.
      yield* alice.configure({ adaptiveBitrateEnabled: false })
      // A 15 fps camera (light on a loaded machine); it keeps going through the change.
      let index = 0
      yield* Effect.suspend(() => alice.sendToPeer("bob", video(grainyFrame(index++)))).pipe(
        Effect.repeat(Schedule.fixed(`${Math.round(1000 / FPS)} millis`)),
        Effect.forkScoped
      )
      // The default target is 1 500 kbit/s: the grain takes most of it.
      const before = yield* rateWhen(bob, "alice", (kbps) => kbps > 600)
      const settings = yield* alice.configure({ targetBitrateKbps: 150 })
      assert.strictEqual(settings.targetBitrateKbps, 150)
      const after = yield* rateWhen(bob, "alice", (kbps) => kbps < before / 4)
      yield* Effect.logInfo(`bob measured ${before.toFixed(0)} kbit/s from alice before, ${after.toFixed(0)} kbit/s after`)
      assert.isAbove(before, 4 * after, `measured ${before.toFixed(0)} kbit/s before, ${after.toFixed(0)} kbit/s after`)
    }), 60_000)
})
