/**
 * A moving I420 test pattern: smooth luma/chroma gradients that scroll with the frame index plus a bright
 * square that travels across the picture, so consecutive frames differ (motion for the encoder) while the
 * content stays natural enough to compress well.
 *
 * @since 0.1.0
 */
import type { VideoFrame } from "@remotemedia/runtime-core"

/** Frame `index` of the pattern at `width × height`, stamped `index / fps` seconds (30 fps by default). */
export const testPatternFrame = (width: number, height: number, index: number, fps = 30): VideoFrame => {
  const chromaWidth = Math.ceil(width / 2)
  const chromaHeight = Math.ceil(height / 2)
  const y = new Uint8Array(width * height)
  const u = new Uint8Array(chromaWidth * chromaHeight)
  const v = new Uint8Array(chromaWidth * chromaHeight)
  const shift = index * 4
  const box = Math.max(8, Math.floor(Math.min(width, height) / 6))
  const boxX = (index * 8) % Math.max(1, width - box)
  const boxY = Math.floor(((Math.sin(index / 10) + 1) / 2) * (height - box))
  for (let row = 0; row < height; row++) {
    const inRows = row >= boxY && row < boxY + box
    for (let col = 0; col < width; col++) {
      const inBox = inRows && col >= boxX && col < boxX + box
      y[row * width + col] = inBox ? 235 : 16 + ((((col + shift) * 219) / width + (row * 64) / height) % 219)
    }
  }
  for (let row = 0; row < chromaHeight; row++) {
    for (let col = 0; col < chromaWidth; col++) {
      u[row * chromaWidth + col] = 64 + Math.floor((128 * row) / chromaHeight)
      v[row * chromaWidth + col] = 64 + Math.floor((128 * ((col + (shift >> 1)) % chromaWidth)) / chromaWidth)
    }
  }
  return { width, height, format: "I420", planes: [y, u, v], timestampUs: Math.round((index * 1e6) / fps) }
}
