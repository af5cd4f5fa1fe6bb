/**
 * An independent reference for scaled pictures: each output sample is the bilinear interpolation of the
 * source plane at the output sample's centre. Plain and slow, for tests only.
 */
import type { VideoFrame } from "@remotemedia/runtime-core"

const scalePlane = (source: Uint8Array, width: number, height: number, toWidth: number, toHeight: number): Uint8Array => {
  const out = new Uint8Array(toWidth * toHeight)
  const at = (x: number, y: number) => source[Math.min(height - 1, Math.max(0, y)) * width + Math.min(width - 1, Math.max(0, x))]!
  for (let row = 0; row < toHeight; row++) {
    const y = ((row + 0.5) * height) / toHeight - 0.5
    const y0 = Math.floor(y)
    const fy = y - y0
    for (let col = 0; col < toWidth; col++) {
      const x = ((col + 0.5) * width) / toWidth - 0.5
      const x0 = Math.floor(x)
      const fx = x - x0
      const top = at(x0, y0) * (1 - fx) + at(x0 + 1, y0) * fx
      const bottom = at(x0, y0 + 1) * (1 - fx) + at(x0 + 1, y0 + 1) * fx
      out[row * toWidth + col] = Math.round(top * (1 - fy) + bottom * fy)
    }
  }
  return out
}

/** `frame` scaled to `width × height` (I420). */
export const referenceScale = (frame: VideoFrame, width: number, height: number): VideoFrame => ({
  width,
  height,
  format: "I420",
  timestampUs: frame.timestampUs,
  planes: frame.planes.map((plane, p) =>
    p === 0
      ? scalePlane(plane, frame.width, frame.height, width, height)
      : scalePlane(plane, Math.ceil(frame.width / 2), Math.ceil(frame.height / 2), Math.ceil(width / 2), Math.ceil(height / 2))
  )
})
