/**
 * I420 plane geometry and validation, plus copies between tightly packed runtime planes and codec frames
 * whose rows are padded to a stride.
 *
 * @since 0.1.0
 */
import type { VideoFrame } from "@remotemedia/runtime-core"
import { InvalidDataType } from "../../errors.ts"

/** Width and height of plane `index` (0 = Y, 1 = U, 2 = V) of an I420 picture. */
export const planeSize = (width: number, height: number, index: number): { readonly width: number; readonly height: number } =>
  index === 0 ? { width, height } : { width: Math.ceil(width / 2), height: Math.ceil(height / 2) }

/**
 * Why `frame` cannot be encoded at `width × height`, or `undefined` when it can: codecs need I420 with even
 * dimensions, the configured size, and planes of exactly the packed sizes.
 */
export const validateI420 = (frame: VideoFrame, width: number, height: number): InvalidDataType | undefined => {
  const fail = (message: string) => new InvalidDataType({ message })
  if (frame.format !== "I420") return fail(`video must be I420, got ${frame.format}`)
  if (frame.width % 2 !== 0 || frame.height % 2 !== 0) return fail(`I420 video needs even dimensions, got ${frame.width}x${frame.height}`)
  if (frame.width !== width || frame.height !== height) return fail(`this stream is ${width}x${height}, got a ${frame.width}x${frame.height} frame`)
  if (frame.planes.length !== 3) return fail(`I420 has 3 planes, got ${frame.planes.length}`)
  for (let p = 0; p < 3; p++) {
    const size = planeSize(width, height, p)
    const actual = frame.planes[p]!.length
    if (actual !== size.width * size.height) return fail(`I420 plane ${p} of ${width}x${height} is ${size.width * size.height} bytes, got ${actual}`)
  }
  return undefined
}

/** Copies a packed plane into a strided destination (row by row only when the stride pads). */
export const copyPlaneToStrided = (source: Uint8Array, target: Uint8Array, width: number, height: number, stride: number): void => {
  if (stride === width) {
    target.set(source.subarray(0, width * height))
    return
  }
  for (let row = 0; row < height; row++) target.set(source.subarray(row * width, (row + 1) * width), row * stride)
}

/** Copies a strided plane into a new packed one. */
export const copyPlaneFromStrided = (source: Uint8Array, width: number, height: number, stride: number): Uint8Array => {
  if (stride === width) return source.slice(0, width * height)
  const target = new Uint8Array(width * height)
  for (let row = 0; row < height; row++) target.set(source.subarray(row * stride, row * stride + width), row * width)
  return target
}
