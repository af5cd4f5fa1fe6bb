import { video, type VideoFrame } from "@remotemedia/runtime-core"
import { psnr, testPatternFrame } from "@remotemedia/signals"
import { assert, describe, it } from "@effect/vitest"
import { Effect } from "effect"
import { signalingEnv } from "../support/signalingEnv.ts"
import { startedTransport } from "../support/testTransport.ts"
import { collect, patient } from "./support/mediaMesh.ts"

// 720p at 15 fps: the size, at a rate the shared 2-core machine encodes and decodes in real time
// next to other suites; few frames keep the file fast.
const [width, height, fps] = [1280, 720, 15]

for (const codec of ["VP9", "H264"] as const) {
  describe(`media path: ${codec} video`, () => {
    it.live(`${width}x${height} frames arrive with their size and PSNR > 30 dB`, () =>
      Effect.gen(function*() {
        const urls = yield* signalingEnv()
        const [alice, bob] = yield* Effect.forEach(["alice", "bob"], (name) => startedTransport(name, urls, { ...patient, videoCodec: codec }))
        yield* alice!.configure({ videoFramerateFps: fps })
        yield* alice!.connectPeer("bob")
        const atBob = yield* collect(bob!, "alice", "Video", 10, "40 seconds")
        const sent: Array<VideoFrame> = []
        for (let i = 0; i < 24; i++) {
          const frame = testPatternFrame(width, height, i, fps)
          sent.push(frame)
          yield* alice!.sendToPeer("bob", video(frame))
          // A live camera at `fps`.
          yield* Effect.sleep(`${1000 / fps} millis`)
        }
        const received = yield* atBob
        for (const { data } of received) {
          assert.strictEqual(`${data.frame.width}x${data.frame.height}`, `${width}x${height}`)
          const best = Math.max(...sent.map((frame) => psnr(frame, data.frame)))
          assert.isAbove(best, 30, `PSNR ${best.toFixed(1)} dB`)
        }
        const [alicePeer] = yield* bob!.listPeers
        assert.strictEqual(alicePeer!.metrics.videoResolution, `${width}x${height}`)
      }), 90_000)
  })
}
