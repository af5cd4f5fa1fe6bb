/**
 * The values that flow through pipelines and over the transport.
 *
 * Every variant is a plain, immutable-by-convention object with a `_tag`. Sample and pixel buffers are
 * typed-array views that are passed along, never copied, on the hot path.
 *
 * @since 0.1.0
 */
import { Predicate } from "effect"

/** Pixel formats understood by the video path. Only planar I420 is produced by the decoders today. */
export type PixelFormat = "I420"

/**
 * One uncompressed video picture.
 *
 * For `I420`, `planes` holds the Y plane (`width × height` bytes) followed by the U and V planes
 * (`ceil(width/2) × ceil(height/2)` bytes each), tightly packed (stride = plane width).
 */
export interface VideoFrame {
  readonly width: number
  readonly height: number
  readonly format: PixelFormat
  readonly planes: ReadonlyArray<Uint8Array>
  /** Presentation time in microseconds on the sender's media timeline. */
  readonly timestampUs: number
}

/** Interleaved 32-bit float PCM in the range [-1, 1]. */
export interface Audio {
  readonly _tag: "Audio"
  readonly samples: Float32Array
  readonly sampleRate: number
  readonly channels: number
  /** Presentation time of the first sample, in microseconds, when known. */
  readonly timestampUs?: number | undefined
}

/** A video frame. */
export interface Video {
  readonly _tag: "Video"
  readonly frame: VideoFrame
}

/** UTF-8 text. */
export interface Text {
  readonly _tag: "Text"
  readonly text: string
}

/** Opaque bytes. */
export interface Binary {
  readonly _tag: "Binary"
  readonly data: Uint8Array
}

/** Any JSON value. */
export interface Json {
  readonly _tag: "Json"
  readonly value: unknown
}

/** The tagged union of everything a pipeline node or the transport can carry. */
export type RuntimeData = Audio | Video | Text | Binary | Json

/** Builds an `Audio` value (no copy of `samples`). */
export const audio = (
  samples: Float32Array,
  sampleRate: number,
  channels: number = 1,
  timestampUs?: number
): Audio => ({ _tag: "Audio", samples, sampleRate, channels, timestampUs })

/** Builds a `Video` value (no copy of the planes). */
export const video = (frame: VideoFrame): Video => ({ _tag: "Video", frame })

/** Builds a `Text` value. */
export const text = (value: string): Text => ({ _tag: "Text", text: value })

/** Builds a `Binary` value (no copy). */
export const binary = (data: Uint8Array): Binary => ({ _tag: "Binary", data })

/** Builds a `Json` value. */
export const json = (value: unknown): Json => ({ _tag: "Json", value })

/** Type guards for each variant. */
export const isAudio = (data: RuntimeData): data is Audio => Predicate.isTagged(data, "Audio")
export const isVideo = (data: RuntimeData): data is Video => Predicate.isTagged(data, "Video")
export const isText = (data: RuntimeData): data is Text => Predicate.isTagged(data, "Text")
export const isBinary = (data: RuntimeData): data is Binary => Predicate.isTagged(data, "Binary")
export const isJson = (data: RuntimeData): data is Json => Predicate.isTagged(data, "Json")
