/**
 * Connection quality of one peer, derived from two successive werift stats snapshots (RTCP receiver
 * reports, ICE consent round trips, byte counters). Pure: the PeerActor samples, this computes.
 *
 * @since 0.1.0
 */
import type {
  RTCIceCandidatePairStats,
  RTCInboundRtpStreamStats,
  RTCRemoteInboundRtpStreamStats,
  RTCStats,
  RTCStatsReport,
  RTCTransportStats
} from "werift"

/** The stats kinds we read; werift's report is typed with the base `RTCStats` only. */
type KnownStats =
  | RTCIceCandidatePairStats
  | RTCInboundRtpStreamStats
  | RTCRemoteInboundRtpStreamStats
  | RTCTransportStats
  | (RTCStats & { readonly type: "codec" | "outbound-rtp" | "remote-outbound-rtp" | "media-source" | "media-playout" | "peer-connection" | "data-channel" | "local-candidate" | "remote-candidate" | "certificate" })

/** Contract `ConnectionQualityMetrics`, camelCased, plus design.md's quality score. */
export interface ConnectionQualityMetrics {
  readonly latencyMs: number
  /** Fraction of packets lost, 0..1. */
  readonly packetLossRate: number
  readonly jitterMs: number
  /** Total bandwidth used in both directions. */
  readonly bandwidthKbps: number
  readonly videoResolution: string | undefined
  readonly videoFramerate: number | undefined
  readonly audioBitrateKbps: number | undefined
  readonly videoBitrateKbps: number | undefined
  /** 0..100; 50 or more is acceptable (design.md). */
  readonly qualityScore: number
}

/** The counters that metrics are computed from, read out of one stats report. */
export interface StatsSample {
  readonly atMs: number
  readonly rttMs: number | undefined
  readonly bytesSent: number
  readonly bytesReceived: number
  readonly audioBytesReceived: number
  readonly videoBytesReceived: number
  readonly packetsReceived: number
  readonly packetsLost: number
  readonly jitterMs: number | undefined
  readonly frameWidth: number | undefined
  readonly frameHeight: number | undefined
  readonly framesPerSecond: number | undefined
}

/** Metrics before any stats have been sampled. */
export const emptyMetrics: ConnectionQualityMetrics = {
  latencyMs: 0,
  packetLossRate: 0,
  jitterMs: 0,
  bandwidthKbps: 0,
  videoResolution: undefined,
  videoFramerate: undefined,
  audioBitrateKbps: undefined,
  videoBitrateKbps: undefined,
  qualityScore: 100
}

/**
 * design.md: start at 100, subtract min((RTT−100)/10, 30), min(loss·1000, 40), min((jitter−30)/5, 20),
 * each only when positive.
 */
export const qualityScore = (rttMs: number, lossRate: number, jitterMs: number): number => {
  const penalty = (value: number, cap: number) => Math.min(Math.max(value, 0), cap)
  const score = 100 - penalty((rttMs - 100) / 10, 30) - penalty(lossRate * 1000, 40) - penalty((jitterMs - 30) / 5, 20)
  return Math.round(score * 10) / 10
}

/** Reads the counters out of a werift stats report. */
export const sampleStats = (report: RTCStatsReport, atMs: number): StatsSample => {
  let rttMs: number | undefined
  let bytesSent = 0
  let bytesReceived = 0
  let audioBytesReceived = 0
  let videoBytesReceived = 0
  let packetsReceived = 0
  let packetsLost = 0
  let jitterMs: number | undefined
  let frameWidth: number | undefined
  let frameHeight: number | undefined
  let framesPerSecond: number | undefined
  for (const stat of report.values() as Iterable<KnownStats>) {
    switch (stat.type) {
      case "candidate-pair": {
        if (stat.nominated === true && stat.currentRoundTripTime !== undefined) rttMs = stat.currentRoundTripTime * 1000
        break
      }
      case "remote-inbound-rtp": {
        if (stat.roundTripTime !== undefined) rttMs = stat.roundTripTime * 1000
        break
      }
      case "transport": {
        bytesSent += stat.bytesSent ?? 0
        bytesReceived += stat.bytesReceived ?? 0
        break
      }
      case "inbound-rtp": {
        const bytes = stat.bytesReceived ?? 0
        if (stat.kind === "video") {
          videoBytesReceived += bytes
          frameWidth = stat.frameWidth ?? frameWidth
          frameHeight = stat.frameHeight ?? frameHeight
          framesPerSecond = stat.framesPerSecond ?? framesPerSecond
        } else {
          audioBytesReceived += bytes
        }
        packetsReceived += stat.packetsReceived ?? 0
        packetsLost += Math.max(stat.packetsLost ?? 0, 0)
        if (stat.jitter !== undefined) jitterMs = Math.max(jitterMs ?? 0, stat.jitter * 1000)
        break
      }
    }
  }
  return {
    atMs, rttMs, bytesSent, bytesReceived, audioBytesReceived, videoBytesReceived, packetsReceived, packetsLost,
    jitterMs, frameWidth, frameHeight, framesPerSecond
  }
}

const kbps = (bytes: number, ms: number) => ms > 0 ? Math.max(bytes, 0) * 8 / ms : 0

/** Metrics over the interval between two samples (rates) and at `current` (levels). */
export const computeMetrics = (previous: StatsSample, current: StatsSample): ConnectionQualityMetrics => {
  const elapsedMs = current.atMs - previous.atMs
  const received = current.packetsReceived - previous.packetsReceived
  const lost = current.packetsLost - previous.packetsLost
  const packetLossRate = received + lost > 0 ? Math.max(lost, 0) / (received + lost) : 0
  const latencyMs = current.rttMs ?? 0
  const jitterMs = current.jitterMs ?? 0
  const audioKbps = kbps(current.audioBytesReceived - previous.audioBytesReceived, elapsedMs)
  const videoKbps = kbps(current.videoBytesReceived - previous.videoBytesReceived, elapsedMs)
  return {
    latencyMs,
    packetLossRate,
    jitterMs,
    bandwidthKbps: kbps(current.bytesSent - previous.bytesSent + current.bytesReceived - previous.bytesReceived, elapsedMs),
    videoResolution: current.frameWidth !== undefined && current.frameHeight !== undefined
      ? `${current.frameWidth}x${current.frameHeight}`
      : undefined,
    videoFramerate: current.framesPerSecond === undefined ? undefined : Math.round(current.framesPerSecond),
    audioBitrateKbps: current.audioBytesReceived > 0 ? Math.round(audioKbps) : undefined,
    videoBitrateKbps: current.videoBytesReceived > 0 ? Math.round(videoKbps) : undefined,
    qualityScore: qualityScore(latencyMs, packetLossRate, jitterMs)
  }
}
