/**
 * Summary statistics of one figure's samples: median, p90, p99, min-max.
 *
 * @since 0.1.0
 */

/** Order statistics of a set of samples, in the figure's unit. */
export interface Summary {
  readonly median: number
  readonly p90: number
  readonly p99: number
  readonly min: number
  readonly max: number
  readonly n: number
}

const quantile = (sorted: ReadonlyArray<number>, q: number) => sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))]!

/** Summarises `samples` (at least one; nearest-rank quantiles, as every per-area bench did). */
export const summarise = (samples: ReadonlyArray<number>): Summary => {
  if (samples.length === 0) throw new Error("summarise: no samples")
  const sorted = [...samples].sort((a, b) => a - b)
  return {
    median: quantile(sorted, 0.5),
    p90: quantile(sorted, 0.9),
    p99: quantile(sorted, 0.99),
    min: sorted[0]!,
    max: sorted.at(-1)!,
    n: sorted.length
  }
}
