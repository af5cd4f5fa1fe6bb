/**
 * Float32 ⇄ int16 PCM conversion into caller-owned buffers: the Opus binding speaks int16, the runtime
 * speaks f32, and the hot path must not allocate per sample.
 *
 * @since 0.1.0
 */

/** Writes `source` (f32 in [-1, 1], clamped) into `target` as int16; `target.length` must be ≥ `source.length`. */
export const float32ToInt16 = (source: Float32Array, target: Int16Array): void => {
  for (let i = 0; i < source.length; i++) {
    const s = source[i]!
    // NaN (the only value unequal to itself) becomes 0: a bad sample turns into silence, not noise.
    target[i] = s >= 1 ? 32767 : s <= -1 ? -32768 : s === s ? Math.round(s * 32767) : 0
  }
}

/** Writes `source` int16 samples into `target` as f32 in [-1, 1). */
export const int16ToFloat32 = (source: Int16Array, target: Float32Array): void => {
  for (let i = 0; i < source.length; i++) target[i] = source[i]! / 32768
}
