/**
 * A voice-like test signal: a harmonic series over a distinct fundamental, with vibrato and a syllable-rate
 * amplitude envelope. Richer than a tone (codecs and VADs treat it like speech) yet its fundamental stays
 * measurable.
 *
 * @since 0.1.0
 */

/** Settings of a {@link VoiceSignal}. */
export interface VoiceSignalOptions {
  readonly sampleRate: number
  /** Fundamental in Hz; 140 by default. */
  readonly fundamental?: number
  /** Number of harmonics including the fundamental, amplitudes falling as 1/k; 8 by default. */
  readonly harmonics?: number
  /** Vibrato rate in Hz; 5 by default. */
  readonly vibratoRate?: number
  /** Vibrato depth as a fraction of the fundamental; 0.01 by default. */
  readonly vibratoDepth?: number
  /** Syllables per second of the amplitude envelope; 4 by default. */
  readonly syllableRate?: number
  /** Peak amplitude in [0, 1]; 0.5 by default. */
  readonly amplitude?: number
}

/** An endless mono voice-like generator. */
export interface VoiceSignal {
  /** The next `length` mono samples, continuing the previous call. */
  readonly next: (length: number) => Float32Array
}

/** Creates a voice-like generator. */
export const makeVoiceSignal = (options: VoiceSignalOptions): VoiceSignal => {
  const { sampleRate } = options
  const fundamental = options.fundamental ?? 140
  const harmonics = options.harmonics ?? 8
  const vibratoRate = options.vibratoRate ?? 5
  const vibratoDepth = options.vibratoDepth ?? 0.01
  const syllableRate = options.syllableRate ?? 4
  const amplitude = options.amplitude ?? 0.5
  let norm = 0
  for (let k = 1; k <= harmonics; k++) norm += 1 / k
  let phase = 0
  let n = 0
  return {
    next: (length) => {
      const out = new Float32Array(length)
      for (let i = 0; i < length; i++, n++) {
        const t = n / sampleRate
        const f = fundamental * (1 + vibratoDepth * Math.sin(2 * Math.PI * vibratoRate * t))
        phase += (2 * Math.PI * f) / sampleRate
        let sum = 0
        for (let k = 1; k <= harmonics; k++) sum += Math.sin(k * phase) / k
        // Raised-cosine envelope between 0.2 and 1: syllables, never full silence.
        const envelope = 0.6 - 0.4 * Math.cos(2 * Math.PI * syllableRate * t)
        out[i] = (amplitude * envelope * sum) / norm
      }
      phase %= 2 * Math.PI
      return out
    }
  }
}
