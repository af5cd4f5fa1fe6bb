/**
 * The default codec layers of the media path in one, for the transport (and tests) to provide; swap either
 * part with its own layer.
 *
 * @since 0.1.0
 */
import { Layer } from "effect"
import { OpusCodec } from "./audio/OpusCodec.ts"
import { VideoCodec } from "./video/VideoCodec.ts"

/** libopus for audio, libavcodec (in the thread pool) for video. */
export const mediaCodecsLayer: Layer.Layer<OpusCodec | VideoCodec> = Layer.mergeAll(OpusCodec.layer, VideoCodec.layer)
