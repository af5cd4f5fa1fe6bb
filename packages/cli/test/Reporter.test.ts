import { describe, expect, it } from "@effect/vitest"
import { jsonReporter, liveReporter } from "../src/output/Reporter.ts"
import { statsTable } from "../src/output/StatsTable.ts"
import { makePeerTally } from "../src/stats/PeerTally.ts"
import { statsReport } from "../src/stats/StatsReport.ts"

const sink = () => {
  const chunks: Array<string> = []
  return { chunks, write: (text: string) => chunks.push(text), text: () => chunks.join("") }
}

const report = () => {
  const bob = { ...makePeerTally("bob", 1_000), dataSent: 2, dataReceived: 3 }
  const carol = { ...makePeerTally("carol", 1_500), state: "Left" as const, reason: "user_requested" }
  const metrics = {
    latencyMs: 1.234,
    packetLossRate: 0.01234,
    jitterMs: 2.25,
    bandwidthKbps: 640.04,
    videoResolution: undefined,
    videoFramerate: undefined,
    audioBitrateKbps: undefined,
    videoBitrateKbps: undefined,
    qualityScore: 99.6
  }
  const info = { peerId: "bob", connectionState: "Connected" as const, capabilities: [], connectedAt: new Date(1_000), metrics, syncState: "Synced" as const }
  return statsReport("alice", 0, 3_000, [bob, carol], [info, { ...info, peerId: "carol" }])
}

describe("stats report", () => {
  it("has the documented fields, rounded; a peer that is gone has no metrics", () => {
    const { peers, ...rest } = report()
    expect(rest).toEqual({ type: "stats", time: "1970-01-01T00:00:03.000Z", id: "alice", elapsedS: 3 })
    expect(peers[0]).toEqual({
      peerId: "bob",
      state: "Connected",
      reason: null,
      connectedForS: 2,
      rttMs: 1.2,
      packetLoss: 0.0123,
      jitterMs: 2.3,
      bandwidthKbps: 640,
      qualityScore: 100,
      sync: "Synced",
      data: { sent: 2, received: 3, bytesReceived: 0 },
      audio: { frames: 0, dominantHz: null },
      video: { frames: 0, width: null, height: null }
    })
    expect(peers[1]).toMatchObject({ peerId: "carol", state: "Left", reason: "user_requested", rttMs: null, sync: null })
  })

  it("--json writes one parseable object per line on stdout, events on stderr", () => {
    const out = sink()
    const err = sink()
    const reporter = jsonReporter(out, err)
    reporter.event("connected to bob")
    reporter.stats(report())
    reporter.summary({ ...report(), type: "summary", exitCode: 0, error: null })
    const lines = out.text().trimEnd().split("\n").map((line) => JSON.parse(line) as { type: string })
    expect(lines.map((line) => line.type)).toEqual(["stats", "summary"])
    expect(err.text()).toBe("connected to bob\n")
  })

  it("the table aligns its columns", () => {
    const [title, header, bob, carol] = statsTable(report())
    expect(title).toBe("alice, 3.0 s, 2 peer(s)")
    expect(header!.indexOf("state")).toBe(bob!.indexOf("Connected"))
    expect(carol!.indexOf("Left")).toBe(bob!.indexOf("Connected"))
    expect(bob).toContain("3/2")
  })

  it("the live view erases exactly the lines it drew before redrawing", () => {
    const terminal = sink()
    const reporter = liveReporter(terminal)
    reporter.stats(report())
    reporter.event("bob: hi")
    const drawn = statsTable(report()).length
    expect(terminal.chunks[1]!.startsWith(`\x1b[${drawn}F\x1b[0Jbob: hi\n`)).toBe(true)
  })
})
