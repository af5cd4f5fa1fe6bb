import { describe, expect, it } from "@effect/vitest"
import { emptyMetrics } from "@remotemedia/webrtc"
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
    qualityScore: 99.6,
    packetsSent: 150,
    packetsReceived: 148,
    packetsLost: 2,
    remotePacketsLost: 1,
    bytesSent: 18_000,
    bytesReceived: 17_500,
    measuredAt: new Date(2_900)
  }
  const jitterBuffer = {
    currentFrames: 3, peakFrames: 9, received: 140, released: 135, dropped: 2, late: 1, duplicates: 1, overruns: 0, lost: 2,
    currentDelayMs: 61.26, averageDelayMs: 58.04, targetDelayMs: 60, jitterMs: 4, estimatedLoss: 0.0146
  }
  const info = {
    peerId: "bob",
    connectionState: "Connected" as const,
    capabilities: [],
    connectedAt: new Date(1_000),
    metrics,
    syncState: "Synced" as const,
    jitterBuffer,
    receivedStreams: []
  }
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
      packets: { sent: 150, received: 148, lost: 2, remoteLost: 1 },
      jitterBuffer: { delayMs: 61.3, averageDelayMs: 58, late: 1, dropped: 2 },
      data: { sent: 2, received: 3, bytesReceived: 0 },
      audio: { frames: 0, dominantHz: null },
      video: { frames: 0, width: null, height: null }
    })
    expect(peers[1]).toMatchObject({ peerId: "carol", state: "Left", reason: "user_requested", rttMs: null, sync: null, packets: null })
  })

  it("reports quality as not measured (null), not as zeros, before the transport's first stats read", () => {
    const tally = makePeerTally("bob", 1_000)
    const info = {
      peerId: "bob",
      connectionState: "Connected" as const,
      capabilities: [],
      connectedAt: new Date(1_000),
      metrics: emptyMetrics,
      syncState: "Unsynced" as const,
      jitterBuffer: undefined,
      receivedStreams: []
    }
    expect(statsReport("alice", 0, 1_100, [tally], [info]).peers[0]).toMatchObject({
      state: "Connected",
      rttMs: null,
      packetLoss: null,
      qualityScore: null,
      packets: null,
      jitterBuffer: null,
      sync: "Unsynced"
    })
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
    expect(header!.indexOf("pkts in/out/lost")).toBe(bob!.indexOf("148/150/2"))
    expect(header!.indexOf("jb ms")).toBe(bob!.indexOf("61.3"))
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
