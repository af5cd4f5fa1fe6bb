/**
 * Level measurements of PCM.
 *
 * @since 0.1.0
 */

/** Root mean square of `samples` (0 for an empty array). */
export const rms = (samples: Float32Array): number => {
  if (samples.length === 0) return 0
  let sum = 0
  for (let i = 0; i < samples.length; i++) sum += samples[i]! * samples[i]!
  return Math.sqrt(sum / samples.length)
}
