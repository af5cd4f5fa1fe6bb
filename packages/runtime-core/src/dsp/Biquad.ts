/**
 * A second-order IIR section (RBJ cookbook high-pass / low-pass), streaming over interleaved audio with
 * per-channel state kept between frames so filtering never clicks at frame boundaries.
 *
 * @since 0.1.0
 */

/** Which response the section has. */
export type BiquadKind = "highpass" | "lowpass"

/** A stateful biquad for one interleaved stream; coefficients are recomputed when the sample rate changes. */
export class Biquad {
  readonly kind: BiquadKind
  readonly cutoffHz: number
  readonly q: number
  #rate = 0
  #b0 = 1
  #b1 = 0
  #b2 = 0
  #a1 = 0
  #a2 = 0
  /** Per channel: x[n-1], x[n-2], y[n-1], y[n-2]. */
  #state = new Float64Array(0)

  constructor(kind: BiquadKind, cutoffHz: number, q: number = Math.SQRT1_2) {
    this.kind = kind
    this.cutoffHz = cutoffHz
    this.q = q
  }

  #configure(sampleRate: number, channels: number) {
    if (sampleRate !== this.#rate) {
      const w0 = 2 * Math.PI * Math.min(this.cutoffHz, sampleRate * 0.49) / sampleRate
      const cos = Math.cos(w0)
      const alpha = Math.sin(w0) / (2 * this.q)
      const a0 = 1 + alpha
      const b1 = this.kind === "highpass" ? -(1 + cos) : 1 - cos
      this.#b0 = (this.kind === "highpass" ? (1 + cos) / 2 : (1 - cos) / 2) / a0
      this.#b1 = b1 / a0
      this.#b2 = this.#b0
      this.#a1 = -2 * cos / a0
      this.#a2 = (1 - alpha) / a0
      this.#rate = sampleRate
    }
    if (this.#state.length !== channels * 4) this.#state = new Float64Array(channels * 4)
  }

  /** Filters `input` (interleaved) into `output`, which may be the same array. */
  process(input: Float32Array, output: Float32Array, sampleRate: number, channels: number): void {
    this.#configure(sampleRate, channels)
    const s = this.#state
    const b0 = this.#b0, b1 = this.#b1, b2 = this.#b2, a1 = this.#a1, a2 = this.#a2
    for (let c = 0; c < channels; c++) {
      const o = c * 4
      let x1 = s[o]!, x2 = s[o + 1]!, y1 = s[o + 2]!, y2 = s[o + 3]!
      for (let i = c; i < input.length; i += channels) {
        const x = input[i]!
        const y = b0 * x + b1 * x1 + b2 * x2 - a1 * y1 - a2 * y2
        output[i] = y
        x2 = x1
        x1 = x
        y2 = y1
        y1 = y
      }
      s[o] = x1
      s[o + 1] = x2
      s[o + 2] = y1
      s[o + 3] = y2
    }
  }
}
