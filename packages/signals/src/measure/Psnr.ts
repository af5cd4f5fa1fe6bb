/**
 * Peak signal-to-noise ratio between two I420 frames, over all three planes.
 *
 * @since 0.1.0
 */
import type { VideoFrame } from "@remotemedia/runtime-core"

/**
 * PSNR in dB of `actual` against `reference` (Infinity when identical). Throws a `RangeError` when the
 * frames differ in size or plane lengths, since that is a bug in the caller, not a quality figure.
 */
export const psnr = (reference: VideoFrame, actual: VideoFrame): number => {
  if (reference.width !== actual.width || reference.height !== actual.height || reference.planes.length !== actual.planes.length) {
    throw new RangeError(`psnr: ${reference.width}x${reference.height} vs ${actual.width}x${actual.height}`)
  }
  let squared = 0
  let count = 0
  for (let p = 0; p < reference.planes.length; p++) {
    const a = reference.planes[p]!
    const b = actual.planes[p]!
    if (a.length !== b.length) throw new RangeError(`psnr: plane ${p} has ${a.length} vs ${b.length} bytes`)
    for (let i = 0; i < a.length; i++) {
      const d = a[i]! - b[i]!
      squared += d * d
    }
    count += a.length
  }
  const mse = squared / count
  return mse === 0 ? Infinity : 10 * Math.log10((255 * 255) / mse)
}
