/**
 * One 720p30 VP9 stream end to end through two transports in this process (`sendToPeer` → encode → paced
 * RTP → receive, decode, sync → `incoming`), driven by a 30 fps timer (the method of the webrtc media
 * bench; a frame still in flight makes the next tick skip, as a real sender drops a frame):
 *
 * - CPU per stream: process CPU time (all threads, so libuv's codec threads count) per second of stream,
 *   in % of one core, sampled every 250 ms; baseline: the bare codec encoding and decoding the same
 *   frames on the event loop.
 * - event-loop delay (perf_hooks.monitorEventLoopDelay) under that load; baseline: an idle 30 fps timer.
 */
import { video } from "@remotemedia/runtime-core"
import { Effect } from "effect"
import { monitorEventLoopDelay } from "node:perf_hooks"
import { setTimeout as sleep } from "node:timers/promises"
import { bareVideoDecoder, bareVideoEncoder } from "../baselines/bareVideoCodec.ts"
import type { BenchSizes } from "../BenchSizes.ts"
import type { Summary } from "../measure/Summary.ts"
import { cpuSecondsSince } from "../measure/timing.ts"
import { connectedPair, localSignaling } from "../peers/transports.ts"
import { type Figure, measured } from "../report/Figure.ts"
import { HEIGHT, testPattern, WIDTH } from "./videoSuite.ts"

const FPS = 30
const CPU_WINDOW_MS = 250

interface LoadRun {
  readonly loopDelayMs: Summary
  readonly cpuPercent: ReadonlyArray<number>
}

/** Drives `tick` at 30 fps for `seconds`, sampling event-loop delay and CPU. */
const at30fps = async (seconds: number, tick: (i: number) => Promise<unknown> | void): Promise<LoadRun> => {
  const histogram = monitorEventLoopDelay({ resolution: 1 })
  const cpuPercent: Array<number> = []
  let window = { cpu: process.cpuUsage(), wall: performance.now() }
  const closeWindow = () => {
    cpuPercent.push((100 * cpuSecondsSince(window.cpu)) / ((performance.now() - window.wall) / 1000))
    window = { cpu: process.cpuUsage(), wall: performance.now() }
  }
  let inFlight: Promise<unknown> = Promise.resolve()
  let busy = false
  let ticks = 0
  histogram.enable()
  const timer = setInterval(() => {
    if (performance.now() - window.wall >= CPU_WINDOW_MS) closeWindow()
    if (busy) return
    busy = true
    inFlight = Promise.resolve(tick(ticks++)).finally(() => {
      busy = false
    })
  }, 1000 / FPS)
  await sleep(seconds * 1000)
  clearInterval(timer)
  await inFlight
  closeWindow()
  histogram.disable()
  const ms = (ns: number) => ns / 1e6
  return {
    loopDelayMs: {
      median: ms(histogram.percentile(50)),
      p90: ms(histogram.percentile(90)),
      p99: ms(histogram.percentile(99)),
      min: ms(histogram.min),
      max: ms(histogram.max),
      n: histogram.count
    },
    cpuPercent
  }
}

/** CPU and event-loop figures under one 720p30 stream. */
export const loadSuite = (sizes: BenchSizes): Effect.Effect<ReadonlyArray<Figure>> =>
  Effect.scoped(Effect.gen(function*() {
    const sources = testPattern(FPS)
    const { sender, receiverId } = yield* connectedPair(yield* localSignaling(), "VP9")
    // A pacer queue that is full drops the frame (as a live sender would), and the stream goes on.
    const endToEnd = (i: number) =>
      Effect.runPromise(sender.sendToPeer(receiverId, video({ ...sources[i % FPS]!, timestampUs: Math.round((i * 1e6) / FPS) })).pipe(
        Effect.catchTag("SendBufferFull", () => Effect.void),
        Effect.orDie
      ))
    const encodeBare = bareVideoEncoder("VP9", WIDTH, HEIGHT)
    const decodeBare = bareVideoDecoder("VP9")

    const idle = yield* Effect.promise(() => at30fps(sizes.loadSeconds, () => undefined))
    const bare = yield* Effect.promise(() => at30fps(sizes.loadSeconds, (i) => decodeBare(encodeBare(sources[i % FPS]!, i))))
    const ours = yield* Effect.promise(() => at30fps(sizes.loadSeconds, endToEnd))
    return [
      measured(
        { id: "load.cpuPer720p30", title: "CPU per 720p30 VP9 stream end to end (sender and receiver)", unit: "% of a core" },
        ["bare codec encode + decode", bare.cpuPercent],
        ["sendToPeer → incoming", ours.cpuPercent]
      ),
      measured(
        { id: "load.eventLoopDelay720p30", title: "event-loop delay under one 720p30 VP9 stream end to end", unit: "ms" },
        ["idle 30 fps timer", idle.loopDelayMs],
        ["sendToPeer → incoming", ours.loopDelayMs]
      )
    ]
  })).pipe(Effect.orDie)
