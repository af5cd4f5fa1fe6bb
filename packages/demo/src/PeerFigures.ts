/**
 * What the demo measures: one snapshot per connection (as the local peer sees it) and per peer, and the
 * per-peer row of the live view, aggregated over its connections.
 *
 * @since 0.1.0
 */
import type { PeerInfo, PeerSyncState } from "@remotemedia/webrtc"
import type { ReceivedMedia } from "./MediaReceipts.ts"

/** One connection seen from one side. */
export interface LinkFigures {
  readonly remote: string
  readonly state: string
  readonly rttMs: number
  /** 0..1 over the last sampling interval. */
  readonly lossRate: number
  readonly jitterMs: number
  readonly audioKbps: number
  readonly videoKbps: number
  /** `WIDTHxHEIGHT` of the video received, once known. */
  readonly resolution: string | undefined
  readonly fps: number | undefined
  readonly syncState: PeerSyncState
  /** How long the last frame received waited in the jitter buffers (ms); undefined until media arrives. */
  readonly jitterBufferMs: number | undefined
}

/** Chat lines one peer exchanged with the others. */
export interface ChatFigures {
  readonly sent: number
  readonly received: number
  /** Lines that arrived out of order or altered (each line names its sender and sequence number). */
  readonly corrupted: number
}

/** Everything the demo knows about one peer at one moment. */
export interface PeerFigures {
  readonly peerId: string
  /** Connections the mesh should give this peer. */
  readonly expectedLinks: number
  readonly links: ReadonlyArray<LinkFigures>
  readonly chat: ChatFigures
  /** Decoded media, per sender. */
  readonly media: ReadonlyArray<ReceivedMedia>
}

/** The figures of one connection, from a `listPeers` entry. */
export const linkFigures = (info: PeerInfo): LinkFigures => ({
  remote: info.peerId,
  state: info.connectionState,
  rttMs: info.metrics.latencyMs,
  lossRate: info.metrics.packetLossRate,
  jitterMs: info.metrics.jitterMs,
  audioKbps: info.metrics.audioBitrateKbps ?? 0,
  videoKbps: info.metrics.videoBitrateKbps ?? 0,
  resolution: info.metrics.videoResolution,
  fps: info.metrics.videoFramerate,
  syncState: info.syncState,
  jitterBufferMs: info.jitterBuffer?.currentDelayMs
})

/** One row of the live view and of the summary: a peer's connections, aggregated. */
export interface PeerRow {
  readonly peerId: string
  /** `connected/expected`. */
  readonly links: string
  /** Mean over connections. */
  readonly rttMs: number
  /** Worst connection, in percent. */
  readonly lossPercent: number
  /** Worst connection. */
  readonly jitterMs: number
  /** Jitter-buffer delay, the longest of the connections (ms); undefined until media arrives. */
  readonly jitterBufferMs: number | undefined
  /** Summed over connections (what this peer receives). */
  readonly audioKbps: number
  readonly videoKbps: number
  /** Received video, e.g. `1280x720@30`, or `–`. */
  readonly video: string
  /** The least synchronised connection. */
  readonly sync: PeerSyncState | "–"
  /** Decoded frames received, all senders: `audio/video`. */
  readonly frames: string
  readonly chat: string
}

const syncRank: Record<PeerSyncState, number> = { Unsynced: 0, Syncing: 1, Synced: 2 }

/** Aggregates a peer's connections into its row. */
export const peerRow = (figures: PeerFigures): PeerRow => {
  const { links } = figures
  const connected = links.filter((link) => link.state === "Connected")
  const sum = (pick: (link: LinkFigures) => number) => links.reduce((total, link) => total + pick(link), 0)
  const max = (pick: (link: LinkFigures) => number) => links.reduce((worst, link) => Math.max(worst, pick(link)), 0)
  const buffered = links.flatMap((link) => link.jitterBufferMs ?? [])
  const sized = links.find((link) => link.resolution !== undefined)
  const leastSynced = links.reduce<PeerSyncState | "–">(
    (least, link) => least === "–" || syncRank[link.syncState] < syncRank[least] ? link.syncState : least,
    "–"
  )
  return {
    peerId: figures.peerId,
    links: `${connected.length}/${figures.expectedLinks}`,
    rttMs: links.length === 0 ? 0 : sum((link) => link.rttMs) / links.length,
    lossPercent: 100 * max((link) => link.lossRate),
    jitterMs: max((link) => link.jitterMs),
    jitterBufferMs: buffered.length === 0 ? undefined : Math.max(...buffered),
    audioKbps: sum((link) => link.audioKbps),
    videoKbps: sum((link) => link.videoKbps),
    video: sized === undefined ? "–" : `${sized.resolution}@${Math.round(sized.fps ?? 0)}`,
    sync: leastSynced,
    frames: `${figures.media.reduce((n, m) => n + m.audioFrames, 0)}/${figures.media.reduce((n, m) => n + m.videoFrames, 0)}`,
    chat: `${figures.chat.received} in / ${figures.chat.sent} out`
  }
}
