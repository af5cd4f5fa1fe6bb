/**
 * Video codecs as a replaceable service: per-stream encoders (I420 → VP8 / VP9 / H.264 Annex-B) and
 * decoders (→ I420), on libavcodec through node-av's low-level API.
 *
 * Encoders take keyframe requests (after a PLI) and bitrate changes at run time. libvpx and x264 ignore a
 * bitrate change on an open context, so a change reopens the encoder and its next frame is a keyframe.
 * Decoders survive loss: after {@link VideoStreamDecoder.frameLost} or a decode error they drop delta
 * frames (which would only decode into garbage) until a keyframe arrives, and say so via `needsKeyframe`.
 *
 * The codec work runs either on the calling thread (`sync`) or in libuv's thread pool (`threadpool`),
 * where it leaves the event loop, and every other peer's packets and timers, free. libavcodec encodes inside
 * `send_frame` and decodes inside `send_packet`; receiving only hands over what that call produced (about
 * 20 µs for a 720p frame, measured), so receive calls always run on the calling thread: in the pool each would
 * cost a round trip through libuv and a turn of the event loop, two of them per frame. The default is the
 * thread pool, by measurement (the video and load suites of `packages/bench`, one 720p30 VP9 stream encoded and decoded on a
 * loaded 2-core machine): event-loop delay p99 36–44 ms in the pool against 128–238 ms in sync mode
 * (idle timer: 7 ms), for about 2 ms more median latency per VP9 frame.
 *
 * @since 0.1.0
 */
import type { VideoFrame } from "@remotemedia/runtime-core"
import { Context, Effect, Layer, type Scope } from "effect"
import {
  AV_CODEC_FLAG_LOW_DELAY,
  AV_LOG_ERROR,
  AV_PICTURE_TYPE_I,
  AV_PICTURE_TYPE_NONE,
  AV_PIX_FMT_YUV420P,
  AV_PIX_FMT_YUVJ420P,
  AVCOL_RANGE_JPEG,
  AVERROR_EAGAIN,
  FF_THREAD_SLICE
} from "node-av/constants"
import { Codec, CodecContext, FFmpegError, Frame, Log, Packet } from "node-av/lib"
import { DecodingError, EncodingError, InvalidConfig, type InvalidDataType, InvalidOption, NotSupported } from "../../errors.ts"
import type { VideoCodecName } from "../rtp/MediaCodecName.ts"
import { makeCodecGuard } from "./CodecGuard.ts"
import { toLimitedRange } from "./ColorRange.ts"
import { encoderSettings } from "./EncoderSettings.ts"
import { copyPlaneFromStrided, copyPlaneToStrided, planeSize, validateI420 } from "./I420Layout.ts"

/** Where codec calls run: on the event loop, or in libuv's thread pool. */
export type CodecExecution = "sync" | "threadpool"

/** Settings of one video encoder. */
export interface VideoEncoderOptions {
  readonly codec: VideoCodecName
  /** Even width and height of every frame of the stream. */
  readonly width: number
  readonly height: number
  /** Nominal frame rate, for rate control; 30 by default. */
  readonly fps?: number
  /** Target bitrate in bit/s; 1 500 000 by default. */
  readonly bitrate?: number
  /** Encoder threads; 2 by default. */
  readonly threads?: number
}

/** One encoded frame. */
export interface EncodedVideoFrame {
  readonly data: Uint8Array
  readonly isKeyframe: boolean
  /** The `timestampUs` of the source frame. */
  readonly timestampUs: number
}

/** Encodes one video stream. Calls must not overlap (await each before the next). */
export interface VideoStreamEncoder {
  readonly codec: VideoCodecName
  /** Encodes one frame; realtime settings give exactly one encoded frame per input frame. */
  readonly encode: (frame: VideoFrame) => Effect.Effect<ReadonlyArray<EncodedVideoFrame>, InvalidDataType | EncodingError>
  /** Makes the next encoded frame a keyframe. */
  readonly requestKeyframe: () => void
  /** Changes the target bitrate from the next frame on (that frame is a keyframe). */
  readonly setBitrate: (bitrate: number) => Effect.Effect<void, InvalidOption | EncodingError>
  readonly bitrate: () => number
}

/** One encoded frame handed to a decoder. */
export interface EncodedVideoInput {
  readonly data: Uint8Array
  readonly isKeyframe: boolean
  readonly timestampUs: number
}

/** Decodes one video stream. Calls must not overlap. */
export interface VideoStreamDecoder {
  readonly codec: VideoCodecName
  /** Decodes one frame into I420 frames; returns none while waiting for a keyframe. */
  readonly decode: (input: EncodedVideoInput) => Effect.Effect<ReadonlyArray<VideoFrame>, DecodingError>
  /** Tells the decoder a frame was lost: delta frames are dropped until the next keyframe. */
  readonly frameLost: () => void
  /** Whether the decoder waits for a keyframe (ask the sender with a PLI). */
  readonly needsKeyframe: () => boolean
}

/** Factories of per-stream video encoders and decoders; both are released with their scope. */
export class VideoCodec extends Context.Service<VideoCodec, {
  readonly execution: CodecExecution
  readonly makeEncoder: (options: VideoEncoderOptions) => Effect.Effect<VideoStreamEncoder, InvalidConfig | NotSupported | EncodingError, Scope.Scope>
  readonly makeDecoder: (codec: VideoCodecName) => Effect.Effect<VideoStreamDecoder, NotSupported | DecodingError, Scope.Scope>
}>()("@remotemedia/webrtc/VideoCodec") {
  /**
   * libavcodec with codec calls in the given place. Building it lowers libav's process-wide log level to
   * errors: its per-stream info lines on stderr are noise for a transport.
   */
  static readonly layerWith = (execution: CodecExecution): Layer.Layer<VideoCodec> =>
    Layer.sync(VideoCodec, () => {
      Log.setLevel(AV_LOG_ERROR)
      return VideoCodec.of({ execution, makeEncoder: makeEncoder(execution), makeDecoder: makeDecoder(execution) })
    })
  /** libavcodec in the thread pool: the event loop stays responsive under 720p30 (see the benchmark). */
  static readonly layer: Layer.Layer<VideoCodec> = VideoCodec.layerWith("threadpool")
}

const avError = (operation: string, code: number) => `${operation} failed: ${FFmpegError.strerror(code)} (${code})`

/** Runs a codec call on the calling thread, mapping a throw to `fail`. */
const callHere = <E>(run: () => number, fail: (message: string) => E) => Effect.try({ try: run, catch: (cause) => fail(String(cause)) })

/** Runs a codec call in the chosen place, mapping a negative result or a throw to `fail`. */
const call = <E>(execution: CodecExecution, run: { readonly sync: () => number; readonly threadpool: () => Promise<number> }, fail: (message: string) => E) =>
  execution === "sync" ? callHere(run.sync, fail) : Effect.tryPromise({ try: run.threadpool, catch: (cause) => fail(String(cause)) })

const findCodec = (codec: VideoCodecName, kind: "encoder" | "decoder") => {
  const id = encoderSettings[codec].codecId
  const found = kind === "encoder" ? Codec.findEncoder(id) : Codec.findDecoder(id)
  return found === null ? Effect.fail(new NotSupported({ feature: `${codec} ${kind}`, message: `this libavcodec build has no ${codec} ${kind}` })) : Effect.succeed(found)
}

const openEncoderContext = (codec: Codec, options: Required<VideoEncoderOptions>, bitrate: number) => {
  const ctx = new CodecContext()
  ctx.allocContext3(codec)
  ctx.width = options.width
  ctx.height = options.height
  ctx.pixelFormat = AV_PIX_FMT_YUV420P
  ctx.timeBase = { num: 1, den: options.fps } as CodecContext["timeBase"]
  ctx.framerate = { num: options.fps, den: 1 } as CodecContext["framerate"]
  ctx.bitRate = BigInt(bitrate)
  // Keyframes only on request (start, PLI, bitrate change): periodic ones cost bandwidth for nothing.
  ctx.gopSize = 100_000
  ctx.maxBFrames = 0
  ctx.threadCount = options.threads
  for (const [name, value] of encoderSettings[options.codec].options) ctx.setOption(name, value)
  const ret = ctx.open2Sync(codec)
  if (ret < 0) {
    ctx.freeContext()
    return Effect.fail(new EncodingError({ codec: options.codec, message: avError(`opening the ${options.codec} encoder`, ret) }))
  }
  return Effect.succeed(ctx)
}

/**
 * A frame and a packet to work with a codec context, and the guard that frees all three when the scope
 * closes, after any call still running on them.
 */
const scopedFrameAndPacket = <Closed>(context: () => CodecContext, closed: () => Closed) =>
  Effect.acquireRelease(
    Effect.sync(() => {
      const frame = new Frame()
      frame.alloc()
      const packet = new Packet()
      packet.alloc()
      return { frame, packet, guard: makeCodecGuard(closed) }
    }),
    ({ frame, packet, guard }) => guard.release(() => {
      context().freeContext()
      frame.free()
      packet.free()
    })
  )

const validEncoderOptions = (options: VideoEncoderOptions): Effect.Effect<Required<VideoEncoderOptions>, InvalidConfig> => {
  const resolved = { fps: 30, bitrate: 1_500_000, threads: 2, ...options }
  const invalid = (field: string, message: string) => Effect.fail(new InvalidConfig({ field, message }))
  if (!Number.isInteger(resolved.width) || !Number.isInteger(resolved.height) || resolved.width <= 0 || resolved.height <= 0 || resolved.width % 2 !== 0 || resolved.height % 2 !== 0) {
    return invalid("resolution", `video size must be positive and even, got ${resolved.width}x${resolved.height}`)
  }
  if (!Number.isInteger(resolved.fps) || resolved.fps < 1 || resolved.fps > 240) return invalid("fps", `fps must be an integer in [1, 240], got ${resolved.fps}`)
  if (!validBitrate(resolved.bitrate)) return invalid("bitrate", `video bitrate must be an integer in [50 000, 50 000 000] bit/s, got ${resolved.bitrate}`)
  if (!Number.isInteger(resolved.threads) || resolved.threads < 1 || resolved.threads > 16) return invalid("threads", `threads must be in [1, 16], got ${resolved.threads}`)
  return Effect.succeed(resolved)
}

const validBitrate = (bitrate: number) => Number.isInteger(bitrate) && bitrate >= 50_000 && bitrate <= 50_000_000

const makeEncoder = (execution: CodecExecution) => Effect.fn("VideoCodec.makeEncoder")(function*(requested: VideoEncoderOptions) {
  const options = yield* validEncoderOptions(requested)
  const { codec: name, width, height } = options
  const codec = yield* findCodec(name, "encoder")
  let currentBitrate = options.bitrate
  let ctx = yield* openEncoderContext(codec, options, currentBitrate)
  const fail = (message: string) => new EncodingError({ codec: name, message })
  // `ctx` is read at release time: a bitrate change may have replaced it.
  const { frame, packet, guard } = yield* scopedFrameAndPacket(() => ctx, () => fail(`the ${name} encoder is closed`))
  frame.width = width
  frame.height = height
  frame.format = AV_PIX_FMT_YUV420P
  const allocated = frame.getBuffer(0)
  if (allocated < 0) return yield* fail(avError("allocating the frame", allocated))

  let keyframePending = true
  let pts = 0n
  const timestamps = new Map<bigint, number>()

  const drain = Effect.gen(function*() {
    const out: Array<EncodedVideoFrame> = []
    for (;;) {
      const ret = yield* callHere(() => ctx.receivePacketSync(packet), fail)
      if (ret === AVERROR_EAGAIN) return out
      if (ret < 0) return yield* fail(avError("receiving a packet", ret))
      const data = packet.data
      if (data !== null) {
        out.push({ data: Uint8Array.prototype.slice.call(data), isKeyframe: packet.isKeyframe, timestampUs: timestamps.get(packet.pts) ?? 0 })
      }
      timestamps.delete(packet.pts)
      packet.unref()
    }
  })

  const encoder: VideoStreamEncoder = {
    codec: name,
    encode: (input) => Effect.gen(function*() {
      const invalid = validateI420(input, width, height)
      if (invalid !== undefined) return yield* invalid
      const writable = frame.makeWritable()
      if (writable < 0) return yield* fail(avError("making the frame writable", writable))
      const planes = frame.data!
      const strides = frame.linesize
      for (let p = 0; p < 3; p++) {
        const size = planeSize(width, height, p)
        copyPlaneToStrided(input.planes[p]!, planes[p]!, size.width, size.height, strides[p]!)
      }
      frame.pts = pts
      timestamps.set(pts, input.timestampUs)
      pts++
      frame.pictType = keyframePending ? AV_PICTURE_TYPE_I : AV_PICTURE_TYPE_NONE
      keyframePending = false
      const ret = yield* call(execution, { sync: () => ctx.sendFrameSync(frame), threadpool: () => ctx.sendFrame(frame) }, fail)
      if (ret < 0) return yield* fail(avError("sending a frame", ret))
      return yield* drain
    }).pipe(guard.run),
    requestKeyframe: () => {
      keyframePending = true
    },
    setBitrate: (bitrate) => Effect.gen(function*() {
      if (!validBitrate(bitrate)) return yield* new InvalidOption({ field: "bitrate", message: `video bitrate must be an integer in [50 000, 50 000 000] bit/s, got ${bitrate}` })
      if (bitrate === currentBitrate) return
      const reopened = yield* openEncoderContext(codec, options, bitrate)
      ctx.freeContext()
      ctx = reopened
      currentBitrate = bitrate
      keyframePending = true
    }).pipe(guard.run),
    bitrate: () => currentBitrate
  }
  return encoder
})

const makeDecoder = (execution: CodecExecution) => Effect.fn("VideoCodec.makeDecoder")(function*(name: VideoCodecName) {
  const codec = yield* findCodec(name, "decoder")
  const fail = (message: string) => new DecodingError({ codec: name, message })
  const ctx = new CodecContext()
  ctx.allocContext3(codec)
  // Frame threading would hold each picture back by a frame per thread; slices keep output immediate.
  ctx.threadCount = 2
  ctx.threadType = FF_THREAD_SLICE
  ctx.setFlags(AV_CODEC_FLAG_LOW_DELAY)
  const { frame, packet, guard } = yield* scopedFrameAndPacket(() => ctx, () => fail(`the ${name} decoder is closed`))
  const opened = ctx.open2Sync(codec)
  if (opened < 0) return yield* fail(avError(`opening the ${name} decoder`, opened))

  let waitingForKeyframe = true

  // Full-range pictures (Chromium's OpenH264 stream decodes to yuvj420p) are scaled to our limited range.
  const toVideoFrame = (timestampUs: number): VideoFrame => {
    const data = frame.data!
    const strides = frame.linesize
    const fullRange = frame.format === AV_PIX_FMT_YUVJ420P || frame.colorRange === AVCOL_RANGE_JPEG
    const planes = [0, 1, 2].map((p) => {
      const size = planeSize(frame.width, frame.height, p)
      const plane = copyPlaneFromStrided(data[p]!, size.width, size.height, strides[p]!)
      if (fullRange) toLimitedRange(plane, p === 0 ? "luma" : "chroma")
      return plane
    })
    return { width: frame.width, height: frame.height, format: "I420", planes, timestampUs }
  }

  const decodeNow = (input: EncodedVideoInput) => Effect.gen(function*() {
    packet.data = Buffer.isBuffer(input.data) ? input.data : Buffer.from(input.data.buffer, input.data.byteOffset, input.data.byteLength)
    // Only pairs output with input: any number will do, BigInt just must not throw on a fraction or NaN.
    packet.pts = BigInt(Number.isFinite(input.timestampUs) ? Math.round(input.timestampUs) : 0)
    const sent = yield* call(execution, { sync: () => ctx.sendPacketSync(packet), threadpool: () => ctx.sendPacket(packet) }, fail)
    packet.unref()
    if (sent < 0) return yield* fail(avError("sending a packet", sent))
    const out: Array<VideoFrame> = []
    for (;;) {
      const ret = yield* callHere(() => ctx.receiveFrameSync(frame), fail)
      if (ret === AVERROR_EAGAIN) return out
      if (ret < 0) return yield* fail(avError("receiving a frame", ret))
      const format = frame.format
      if (format !== AV_PIX_FMT_YUV420P && format !== AV_PIX_FMT_YUVJ420P) {
        frame.unref()
        return yield* fail(`decoded pixel format ${format} is not I420`)
      }
      out.push(toVideoFrame(Number(frame.pts)))
      frame.unref()
    }
  })

  const decoder: VideoStreamDecoder = {
    codec: name,
    decode: (input) => {
      if (waitingForKeyframe && !input.isKeyframe) return Effect.succeed([])
      return decodeNow(input).pipe(
        Effect.tap(() => Effect.sync(() => {
          waitingForKeyframe = false
        })),
        Effect.tapError(() => Effect.sync(() => {
          // A broken frame poisons later deltas: start over from the next keyframe.
          waitingForKeyframe = true
          ctx.flushBuffers()
        })),
        guard.run
      )
    },
    frameLost: () => {
      waitingForKeyframe = true
    },
    needsKeyframe: () => waitingForKeyframe
  }
  return decoder
})
