import { assert, describe, it } from "@effect/vitest"
import { Effect, Fiber, Option, Stream } from "effect"
import { TestClock } from "effect/testing"
import { InvalidConfig, InvalidData } from "../../src/errors.ts"
import { makeSyncManager, type SyncedFrame } from "../../src/sync/index.ts"

const AUDIO_SSRC = 1111
const VIDEO_SSRC = 2222
const AUDIO_RTP_BASE = 4_294_000_000 // wraps during the test
const VIDEO_RTP_BASE = 123_456
/** The sender's wall clock is unrelated to the receiver's (TestClock starts at 0). */
const SENDER_EPOCH_US = 1_764_000_000_000_000
const NETWORK_MS = 30
const VIDEO_EXTRA_DELAY_MS = 80

/** Deterministic arrival jitter in [0, 20) ms. */
const jitter = (n: number) => (n * 7919) % 20

interface Arrival { readonly at: number; readonly run: () => Effect.Effect<unknown, InvalidData> }

describe("SyncManager", () => {
  it.effect("aligns video that arrives 80 ms late to its audio within ±20 ms, and reaches Synced", () =>
    Effect.gen(function*() {
      const sync = yield* makeSyncManager<{ captureMs: number }>({ stableAfterReports: 2 })
      const released: Array<SyncedFrame<{ captureMs: number }>> = []
      const consumer = yield* Effect.forkChild(Stream.runForEach(sync.frames, (f) => Effect.sync(() => released.push(f))))
      assert.strictEqual(yield* sync.syncState, "Unsynced")

      const arrivals: Array<Arrival> = []
      for (let i = 0; i < 150; i++) {
        const captureMs = i * 20
        arrivals.push({
          at: captureMs + NETWORK_MS + jitter(i),
          run: () => sync.pushFrame({ ssrc: AUDIO_SSRC, kind: "audio", seq: (65_500 + i) % 65_536, rtpTimestamp: (AUDIO_RTP_BASE + i * 960) % 2 ** 32, payload: { captureMs } })
        })
      }
      for (let j = 0; j < 75; j++) {
        const captureMs = j * 40
        arrivals.push({
          at: captureMs + NETWORK_MS + VIDEO_EXTRA_DELAY_MS + jitter(j + 3),
          run: () => sync.pushFrame({ ssrc: VIDEO_SSRC, kind: "video", seq: j, rtpTimestamp: VIDEO_RTP_BASE + j * 3600, payload: { captureMs } })
        })
      }
      for (let t = 100; t < 3000; t += 500) {
        const ntpUs = SENDER_EPOCH_US + t * 1000
        arrivals.push({ at: t + NETWORK_MS, run: () => sync.pushSenderReport({ ssrc: AUDIO_SSRC, ntpUs, rtpTimestamp: (AUDIO_RTP_BASE + t * 48) % 2 ** 32 }) })
        arrivals.push({ at: t + NETWORK_MS, run: () => sync.pushSenderReport({ ssrc: VIDEO_SSRC, ntpUs, rtpTimestamp: VIDEO_RTP_BASE + t * 90 }) })
      }
      arrivals.sort((a, b) => a.at - b.at)

      const states = new Set<string>()
      let now = 0
      for (const arrival of arrivals) {
        yield* TestClock.adjust(arrival.at - now)
        now = arrival.at
        yield* arrival.run()
        states.add(yield* sync.syncState)
      }
      yield* TestClock.adjust(1000)
      assert.deepStrictEqual([...states], ["Unsynced", "Syncing", "Synced"])

      const latency = new Map<string, number>()
      for (const f of released) {
        if (f.syncState === "Synced") latency.set(`${f.kind}@${f.payload.captureMs}`, f.releaseMs - f.payload.captureMs)
      }
      const offsets: Array<number> = []
      for (let j = 0; j < 75; j++) {
        const video = latency.get(`video@${j * 40}`)
        const audio = latency.get(`audio@${j * 40}`)
        if (video !== undefined && audio !== undefined) offsets.push(video - audio)
      }
      assert.isAbove(offsets.length, 40)
      for (const offset of offsets) assert.isAtMost(Math.abs(offset), 20, `A/V offset ${offset} ms`)
      // Audio order is preserved (sequence numbers wrap at 65535 during the run).
      const audioOut = released.filter((f) => f.kind === "audio").map((f) => f.extendedSeq)
      assert.deepStrictEqual(audioOut, [...audioOut].sort((a, b) => a - b))
      assert.lengthOf(audioOut, 150)

      yield* sync.reset
      assert.strictEqual(yield* sync.syncState, "Unsynced")
      yield* Fiber.interrupt(consumer)
    }))

  it.effect("rejects malformed frames and reports with InvalidData, and keeps working", () =>
    Effect.gen(function*() {
      const sync = yield* makeSyncManager<string>()
      const bad = yield* Effect.flip(sync.pushFrame({ ssrc: 1, kind: "audio", seq: 70_000, rtpTimestamp: 0, payload: "x" }))
      assert.instanceOf(bad, InvalidData)
      assert.include(bad.message, "seq")
      const badReport = yield* Effect.flip(sync.pushSenderReport({ ssrc: 1, ntpUs: Number.NaN, rtpTimestamp: 0 }))
      assert.include(badReport.message, "ntpUs")
      assert.strictEqual(yield* sync.pushFrame({ ssrc: 1, kind: "audio", seq: 1, rtpTimestamp: 0, payload: "ok" }), "buffered")
      const next = yield* Effect.forkChild(Stream.runHead(sync.frames))
      yield* TestClock.adjust(50)
      const first = yield* Fiber.join(next)
      assert.strictEqual(Option.getOrUndefined(first)?.payload, "ok")
    }))

  it.effect("rejects a jitter buffer above the 500 ms hard cap", () =>
    Effect.gen(function*() {
      const error = yield* Effect.flip(makeSyncManager({ jitterBuffer: { maxDelayMs: 800 } }))
      assert.instanceOf(error, InvalidConfig)
      assert.strictEqual(error.field, "maxDelayMs")
    }))
})
