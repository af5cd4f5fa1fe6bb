/**
 * Streaming sample-rate conversion by an exact rational ratio (polyphase windowed-sinc FIR).
 *
 * For `inRate -> outRate` with `g = gcd`, there are `L = outRate/g` filter phases and the input advances by
 * `M = inRate/g` phase steps per output sample. Each phase is a Blackman-windowed sinc with 16 zero
 * crossings per side, cut off at 92 % of the lower Nyquist frequency (anti-aliasing when downsampling,
 * anti-imaging when upsampling), normalised to unity DC gain. The filter state carries over between
 * frames, so a stream resampled frame by frame equals the stream resampled at once. Latency: half the
 * filter length, `halfLength / inRate` seconds.
 *
 * @since 0.1.0
 */

const ZERO_CROSSINGS = 16
const ROLLOFF = 0.92
/** More phases than this means an unusual ratio (e.g. 47999 Hz) whose table would be megabytes. */
export const MAX_PHASES = 4096

const gcd = (a: number, b: number): number => (b === 0 ? a : gcd(b, a % b))

/** A stateful converter for one interleaved stream with a fixed input rate, output rate and channel count. */
export class Resampler {
  readonly inRate: number
  readonly outRate: number
  readonly channels: number
  readonly #phases: number
  readonly #step: number
  readonly #half: number
  readonly #taps: number
  /** `#phases` rows of `#taps` coefficients. */
  readonly #table: Float32Array
  /** Unconsumed input (interleaved), starting `#half - 1` frames before the next output's integer position. */
  #buffer: Float32Array
  #buffered: number
  /** Position of the next output, in phase steps, relative to the buffer start plus `#half - 1` frames. */
  #position = 0

  constructor(inRate: number, outRate: number, channels: number) {
    const g = gcd(inRate, outRate)
    this.inRate = inRate
    this.outRate = outRate
    this.channels = channels
    this.#phases = outRate / g
    this.#step = inRate / g
    if (this.#phases > MAX_PHASES) {
      throw new Error(`cannot resample ${inRate} Hz -> ${outRate} Hz: the ratio needs ${this.#phases} filter phases (max ${MAX_PHASES})`)
    }
    const cutoff = 0.5 * Math.min(1, outRate / inRate) * ROLLOFF
    this.#half = Math.ceil(ZERO_CROSSINGS / (2 * cutoff))
    this.#taps = 2 * this.#half
    this.#table = new Float32Array(this.#phases * this.#taps)
    for (let p = 0; p < this.#phases; p++) {
      const row = p * this.#taps
      let sum = 0
      for (let k = 0; k < this.#taps; k++) {
        // tap k multiplies input sample (i - half + 1 + k); its distance from the output position i + p/L:
        const t = k - this.#half + 1 - p / this.#phases
        const x = 2 * cutoff * t
        const sinc = x === 0 ? 1 : Math.sin(Math.PI * x) / (Math.PI * x)
        const w = 0.42 + 0.5 * Math.cos(Math.PI * t / this.#half) + 0.08 * Math.cos(2 * Math.PI * t / this.#half)
        const h = Math.abs(t) >= this.#half ? 0 : sinc * w
        this.#table[row + k] = h
        sum += h
      }
      for (let k = 0; k < this.#taps; k++) this.#table[row + k]! /= sum
    }
    // Prime with half - 1 frames of silence so the first output lines up with the first input sample.
    this.#buffered = this.#half - 1
    this.#buffer = new Float32Array(Math.max(1024, this.#buffered) * channels)
  }

  /** Latency added by the filter, in microseconds. */
  get delayUs(): number {
    return (this.#half * 1e6) / this.inRate
  }

  /** Converts the next chunk of the stream; returns the output samples that chunk makes available. */
  process(input: Float32Array): Float32Array {
    const ch = this.channels
    const frames = input.length / ch
    this.#ensure(this.#buffered + frames)
    this.#buffer.set(input, this.#buffered * ch)
    this.#buffered += frames
    const L = this.#phases, M = this.#step, taps = this.#taps, table = this.#table, buf = this.#buffer
    // An output at integer position i needs frames up to i + half, i.e. i + taps - 1 relative to the buffer start.
    const available = this.#buffered - taps + 1
    const count = available <= 0 ? 0 : Math.max(0, Math.ceil((available * L - this.#position) / M))
    const out = new Float32Array(count * ch)
    let pos = this.#position
    for (let n = 0; n < count; n++, pos += M) {
      const i = Math.floor(pos / L)
      const row = (pos - i * L) * taps
      for (let c = 0; c < ch; c++) {
        let acc = 0
        let idx = i * ch + c
        for (let k = 0; k < taps; k++, idx += ch) acc += buf[idx]! * table[row + k]!
        out[n * ch + c] = acc
      }
    }
    const consumed = Math.min(Math.floor(pos / L), this.#buffered)
    buf.copyWithin(0, consumed * ch, this.#buffered * ch)
    this.#buffered -= consumed
    this.#position = pos - consumed * L
    return out
  }

  #ensure(frames: number) {
    if (frames * this.channels <= this.#buffer.length) return
    const grown = new Float32Array(Math.max(frames * this.channels, this.#buffer.length * 2))
    grown.set(this.#buffer.subarray(0, this.#buffered * this.channels))
    this.#buffer = grown
  }
}
