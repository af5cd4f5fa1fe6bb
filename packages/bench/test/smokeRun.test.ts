import { execFile } from "node:child_process"
import { mkdtempSync, readFileSync, rmSync } from "node:fs"
import { tmpdir } from "node:os"
import { join } from "node:path"
import { fileURLToPath } from "node:url"
import { promisify } from "node:util"
import { afterAll, describe, expect, it } from "vitest"
import type { BenchReport } from "../src/index.ts"

/** Every figure of the list, by id: the run must produce each one. */
const figureIds = [
  "connect.oneProcess",
  "connect.twoProcesses",
  "mesh.formation",
  "memory.perPeer",
  "memory.perPeerRss",
  "data.throughput64KiB",
  "data.roundTrip32B",
  "audio.sendLayers",
  "receive.audio",
  "video.sendLayers.VP9",
  "receive.video.VP9",
  "video.sendLayers.H264",
  "receive.video.H264",
  "pipeline.sessionCreate",
  "pipeline.sessionClose",
  "pipeline.frame",
  "signaling.routedPerSecond",
  "signaling.announce",
  "signaling.memoryPerPeer",
  "load.cpuPer720p30",
  "load.eventLoopDelay720p30",
  "audio.sendToPeer",
  "audio.broadcast1",
  "audio.broadcast5",
  "audio.broadcast10",
  "video.sendToPeer.VP9",
  "video.broadcast10",
  "video.sendToPeer.H264",
  "fanout.audio.sendToPeer",
  "fanout.video.sendToPeer",
  "fanout.audio.broadcast",
  "fanout.video.broadcast",
  "fanout.video.cpuPerFrame",
  "session.createClose",
  "session.createCloseShared",
  "session.frame",
  "session.mixMinus3"
]

const isNumber = (x: unknown) => typeof x === "number" && Number.isFinite(x)
const summaryIsNumeric = (summary: object) =>
  Object.values(summary).every(isNumber) && ["median", "p90", "p99", "min", "max", "n"].every((k) => k in summary)

describe("./run bench --smoke", () => {
  const out = mkdtempSync(join(tmpdir(), "bench-smoke-"))
  afterAll(() => rmSync(out, { recursive: true, force: true }))

  // The child must also exit by itself: a socket, timer or process left behind by a suite makes it hang.
  it("runs every suite, writes every figure with numbers next to a baseline, and exits", { timeout: 300_000 }, async () => {
    const main = fileURLToPath(new URL("../src/main.ts", import.meta.url))
    // --expose-gc given here spares main.ts re-executing itself to get it (a second Node start-up).
    const { stdout } = await promisify(execFile)(process.execPath, ["--expose-gc", "--conditions=source", main, "--smoke", "--out", out], { timeout: 280_000 })
    const report = JSON.parse(readFileSync(join(out, "bench.json"), "utf8")) as BenchReport
    const byId = new Map(report.figures.map((f) => [f.id, f]))

    expect(report.smoke).toBe(true)
    expect([...byId.keys()].sort()).toEqual([...figureIds].sort())
    // Figures carry where they were measured.
    expect(report.machine.cores).toBeGreaterThan(0)
    expect(report.machine.node).toBe(process.version)
    expect([...report.machine.loadAverageAtStart, ...report.machine.loadAverageAtEnd].filter(isNumber)).toHaveLength(6)
    const problems = report.figures.flatMap((figure) => {
      const found: Array<string> = []
      if (!summaryIsNumeric(figure.baseline.summary)) found.push(`${figure.id}: baseline without numbers`)
      if (!summaryIsNumeric(figure.ours.summary)) found.push(`${figure.id}: ours without numbers`)
      if (!isNumber(figure.ratio) && figure.baseline.summary.median !== 0) found.push(`${figure.id}: no ratio of medians`)
      if (!isNumber(figure.ratioP90) && figure.baseline.summary.p90 !== 0) found.push(`${figure.id}: no ratio of p90s`)
      return found
    })
    expect(problems).toEqual([])
    // The Markdown printed is the one written, one row per figure.
    expect(stdout.trim()).toBe(readFileSync(join(out, "bench.md"), "utf8").trim())
    expect(stdout.split("\n").filter((line) => line.startsWith("| ") && !line.startsWith("| Figure")).length).toBe(byId.size)
  })
})
