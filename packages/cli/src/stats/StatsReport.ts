/**
 * The figures `remotemedia-peer` reports: once a second (`--json` prints each as one line) and once at the
 * end (the summary). Field names are part of the CLI's interface, documented in the README: add fields,
 * never rename them.
 *
 * @since 0.1.0
 */
import type { PeerInfo } from "@remotemedia/webrtc"
import type { PeerLinkState, PeerTally } from "./PeerTally.ts"

/** One remote peer's figures. Metrics are `null` while (or once) the peer is not connected. */
export interface PeerReport {
  readonly peerId: string
  readonly state: PeerLinkState
  /** Why the link ended (`Disconnected`, `Failed`, `Left`), else null. */
  readonly reason: string | null
  readonly connectedForS: number
  readonly rttMs: number | null
  /** Fraction of packets lost, 0..1. */
  readonly packetLoss: number | null
  readonly jitterMs: number | null
  readonly bandwidthKbps: number | null
  readonly qualityScore: number | null
  /** `Unsynced`, `Syncing` or `Synced`. */
  readonly sync: string | null
  /**
   * RTP packets since connecting: sent to the peer, received from it, lost on the way here, and lost on the
   * way there (as the peer's receiver reports say).
   */
  readonly packets: { readonly sent: number; readonly received: number; readonly lost: number; readonly remoteLost: number } | null
  /**
   * The jitter buffers the peer's media waits in: delay of the last frame released and the average (ms), frames
   * that came too late and frames dropped (late, duplicate or overflow). Null until media arrives.
   */
  readonly jitterBuffer: { readonly delayMs: number; readonly averageDelayMs: number; readonly late: number; readonly dropped: number } | null
  readonly data: { readonly sent: number; readonly received: number; readonly bytesReceived: number }
  /** Decoded 20 ms audio frames, and the dominant frequency of the last second (null when silent). */
  readonly audio: { readonly frames: number; readonly dominantHz: number | null }
  /** Decoded video frames, and the last frame's size (null before the first). */
  readonly video: { readonly frames: number; readonly width: number | null; readonly height: number | null }
}

/** The report of one instant. */
export interface StatsReport {
  readonly type: "stats"
  readonly time: string
  /** This peer's id. */
  readonly id: string
  readonly elapsedS: number
  readonly peers: ReadonlyArray<PeerReport>
}

/** The last object of a run: the final figures, the exit code and why. */
export interface SummaryReport extends Omit<StatsReport, "type"> {
  readonly type: "summary"
  readonly exitCode: number
  /** The one-line error message, or null on a clean run. */
  readonly error: string | null
}

const round = (value: number, digits: number) => {
  const scale = 10 ** digits
  return Math.round(value * scale) / scale
}

const nullableRound = (value: number | null, digits: number) => (value === null ? null : round(value, digits))

/**
 * A peer's figures: counters from its tally, quality from the transport while it is connected and measured
 * (null before the transport's first stats read, never a made-up 0).
 */
export const peerReport = (tally: PeerTally, info: PeerInfo | undefined, nowMs: number): PeerReport => {
  const metrics = info?.metrics.measuredAt === undefined ? undefined : info.metrics
  const buffer = info?.jitterBuffer
  return {
    peerId: tally.peerId,
    state: tally.state,
    reason: tally.reason ?? null,
    connectedForS: round((nowMs - tally.connectedAtMs) / 1000, 1),
    rttMs: metrics === undefined ? null : round(metrics.latencyMs, 1),
    packetLoss: metrics === undefined ? null : round(metrics.packetLossRate, 4),
    jitterMs: metrics === undefined ? null : round(metrics.jitterMs, 1),
    bandwidthKbps: metrics === undefined ? null : round(metrics.bandwidthKbps, 1),
    qualityScore: metrics === undefined ? null : round(metrics.qualityScore, 0),
    sync: info?.syncState ?? null,
    packets: metrics === undefined
      ? null
      : { sent: metrics.packetsSent, received: metrics.packetsReceived, lost: metrics.packetsLost, remoteLost: metrics.remotePacketsLost },
    jitterBuffer: buffer === undefined
      ? null
      : { delayMs: round(buffer.currentDelayMs, 1), averageDelayMs: round(buffer.averageDelayMs, 1), late: buffer.late, dropped: buffer.dropped },
    data: { sent: tally.dataSent, received: tally.dataReceived, bytesReceived: tally.dataBytesReceived },
    audio: { frames: tally.audioFrames, dominantHz: nullableRound(tally.audioMeter.dominantHz(), 1) },
    video: { frames: tally.videoFrames, width: tally.videoWidth ?? null, height: tally.videoHeight ?? null }
  }
}

/** The report of every peer seen so far. */
export const statsReport = (
  id: string,
  startedAtMs: number,
  nowMs: number,
  tallies: ReadonlyArray<PeerTally>,
  connected: ReadonlyArray<PeerInfo>
): StatsReport => {
  const infoById = new Map(connected.map((info) => [info.peerId, info]))
  return {
    type: "stats",
    time: new Date(nowMs).toISOString(),
    id,
    elapsedS: round((nowMs - startedAtMs) / 1000, 1),
    peers: tallies.map((tally) => peerReport(tally, tally.state === "Connected" ? infoById.get(tally.peerId) : undefined, nowMs))
  }
}
