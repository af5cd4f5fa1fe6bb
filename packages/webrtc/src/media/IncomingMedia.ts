/**
 * What the transport's `incoming` stream carries: decoded media from one peer, released by that peer's
 * SyncManager (jitter buffer, sender-report clock mapping, A/V alignment).
 *
 * @since 0.1.0
 */
import type { Audio, Video } from "@remotemedia/runtime-core"
import type { SyncState } from "../sync/SyncState.ts"

/** One decoded audio or video frame received from a peer. */
export interface IncomingMedia {
  readonly peerId: string
  /** 48 kHz f32 audio (20 ms per frame) or an I420 video frame. */
  readonly data: Audio | Video
  /** The frame's RTP timestamp on the sender's track. */
  readonly rtpTimestamp: number
  /** The sender's wall clock at capture (Unix µs), once its sender reports map the stream. */
  readonly senderWallClockUs: number | undefined
  /** Local Unix ms at which the sync manager released the frame. */
  readonly releasedAtMs: number
  /** The peer's sync state when the frame was released. */
  readonly syncState: SyncState
  /**
   * Audio made up by Opus packet-loss concealment in place of packets that were lost or came too late
   * (gaps up to 120 ms; longer ones stay holes in the timestamps). Always false for video.
   */
  readonly concealed: boolean
}
