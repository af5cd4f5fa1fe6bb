/**
 * The dominant frequency of a peer's received audio over the last second: a ring of mono samples, analysed
 * only when a report asks (once a second), never per frame.
 *
 * @since 0.1.0
 */
import { dominantFrequency, rms } from "@remotemedia/signals"

/** Below this RMS the window is silence and has no dominant frequency. */
const silenceRms = 1e-3

/** A one-second window of received audio. */
export class AudioMeter {
  readonly #ring: Float32Array
  readonly #sampleRate: number
  #written = 0

  constructor(sampleRate: number) {
    this.#sampleRate = sampleRate
    this.#ring = new Float32Array(sampleRate)
  }

  /** Adds interleaved samples (channels averaged to mono). */
  push(samples: Float32Array, channels: number): void {
    const ring = this.#ring
    for (let i = 0; i + channels <= samples.length; i += channels) {
      let sum = 0
      for (let c = 0; c < channels; c++) sum += samples[i + c]!
      ring[this.#written % ring.length] = sum / channels
      this.#written++
    }
  }

  /** The window's dominant frequency in Hz, or null before a quarter second of sound has arrived. */
  dominantHz(): number | null {
    const ring = this.#ring
    const length = Math.min(this.#written, ring.length)
    if (length < ring.length / 4) return null
    const window = this.#window(length)
    return rms(window) < silenceRms ? null : dominantFrequency(window, this.#sampleRate)
  }

  /** The last `length` samples in arrival order. */
  #window(length: number): Float32Array {
    const ring = this.#ring
    if (length < ring.length) return ring.subarray(0, length)
    const start = this.#written % ring.length
    const window = new Float32Array(ring.length)
    window.set(ring.subarray(start))
    window.set(ring.subarray(0, start), ring.length - start)
    return window
  }
}
