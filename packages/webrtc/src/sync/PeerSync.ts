/**
 * The pure core of one peer's synchronisation: a jitter buffer per stream (SSRC), a clock mapping per
 * SSRC from its sender reports, the A/V aligner and the sync state. Time is an explicit input; the
 * `SyncManager` actor drives it from Effect's `Clock`.
 *
 * @since 0.1.0
 */
import { AvAligner } from "./AvAligner.ts"
import { ClockMapping, type SenderReport } from "./ClockMapping.ts"
import { type BufferStats, HARD_MAX_DELAY_MS, type JitterBufferConfig, JitterBuffer, type PushOutcome } from "./JitterBuffer.ts"
import { deriveSyncState, type SyncState } from "./SyncState.ts"

export type MediaKind = "audio" | "video"

/**
 * Longest a frame is held after its jitter buffer released it, to wait for a later stream: lip sync gives
 * way beyond this (a video stream seconds late must not stall audio for seconds, nor grow its queue).
 */
export const MAX_SYNC_HOLD_MS = HARD_MAX_DELAY_MS

/** A depacketized (or decoded) frame as it comes off the receive path. */
export interface IncomingFrame<A> {
  readonly ssrc: number
  readonly kind: MediaKind
  /** 16-bit sequence number of the frame's last RTP packet. */
  readonly seq: number
  /** 32-bit RTP timestamp of the frame. */
  readonly rtpTimestamp: number
  /** RTP packets the frame was carried in (default 1). */
  readonly packets?: number
  readonly payload: A
}

/** A frame released against the peer's playout clock. */
export interface SyncedFrame<A> {
  readonly ssrc: number
  readonly kind: MediaKind
  readonly payload: A
  readonly extendedSeq: number
  readonly rtpTimestamp: number
  /** The sender's wall clock at capture (Unix µs), when the stream has a sender-report mapping. */
  readonly senderWallUs: number | undefined
  /** Local time of release (ms, the driving clock). */
  readonly releaseMs: number
  /** The peer's sync state when the frame was released. */
  readonly syncState: SyncState
}

/** Statistics of one stream of a peer. */
export interface StreamSyncStats {
  readonly ssrc: number
  readonly kind: MediaKind
  readonly buffer: BufferStats
  readonly senderReports: number
  readonly driftPpm: number | undefined
}

/** Per-peer configuration (validated by `makeSyncManager`). */
export interface PeerSyncConfig {
  readonly jitterBuffer: Omit<Required<JitterBufferConfig>, "clockRate">
  readonly audioClockRate: number
  readonly videoClockRate: number
  /** Sender reports per stream before its mapping counts as stable. */
  readonly stableAfterReports: number
}

interface StreamState<A> {
  readonly ssrc: number
  readonly kind: MediaKind
  readonly buffer: JitterBuffer<A>
  readonly mapping: ClockMapping
  /** Frames out of the jitter buffer, waiting for their synchronised release time (in order). */
  readonly waiting: Array<{ readonly frame: SyncedFrame<A>; readonly senderWallMs: number; readonly readyMs: number }>
}

export class PeerSync<A> {
  readonly #config: PeerSyncConfig
  readonly #streams = new Map<number, StreamState<A>>()
  /** Reports of SSRCs whose media has not arrived yet (their clock rate is still unknown). */
  readonly #earlyReports = new Map<number, SenderReport>()
  readonly #aligner = new AvAligner()

  constructor(config: PeerSyncConfig) {
    this.#config = config
  }

  pushFrame(frame: IncomingFrame<A>, nowMs: number): PushOutcome {
    return this.#stream(frame.ssrc, frame.kind).buffer.push(frame, nowMs)
  }

  pushSenderReport(report: SenderReport): void {
    const stream = this.#streams.get(report.ssrc)
    if (stream === undefined) {
      this.#earlyReports.set(report.ssrc, report)
      return
    }
    if (stream.mapping.observe(report) === "reset") this.#aligner.reset(report.ssrc)
  }

  /** Every frame due at `nowMs`, in order per stream. */
  pop(nowMs: number): Array<SyncedFrame<A>> {
    const out: Array<SyncedFrame<A>> = []
    const state = this.state()
    for (const stream of this.#streams.values()) {
      for (let released = stream.buffer.pop(nowMs); released !== undefined; released = stream.buffer.pop(nowMs)) {
        const senderWallUs = stream.mapping.rtpToWallClock(released.frame.rtpTimestamp)
        const frame: SyncedFrame<A> = {
          ssrc: stream.ssrc,
          kind: stream.kind,
          payload: released.frame.payload,
          extendedSeq: released.extendedSeq,
          rtpTimestamp: released.frame.rtpTimestamp,
          senderWallUs,
          releaseMs: nowMs,
          syncState: state
        }
        if (senderWallUs === undefined) {
          out.push(frame)
        } else {
          // Ready time, not the actual pop time: a stalled event loop delays every stream alike and must
          // not move the A/V offset.
          this.#aligner.observe(stream.ssrc, senderWallUs / 1000, released.readyMs)
          stream.waiting.push({ frame, senderWallMs: senderWallUs / 1000, readyMs: released.readyMs })
        }
      }
    }
    for (const stream of this.#streams.values()) {
      while (stream.waiting.length > 0) {
        const head = stream.waiting[0]!
        if (this.#releaseAtMs(head) > nowMs) break
        stream.waiting.shift()
        out.push({ ...head.frame, releaseMs: nowMs, syncState: state })
      }
    }
    return out
  }

  /** The earliest time a frame becomes due, if any frame is held. */
  nextWakeMs(): number | undefined {
    let next: number | undefined
    const consider = (t: number | undefined) => {
      if (t !== undefined && (next === undefined || t < next)) next = t
    }
    for (const stream of this.#streams.values()) {
      consider(stream.buffer.nextReleaseMs())
      const head = stream.waiting[0]
      if (head !== undefined) consider(this.#releaseAtMs(head))
    }
    return next
  }

  state(): SyncState {
    const streams = [...this.#streams.values()].map((s) => ({ reports: s.mapping.reports() }))
    return deriveSyncState(streams, this.#config.stableAfterReports)
  }

  stats(): Array<StreamSyncStats> {
    return [...this.#streams.values()].map((s) => ({
      ssrc: s.ssrc,
      kind: s.kind,
      buffer: s.buffer.stats(),
      senderReports: s.mapping.reports(),
      driftPpm: s.mapping.drift.driftPpm()
    }))
  }

  /** Forget every stream (reconnect): the peer is Unsynced again. */
  reset(): void {
    this.#streams.clear()
    this.#earlyReports.clear()
    this.#aligner.reset()
  }

  /** When a held frame goes: at its synchronised time, but never more than {@link MAX_SYNC_HOLD_MS} after it was ready. */
  #releaseAtMs(held: { readonly senderWallMs: number; readonly readyMs: number }): number {
    const synchronised = this.#aligner.releaseAtMs(held.senderWallMs) ?? held.readyMs
    return Math.min(synchronised, held.readyMs + MAX_SYNC_HOLD_MS)
  }

  #stream(ssrc: number, kind: MediaKind): StreamState<A> {
    const existing = this.#streams.get(ssrc)
    if (existing !== undefined) return existing
    const clockRate = kind === "audio" ? this.#config.audioClockRate : this.#config.videoClockRate
    const stream: StreamState<A> = {
      ssrc,
      kind,
      buffer: new JitterBuffer<A>({ ...this.#config.jitterBuffer, clockRate }),
      mapping: new ClockMapping(clockRate),
      waiting: []
    }
    this.#streams.set(ssrc, stream)
    const early = this.#earlyReports.get(ssrc)
    if (early !== undefined) {
      this.#earlyReports.delete(ssrc)
      stream.mapping.observe(early)
    }
    return stream
  }
}
