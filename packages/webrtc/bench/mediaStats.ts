/**
 * Timing statistics for the media benchmark: per-iteration samples → median, p90, p99, min–max.
 */

/** Summary of a set of timings in milliseconds. */
export interface Summary {
  readonly median: number
  readonly p90: number
  readonly p99: number
  readonly min: number
  readonly max: number
}

const quantile = (sorted: ReadonlyArray<number>, q: number) => sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))]!

/** Summarises `samples` (ms). */
export const summarise = (samples: ReadonlyArray<number>): Summary => {
  const sorted = [...samples].sort((a, b) => a - b)
  return { median: quantile(sorted, 0.5), p90: quantile(sorted, 0.9), p99: quantile(sorted, 0.99), min: sorted[0]!, max: sorted.at(-1)! }
}

const ms = (x: number) => x.toFixed(3).padStart(8)

/** One table row: label, the summary, and the median's ratio to a baseline's. */
export const row = (label: string, summary: Summary, baseline?: Summary): string =>
  `${label.padEnd(46)} ${ms(summary.median)} ${ms(summary.p90)} ${ms(summary.p99)}   ${ms(summary.min)} – ${ms(summary.max).trim()}` +
  (baseline === undefined ? "" : `   ×${(summary.median / baseline.median).toFixed(2)} of baseline`)

/** The table header matching {@link row}. */
export const header = `${"per iteration (ms)".padEnd(46)} ${"median".padStart(8)} ${"p90".padStart(8)} ${"p99".padStart(8)}   ${"min – max".padStart(8)}`

/** Times `run` `iterations` times after `warmup` untimed runs; returns per-run milliseconds. */
export const timeSync = (iterations: number, run: (i: number) => void, warmup = Math.min(20, iterations)): Array<number> => {
  for (let i = 0; i < warmup; i++) run(i)
  const samples: Array<number> = []
  for (let i = 0; i < iterations; i++) {
    const start = performance.now()
    run(warmup + i)
    samples.push(performance.now() - start)
  }
  return samples
}

/** Async version of {@link timeSync}. */
export const timeAsync = async (iterations: number, run: (i: number) => Promise<unknown>, warmup = Math.min(20, iterations)): Promise<Array<number>> => {
  for (let i = 0; i < warmup; i++) await run(i)
  const samples: Array<number> = []
  for (let i = 0; i < iterations; i++) {
    const start = performance.now()
    await run(warmup + i)
    samples.push(performance.now() - start)
  }
  return samples
}
