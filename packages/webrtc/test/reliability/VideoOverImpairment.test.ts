/**
 * 854x480 VP9 at 30 fps sent with `sendToPeer` through relays that drop 5 % of packets (RTP, RTCP, NACKs,
 * PLIs alike) with 30 ms of jitter, both ways. Frames must keep arriving at the right size, decoding must
 * recover after every loss (werift's NACK retransmissions, or our PLI and the sender's keyframe), and every
 * frame that is decoded must be the frame that was sent (PSNR > 30 dB): the decoder never shows a picture
 * built on missing references. The figures (sent / decoded / dropped, the longest stall) are printed.
 */
import { assert, describe, it } from "@effect/vitest"
import { Effect, Fiber, Schedule, Stream } from "effect"
import { video, type VideoFrame } from "@remotemedia/runtime-core"
import type { ImpairmentConfig } from "@remotemedia/netsim"
import { psnr, testPatternFrame } from "@remotemedia/signals"
import { relayedPair } from "./support/relayedSignaling.ts"

const lossy: ImpairmentConfig = { loss: 0.05, delayMs: 5, jitterMs: 30 }
const [width, height] = [854, 480]
const frames = 240
const frameTicks = 3_000

interface Received {
  readonly rtpTimestamp: number
  readonly atMs: number
  readonly frame: VideoFrame
}

describe("video over an impaired network", () => {
  it.live("5 % loss and 30 ms jitter: 480p VP9 keeps arriving, recovers after each loss, decoded frames are right", () =>
    Effect.gen(function*() {
      const { alice, bob, relayed, aliceEvents } = yield* relayedPair
      const received: Array<Received> = []
      const receiving = yield* bob.incoming.pipe(
        Stream.runForEach((m) => Effect.sync(() => void (m.data._tag === "Video" && received.push({ rtpTimestamp: m.rtpTimestamp, atMs: m.releasedAtMs, frame: m.data.frame })))),
        Effect.forkScoped({ startImmediately: true })
      )
      yield* relayed.impairAll({ toTarget: lossy, fromTarget: lossy })
      const sent: Array<VideoFrame> = []
      const startedMs = Date.now()
      for (let i = 0; i < frames; i++) {
        const frame = testPatternFrame(width, height, i)
        sent.push(frame)
        yield* alice.sendToPeer("bob", video(frame))
        // A 30 fps camera.
        yield* Effect.sleep("33 millis")
      }
      const sendingMs = Date.now() - startedMs
      // Wait until the stream goes quiet (the jitter buffer released what it had), failing loudly after 15 s.
      let seen = -1
      yield* Effect.sync(() => received.length).pipe(
        Effect.repeat({ schedule: Schedule.spaced("500 millis"), until: (n) => n >= frames || (n === seen ? true : ((seen = n), false)) }),
        Effect.timeout("15 seconds")
      )
      yield* Fiber.interrupt(receiving)

      assert.isAbove(received.length, 0, "no video frame arrived")
      for (const { frame } of received) assert.strictEqual(`${frame.width}x${frame.height}`, `${width}x${height}`)
      // The first decoded frame is found among the sent ones; the others follow from their RTP timestamps.
      const first = received[0]!
      const firstIndex = sent.reduce((best, frame, i) => (psnr(frame, first.frame) > psnr(sent[best]!, first.frame) ? i : best), 0)
      const indices = received.map((r) => firstIndex + ((r.rtpTimestamp - first.rtpTimestamp) >>> 0) / frameTicks)
      assert.isTrue(indices.every((index, i) => Number.isInteger(index) && index < frames && (i === 0 || index > indices[i - 1]!)), `frame order ${indices.join(",")}`)
      const qualities = received.map((r, i) => psnr(sent[indices[i]!]!, r.frame))
      const worst = Math.min(...qualities)

      const stalls = received.slice(1).map((r, i) => ({ frames: indices[i + 1]! - indices[i]! - 1, ms: r.atMs - received[i]!.atMs }))
      const gaps = stalls.filter((s) => s.frames > 0)
      const longestFrames = Math.max(0, ...stalls.map((s) => s.frames))
      const longestMs = Math.max(0, ...stalls.map((s) => s.ms))
      const lastIndex = indices.at(-1)!
      console.log(
        `video under 5 % loss: ${frames} sent in ${(sendingMs / 1000).toFixed(1)} s, ${received.length} decoded, ${frames - received.length} dropped ` +
          `(first decoded #${firstIndex}, last #${lastIndex}); ${gaps.length} gaps, longest ${longestFrames} frames, longest stall ${longestMs} ms; ` +
          `PSNR worst ${worst.toFixed(1)} dB; relays dropped ${relayed.lostPackets()} packets`
      )
      assert.isAbove(relayed.lostPackets(), 0, "the relays did drop packets")
      assert.isAbove(worst, 30, "every decoded frame is the frame that was sent")
      // Recovery after each loss: the stream is alive to the end, and most frames make it.
      assert.isAtLeast(lastIndex, frames - 15, "decoding recovered after the last loss")
      assert.isAtLeast(received.length, frames * 0.8, "NACK repairs most losses: at least 80 % of the frames are decoded")
      // Counted in frames: on a loaded machine the sender itself runs below 30 fps, so milliseconds say more
      // about the machine than about recovery. A second of 30 fps video is the bound; 10 s means a dead stream.
      assert.isAtMost(longestFrames, 30, "longest run of lost frames")
      assert.isAtMost(longestMs, 10_000, "longest stall between decoded frames")
      assert.deepStrictEqual(aliceEvents.filter((e) => e._tag === "PeerFailed"), [])
    }), 120_000)
})
