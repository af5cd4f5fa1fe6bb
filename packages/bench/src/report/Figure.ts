/**
 * One row of the performance table: our figure next to its baseline measured in the same run.
 *
 * @since 0.1.0
 */
import { type Summary, summarise } from "../measure/Summary.ts"

/** A measured series: what was measured and its summary. */
export interface Series {
  readonly label: string
  readonly summary: Summary
}

/** One figure. */
export interface Figure {
  /** Stable key (`connect.oneProcess`): the JSON's and the smoke test's handle on the row. */
  readonly id: string
  readonly title: string
  readonly unit: string
  readonly better: "lower" | "higher"
  readonly baseline: Series
  readonly ours: Series
  /** `ours.median / baseline.median`; `null` when the baseline's median is 0. */
  readonly ratio: number | null
  /** `ours.p90 / baseline.p90`: how the tails compare; `null` when the baseline's p90 is 0. */
  readonly ratioP90: number | null
  /** How it was measured, where that is not obvious. */
  readonly note: string
}

/** What every figure needs besides its samples. */
export interface FigureSpec {
  readonly id: string
  readonly title: string
  readonly unit: string
  readonly better?: "lower" | "higher"
  readonly note?: string
}

/** Raw samples, or a summary computed elsewhere (a histogram's percentiles). */
export type Samples = ReadonlyArray<number> | Summary

const series = (label: string, samples: Samples): Series => ({ label, summary: Array.isArray(samples) ? summarise(samples) : samples as Summary })

/** A measured figure from both sets of samples. */
export const measured = (
  spec: FigureSpec,
  baseline: readonly [label: string, samples: Samples],
  ours: readonly [label: string, samples: Samples]
): Figure => {
  const b = series(...baseline)
  const o = series(...ours)
  const ratioOf = (key: "median" | "p90") => b.summary[key] === 0 ? null : o.summary[key] / b.summary[key]
  return { better: "lower", note: "", ...spec, baseline: b, ours: o, ratio: ratioOf("median"), ratioP90: ratioOf("p90") }
}
