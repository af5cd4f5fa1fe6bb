import { describe, expect, it } from "vitest"
import { type BenchReport, renderMarkdown, summarise } from "../src/index.ts"
import { measured } from "../src/report/Figure.ts"

const machine = { node: "v24", cpuModel: "test cpu", cores: 2, memoryGiB: 8, loadAverageAtStart: [3.04, 2, 1], loadAverageAtEnd: [4, 3, 2] }

const report = (figures: BenchReport["figures"]): BenchReport => ({ startedAt: "2026-01-01T00:00:00.000Z", smoke: false, durationSeconds: 12, machine, figures })

describe("renderMarkdown", () => {
  it("puts ours next to the baseline with the ratio of medians and the better direction", () => {
    const figure = measured({ id: "x", title: "throughput", unit: "Mbit/s", better: "higher" }, ["raw", [10, 20, 30]], ["ours", [15, 30, 45]])
    const row = renderMarkdown(report([figure])).split("\n").find((line) => line.startsWith("| throughput"))
    expect(row).toBe("| throughput | Mbit/s | 30 (p90 45, p99 45, 15–45) | raw: 20 (p90 30, p99 30, 10–30) | ×1.50 (p90 ×1.50; higher is better) |")
  })

  it("compares the tails too, and says so where a baseline is 0 instead of dividing by it", () => {
    const figure = measured({ id: "x", title: "latency", unit: "ms" }, ["raw", [0, 0, 0, 4]], ["ours", [1, 2, 3, 8]])
    expect(figure.ratio).toBeNull()
    expect(figure.ratioP90).toBe(2)
    expect(renderMarkdown(report([figure]))).toContain("| – (baseline 0) (p90 ×2.00; lower is better) |")
  })

  it("lists a note once for all rows that share it", () => {
    const figures = ["a", "b"].map((title) => measured({ id: title, title, unit: "ms", note: "through a pipe" }, ["bare", [1]], ["ours", [2]]))
    expect(renderMarkdown(report(figures))).toContain("- through a pipe: a; b")
  })

  it("states the machine and its load at both ends of the run on a line of its own", () => {
    const machineLine = renderMarkdown(report([])).split("\n").find((line) => line.startsWith("Machine: "))
    expect(machineLine).toBe("Machine: 2 cores (test cpu), 8 GiB, Node v24; load average (1/5/15 min) 3.0 / 2.0 / 1.0 at start, 4.0 / 3.0 / 2.0 at end.")
  })

  it("summarises the same samples the figure was given", () => {
    const figure = measured({ id: "x", title: "t", unit: "ms" }, ["b", [4, 2]], ["o", [1, 3]])
    expect([figure.baseline.summary, figure.ours.summary]).toEqual([summarise([2, 4]), summarise([3, 1])])
  })
})
