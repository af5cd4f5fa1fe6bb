import { audio, video } from "@remotemedia/runtime-core"
import { bestLag, concatSamples, dominantFrequency } from "@remotemedia/signals"
import { assert, describe, it } from "@effect/vitest"
import { Effect } from "effect"
import { collect, sendTone, star } from "./support/mediaMesh.ts"

/** Received audio lags the sent audio by the Opus delay and the jitter buffer; frames after that are compared. */
const assertSameTone = (sent: ReadonlyArray<Float32Array>, received: ReadonlyArray<Float32Array>) => {
  const signal = concatSamples(received)
  const tail = signal.subarray(960 * 10)
  assert.closeTo(dominantFrequency(tail, 48_000), 440, 3)
  const reference = concatSamples(sent)
  const match = bestLag(tail, reference, 0, 960 * 12, 960 * 20)
  assert.isAbove(match.correlation, 0.99, `correlation ${match.correlation} at lag ${match.lag}`)
}

/**
 * RTP timestamps advance by exactly one 20 ms frame (960) on the sender's clock. On a loaded machine the
 * receiver's jitter buffer may drop a late frame: then the step is a whole number of frames, at most twice.
 */
const assertContiguous = (timestamps: ReadonlyArray<number>) => {
  const steps = timestamps.slice(1).map((t, i) => ((t - timestamps[i]!) >>> 0) / 960)
  assert.isTrue(steps.every((step) => Number.isInteger(step) && step >= 1), `steps in frames: ${steps.join(",")}`)
  assert.isAtMost(steps.filter((step) => step > 1).length, 2, `steps in frames: ${steps.join(",")}`)
}

describe("media path: audio", () => {
  it.live("a 440 Hz tone sent alice -> bob arrives at 440 Hz, contiguous and synced", () =>
    Effect.gen(function*() {
      const [alice, bob] = yield* star(["alice", "bob"])
      // Our sender reports go out every second (the test config); Synced takes two of them.
      const atBob = yield* collect(bob!, "alice", "Audio", 140)
      const sent = yield* sendTone(150, (chunk) => alice!.sendToPeer("bob", chunk))
      const received = yield* atBob
      assertSameTone(sent, received.map((m) => m.data.samples))
      assertContiguous(received.map((m) => m.rtpTimestamp))
      assert.strictEqual(received.at(-1)!.syncState, "Synced")
      assert.isDefined(received.at(-1)!.senderWallClockUs)
      const [alicePeer] = yield* bob!.listPeers
      assert.strictEqual(alicePeer!.syncState, "Synced")
    }), 60_000)

  it.live("broadcast encodes once for 3 peers; each hears 440 Hz", () =>
    Effect.gen(function*() {
      const [hub, ...others] = yield* star(["hub", "p1", "p2", "p3"])
      const waits = yield* Effect.forEach(others, (t) => collect(t, "hub", "Audio", 60))
      const stats: Array<{ sentCount: number; failedCount: number; totalPeers: number }> = []
      const sent = yield* sendTone(100, (chunk) => hub!.broadcast(chunk).pipe(Effect.tap((s) => Effect.sync(() => stats.push(s)))))
      for (const wait of waits) assertSameTone(sent, (yield* wait).map((m) => m.data.samples))
      assert.isTrue(stats.every((s) => s.totalPeers === 3 && s.sentCount === 3 && s.failedCount === 0))
    }), 60_000)

  it.live("the track follows the latest source: sendToPeer, then broadcast, without a timestamp jump", () =>
    Effect.gen(function*() {
      const [alice, bob] = yield* star(["alice", "bob"])
      const atBob = yield* collect(bob!, "alice", "Audio", 90)
      let calls = 0
      const sent = yield* sendTone(100, (chunk): Effect.Effect<unknown, unknown> => calls++ < 50 ? alice!.sendToPeer("bob", chunk) : alice!.broadcast(chunk))
      const received = yield* atBob
      assertSameTone(sent, received.map((m) => m.data.samples))
      assertContiguous(received.map((m) => m.rtpTimestamp))
    }), 60_000)

  it.live("errors name what was wrong", () =>
    Effect.gen(function*() {
      const [alice] = yield* star(["alice", "bob"])
      const tone = new Float32Array(960)
      const cases = [
        [alice!.sendToPeer("nobody", audio(tone, 48_000)), "PeerNotFound"],
        [alice!.sendToPeer("bob", audio(tone, 44_100)), "InvalidDataType"],
        [alice!.sendToPeer("bob", video({ width: 641, height: 361, format: "I420", planes: [], timestampUs: 0 })), "InvalidDataType"]
      ] as const
      for (const [attempt, tag] of cases) assert.strictEqual((yield* Effect.flip(attempt))._tag, tag)
      // The peer still works after bad input.
      yield* alice!.sendToPeer("bob", audio(tone, 48_000))
    }), 30_000)

  it.live("a transport without peers: broadcast fails with NoPeersConnected", () =>
    Effect.gen(function*() {
      const [alone] = yield* star(["alone"])
      const error = yield* Effect.flip(alone!.broadcast(audio(new Float32Array(960), 48_000)))
      assert.strictEqual(error._tag, "NoPeersConnected")
    }), 30_000)
})

