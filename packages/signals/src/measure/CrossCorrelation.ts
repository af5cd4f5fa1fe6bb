/**
 * Normalised cross-correlation of two signals, and the lag that aligns them best: used to compare what
 * came out of a codec (delayed by its lookahead) with what went in.
 *
 * @since 0.1.0
 */

/**
 * Normalised correlation (-1..1) of `reference[i]` with `signal[i + lag]` over their overlap of at most
 * `length` samples (the whole overlap by default).
 */
export const correlationAtLag = (reference: Float32Array, signal: Float32Array, lag: number, length?: number): number => {
  const start = Math.max(0, -lag)
  const end = Math.min(reference.length, signal.length - lag, length === undefined ? Infinity : start + length)
  let dot = 0
  let energyA = 0
  let energyB = 0
  for (let i = start; i < end; i++) {
    const a = reference[i]!
    const b = signal[i + lag]!
    dot += a * b
    energyA += a * a
    energyB += b * b
  }
  const denominator = Math.sqrt(energyA * energyB)
  return denominator === 0 ? 0 : dot / denominator
}

/** The best alignment found by {@link bestLag}. */
export interface LagMatch {
  /** `signal` lags `reference` by this many samples (negative: it leads). */
  readonly lag: number
  readonly correlation: number
}

/** Searches lags in `[minLag, maxLag]` for the highest normalised correlation of `signal` against `reference`. */
export const bestLag = (reference: Float32Array, signal: Float32Array, minLag: number, maxLag: number, length?: number): LagMatch => {
  let best: LagMatch = { lag: minLag, correlation: -Infinity }
  for (let lag = minLag; lag <= maxLag; lag++) {
    const correlation = correlationAtLag(reference, signal, lag, length)
    if (correlation > best.correlation) best = { lag, correlation }
  }
  return best
}
