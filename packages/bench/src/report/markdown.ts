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

const ratioCell = (figure: Figure) => {
  if (figure.ratio === null) return figure.ours === null ? "pending" : "– (baseline 0)"
  const direction = figure.better === "lower" ? "lower is better" : "higher is better"
  return `×${figure.ratio.toFixed(2)} (${direction})`
}

const row = (figure: Figure) =>
  `| ${figure.title} | ${figure.unit} | ${figure.ours === null ? "pending" : `${cell(figure.ours.summary)}`} | ` +
  `${figure.baseline.label}: ${cell(figure.baseline.summary)} | ${ratioCell(figure)} |`

/** The table, a line on the machine, and the notes of rows that have one. */
export const renderMarkdown = (report: BenchReport): string => {
  const { machine } = report
  const load = (l: ReadonlyArray<number>) => l.map((x) => x.toFixed(1)).join(" / ")
  const byNote = Map.groupBy(report.figures.filter((f) => f.note !== ""), (f) => f.note)
  const notes = [...byNote].map(([note, figures]) => `- ${note}: ${figures.map((f) => f.title).join("; ")}`)
  return [
    `Benchmark run ${report.startedAt}${report.smoke ? " (SMOKE: tiny sizes, figures meaningless)" : ""}, ` +
    `${report.durationSeconds.toFixed(0)} s; Node ${machine.node}, ${machine.cores} cores (${machine.cpuModel}), ` +
    `${machine.memoryGiB} GiB; load average (1/5/15 min) ${load(machine.loadAverageAtStart)} at start, ${load(machine.loadAverageAtEnd)} at end.`,
    "",
    "Each cell: median (p90, p99, min–max). Ratio: our median / the baseline's median, same run.",
    "",
    "| Figure | Unit | Ours | Baseline (same run) | Ours / baseline |",
    "|---|---|---|---|---|",
    ...report.figures.map(row),
    ...(notes.length > 0 ? ["", "Notes:", ...notes] : [])
  ].join("\n")
}
