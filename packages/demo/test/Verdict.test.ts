import { describe, expect, it } from "vitest"
import type { LinkFigures, PeerFigures } from "../src/PeerFigures.ts"
import { peerRow } from "../src/PeerFigures.ts"
import { renderTable } from "../src/StatsTable.ts"
import { judge } from "../src/Verdict.ts"

const link = (remote: string, overrides: Partial<LinkFigures> = {}): LinkFigures => ({
  remote, state: "Connected", rttMs: 10, lossRate: 0, jitterMs: 2, audioKbps: 40, videoKbps: 1500,
  resolution: "1280x720", fps: 30, syncState: "Synced", ...overrides
})

const peer = (peerId: string, links: ReadonlyArray<LinkFigures>, chat = { sent: 4, received: 4, corrupted: 0 }): PeerFigures =>
  ({ peerId, expectedLinks: 2, links, chat })

describe("peerRow", () => {
  it("means the RTT, takes the worst loss/jitter/sync and sums the bitrates", () => {
    const row = peerRow(peer("alice", [
      link("bob", { rttMs: 10, lossRate: 0.01, jitterMs: 3, syncState: "Synced" }),
      link("carol", { rttMs: 30, lossRate: 0.05, jitterMs: 1, syncState: "Syncing" })
    ]))
    expect(row).toEqual({
      peerId: "alice", links: "2/2", rttMs: 20, lossPercent: 5, jitterMs: 3, audioKbps: 80, videoKbps: 3000,
      video: "1280x720@30", sync: "Syncing", chat: "4 in / 4 out"
    })
  })

  it("shows dashes before anything is known", () => {
    expect(peerRow(peer("alice", []))).toMatchObject({ links: "0/2", rttMs: 0, video: "–", sync: "–" })
  })
})

describe("renderTable", () => {
  it("aligns every column under its header", () => {
    const table = renderTable([peerRow(peer("alice", [link("bob")])), peerRow(peer("bob", [link("alice", { rttMs: 1234.5 })]))])
    const lines = table.split("\n")
    expect(lines).toHaveLength(3)
    expect(new Set(lines.map((line) => line.length)).size).toBe(1)
    expect(lines[0]).toMatch(/^peer\s+links\s+RTT ms/)
    expect(lines[2]).toContain("1234.5")
  })
})

describe("judge", () => {
  const full = [peer("alice", [link("bob"), link("carol")]), peer("bob", [link("alice"), link("carol")]), peer("carol", [link("alice"), link("bob")])]

  it("passes a full mesh whose chat all arrived in order", () => {
    const verdict = judge(full)
    expect(verdict.passed).toBe(true)
    expect(verdict.line).toBe("VERDICT: PASS (mesh: 6/6 connections up; chat: 12/12 lines delivered in order)")
  })

  it("fails a missing connection and says which check", () => {
    const verdict = judge([peer("alice", [link("bob")]), ...full.slice(1)])
    expect(verdict.passed).toBe(false)
    expect(verdict.line).toContain("mesh: 5/6 connections up")
  })

  it("fails lost, altered or unreceived chat", () => {
    expect(judge([...full.slice(0, 2), peer("carol", full[2]!.links, { sent: 4, received: 3, corrupted: 0 })]).passed).toBe(false)
    expect(judge([...full.slice(0, 2), peer("carol", full[2]!.links, { sent: 4, received: 4, corrupted: 1 })]).line)
      .toContain("1 out of order or altered")
    expect(judge([...full.slice(0, 2), peer("carol", full[2]!.links, { sent: 8, received: 0, corrupted: 0 })]).line)
      .toContain("nothing reached carol")
  })
})
