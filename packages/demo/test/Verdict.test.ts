import { describe, expect, it } from "vitest"
import type { LinkFigures, PeerFigures } from "../src/PeerFigures.ts"
import { peerRow } from "../src/PeerFigures.ts"
import { renderTable } from "../src/StatsTable.ts"
import type { ReceivedMedia } from "../src/MediaReceipts.ts"
import { type Expectations, isDownscaleOf, judge } from "../src/Verdict.ts"

const link = (remote: string, overrides: Partial<LinkFigures> = {}): LinkFigures => ({
  remote, state: "Connected", rttMs: 10, lossRate: 0, jitterMs: 2, audioKbps: 40, videoKbps: 1500,
  resolution: "1280x720", fps: 30, syncState: "Synced", jitterBufferMs: 60, ...overrides
})

const hz: Record<string, number> = { alice: 150, bob: 190, carol: 240 }
const expectations: Expectations = {
  host: "alice",
  senders: new Map(Object.entries(hz).map(([id, fundamentalHz]) => [id, { fundamentalHz, resolution: "1280x720" }])),
  toneTolerance: 0.04
}
/** What `receiver` got from `from` in a working conference hosted by alice (mix-minus of the guests). */
const heard = (from: string, overrides: Partial<ReceivedMedia> = {}, receiver = "alice"): ReceivedMedia => {
  const mixFor = (guest: string) => hz[guest === "bob" ? "carol" : "bob"]
  const dominantHz = from === "alice" ? mixFor(receiver) : receiver === "alice" ? hz[from] : undefined
  return { from, audioFrames: dominantHz === undefined ? 0 : 500, videoFrames: 150, resolution: "1280x720", dominantHz, ...overrides }
}
const others = (peerId: string) => Object.keys(hz).filter((id) => id !== peerId)

const peer = (
  peerId: string,
  links: ReadonlyArray<LinkFigures>,
  chat = { sent: 4, received: 4, corrupted: 0 },
  media: ReadonlyArray<ReceivedMedia> = others(peerId).map((from) => heard(from, {}, peerId))
): PeerFigures => ({ peerId, expectedLinks: 2, links, chat, media })

describe("peerRow", () => {
  it("means the RTT, takes the worst loss/jitter/jitter-buffer delay/sync and sums the bitrates", () => {
    const row = peerRow(peer("alice", [
      link("bob", { rttMs: 10, lossRate: 0.01, jitterMs: 3, syncState: "Synced", jitterBufferMs: 55 }),
      link("carol", { rttMs: 30, lossRate: 0.05, jitterMs: 1, syncState: "Syncing", jitterBufferMs: undefined })
    ]))
    expect(row).toEqual({
      peerId: "alice", links: "2/2", rttMs: 20, lossPercent: 5, jitterMs: 3, jitterBufferMs: 55, audioKbps: 80, videoKbps: 3000,
      video: "1280x720@30", sync: "Syncing", frames: "1000/300", chat: "4 in / 4 out"
    })
  })

  it("shows dashes before anything is known", () => {
    const row = peerRow(peer("alice", [], undefined, []))
    expect(row).toMatchObject({ links: "0/2", rttMs: 0, jitterBufferMs: undefined, video: "–", sync: "–", frames: "0/0" })
    const [header, line] = renderTable([row]).split("\n")
    const column = header!.indexOf("jitter buffer ms")
    expect(line!.slice(column, column + "jitter buffer ms".length).trim()).toBe("–")
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
    const verdict = judge(full, expectations)
    expect(verdict.passed).toBe(true)
    expect(verdict.line).toBe(
      "VERDICT: PASS (mesh: 6/6 connections up; chat: 12/12 lines delivered in order; " +
        "audio: 4/4 streams right (alice hears every guest; every guest hears a mix without itself); " +
        "video: 6/6 streams decoded at their size, 900 frames)"
    )
  })

  it("fails a missing connection and says which check", () => {
    const verdict = judge([peer("alice", [link("bob")]), ...full.slice(1)], expectations)
    expect(verdict.passed).toBe(false)
    expect(verdict.line).toContain("mesh: 5/6 connections up")
  })

  it("fails lost, altered or unreceived chat", () => {
    expect(judge([...full.slice(0, 2), peer("carol", full[2]!.links, { sent: 4, received: 3, corrupted: 0 })], expectations).passed).toBe(false)
    expect(judge([...full.slice(0, 2), peer("carol", full[2]!.links, { sent: 4, received: 4, corrupted: 1 })], expectations).line)
      .toContain("1 out of order or altered")
    expect(judge([...full.slice(0, 2), peer("carol", full[2]!.links, { sent: 8, received: 0, corrupted: 0 })], expectations).line)
      .toContain("nothing reached carol")
  })

  const withMedia = (receiver: string, media: ReadonlyArray<ReceivedMedia>) =>
    full.map((p) => (p.peerId === receiver ? peer(receiver, p.links, undefined, media) : p))

  it("fails a guest that hears itself in its mix, and a host that hears a guest at the wrong pitch", () => {
    const own = judge(withMedia("bob", [heard("alice", { dominantHz: 190 }, "bob"), heard("carol", {}, "bob")]), expectations)
    expect(own.passed).toBe(false)
    expect(own.line).toContain("audio: bob heard 190 Hz in its mix (its own voice)")
    const wrong = judge(withMedia("alice", [heard("bob", { dominantHz: 240 }), heard("carol")]), expectations)
    expect(wrong.line).toContain("audio: alice heard 240 Hz from bob (expected 190 Hz)")
  })

  it("accepts a pitch within the tolerance", () => {
    expect(judge(withMedia("alice", [heard("bob", { dominantHz: 195 }), heard("carol")]), expectations).passed).toBe(true)
  })

  it("fails missing or mis-sized video and a guest without its mix", () => {
    const verdict = judge(withMedia("carol", [heard("alice", { videoFrames: 0, audioFrames: 0 }, "carol"), heard("bob", { resolution: "640x360" }, "carol")]), expectations)
    expect(verdict.line).toContain("audio: carol got no audio from alice")
    expect(verdict.line).toContain("video: carol got no video from alice, carol got 640x360 from bob (expected 1280x720)")
  })

  it("accepts a smaller size of the same aspect from a sender that may scale down (a browser), nothing else", () => {
    const browserScales: Expectations = { ...expectations, senders: new Map([...expectations.senders, ["bob", { fundamentalHz: 190, resolution: "1280x720", mayScaleDown: true }]]) }
    const withBobAt = (resolution: string) => judge(withMedia("alice", [heard("bob", { resolution }), heard("carol")]), browserScales)
    expect(withBobAt("480x270").passed).toBe(true)
    expect(withBobAt("1280x720").passed).toBe(true)
    expect(withBobAt("640x480").line).toContain("alice got 640x480 from bob (expected 1280x720)")
    expect(withBobAt("1920x1080").passed).toBe(false)
    // Any other sender must arrive at its size.
    expect(judge(withMedia("alice", [heard("bob"), heard("carol", { resolution: "640x360" })]), browserScales).passed).toBe(false)
    expect(isDownscaleOf("426x240", "640x360")).toBe(true)
  })
})
