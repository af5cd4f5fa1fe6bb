/**
 * Connection quality of one peer, derived from werift stats snapshots (RTCP receiver reports, ICE consent
 * round trips, packet and byte counters): the pure computation, and the {@link MetricsSampler} that keeps a
 * short history of snapshots so that rates cover a few seconds while levels and counters are read on demand.
 *
 * @since 0.1.0
 */
import { Clock, Duration, Effect, Schedule } from "effect"
import type {
  RTCIceCandidatePairStats,
  RTCInboundRtpStreamStats,
  RTCOutboundRtpStreamStats,
  RTCRemoteInboundRtpStreamStats,
  RTCStats,
  RTCStatsReport,
  RTCTransportStats
} from "werift"

/** The stats kinds we read; werift's report is typed with the base `RTCStats` only. */
type KnownStats =
  | RTCIceCandidatePairStats
  | RTCInboundRtpStreamStats
  | RTCOutboundRtpStreamStats
  | RTCRemoteInboundRtpStreamStats
  | RTCTransportStats
  | (RTCStats & { readonly type: "codec" | "remote-outbound-rtp" | "media-source" | "media-playout" | "peer-connection" | "data-channel" | "local-candidate" | "remote-candidate" | "certificate" })

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
  /** RTP packets sent to the peer since the connection was made, audio and video. */
  readonly packetsSent: number
  /** RTP packets received from the peer since the connection was made, audio and video. */
  readonly packetsReceived: number
  /** RTP packets from the peer that never arrived (RFC 3550's cumulative count: expected − received). */
  readonly packetsLost: number
  /** Of the packets sent to the peer, those it reports lost in its RTCP receiver reports. */
  readonly remotePacketsLost: number
  /** Media bytes sent to the peer (SRTP and SRTCP as on the wire; werift does not count data-channel bytes here). */
  readonly bytesSent: number
  /** Media bytes received from the peer (SRTP and SRTCP as on the wire). */
  readonly bytesReceived: number
  /** When these figures were read; `undefined` until the first read after connecting (nothing measured yet). */
  readonly measuredAt: Date | undefined
}

/** The counters that metrics are computed from, read out of one stats report. */
export interface StatsSample {
  readonly atMs: number
  readonly rttMs: number | undefined
  readonly bytesSent: number
  readonly bytesReceived: number
  readonly audioBytesReceived: number
  readonly videoBytesReceived: number
  readonly packetsSent: number
  readonly packetsReceived: number
  readonly packetsLost: number
  readonly remotePacketsLost: number
  readonly jitterMs: number | undefined
  readonly frameWidth: number | undefined
  readonly frameHeight: number | undefined
  readonly framesPerSecond: number | undefined
}

/** Metrics before any stats have been read: nothing measured yet (`measuredAt` is undefined). */
export const emptyMetrics: ConnectionQualityMetrics = {
  latencyMs: 0,
  packetLossRate: 0,
  jitterMs: 0,
  bandwidthKbps: 0,
  videoResolution: undefined,
  videoFramerate: undefined,
  audioBitrateKbps: undefined,
  videoBitrateKbps: undefined,
  qualityScore: 100,
  packetsSent: 0,
  packetsReceived: 0,
  packetsLost: 0,
  remotePacketsLost: 0,
  bytesSent: 0,
  bytesReceived: 0,
  measuredAt: undefined
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
  let packetsSent = 0
  let packetsReceived = 0
  let packetsLost = 0
  let remotePacketsLost = 0
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
        remotePacketsLost += Math.max(stat.packetsLost ?? 0, 0)
        break
      }
      case "outbound-rtp": {
        packetsSent += stat.packetsSent ?? 0
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
    atMs, rttMs, bytesSent, bytesReceived, audioBytesReceived, videoBytesReceived, packetsSent, packetsReceived, packetsLost,
    remotePacketsLost, jitterMs, frameWidth, frameHeight, framesPerSecond
  }
}

const kbps = (bytes: number, ms: number) => Math.max(bytes, 0) * 8 / ms

/**
 * Metrics at `current`: levels (RTT, jitter, resolution, frame rate) and counters as they are at `current`,
 * rates (loss, bandwidth, bitrates) over the interval since `previous`. An empty interval (the first read)
 * has no rates: loss 0, bandwidth 0, bitrates undefined.
 */
export const computeMetrics = (previous: StatsSample, current: StatsSample): ConnectionQualityMetrics => {
  const elapsedMs = current.atMs - previous.atMs
  const received = current.packetsReceived - previous.packetsReceived
  const lost = current.packetsLost - previous.packetsLost
  const packetLossRate = received + lost > 0 ? Math.min(Math.max(lost, 0) / (received + Math.max(lost, 0)), 1) : 0
  const latencyMs = current.rttMs ?? 0
  const jitterMs = current.jitterMs ?? 0
  const bitrate = (bytes: (sample: StatsSample) => number) =>
    elapsedMs > 0 && bytes(current) > 0 ? Math.round(kbps(bytes(current) - bytes(previous), elapsedMs)) : undefined
  return {
    latencyMs,
    packetLossRate,
    jitterMs,
    bandwidthKbps: elapsedMs > 0
      ? kbps(current.bytesSent - previous.bytesSent + current.bytesReceived - previous.bytesReceived, elapsedMs)
      : 0,
    videoResolution: current.frameWidth !== undefined && current.frameHeight !== undefined
      ? `${current.frameWidth}x${current.frameHeight}`
      : undefined,
    videoFramerate: current.framesPerSecond === undefined ? undefined : Math.round(current.framesPerSecond),
    audioBitrateKbps: bitrate((sample) => sample.audioBytesReceived),
    videoBitrateKbps: bitrate((sample) => sample.videoBytesReceived),
    qualityScore: qualityScore(latencyMs, packetLossRate, jitterMs),
    packetsSent: current.packetsSent,
    packetsReceived: current.packetsReceived,
    packetsLost: current.packetsLost,
    remotePacketsLost: current.remotePacketsLost,
    bytesSent: current.bytesSent,
    bytesReceived: current.bytesReceived,
    measuredAt: new Date(current.atMs)
  }
}

/**
 * Samples of one connection over the last `windowMs`: rates are computed from the oldest kept sample, so they
 * always span at least `windowMs` once the connection is that old (less right after connecting).
 */
export class StatsHistory {
  readonly #windowMs: number
  readonly #samples: Array<StatsSample> = []

  constructor(windowMs: number) {
    this.#windowMs = windowMs
  }

  /** Keeps `sample`; forgets samples that a newer one already replaces as the window's start. */
  record(sample: StatsSample): void {
    this.#samples.push(sample)
    while (this.#samples.length > 2 && sample.atMs - this.#samples[1]!.atMs >= this.#windowMs) this.#samples.shift()
  }

  /** Metrics at `current` (a sample read now, or the last one kept); `emptyMetrics` before any sample. */
  metricsAt(current: StatsSample | undefined = this.#samples.at(-1)): ConnectionQualityMetrics {
    if (current === undefined) return emptyMetrics
    return computeMetrics(this.#samples[0] ?? current, current)
  }
}

/** Where stats come from: a werift `RTCPeerConnection` (or a stand-in in tests). */
export interface StatsSource {
  readonly getStats: () => Promise<RTCStatsReport>
}

/**
 * One stats read, bounded by `timeoutMs`: a read that rejects, throws or takes longer yields `undefined`, and
 * the caller keeps the figures it has.
 */
export const readSample = (source: StatsSource, timeoutMs: number): Effect.Effect<StatsSample | undefined> =>
  Effect.tryPromise(() => source.getStats()).pipe(
    Effect.timeout(timeoutMs),
    Effect.flatMap((report) => Effect.map(Clock.currentTimeMillis, (now) => sampleStats(report, now))),
    Effect.catchCause(() => Effect.succeed(undefined))
  )

/** Options of {@link makeMetricsSampler}. */
export interface MetricsSamplerOptions {
  /** How often the background loop samples. */
  readonly intervalMs: number
  /** How far back rates look (the contract's RTCP interval, 1–5 s). */
  readonly windowMs: number
  /** Longest one stats read may take before the last figures are used instead. */
  readonly readTimeoutMs: number
}

/** A connection's metrics: sampled in the background and readable on demand. */
export interface MetricsSampler {
  /** Samples at once, then every `intervalMs`, until interrupted (run it from Connected on). */
  readonly run: Effect.Effect<never>
  /** The figures of the last background sample; never waits. */
  readonly latest: Effect.Effect<ConnectionQualityMetrics>
  /**
   * Figures read now (levels and counters as of this call, rates over the window); the last sample's figures
   * when the read fails or takes longer than `readTimeoutMs` — stale figures rather than none.
   */
  readonly current: Effect.Effect<ConnectionQualityMetrics>
}

/** The sampler of `source`'s metrics. */
export const makeMetricsSampler = (source: StatsSource, options: MetricsSamplerOptions): MetricsSampler => {
  const history = new StatsHistory(options.windowMs)
  const read = readSample(source, options.readTimeoutMs)
  return {
    run: read.pipe(
      Effect.tap((sample) => Effect.sync(() => sample === undefined || history.record(sample))),
      Effect.repeat(Schedule.spaced(Duration.millis(options.intervalMs))),
      Effect.andThen(Effect.never)
    ),
    latest: Effect.sync(() => history.metricsAt()),
    current: Effect.map(read, (sample) => history.metricsAt(sample))
  }
}
