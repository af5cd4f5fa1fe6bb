import { describe, expect, it } from "@effect/vitest"
import { MAX_SYNC_HOLD_MS, PeerSync } from "../../src/sync/index.ts"

const base = 1_700_000_000_000
const config = {
  jitterBuffer: { minDelayMs: 50, maxDelayMs: 200, initialDelayMs: 50, capacity: 512 },
  audioClockRate: 48_000,
  videoClockRate: 90_000,
  stableAfterReports: 1
}

describe("lip sync's hold on the faster stream", () => {
  it("gives way after MAX_SYNC_HOLD_MS when video arrives seconds late", () => {
    const sync = new PeerSync<number>(config)
    // Both streams map RTP 0 to the same sender time; video frames arrive 2 s after their capture.
    sync.pushSenderReport({ ssrc: 1, ntpUs: base * 1000, rtpTimestamp: 0 })
    sync.pushSenderReport({ ssrc: 2, ntpUs: base * 1000, rtpTimestamp: 0 })
    const audioDelays: Array<number> = []
    let video = 0
    for (let i = 0; i < 250; i++) {
      const now = base + i * 20
      sync.pushFrame({ ssrc: 1, kind: "audio", seq: i, rtpTimestamp: i * 960, payload: i }, now)
      for (; base + (video * 1000) / 30 + 2_000 <= now; video++) {
        sync.pushFrame({ ssrc: 2, kind: "video", seq: video, rtpTimestamp: video * 3000, payload: video }, now)
      }
      for (const frame of sync.pop(now)) if (frame.kind === "audio") audioDelays.push(now - (base + frame.payload * 20))
    }
    expect(video).toBeGreaterThan(30)
    expect(audioDelays.length).toBeGreaterThan(200)
    // Capture to release: the jitter buffer's delay (≤ 200 ms) plus the bounded hold, not the 2 s video lag.
    expect(Math.max(...audioDelays)).toBeLessThanOrEqual(200 + MAX_SYNC_HOLD_MS + 20)
    expect(Math.max(...audioDelays)).toBeGreaterThan(MAX_SYNC_HOLD_MS)
  })
})
