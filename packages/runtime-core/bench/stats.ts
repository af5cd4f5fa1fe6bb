/** Summary statistics for benchmark samples (microseconds). */

const quantile = (sorted: ReadonlyArray<number>, q: number) => sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))]!

/** One line: median, p90, p99, min-max, in µs. */
export const summary = (label: string, samplesUs: ReadonlyArray<number>): string => {
  const s = [...samplesUs].sort((a, b) => a - b)
  const f = (x: number) => x.toFixed(x < 10 ? 2 : 1).padStart(8)
  return `${label.padEnd(44)} median ${f(quantile(s, 0.5))} µs  p90 ${f(quantile(s, 0.9))}  p99 ${f(quantile(s, 0.99))}  min-max ${f(s[0]!)} – ${f(s[s.length - 1]!)}  (n=${s.length})`
}

/** Median of samples. */
export const median = (samplesUs: ReadonlyArray<number>): number => quantile([...samplesUs].sort((a, b) => a - b), 0.5)
