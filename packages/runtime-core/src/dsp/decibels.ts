/**
 * Level conversions and measurements shared by the audio nodes and their tests.
 *
 * @since 0.1.0
 */

/** Linear amplitude factor for a gain in dB. */
export const dbToGain = (db: number): number => Math.pow(10, db / 20)

/** Gain in dB for a linear amplitude factor (−Infinity for 0). */
export const gainToDb = (gain: number): number => 20 * Math.log10(gain)

/** Root-mean-square level of `samples` (all channels together); 0 for an empty buffer. */
export const rms = (samples: Float32Array): number => {
  if (samples.length === 0) return 0
  let sum = 0
  for (let i = 0; i < samples.length; i++) sum += samples[i]! * samples[i]!
  return Math.sqrt(sum / samples.length)
}
