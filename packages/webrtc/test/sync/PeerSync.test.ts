import { assert, describe, expect, it } from "@effect/vitest"
import { Effect } from "effect"
import { RtcpPacketConverter, RtcpSrPacket } from "werift"
import { makeSenderReport, ntpToUnixUs, PeerSync, runSenderReports } from "../../src/sync/index.ts"

const config = {
  jitterBuffer: { minDelayMs: 50, maxDelayMs: 200, initialDelayMs: 50, capacity: 512 },
  audioClockRate: 48_000,
  videoClockRate: 90_000,
  stableAfterReports: 2
}
const SENDER_US = 1_764_000_000_000_000

describe("PeerSync state machine", () => {
  it("goes Unsynced → Syncing → Synced, back to Syncing on a timeline jump, and Unsynced on reset", () => {
    const sync = new PeerSync<number>(config)
    expect(sync.state()).toBe("Unsynced")
    sync.pushFrame({ ssrc: 1, kind: "audio", seq: 0, rtpTimestamp: 0, payload: 0 }, 0)
    sync.pushFrame({ ssrc: 2, kind: "video", seq: 0, rtpTimestamp: 0, payload: 0 }, 0)
    expect(sync.state()).toBe("Unsynced")
    sync.pushSenderReport({ ssrc: 1, ntpUs: SENDER_US, rtpTimestamp: 0 })
    expect(sync.state()).toBe("Syncing")
    sync.pushSenderReport({ ssrc: 2, ntpUs: SENDER_US, rtpTimestamp: 0 })
    sync.pushSenderReport({ ssrc: 1, ntpUs: SENDER_US + 1e6, rtpTimestamp: 48_000 })
    expect(sync.state()).toBe("Syncing")
    sync.pushSenderReport({ ssrc: 2, ntpUs: SENDER_US + 1e6, rtpTimestamp: 90_000 })
    expect(sync.state()).toBe("Synced")
    // The video sender restarts its RTP clock: more than 2 s off the timeline.
    sync.pushSenderReport({ ssrc: 2, ntpUs: SENDER_US + 2e6, rtpTimestamp: 9_000_000 })
    expect(sync.state()).toBe("Syncing")
    sync.pushSenderReport({ ssrc: 2, ntpUs: SENDER_US + 3e6, rtpTimestamp: 9_090_000 })
    expect(sync.state()).toBe("Synced")
    sync.reset()
    expect(sync.state()).toBe("Unsynced")
    expect(sync.stats()).toEqual([])
  })

  it("keeps a report that arrives before its stream's first frame", () => {
    const sync = new PeerSync<number>(config)
    sync.pushSenderReport({ ssrc: 5, ntpUs: SENDER_US, rtpTimestamp: 960 })
    sync.pushFrame({ ssrc: 5, kind: "audio", seq: 1, rtpTimestamp: 960, payload: 1 }, 0)
    expect(sync.state()).toBe("Syncing")
    const [frame] = sync.pop(1000)
    expect(frame?.senderWallUs).toBe(SENDER_US)
  })

  it("releases frames without sender reports straight from the jitter buffer, tagged Unsynced", () => {
    const sync = new PeerSync<string>(config)
    sync.pushFrame({ ssrc: 9, kind: "audio", seq: 10, rtpTimestamp: 9600, payload: "a" }, 100)
    expect(sync.pop(149)).toEqual([])
    expect(sync.nextWakeMs()).toBe(150)
    expect(sync.pop(150)).toMatchObject([{ payload: "a", releaseMs: 150, syncState: "Unsynced", senderWallUs: undefined }])
  })
})

describe("sender reports on the wire", () => {
  it("our SR survives werift's RTCP serialization with a standard NTP timestamp", () => {
    const sender = { ssrc: 0x1234abcd } as Parameters<typeof makeSenderReport>[0]["sender"]
    const unixMs = 1_764_000_123_456.5
    const packet = makeSenderReport({ sender, rtpTimestampAt: () => 4_294_967_000, counts: () => ({ packets: 10, octets: 800 }) }, unixMs)
    const [parsed] = RtcpPacketConverter.deSerialize(packet.serialize())
    expect(parsed).toBeInstanceOf(RtcpSrPacket)
    const sr = parsed as RtcpSrPacket
    expect(sr.ssrc).toBe(0x1234abcd)
    expect(sr.senderInfo.rtpTimestamp).toBe(4_294_967_000)
    expect(sr.senderInfo.packetCount).toBe(10)
    expect(Math.abs(ntpToUnixUs(sr.senderInfo.ntpTimestamp) - unixMs * 1000)).toBeLessThan(1)
  })

  it.effect("refuses an RTCP interval that would flood the link", () =>
    Effect.gen(function*() {
      const sender = { ssrc: 1 } as Parameters<typeof makeSenderReport>[0]["sender"]
      const error = yield* Effect.flip(runSenderReports({ sender, intervalMs: 0, rtpTimestampAt: () => 0, counts: () => ({ packets: 0, octets: 0 }) }))
      assert.strictEqual(error.field, "rtcpIntervalMs")
    }))
})
