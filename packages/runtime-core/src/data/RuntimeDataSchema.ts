/**
 * Schemas of `RuntimeData` and `TransportData` (in-memory form: typed arrays stay typed arrays), for the
 * places where values cross a boundary (a custom node's output, a Promise-facade caller, a worker).
 * A wire encoding (e.g. base64 or raw frames) is the transport's business and builds on these.
 *
 * @since 0.1.0
 */
import { Schema } from "effect"
import type { RuntimeData, VideoFrame } from "./RuntimeData.ts"
import type { TransportData } from "./TransportData.ts"

const PositiveInt = Schema.Int.check(Schema.isGreaterThan(0))

export const AudioSchema = Schema.TaggedStruct("Audio", {
  samples: Schema.instanceOf(globalThis.Float32Array<ArrayBufferLike>),
  sampleRate: PositiveInt,
  channels: PositiveInt,
  timestampUs: Schema.optional(Schema.Finite)
})

export const VideoFrameSchema: Schema.Codec<VideoFrame> = Schema.Struct({
  width: PositiveInt,
  height: PositiveInt,
  format: Schema.Literal("I420"),
  planes: Schema.Array(Schema.Uint8Array),
  timestampUs: Schema.Finite
})

export const VideoSchema = Schema.TaggedStruct("Video", { frame: VideoFrameSchema })
export const TextSchema = Schema.TaggedStruct("Text", { text: Schema.String })
export const BinarySchema = Schema.TaggedStruct("Binary", { data: Schema.Uint8Array })
export const JsonSchema = Schema.TaggedStruct("Json", { value: Schema.Unknown })

/** Any `RuntimeData`. */
export const RuntimeDataSchema: Schema.Codec<RuntimeData> = Schema.Union([AudioSchema, VideoSchema, TextSchema, BinarySchema, JsonSchema])

/** A `TransportData` envelope. */
export const TransportDataSchema: Schema.Codec<TransportData> = Schema.Struct({
  data: RuntimeDataSchema,
  sequence: Schema.optional(Schema.Finite),
  metadata: Schema.Record(Schema.String, Schema.String)
})
