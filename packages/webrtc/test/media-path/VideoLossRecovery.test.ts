import { video, type VideoFrame } from "@remotemedia/runtime-core"
import { psnr, testPatternFrame } from "@remotemedia/signals"
import { assert, describe, it } from "@effect/vitest"
import { Effect } from "effect"
import { SignalingConnector } from "../../src/transport/SignalingLink.ts"
import { makeRelayedSignaling } from "../reliability/support/relayedSignaling.ts"
import { makeMemorySignaling } from "../support/memorySignaling.ts"
import { stunServer } from "../support/stunServer.ts"
import { startedTransport } from "../support/testTransport.ts"
import { collect, patient } from "./support/mediaMesh.ts"

// 720p at 15 fps: the size at a rate the shared 2-core machine keeps up with; few frames.
const [width, height, fps] = [1280, 720, 15]
const frameTicks = 90_000 / fps

/**
 * The test pattern with grain (±8), as a camera's frames have: the clean pattern compresses to one or two
 * packets per frame, the grainy one fills the 8 Mbit/s target (~50 packets), so an outage of a few frames
 * loses more packets than NACK can repair, even when a loaded machine encodes far below 15 fps.
 */
const grainyFrame = (index: number): VideoFrame => {
  const frame = testPatternFrame(width, height, index, fps)
  let state = (index + 1) * 2_654_435_761 >>> 0
  for (const plane of frame.planes) {
    for (let i = 0; i < plane.length; i++) {
      state ^= state << 13
      state ^= state >>> 17
      state ^= state << 5
      plane[i] = Math.min(255, Math.max(0, plane[i]! + ((state >>> 0) % 17) - 8))
    }
  }
  return frame
}

describe("media path: video loss", () => {
  it.live("frames lost on the path are recovered through PLI and a keyframe", () =>
    Effect.gen(function*() {
      const hub = yield* makeMemorySignaling
      const inner = yield* SignalingConnector.pipe(Effect.provide(hub.layer))
      const relayed = yield* makeRelayedSignaling(inner)
      const urls = { signalingUrl: "ws://127.0.0.1:1/memory", stunUrl: yield* stunServer }
      const [alice, bob] = yield* Effect.all([startedTransport("alice", urls, patient), startedTransport("bob", urls, patient)]).pipe(Effect.provide(relayed.layer))
      // Without adaptive bitrate the encoder makes keyframes only when asked (a bitrate change would make one too).
      yield* alice!.configure({ adaptiveBitrateEnabled: false, targetBitrateKbps: 8_000, videoFramerateFps: fps })
      yield* alice!.connectPeer("bob")
      // 720p VP9 on a loaded 2-core machine may encode below real time: allow the stream time to arrive.
      const atBob = yield* collect(bob!, "alice", "Video", 20, "50 seconds")
      // An outage of more packets than werift's NACK history (128) and lost list (150) hold, so frames are
      // lost for good and the decoder must ask for a keyframe; timed by the clock, not by frames sent, so
      // that a slow encoder cannot stretch it past the 3 s of silence after which the path reads as
      // disconnected (sends would then fail with PeerNotConnected, a different test).
      const outage = Effect.gen(function*() {
        yield* relayed.impairAll({ toTarget: { loss: 1 }, fromTarget: { loss: 1 } })
        const started = Date.now()
        while (relayed.lostPackets() < 250 && Date.now() - started < 2_200) yield* Effect.sleep("50 millis")
        yield* relayed.impairAll({ toTarget: {}, fromTarget: {} })
      })
      const sent: Array<VideoFrame> = []
      for (let i = 0; i < 40; i++) {
        if (i === 10) yield* Effect.forkScoped(outage)
        const frame = grainyFrame(i)
        sent.push(frame)
        // A pacer that a loaded machine slows down drops the frame, as a live sender would.
        yield* alice!.sendToPeer("bob", video(frame)).pipe(Effect.catchTag("SendBufferFull", () => Effect.void))
        yield* Effect.sleep(`${1000 / fps} millis`)
      }
      const received = yield* atBob
      const steps = received.slice(1).map((m, i) => ((m.rtpTimestamp - received[i]!.rtpTimestamp) >>> 0) / frameTicks)
      // The outage is the largest gap (a loaded machine may drop the odd late frame elsewhere).
      const largest = Math.max(...steps)
      // Two or more frames in a row lost for good: NACK could not repair the outage.
      assert.isAtLeast(largest, 3, `frames were lost: RTP steps ${steps.join(",")}`)
      const gap = steps.indexOf(largest)
      const afterLoss = received.slice(gap + 1)
      assert.isAtLeast(afterLoss.length, 8, "video continues after the loss")
      assert.strictEqual(`${afterLoss[0]!.data.frame.width}x${afterLoss[0]!.data.frame.height}`, `${width}x${height}`)
      for (const { data } of afterLoss) {
        assert.isAbove(Math.max(...sent.map((frame) => psnr(frame, data.frame))), 30)
      }
    }), 90_000)
})
