import { video, type VideoFrame } from "@remotemedia/runtime-core"
import { psnr, testPatternFrame } from "@remotemedia/signals"
import { assert, describe, it } from "@effect/vitest"
import { Effect, Fiber, Stream } from "effect"
import { SignalingConnector } from "../../src/transport/SignalingLink.ts"
import { makeRelayedSignaling } from "../reliability/support/relayedSignaling.ts"
import { makeMemorySignaling } from "../support/memorySignaling.ts"
import { stunServer } from "../support/stunServer.ts"
import { startedTransport } from "../support/testTransport.ts"
import { patient } from "./support/mediaMesh.ts"

// 720p at 15 fps: the size at a rate the shared 2-core machine keeps up with; few frames.
const [width, height, fps] = [1280, 720, 15]
const frameTicks = 90_000 / fps

describe("media path: video loss", () => {
  it.live("720p video goes on, whole, after an outage on the path (NACK, or PLI and a keyframe)", () =>
    Effect.gen(function*() {
      const hub = yield* makeMemorySignaling
      const inner = yield* SignalingConnector.pipe(Effect.provide(hub.layer))
      const relayed = yield* makeRelayedSignaling(inner)
      const urls = { signalingUrl: "ws://127.0.0.1:1/memory", stunUrl: yield* stunServer }
      const [alice, bob] = yield* Effect.all([startedTransport("alice", urls, patient), startedTransport("bob", urls, patient)]).pipe(Effect.provide(relayed.layer))
      // Without adaptive bitrate the encoder makes keyframes only when asked (a bitrate change would make one too).
      yield* alice!.configure({ adaptiveBitrateEnabled: false, videoFramerateFps: fps })
      yield* alice!.connectPeer("bob")

      // Frames are numbered by their RTP timestamp, from the first that arrives.
      let outageOver: { readonly lastIndexSent: number; readonly lostPackets: number } | undefined
      let firstTimestamp: number | undefined
      let framesAfterOutage = 0
      const indexOf = (rtpTimestamp: number) => ((rtpTimestamp - (firstTimestamp ??= rtpTimestamp)) >>> 0) / frameTicks
      const atBob = yield* bob!.incoming.pipe(
        Stream.filter((m) => m.peerId === "alice" && m.data._tag === "Video"),
        Stream.map((m) => ({ index: indexOf(m.rtpTimestamp), frame: (m.data as { readonly frame: VideoFrame }).frame })),
        // Until three frames sent after the outage arrived.
        Stream.takeUntil(({ index }) => outageOver !== undefined && index > outageOver.lastIndexSent && ++framesAfterOutage >= 3),
        Stream.runCollect,
        Effect.timeout("60 seconds"),
        Effect.forkScoped({ startImmediately: true })
      )

      // A 2 s outage, timed by the clock rather than by frames sent: a slow encoder must not stretch it past
      // the 3 s of silence after which the path reads as disconnected. Whether NACK repairs it (werift keeps
      // 128 packets) or frames are lost for good (the decoder waits for a keyframe and asks with a PLI)
      // depends on how many packets the loaded machine sent meanwhile; the PLI path is forced in
      // test/media/LoopbackMedia.test.ts. Here: whatever arrives is whole, and the video goes on.
      let sentCount = 0
      const outage = Effect.gen(function*() {
        yield* relayed.impairAll({ toTarget: { loss: 1 }, fromTarget: { loss: 1 } })
        yield* Effect.sleep("2 seconds")
        const lostPackets = relayed.lostPackets()
        yield* relayed.impairAll({ toTarget: {}, fromTarget: {} })
        outageOver = { lastIndexSent: sentCount - 1, lostPackets }
      })
      const sent: Array<VideoFrame> = []
      for (let i = 0; i < 60 && atBob.pollUnsafe() === undefined; i++) {
        if (i === 10) yield* Effect.forkScoped(outage)
        const frame = testPatternFrame(width, height, i, fps)
        sent.push(frame)
        // A pacer that a loaded machine slows down drops the frame, as a live sender would.
        yield* alice!.sendToPeer("bob", video(frame)).pipe(Effect.catchTag("SendBufferFull", () => Effect.void))
        sentCount++
        yield* Effect.sleep(`${1000 / fps} millis`)
      }
      const received = yield* Fiber.join(atBob)
      const { lastIndexSent, lostPackets } = outageOver!
      assert.isAtLeast(lostPackets, 10, "the outage lost packets")
      // Every frame that arrives is whole: never a delta decoded against a lost reference.
      for (const { frame } of received) {
        assert.strictEqual(`${frame.width}x${frame.height}`, `${width}x${height}`)
        const best = Math.max(...sent.map((source) => psnr(source, frame)))
        assert.isAbove(best, 30, `PSNR ${best.toFixed(1)} dB`)
      }
      const after = received.filter(({ index }) => index > lastIndexSent)
      assert.isAtLeast(after.length, 3, `frames after the outage (sent up to ${lastIndexSent}): ${received.map((r) => r.index).join(",")}`)
    }), 90_000)
})
