/**
 * A phase-continuous sine tone: successive calls to `next` join without a click, so frames of any length
 * can be cut from one endless tone.
 *
 * @since 0.1.0
 */

/** Settings of a {@link SineTone}. */
export interface SineToneOptions {
  readonly frequency: number
  readonly sampleRate: number
  /** Peak amplitude in [0, 1]; 0.5 by default. */
  readonly amplitude?: number
  /** Interleaved channels, each carrying the same tone; 1 by default. */
  readonly channels?: number
}

/** An endless tone generator. */
export interface SineTone {
  /** The next `samplesPerChannel` samples per channel, interleaved, continuing the previous call's phase. */
  readonly next: (samplesPerChannel: number) => Float32Array
}

/** Creates a phase-continuous tone generator. */
export const makeSineTone = (options: SineToneOptions): SineTone => {
  const amplitude = options.amplitude ?? 0.5
  const channels = options.channels ?? 1
  const step = (2 * Math.PI * options.frequency) / options.sampleRate
  let phase = 0
  return {
    next: (samplesPerChannel) => {
      const out = new Float32Array(samplesPerChannel * channels)
      for (let i = 0; i < samplesPerChannel; i++) {
        const value = amplitude * Math.sin(phase)
        for (let c = 0; c < channels; c++) out[i * channels + c] = value
        phase += step
      }
      // Keep the phase small so precision does not decay over hours of audio.
      phase %= 2 * Math.PI
      return out
    }
  }
}

/** `length` samples of a mono tone starting at phase 0. */
export const sineTone = (frequency: number, sampleRate: number, length: number, amplitude = 0.5): Float32Array =>
  makeSineTone({ frequency, sampleRate, amplitude }).next(length)
