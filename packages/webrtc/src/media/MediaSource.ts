/**
 * The "encode once" unit of the media path: one encoder, packetizer and RTP clock for one stream of
 * media. A peer's own `sendToPeer` stream is one source, a broadcast group is another; the packets a
 * source produces can go to any number of peers' {@link TrackSender}s, which rewrite sequence numbers and
 * timestamps per track.
 *
 * @since 0.1.0
 */
import type { Audio, VideoFrame } from "@remotemedia/runtime-core"
import { Effect, Exit, Scope, Semaphore } from "effect"
import type { RtpPacket } from "werift"
import type { VideoResolution } from "../config/ConfigOptions.ts"
import { EncodingError, type InvalidDataType } from "../errors.ts"
import { type AudioFramer, makeAudioFramer } from "./audio/AudioFramer.ts"
import { OpusCodec, type OpusStreamEncoder } from "./audio/OpusCodec.ts"
import { OPUS_FRAME_SAMPLES } from "./audio/OpusFormat.ts"
import type { VideoCodecName } from "./rtp/MediaCodecName.ts"
import { makePacketizer } from "./rtp/Packetizer.ts"
import { AUDIO_CLOCK_RATE, makeRtpClock, VIDEO_CLOCK_RATE } from "./rtp/RtpClock.ts"
import { validateI420 } from "./video/I420Layout.ts"
import { makeVideoScaler } from "./VideoScaler.ts"
import { VideoCodec, type VideoStreamEncoder } from "./video/VideoCodec.ts"

/** One encoded frame as RTP packets on the source's own timeline. */
export interface PacketizedFrame {
  readonly packets: ReadonlyArray<RtpPacket>
  readonly isKeyframe: boolean
}

/** What the encode of one input produced. */
export interface EncodedBatch {
  readonly frames: ReadonlyArray<PacketizedFrame>
  /** Unix ms at which the input was handed over: the capture time its first frame maps to. */
  readonly captureMs: number
}

/** A source of packetized media. Calls to `encode` queue behind each other (one encoder). */
export interface MediaSource<In> {
  readonly kind: "audio" | "video"
  /** RTP ticks per frame, the step a track uses when it switches to this source. */
  readonly frameTicks: number
  readonly encode: (input: In) => Effect.Effect<EncodedBatch, InvalidDataType | EncodingError>
  /** Makes the next frame a keyframe (video; a no-op for audio). */
  readonly requestKeyframe: () => void
  /** Changes the encoder's target bitrate from the next frame on. */
  readonly setBitrate: (bps: number) => Effect.Effect<void>
}

const encodeFailure = (codec: string) => (error: { readonly message: string }) => new EncodingError({ codec, message: error.message })

/** An Opus source: any chunking of 48 kHz audio in, one RTP packet per 20 ms frame out. */
export const makeAudioSource = Effect.fn("MediaSource.audio")(function*(bitrateBps: number) {
  const opus = yield* OpusCodec
  const lock = yield* Semaphore.make(1)
  const clock = makeRtpClock(AUDIO_CLOCK_RATE)
  const packetizer = makePacketizer("opus")
  let bitrate = bitrateBps
  let stream: { readonly framer: AudioFramer; readonly encoder: OpusStreamEncoder } | undefined
  let framesSent = 0

  const streamFor = (channels: number) =>
    Effect.suspend(() => {
      if (stream !== undefined) return Effect.succeed(stream)
      // The first chunk fixes the channel count; the framer rejects others (and other rates) later.
      const validChannels = channels === 2 ? 2 : 1
      return opus.makeEncoder({ channels: validChannels, bitrate }).pipe(
        Effect.mapError(encodeFailure("opus")),
        Effect.map((encoder) => (stream = { framer: makeAudioFramer(validChannels), encoder }))
      )
    })

  const source: MediaSource<Audio> = {
    kind: "audio",
    frameTicks: OPUS_FRAME_SAMPLES,
    encode: (audio) =>
      Effect.gen(function*() {
        const captureMs = Date.now()
        const { framer, encoder } = yield* streamFor(audio.channels)
        const pcmFrames = yield* framer.push(audio)
        const frames: Array<PacketizedFrame> = []
        for (const pcm of pcmFrames) {
          const payload = yield* encoder.encode(pcm)
          const timestamp = clock.timestampAt(framesSent++ * 20_000)
          frames.push({ packets: packetizer.packetize(payload, timestamp, false), isKeyframe: false })
        }
        return { frames, captureMs }
      }).pipe(lock.withPermits(1)),
    requestKeyframe: () => undefined,
    setBitrate: (bps) =>
      Effect.suspend(() => {
        bitrate = bps
        return stream === undefined ? Effect.void : stream.encoder.setBitrate(bps).pipe(Effect.ignore)
      })
  }
  return source
})

/** Options of a video source. */
export interface VideoSourceOptions {
  readonly codec: VideoCodecName
  readonly bitrateBps: number
  readonly fps: number
  /** The largest picture to send (read per frame, so `configure` applies from the next one); larger frames are scaled down. */
  readonly maxResolution: Effect.Effect<VideoResolution>
}

/**
 * A video source: I420 frames in, paced-ready RTP frames out. Frames above the maximum resolution are scaled
 * down first (once per source, so once per broadcast group). The encoder opens at the first picture's size
 * and reopens (with a keyframe) when the size changes; it closes with the scope.
 */
export const makeVideoSource = Effect.fn("MediaSource.video")(function*(options: VideoSourceOptions) {
  const codecs = yield* VideoCodec
  const scope = yield* Effect.scope
  const lock = yield* Semaphore.make(1)
  const clock = makeRtpClock(VIDEO_CLOCK_RATE)
  const packetizer = makePacketizer(options.codec)
  const frameIntervalUs = 1_000_000 / options.fps
  const scaler = yield* makeVideoScaler()
  let bitrate = options.bitrateBps
  let current: { readonly encoder: VideoStreamEncoder; readonly width: number; readonly height: number; readonly scope: Scope.Closeable } | undefined
  let firstUs: number | undefined
  let lastMediaUs = -Infinity

  const encoderFor = (frame: VideoFrame) =>
    Effect.gen(function*() {
      if (current !== undefined && current.width === frame.width && current.height === frame.height) return current.encoder
      if (current !== undefined) yield* Scope.close(current.scope, Exit.void)
      current = undefined
      const encoderScope = yield* Scope.fork(scope)
      const encoder = yield* codecs.makeEncoder({ codec: options.codec, width: frame.width, height: frame.height, fps: options.fps, bitrate }).pipe(
        Scope.provide(encoderScope),
        Effect.mapError(encodeFailure(options.codec)),
        Effect.tapError(() => Scope.close(encoderScope, Exit.void))
      )
      current = { encoder, width: frame.width, height: frame.height, scope: encoderScope }
      return encoder
    })

  /** Media time of `frame`, kept strictly increasing when callers repeat or omit timestamps. */
  const mediaTimeUs = (frame: VideoFrame): number => {
    firstUs ??= frame.timestampUs
    const proposed = frame.timestampUs - firstUs
    lastMediaUs = proposed > lastMediaUs ? proposed : lastMediaUs + frameIntervalUs
    return lastMediaUs
  }

  const source: MediaSource<VideoFrame> = {
    kind: "video",
    frameTicks: Math.round(VIDEO_CLOCK_RATE / options.fps),
    encode: (frame) =>
      Effect.gen(function*() {
        const captureMs = Date.now()
        const invalid = validateI420(frame, frame.width, frame.height)
        if (invalid !== undefined) return yield* invalid
        const picture = yield* scaler.fit(frame, yield* options.maxResolution)
        const encoder = yield* encoderFor(picture)
        const timestamp = clock.timestampAt(mediaTimeUs(frame))
        const encoded = yield* encoder.encode(picture)
        const frames = encoded.map((out): PacketizedFrame => ({
          packets: packetizer.packetize(out.data, timestamp, out.isKeyframe),
          isKeyframe: out.isKeyframe
        }))
        return { frames, captureMs }
      }).pipe(lock.withPermits(1)),
    // A fresh encoder starts with a keyframe anyway.
    requestKeyframe: () => current?.encoder.requestKeyframe(),
    setBitrate: (bps) =>
      Effect.suspend(() => {
        bitrate = bps
        return current === undefined ? Effect.void : current.encoder.setBitrate(bps).pipe(Effect.ignore, lock.withPermits(1))
      })
  }
  return source
})
