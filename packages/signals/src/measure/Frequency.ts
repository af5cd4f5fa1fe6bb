/**
 * Frequency-domain measurements of mono PCM: the dominant frequency (FFT peak refined by parabolic
 * interpolation on the log spectrum), the power at one frequency (Goertzel) and the power in a band.
 *
 * @since 0.1.0
 */
import { powerSpectrum } from "./Fft.ts"

/**
 * The frequency in Hz of the strongest spectral peak above `minFrequency` (20 Hz by default, to skip DC).
 * Accurate to a small fraction of a bin for a clean tone of a few thousand samples.
 */
export const dominantFrequency = (samples: Float32Array, sampleRate: number, minFrequency = 20): number => {
  const { power, size } = powerSpectrum(samples, 8192)
  const first = Math.max(1, Math.ceil((minFrequency * size) / sampleRate))
  let peak = first
  for (let k = first; k < power.length - 1; k++) if (power[k]! > power[peak]!) peak = k
  const left = Math.log(power[peak - 1]! + 1e-30)
  const centre = Math.log(power[peak]! + 1e-30)
  const right = Math.log(power[peak + 1]! + 1e-30)
  const denominator = left - 2 * centre + right
  const offset = denominator === 0 ? 0 : (0.5 * (left - right)) / denominator
  return ((peak + offset) * sampleRate) / size
}

/**
 * Mean power of the component at `frequency` (Goertzel), normalised so a sine of amplitude A gives A²/2.
 */
export const powerAt = (samples: Float32Array, sampleRate: number, frequency: number): number => {
  const n = samples.length
  if (n === 0) return 0
  const w = (2 * Math.PI * frequency) / sampleRate
  const coefficient = 2 * Math.cos(w)
  let s1 = 0
  let s2 = 0
  for (let i = 0; i < n; i++) {
    const s0 = samples[i]! + coefficient * s1 - s2
    s2 = s1
    s1 = s0
  }
  const magnitudeSquared = s1 * s1 + s2 * s2 - coefficient * s1 * s2
  return (2 * magnitudeSquared) / (n * n)
}

/** Fraction (0..1) of the signal's spectral power that lies in `[low, high]` Hz. */
export const bandPowerRatio = (samples: Float32Array, sampleRate: number, low: number, high: number): number => {
  const { power, size } = powerSpectrum(samples)
  let inBand = 0
  let total = 0
  for (let k = 0; k < power.length; k++) {
    const f = (k * sampleRate) / size
    total += power[k]!
    if (f >= low && f <= high) inBand += power[k]!
  }
  return total === 0 ? 0 : inBand / total
}
