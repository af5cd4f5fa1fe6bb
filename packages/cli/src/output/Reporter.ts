/**
 * Where a run's output goes. Stdout carries the figures (the live view, `--json` objects, the summary);
 * stderr carries what happened (joined, connected, messages) and the final error line, so `--json`
 * output stays machine-readable.
 *
 * @since 0.1.0
 */
import type { StatsReport, SummaryReport } from "../stats/StatsReport.ts"
import { statsTable } from "./StatsTable.ts"

/** A text sink (a process stream, or a buffer in tests). */
export interface TextSink {
  readonly write: (text: string) => unknown
}

/** The run's three kinds of output. */
export interface Reporter {
  /** Something happened (one human-readable line). */
  readonly event: (line: string) => void
  /** The figures of this second. */
  readonly stats: (report: StatsReport) => void
  /** The run is over. */
  readonly summary: (report: SummaryReport) => void
}

/** `--json`: one object per line on stdout, events on stderr. */
export const jsonReporter = (out: TextSink, err: TextSink): Reporter => ({
  event: (line) => err.write(`${line}\n`),
  stats: (report) => out.write(`${JSON.stringify(report)}\n`),
  summary: (report) => out.write(`${JSON.stringify(report)}\n`)
})

/** Not a terminal, no `--json`: events as they happen, the figures once, at the end. */
export const plainReporter = (out: TextSink, err: TextSink): Reporter => ({
  event: (line) => err.write(`${line}\n`),
  stats: () => undefined,
  summary: (report) => out.write(`${statsTable(report).join("\n")}\n`)
})

/**
 * A terminal: the table is redrawn in place each second; event lines are printed above it (the table is
 * erased first, then redrawn under them).
 */
export const liveReporter = (terminal: TextSink): Reporter => {
  let drawn: ReadonlyArray<string> = []
  const erase = () => (drawn.length === 0 ? "" : `\x1b[${drawn.length}F\x1b[0J`)
  const draw = (lines: ReadonlyArray<string>) => (lines.length === 0 ? "" : `${lines.join("\n")}\n`)
  return {
    event: (line) => terminal.write(`${erase()}${line}\n${draw(drawn)}`),
    stats: (report) => {
      const lines = statsTable(report)
      terminal.write(`${erase()}${draw(lines)}`)
      drawn = lines
    },
    summary: (report) => {
      terminal.write(`${erase()}${draw(statsTable(report))}`)
      drawn = []
    }
  }
}
