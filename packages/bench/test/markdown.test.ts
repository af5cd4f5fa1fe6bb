import { describe, expect, it } from "vitest"
import { type BenchReport, renderMarkdown, summarise } from "../src/index.ts"
import { measured, pending } from "../src/report/Figure.ts"

const machine = { node: "v24", cpuModel: "test cpu", cores: 2, memoryGiB: 8, loadAverageAtStart: [3.04, 2, 1], loadAverageAtEnd: [4, 3, 2] }

const report = (figures: BenchReport["figures"]): BenchReport => ({ startedAt: "2026-01-01T00:00:00.000Z", smoke: false, durationSeconds: 12, machine, figures })

describe("renderMarkdown", () => {
  it("puts ours next to the baseline with the ratio of medians and the better direction", () => {
    const figure = measured({ id: "x", title: "throughput", unit: "Mbit/s", better: "higher" }, ["raw", [10, 20, 30]], ["ours", [15, 30, 45]])
    const row = renderMarkdown(report([figure])).split("\n").find((line) => line.startsWith("| throughput"))
    expect(row).toBe("| throughput | Mbit/s | 30 (p90 45, p99 45, 15–45) | raw: 20 (p90 30, p99 30, 10–30) | ×1.50 (higher is better) |")
  })

  it("marks a pending figure and lists why once for all rows that share the reason", () => {
    const figures = ["a", "b"].map((title) => pending({ id: title, title, unit: "ms" }, ["bare", [1]], "API X has not landed"))
    const markdown = renderMarkdown(report(figures))
    expect(markdown).toContain("| a | ms | pending | bare: 1 (p90 1, p99 1, 1–1) | pending |")
    expect(markdown).toContain("- pending: API X has not landed: a; b")
  })

  it("states the machine and its load at both ends of the run", () => {
    expect(renderMarkdown(report([])).split("\n")[0]).toContain("2 cores (test cpu), 8 GiB; load average (1/5/15 min) 3.0 / 2.0 / 1.0 at start, 4.0 / 3.0 / 2.0 at end")
  })

  it("summarises the same samples the figure was given", () => {
    const figure = measured({ id: "x", title: "t", unit: "ms" }, ["b", [4, 2]], ["o", [1, 3]])
    expect([figure.baseline.summary, figure.ours?.summary]).toEqual([summarise([2, 4]), summarise([3, 1])])
  })
})
