/**
 * One 720p30 VP9 stream end to end through our media layers (encode → packetize → assemble → depacketize
 * → decode → RuntimeData), driven by a 30 fps timer (the method of the webrtc media bench; a frame still
 * in flight makes the next tick skip, as a real sender drops a frame):
 *
 * - CPU per stream: process CPU time (all threads, so libuv's codec threads count) per second of stream,
 *   in % of one core, sampled every 250 ms; baseline: the bare codec encoding and decoding the same
 *   frames on the event loop.
 * - event-loop delay (perf_hooks.monitorEventLoopDelay) under that load; baseline: an idle 30 fps timer.
 *
 * Through the transport itself this waits for `sendToPeer` and the receive path (noted on the rows).
 */
import { video } from "@remotemedia/runtime-core"
import { Media } from "@remotemedia/webrtc"
import { Effect } from "effect"
import { monitorEventLoopDelay } from "node:perf_hooks"
import { setTimeout as sleep } from "node:timers/promises"
import { bareVideoDecoder, bareVideoEncoder } from "../baselines/bareVideoCodec.ts"
import type { BenchSizes } from "../BenchSizes.ts"
import type { Summary } from "../measure/Summary.ts"
import { cpuSecondsSince } from "../measure/timing.ts"
import { type Figure, measured } from "../report/Figure.ts"
import { HEIGHT, testPattern, WIDTH } from "./videoSuite.ts"

const FPS = 30
const CPU_WINDOW_MS = 250
const THROUGH_LAYERS = "media layers without the transport (sendToPeer and the receive path have not landed)"

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
    const codec = yield* Media.VideoCodec
    const encoder = yield* codec.makeEncoder({ codec: "VP9", width: WIDTH, height: HEIGHT, bitrate: 2_500_000 })
    const decoder = yield* codec.makeDecoder("VP9")
    const packetizer = Media.makePacketizer("VP9")
    const assembler = Media.makeFrameAssembler()
    const clock = Media.makeRtpClock(90_000)
    const endToEnd = (i: number) =>
      Effect.runPromise(Effect.gen(function*() {
        for (const frame of yield* encoder.encode({ ...sources[i % FPS]!, timestampUs: i * 33_333 })) {
          for (const packet of packetizer.packetize(frame.data, clock.timestampAt(frame.timestampUs), frame.isKeyframe)) {
            for (const assembled of assembler.push(packet)) {
              const input = yield* Media.depacketize("VP9", assembled.packets)
              ;(yield* decoder.decode({ ...input, timestampUs: frame.timestampUs })).map(video)
            }
          }
        }
      }).pipe(Effect.orDie))
    const encodeBare = bareVideoEncoder("VP9", WIDTH, HEIGHT)
    const decodeBare = bareVideoDecoder("VP9")

    const idle = yield* Effect.promise(() => at30fps(sizes.loadSeconds, () => undefined))
    const bare = yield* Effect.promise(() => at30fps(sizes.loadSeconds, (i) => decodeBare(encodeBare(sources[i % FPS]!, i))))
    const ours = yield* Effect.promise(() => at30fps(sizes.loadSeconds, endToEnd))
    return [
      measured(
        { id: "load.cpuPer720p30", title: "CPU per 720p30 VP9 stream, encode → RTP → decode", unit: "% of a core", note: THROUGH_LAYERS },
        ["bare codec encode + decode", bare.cpuPercent],
        ["media layers", ours.cpuPercent]
      ),
      measured(
        { id: "load.eventLoopDelay720p30", title: "event-loop delay under one 720p30 VP9 stream", unit: "ms", note: THROUGH_LAYERS },
        ["idle 30 fps timer", idle.loopDelayMs],
        ["media layers", ours.loopDelayMs]
      )
    ]
  })).pipe(Effect.provide(Media.VideoCodec.layer), Effect.orDie)
