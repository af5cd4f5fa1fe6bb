/**
 * `SyncManager`: the actor that owns one peer's {@link PeerSync} and drives it from Effect's `Clock`
 * (so tests run it on `TestClock`). The receive path pushes frames and sender reports in; synchronised
 * frames come out of `frames`, each tagged with the peer's `SyncState`.
 *
 * @since 0.1.0
 */
import { Clock, Effect, Queue, type Scope, Stream } from "effect"
import { InvalidConfig, InvalidData } from "../errors.ts"
import type { SenderReport } from "./ClockMapping.ts"
import { type JitterBufferConfig, type PushOutcome, validateJitterBufferConfig } from "./JitterBuffer.ts"
import { type IncomingFrame, PeerSync, type StreamSyncStats, type SyncedFrame } from "./PeerSync.ts"
import type { SyncState } from "./SyncState.ts"

/** Configuration of a peer's sync manager; every field has a default. */
export interface SyncManagerConfig {
  /** Jitter buffer bounds (the clock rate comes from the stream kind). Defaults: 50–200 ms. */
  readonly jitterBuffer?: Omit<JitterBufferConfig, "clockRate">
  /** Default 48000. */
  readonly audioClockRate?: number
  /** Default 90000. */
  readonly videoClockRate?: number
  /** Sender reports per stream before the peer counts as Synced (default 2). */
  readonly stableAfterReports?: number
  /** Released frames held for a slow consumer before the oldest are dropped (default 512). */
  readonly maxQueuedFrames?: number
}

export interface SyncManager<A> {
  /** Hand over a received frame; late and duplicate frames are counted and dropped (see the outcome). */
  readonly pushFrame: (frame: IncomingFrame<A>) => Effect.Effect<PushOutcome, InvalidData>
  /** Hand over a received RTCP sender report. */
  readonly pushSenderReport: (report: SenderReport) => Effect.Effect<void, InvalidData>
  /** Frames released against the peer's playout clock, in order per stream. Single consumer. */
  readonly frames: Stream.Stream<SyncedFrame<A>>
  readonly syncState: Effect.Effect<SyncState>
  readonly stats: Effect.Effect<ReadonlyArray<StreamSyncStats>>
  /** Drop all streams and mappings (reconnect): back to Unsynced. */
  readonly reset: Effect.Effect<void>
}

const isUint = (value: number, max: number) => Number.isInteger(value) && value >= 0 && value <= max

const checkFrame = <A>(frame: IncomingFrame<A>): string | undefined => {
  if (!isUint(frame.ssrc, 0xffffffff)) return `ssrc must be a 32-bit unsigned integer, got ${frame.ssrc}`
  if (!isUint(frame.seq, 0xffff)) return `seq must be a 16-bit unsigned integer, got ${frame.seq}`
  if (!isUint(frame.rtpTimestamp, 0xffffffff)) return `rtpTimestamp must be a 32-bit unsigned integer, got ${frame.rtpTimestamp}`
  if (frame.packets !== undefined && !(Number.isInteger(frame.packets) && frame.packets >= 1)) {
    return `packets must be a positive integer, got ${frame.packets}`
  }
  if (frame.kind !== "audio" && frame.kind !== "video") return `kind must be "audio" or "video", got ${String(frame.kind)}`
  return undefined
}

const checkReport = (report: SenderReport): string | undefined => {
  if (!isUint(report.ssrc, 0xffffffff)) return `sender report ssrc must be a 32-bit unsigned integer, got ${report.ssrc}`
  if (!isUint(report.rtpTimestamp, 0xffffffff)) return `sender report rtpTimestamp must be a 32-bit unsigned integer, got ${report.rtpTimestamp}`
  if (!Number.isFinite(report.ntpUs)) return `sender report ntpUs must be finite, got ${report.ntpUs}`
  return undefined
}

const positiveInt = (field: string, value: number) =>
  Number.isInteger(value) && value > 0
    ? Effect.succeed(value)
    : Effect.fail(new InvalidConfig({ field, message: `${field} must be a positive integer, got ${value}` }))

/**
 * Start a peer's sync manager in the current scope; its driver fiber stops when the scope closes. Fails with
 * `InvalidConfig` naming the bad field.
 */
export const makeSyncManager = Effect.fn("SyncManager.make")(function*<A>(
  config: SyncManagerConfig = {}
): Effect.fn.Return<SyncManager<A>, InvalidConfig, Scope.Scope> {
  const audioClockRate = yield* positiveInt("audioClockRate", config.audioClockRate ?? 48_000)
  const videoClockRate = yield* positiveInt("videoClockRate", config.videoClockRate ?? 90_000)
  const stableAfterReports = yield* positiveInt("stableAfterReports", config.stableAfterReports ?? 2)
  const { clockRate: _, ...jitterBuffer } = yield* validateJitterBufferConfig({ ...config.jitterBuffer, clockRate: audioClockRate })
  const core = new PeerSync<A>({ jitterBuffer, audioClockRate, videoClockRate, stableAfterReports })
  const maxQueuedFrames = yield* positiveInt("maxQueuedFrames", config.maxQueuedFrames ?? 512)
  // A consumer that stalls loses the oldest frames, never the process's memory.
  const output = yield* Queue.sliding<SyncedFrame<A>>(maxQueuedFrames)
  // A sliding queue of one: any number of pushes before the driver wakes collapse into one wake-up.
  const wake = yield* Queue.sliding<void>(1)

  const drive = Effect.gen(function*() {
    const now = yield* Clock.currentTimeMillis
    const due = core.pop(now)
    if (due.length > 0) yield* Queue.offerAll(output, due)
    const next = core.nextWakeMs()
    const woken = Queue.take(wake)
    // Whole milliseconds, rounded up: the clock has millisecond resolution, so a shorter sleep would
    // wake before the frame is due and spin.
    yield* next === undefined ? woken : Effect.raceFirst(woken, Effect.sleep(Math.max(1, Math.ceil(next - now))))
  })
  yield* Effect.forkScoped(Effect.forever(drive))

  const poke = Queue.offer(wake, undefined)
  const stats = Effect.sync(() => core.stats())
  return {
    pushFrame: (frame) => {
      const problem = checkFrame(frame)
      if (problem !== undefined) return Effect.fail(new InvalidData({ message: problem }))
      return Effect.flatMap(Clock.currentTimeMillis, (now) => {
        const outcome = core.pushFrame(frame, now)
        return Effect.as(poke, outcome)
      })
    },
    pushSenderReport: (report) => {
      const problem = checkReport(report)
      if (problem !== undefined) return Effect.fail(new InvalidData({ message: problem }))
      return Effect.andThen(Effect.sync(() => core.pushSenderReport(report)), poke)
    },
    frames: Stream.fromQueue(output),
    syncState: Effect.sync(() => core.state()),
    stats,
    reset: Effect.andThen(Effect.sync(() => core.reset()), poke)
  }
})
