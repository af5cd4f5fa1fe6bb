/**
 * The Markdown rendering of a {@link BenchReport}: one table, ours next to the baseline, ratio of medians.
 *
 * @since 0.1.0
 */
import type { Summary } from "../measure/Summary.ts"
import type { BenchReport } from "./BenchReport.ts"
import type { Figure } from "./Figure.ts"

/** 3 significant digits, no exponent: 0.0123, 1.23, 123, 12300. */
export const formatNumber = (x: number): string => {
  if (!Number.isFinite(x)) return String(x)
  const magnitude = Math.abs(x)
  if (magnitude >= 100) return Math.round(x).toString()
  return x.toPrecision(3).replace(/\.?0+$/, "")
}

const cell = (s: Summary) =>
  `${formatNumber(s.median)} (p90 ${formatNumber(s.p90)}, p99 ${formatNumber(s.p99)}, ${formatNumber(s.min)}–${formatNumber(s.max)})`

const ratio = (x: number | null) => x === null ? "– (baseline 0)" : `×${x.toFixed(2)}`

const ratioCell = (figure: Figure) =>
  `${ratio(figure.ratio)} (p90 ${ratio(figure.ratioP90)}; ${figure.better === "lower" ? "lower" : "higher"} is better)`

const row = (figure: Figure) =>
  `| ${figure.title} | ${figure.unit} | ${cell(figure.ours.summary)} | ${figure.baseline.label}: ${cell(figure.baseline.summary)} | ${ratioCell(figure)} |`

/** A line on the run, one on the machine it ran on, the table, and the notes of rows that have one. */
export const renderMarkdown = (report: BenchReport): string => {
  const { machine } = report
  const load = (l: ReadonlyArray<number>) => l.map((x) => x.toFixed(1)).join(" / ")
  const byNote = Map.groupBy(report.figures.filter((f) => f.note !== ""), (f) => f.note)
  const notes = [...byNote].map(([note, figures]) => `- ${note}: ${figures.map((f) => f.title).join("; ")}`)
  return [
    `Benchmark run ${report.startedAt}${report.smoke ? " (SMOKE: tiny sizes, figures meaningless)" : ""}, ` +
    `${report.durationSeconds.toFixed(0)} s.`,
    "",
    `Machine: ${machine.cores} cores (${machine.cpuModel}), ${machine.memoryGiB} GiB, Node ${machine.node}; ` +
    `load average (1/5/15 min) ${load(machine.loadAverageAtStart)} at start, ${load(machine.loadAverageAtEnd)} at end.`,
    "",
    "Each cell: median (p90, p99, min–max). Ratio: our median / the baseline's median (and the same of the p90s), same run.",
    "",
    "| Figure | Unit | Ours | Baseline (same run) | Ours / baseline |",
    "|---|---|---|---|---|",
    ...report.figures.map(row),
    ...(notes.length > 0 ? ["", "Notes:", ...notes] : [])
  ].join("\n")
}
