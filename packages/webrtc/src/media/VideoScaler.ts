/**
 * Sending within `maxVideoResolution`: a frame larger than the limit is scaled down (libswscale through
 * node-av, area averaging, which is what a downscale wants) to the largest even I420 size inside the limit
 * with the frame's own aspect ratio; smaller frames pass untouched (never scaled up).
 *
 * Frames must be valid I420 (see `validateI420`) before they get here: libswscale trusts the plane sizes.
 *
 * The limit is a box for the frame's orientation: "480p" (854x480) holds a 1280x720 frame to 854x480 and a
 * portrait 720x1280 one to 480x854, the same number of pixels either way. Each side is rounded to the
 * nearest even number, so 1280x720 under 480p is 854x480 (853.3 exactly), never more than the limit.
 *
 * @since 0.1.0
 */
import type { VideoFrame } from "@remotemedia/runtime-core"
import { Effect } from "effect"
import { AV_PIX_FMT_YUV420P, SWS_AREA } from "node-av/constants"
import { SoftwareScaleContext } from "node-av/lib"
import type { VideoResolution } from "../config/ConfigOptions.ts"
import { EncodingError } from "../errors.ts"
import { planeSize } from "./video/I420Layout.ts"

const even = (value: number) => Math.max(2, 2 * Math.round(value / 2))

/** The size `size` is sent at under `limit` (pure): itself when it fits. */
export const fitWithin = (size: VideoResolution, limit: VideoResolution): VideoResolution => {
  const portrait = size.height > size.width
  const maxWidth = portrait ? Math.min(limit.width, limit.height) : Math.max(limit.width, limit.height)
  const maxHeight = portrait ? Math.max(limit.width, limit.height) : Math.min(limit.width, limit.height)
  if (size.width <= maxWidth && size.height <= maxHeight) return size
  const scale = Math.min(maxWidth / size.width, maxHeight / size.height)
  return { width: Math.min(maxWidth - (maxWidth % 2), even(size.width * scale)), height: Math.min(maxHeight - (maxHeight % 2), even(size.height * scale)) }
}

/** Scales the frames of one stream; its libswscale context lives as long as the scope. */
export interface VideoScaler {
  /** `frame` as it may be sent under `limit`: the frame itself, or a scaled copy (same timestamp). */
  readonly fit: (frame: VideoFrame, limit: VideoResolution) => Effect.Effect<VideoFrame, EncodingError>
}

interface Context {
  readonly from: VideoResolution
  readonly to: VideoResolution
  readonly sws: SoftwareScaleContext
}

const sameSize = (a: VideoResolution, b: VideoResolution) => a.width === b.width && a.height === b.height

const planesOf = (size: VideoResolution) => [0, 1, 2].map((p) => planeSize(size.width, size.height, p))

/**
 * A scaler in the current scope. It runs on the calling thread: 720p to 480p costs about half a millisecond,
 * and a synchronous call cannot outlive the context it uses when the scope closes.
 */
export const makeVideoScaler = Effect.fn("VideoScaler.make")(function*() {
  let context: Context | undefined
  yield* Effect.addFinalizer(() => Effect.sync(() => context?.sws.freeContext()))

  const contextFor = (from: VideoResolution, to: VideoResolution): Context => {
    if (context !== undefined && sameSize(context.from, from) && sameSize(context.to, to)) return context
    context?.sws.freeContext()
    const sws = new SoftwareScaleContext()
    sws.getContext(from.width, from.height, AV_PIX_FMT_YUV420P, to.width, to.height, AV_PIX_FMT_YUV420P, SWS_AREA)
    context = { from, to, sws }
    return context
  }

  const scale = (frame: VideoFrame, to: VideoResolution): Effect.Effect<VideoFrame, EncodingError> =>
    Effect.try({
      try: () => {
        const { sws } = contextFor(frame, to)
        const source = planesOf(frame)
        const target = planesOf(to)
        const planes = target.map((plane) => Buffer.alloc(plane.width * plane.height))
        const inputs = frame.planes.map((plane) => Buffer.from(plane.buffer, plane.byteOffset, plane.byteLength))
        const rows = sws.scaleSync(inputs, source.map((p) => p.width), 0, frame.height, planes, target.map((p) => p.width))
        if (rows !== to.height) throw new Error(`libswscale wrote ${rows} of ${to.height} rows`)
        const scaled: VideoFrame = { width: to.width, height: to.height, format: "I420", planes, timestampUs: frame.timestampUs }
        return scaled
      },
      catch: (cause) => new EncodingError({ codec: "video", message: `scaling ${frame.width}x${frame.height} to ${to.width}x${to.height} failed: ${String(cause)}` })
    })

  const scaler: VideoScaler = {
    fit: (frame, limit) => {
      const to = fitWithin(frame, limit)
      return sameSize(to, frame) ? Effect.succeed(frame) : scale(frame, to)
    }
  }
  return scaler
})
