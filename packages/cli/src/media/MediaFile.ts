/**
 * `--send FILE`: any file node-av can demux and decode, as two streams of `RuntimeData` (48 kHz mono float
 * audio, I420 video) paced in real time from the file's own timestamps. The transport encodes them
 * (Opus, and the `--codec` video codec) like any other media.
 *
 * @since 0.1.0
 */
import { audio, type RuntimeData, video } from "@remotemedia/runtime-core"
import { Effect, Stream } from "effect"
import { Decoder, Demuxer, FilterAPI } from "node-av/api"
import type { Frame, Stream as AvStream } from "node-av/lib"
import { RunFailed } from "../CliError.ts"

/** The decoded tracks of a file; a kind the file lacks is undefined. */
export interface MediaFileFeeds {
  readonly audio: Stream.Stream<RuntimeData, RunFailed> | undefined
  readonly video: Stream.Stream<RuntimeData, RunFailed> | undefined
}

const outputSampleRate = 48_000

/** A frame's presentation time in microseconds. */
const timestampUs = (frame: Frame, stream: AvStream) => {
  const timeBase = frame.timeBase.num > 0 ? frame.timeBase : stream.timeBase
  return Number(frame.pts) * (timeBase.num / timeBase.den) * 1e6
}

/** A copy of an I420 plane without the decoder's row padding. */
const plane = (data: Buffer, stride: number, width: number, height: number): Uint8Array => {
  const out = new Uint8Array(width * height)
  for (let row = 0; row < height; row++) out.set(data.subarray(row * stride, row * stride + width), row * width)
  return out
}

const toAudio = (frame: Frame, atUs: number): RuntimeData => {
  const data = frame.data![0]!
  // Copied: the filter reuses its frame buffers.
  const samples = new Float32Array(data.buffer.slice(data.byteOffset, data.byteOffset + frame.nbSamples * 4))
  return audio(samples, outputSampleRate, 1, Math.round(atUs))
}

const toVideo = (frame: Frame, atUs: number): RuntimeData => {
  const { width, height } = frame
  const chroma = [Math.ceil(width / 2), Math.ceil(height / 2)] as const
  const data = frame.data!
  const strides = frame.linesize
  return video({
    width,
    height,
    format: "I420",
    planes: [
      plane(data[0]!, strides[0]!, width, height),
      plane(data[1]!, strides[1]!, chroma[0], chroma[1]),
      plane(data[2]!, strides[2]!, chroma[0], chroma[1])
    ],
    timestampUs: Math.round(atUs)
  })
}

/**
 * Sleeps until `timestampUs` (relative to the first item of either track) is due: both tracks share one
 * origin, so they stay in sync with each other and with the wall clock.
 */
const pacer = () => {
  let origin: { readonly wallMs: number; readonly mediaUs: number } | undefined
  return (item: RuntimeData, atUs: number) =>
    Effect.suspend(() => {
      origin ??= { wallMs: performance.now(), mediaUs: atUs }
      const dueInMs = origin.wallMs + (atUs - origin.mediaUs) / 1000 - performance.now()
      return dueInMs > 0 ? Effect.as(Effect.sleep(dueInMs), item) : Effect.succeed(item)
    })
}

/** Opens `path` for the scope's lifetime. Fails with `RunFailed` naming the file when it cannot be read. */
export const openMediaFile = (path: string) =>
  Effect.gen(function*() {
    const failed = (error: unknown) => new RunFailed({ message: `cannot read ${path}: ${error instanceof Error ? error.message : String(error)}` })
    const open = Effect.acquireRelease(
      Effect.tryPromise({ try: () => Demuxer.open(path), catch: failed }),
      (input) => Effect.promise(() => input.close())
    )
    const input = yield* open
    const pace = pacer()
    // Each track reads its own demuxer: a demuxer drops the packets of a stream whose reader has not started
    // yet, and a video decoder that misses the first keyframe fails ("Invalid data found", ~1 run in 20).
    const track = (select: (input: Demuxer) => AvStream | undefined, filter: string, convert: (frame: Frame, atUs: number) => RuntimeData) =>
      select(input) === undefined
        ? undefined
        : Stream.unwrap(Effect.gen(function*() {
          const own = yield* open
          const stream = select(own)!
          const decoder = yield* Effect.acquireRelease(
            Effect.tryPromise({ try: () => Decoder.create(stream), catch: failed }),
            (decoder) => Effect.sync(() => decoder.close())
          )
          const graph = yield* Effect.acquireRelease(
            Effect.try({ try: () => FilterAPI.create(filter), catch: failed }),
            (graph) => Effect.sync(() => graph.close())
          )
          return Stream.fromAsyncIterable(graph.frames(decoder.frames(own.packets(stream.index))), failed).pipe(
            Stream.takeWhile((frame): frame is Frame => frame !== null),
            Stream.mapEffect((frame) => {
              const atUs = timestampUs(frame, stream)
              const item = convert(frame, atUs)
              frame.free()
              return pace(item, atUs)
            })
          )
        }))
    if (input.audio() === undefined && input.video() === undefined) {
      return yield* new RunFailed({ message: `cannot read ${path}: it has no audio or video track` })
    }
    return {
      audio: track((file) => file.audio(), `aresample=${outputSampleRate},aformat=sample_fmts=flt:channel_layouts=mono`, toAudio),
      video: track((file) => file.video(), "format=yuv420p", toVideo)
    } satisfies MediaFileFeeds
  })
