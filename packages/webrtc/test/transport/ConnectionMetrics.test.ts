/**
 * The pure part of `listPeers`' metrics: rates over a window of samples, counters and levels as read.
 */
import { describe, expect, it } from "@effect/vitest"
import * as fc from "fast-check"
import { computeMetrics, type StatsSample, StatsHistory } from "../../src/peer/ConnectionMetrics.ts"

const sample = (atMs: number, received: number, lost: number, bytes: number): StatsSample => ({
  atMs,
  rttMs: 12,
  bytesSent: bytes,
  bytesReceived: bytes,
  audioBytesReceived: bytes,
  videoBytesReceived: 0,
  packetsSent: received,
  packetsReceived: received,
  packetsLost: lost,
  remotePacketsLost: 0,
  jitterMs: 3,
  frameWidth: undefined,
  frameHeight: undefined,
  framesPerSecond: undefined
})

/** A connection's samples, one a second: counters that only grow. */
const arbSamples = fc.array(fc.tuple(fc.nat(100), fc.nat(10), fc.nat(20_000)), { minLength: 1, maxLength: 30 }).map((steps) => {
  let received = 0
  let lost = 0
  let bytes = 0
  return steps.map(([newPackets, newLost, newBytes], second) => sample(1_000 * second, (received += newPackets), (lost += newLost), (bytes += newBytes)))
})

describe("connection metrics", () => {
  it("the first read has levels and counters but no rates", () => {
    const metrics = computeMetrics(sample(5_000, 40, 2, 4_000), sample(5_000, 40, 2, 4_000))
    expect(metrics).toMatchObject({ latencyMs: 12, jitterMs: 3, packetsReceived: 40, packetsLost: 2, packetLossRate: 0, bandwidthKbps: 0, audioBitrateKbps: undefined })
    expect(metrics.measuredAt).toEqual(new Date(5_000))
  })

  it("rates cover the window: loss and bitrate over the last windowMs, counters as of the last sample", () => {
    fc.assert(fc.property(arbSamples, fc.constantFrom(1_000, 3_000, 5_000), (samples, windowMs) => {
      const history = new StatsHistory(windowMs)
      for (const s of samples) history.record(s)
      const last = samples.at(-1)!
      const from = samples[Math.max(0, samples.length - 1 - windowMs / 1_000)]!
      const metrics = history.metricsAt()
      expect(metrics.packetsReceived).toBe(last.packetsReceived)
      expect(metrics.packetsLost).toBe(last.packetsLost)
      const received = last.packetsReceived - from.packetsReceived
      const lost = last.packetsLost - from.packetsLost
      expect(metrics.packetLossRate).toBeCloseTo(received + lost === 0 ? 0 : lost / (received + lost), 9)
      const seconds = (last.atMs - from.atMs) / 1_000
      const expectedKbps = seconds === 0 ? 0 : (2 * (last.bytesReceived - from.bytesReceived) * 8) / 1_000 / seconds
      expect(metrics.bandwidthKbps).toBeCloseTo(expectedKbps, 6)
    }))
  })
})
