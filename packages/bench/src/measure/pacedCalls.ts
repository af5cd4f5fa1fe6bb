/**
 * Calls made at the rate of a live source, each next to its baseline on the same frame (alternating frame
 * by frame, so load from elsewhere hits both alike): the media figures of the transport's own calls.
 *
 * @since 0.1.0
 */
import type { VideoFrame } from "@remotemedia/runtime-core"
import type { Media } from "@remotemedia/webrtc"
import opus from "@discordjs/opus"
import { Effect } from "effect"
import { bareVideoEncoder } from "../baselines/bareVideoCodec.ts"
import { toneFrames } from "../baselines/toneFrames.ts"
import { cpuSecondsSince, elapsed, finishesWithin } from "./timing.ts"

const RATE = 48_000
/** 30 fps. */
export const FRAME_INTERVAL_MS = 1000 / 30
/** Frames sent before the recorded ones (encoder start-up). */
export const WARMUP_FRAMES = 3
/** A call taking this long has hung (seen: a 720p broadcast to 10 in-process peers, once in a few runs). */
const CALL_TIMEOUT_SECONDS = 30

/** Milliseconds of each call, and CPU milliseconds (every thread of this process) of each round. */
export interface PacedSamples {
  readonly bareMs: ReadonlyArray<number>
  readonly oursMs: ReadonlyArray<number>
  /** CPU of the baseline call alone. */
  readonly bareCpuMs: ReadonlyArray<number>
  /**
   * CPU from our call's start to the next baseline call: the call and whatever it left running (pacers
   * writing packets, RTCP), up to the next frame.
   */
  readonly oursCpuMs: ReadonlyArray<number>
}

/**
 * `bare(i)` and `ours(i)` alternating, one frame every `intervalMs` as a live source produces them (a late
 * frame goes at once); the first frames (encoder start-up) are not recorded.
 */
export const pacedCalls = Effect.fnUntraced(function*<E>(frames: number, intervalMs: number, bare: (i: number) => void, ours: (i: number) => Effect.Effect<unknown, E>) {
  const samples = { bareMs: [] as Array<number>, oursMs: [] as Array<number>, bareCpuMs: [] as Array<number>, oursCpuMs: [] as Array<number> }
  const started = performance.now()
  let oursCpuStart: NodeJS.CpuUsage | undefined
  for (let i = 0; i < WARMUP_FRAMES + frames; i++) {
    const bareCpuStart = process.cpuUsage()
    if (oursCpuStart !== undefined && i > WARMUP_FRAMES) samples.oursCpuMs.push(cpuSecondsSince(oursCpuStart) * 1000)
    const b = yield* elapsed(Effect.sync(() => bare(i)))
    const bareCpu = cpuSecondsSince(bareCpuStart) * 1000
    oursCpuStart = process.cpuUsage()
    // Timed inside the watched fiber: the watch's fork and join are the harness's, not the call's.
    const o = yield* elapsed(ours(i)).pipe(finishesWithin(`call ${i}`, CALL_TIMEOUT_SECONDS))
    if (i >= WARMUP_FRAMES) {
      samples.bareMs.push(b)
      samples.oursMs.push(o)
      samples.bareCpuMs.push(bareCpu)
    }
    const wait = started + (i + 1) * intervalMs - performance.now()
    if (wait > 0) yield* Effect.sleep(`${wait} millis`)
  }
  if (oursCpuStart !== undefined) samples.oursCpuMs.push(cpuSecondsSince(oursCpuStart) * 1000)
  return samples satisfies PacedSamples
})

/** Bare Opus encode and `send` of the same 20 ms tone frames, in real time. */
export const audioCalls = <E>(frames: number, send: (frame: Float32Array) => Effect.Effect<unknown, E>) => {
  const { float: chunks, pcm } = toneFrames(50)
  const bare = new opus.OpusEncoder(RATE, 1)
  return pacedCalls(frames, 20, (i) => bare.encode(pcm[i % pcm.length]!), (i) => send(chunks[i % chunks.length]!))
}

/** Bare encode and `send` of the same frames (720p in every figure) at 30 fps. */
export const videoCalls = <E>(codec: Media.VideoCodecName, sources: ReadonlyArray<VideoFrame>, frames: number, send: (frame: VideoFrame) => Effect.Effect<unknown, E>) => {
  const first = sources[0]!
  const encodeBare = bareVideoEncoder(codec, first.width, first.height)
  const source = (i: number) => sources[i % sources.length]!
  return pacedCalls(frames, FRAME_INTERVAL_MS, (i) => encodeBare(source(i), i), (i) => send({ ...source(i), timestampUs: Math.round(i * FRAME_INTERVAL_MS * 1000) }))
}
