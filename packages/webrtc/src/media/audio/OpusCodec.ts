/**
 * The Opus codec as a replaceable service: per-stream encoders and decoders for 48 kHz, 20 ms frames,
 * mono or stereo, f32 in and out. The default layer runs libopus through `@discordjs/opus`.
 *
 * @since 0.1.0
 */
import opus from "@discordjs/opus"
import { Context, Effect, Layer } from "effect"
import { DecodingError, EncodingError, InvalidConfig, InvalidDataType, InvalidOption } from "../../errors.ts"
import { OPUS_FRAME_SAMPLES, type OpusChannels } from "./OpusFormat.ts"
import { float32ToInt16, int16ToFloat32 } from "./PcmConversion.ts"

/** Settings of one Opus encoder. */
export interface OpusEncoderOptions {
  readonly channels: OpusChannels
  /** Target bitrate in bit/s (6 000 – 510 000); 64 000 by default. */
  readonly bitrate?: number
}

/** Encodes one audio stream. */
export interface OpusStreamEncoder {
  readonly channels: OpusChannels
  /** Encodes exactly one 20 ms frame (`960 × channels` interleaved samples) into one Opus packet. */
  readonly encode: (frame: Float32Array) => Effect.Effect<Uint8Array, InvalidDataType | EncodingError>
  /** Changes the target bitrate from the next frame on. */
  readonly setBitrate: (bitrate: number) => Effect.Effect<void, InvalidOption>
  /** The current target bitrate in bit/s. */
  readonly bitrate: () => number
}

/** Decodes one audio stream. */
export interface OpusStreamDecoder {
  readonly channels: OpusChannels
  /** Decodes one Opus packet into interleaved f32 samples. */
  readonly decode: (packet: Uint8Array) => Effect.Effect<Float32Array, DecodingError>
  /**
   * Packet-loss concealment: one frame of audio that stands in for missing media, as long as a frame of the
   * last packet decoded (20 ms before any, and for what WebRTC senders send). The decoder's state moves on
   * by exactly that much, so the next real packet joins the concealed audio smoothly.
   */
  readonly conceal: () => Effect.Effect<Float32Array, DecodingError>
}

/** Factories of per-stream Opus encoders and decoders. */
export class OpusCodec extends Context.Service<OpusCodec, {
  readonly makeEncoder: (options: OpusEncoderOptions) => Effect.Effect<OpusStreamEncoder, InvalidConfig>
  readonly makeDecoder: (channels: OpusChannels) => Effect.Effect<OpusStreamDecoder, InvalidConfig>
}>()("@remotemedia/webrtc/OpusCodec") {
  /** libopus through `@discordjs/opus`. */
  static readonly layer: Layer.Layer<OpusCodec> = Layer.sync(OpusCodec, () => OpusCodec.of({ makeEncoder, makeDecoder }))
}

const MIN_BITRATE = 6_000
const MAX_BITRATE = 510_000
const validBitrate = (bitrate: number) => Number.isInteger(bitrate) && bitrate >= MIN_BITRATE && bitrate <= MAX_BITRATE
const bitrateRange = `an integer in [${MIN_BITRATE}, ${MAX_BITRATE}] bit/s`

const validChannels = (channels: number): Effect.Effect<void, InvalidConfig> =>
  channels === 1 || channels === 2
    ? Effect.void
    : Effect.fail(new InvalidConfig({ field: "channels", message: `Opus streams carry 1 or 2 channels, got ${channels}` }))

const makeEncoder = Effect.fn("OpusCodec.makeEncoder")(function*(options: OpusEncoderOptions) {
  yield* validChannels(options.channels)
  const initialBitrate = options.bitrate ?? 64_000
  if (!validBitrate(initialBitrate)) {
    return yield* new InvalidConfig({ field: "bitrate", message: `Opus bitrate must be ${bitrateRange}, got ${initialBitrate}` })
  }
  const { channels } = options
  const encoder = new opus.OpusEncoder(48_000, channels)
  encoder.setBitrate(initialBitrate)
  let currentBitrate = initialBitrate
  const frameLength = OPUS_FRAME_SAMPLES * channels
  // One int16 buffer per stream, reused for every frame.
  const pcm = Buffer.alloc(frameLength * 2)
  const pcm16 = new Int16Array(pcm.buffer, pcm.byteOffset, frameLength)
  const stream: OpusStreamEncoder = {
    channels,
    encode: (frame) => {
      if (frame.length !== frameLength) {
        return Effect.fail(new InvalidDataType({ message: `an Opus frame is ${frameLength} samples (20 ms × ${channels} ch), got ${frame.length}` }))
      }
      float32ToInt16(frame, pcm16)
      try {
        return Effect.succeed(encoder.encode(pcm))
      } catch (cause) {
        return Effect.fail(new EncodingError({ codec: "opus", message: `libopus encode failed: ${String(cause)}` }))
      }
    },
    setBitrate: (bitrate) => {
      if (!validBitrate(bitrate)) return Effect.fail(new InvalidOption({ field: "bitrate", message: `Opus bitrate must be ${bitrateRange}, got ${bitrate}` }))
      return Effect.sync(() => {
        encoder.setBitrate(bitrate)
        currentBitrate = bitrate
      })
    },
    bitrate: () => currentBitrate
  }
  return stream
})

/**
 * The TOC byte of a CELT fullband 20 ms mono frame (RFC 6716 §3.1, config 31, code 0): the shape of the
 * concealment packet before any real packet told the decoder what the stream uses.
 */
const CELT_FB_20MS_TOC = 0xf8

const makeDecoder = Effect.fn("OpusCodec.makeDecoder")(function*(channels: OpusChannels) {
  yield* validChannels(channels)
  const decoder = new opus.OpusEncoder(48_000, channels)
  // A packet of only a TOC byte (code 0, no frame data) is how libopus is asked for concealment of exactly
  // one frame of that TOC's duration (opus_decode_frame with len <= 1). The binding always passes a 120 ms
  // frame size, so an empty packet would conceal 120 ms and leave the decoder that far into its fade-out:
  // measured on a 440 Hz tone, the first real frame after it came out at 10-12 dB SNR instead of 26 dB.
  const concealment = Buffer.of(CELT_FB_20MS_TOC)
  const toFloat = (pcm: Buffer): Float32Array => {
    const samples = pcm.length / 2
    const out = new Float32Array(samples)
    int16ToFloat32(new Int16Array(pcm.buffer, pcm.byteOffset, samples), out)
    return out
  }
  const stream: OpusStreamDecoder = {
    channels,
    decode: (packet) => {
      if (packet.length === 0) return Effect.fail(new DecodingError({ codec: "opus", message: "empty Opus packet" }))
      try {
        const pcm = decoder.decode(Buffer.from(packet.buffer, packet.byteOffset, packet.length))
        // Same configuration and stereo flag as this packet, code 0 (one frame).
        concealment[0] = packet[0]! & 0xfc
        return Effect.succeed(toFloat(pcm))
      } catch (cause) {
        return Effect.fail(new DecodingError({ codec: "opus", message: `libopus decode failed: ${String(cause)}` }))
      }
    },
    conceal: () => {
      try {
        return Effect.succeed(toFloat(decoder.decode(concealment)))
      } catch (cause) {
        return Effect.fail(new DecodingError({ codec: "opus", message: `libopus concealment failed: ${String(cause)}` }))
      }
    }
  }
  return stream
})
