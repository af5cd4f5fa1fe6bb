/**
 * The sending half of one peer's track (audio or video): takes packetized frames from any
 * {@link MediaSource}, rewrites them onto the track's one continuous RTP timeline, and writes them to
 * werift's `RTCRtpSender` — audio at once, video paced (field notes, pitfall 7) by a fiber behind a
 * small bounded queue whose overflow is `SendBufferFull`.
 *
 * Ownership of the track: the most recent source wins. When frames of another source arrive (a broadcast
 * after `sendToPeer`, or back), the track continues its sequence numbers and steps its timestamps by one
 * frame, and the new source is asked for a keyframe so the receiver's decoder can follow at once.
 *
 * @since 0.1.0
 */
import { Effect, Queue } from "effect"
import type { RTCRtpSender, RtpPacket } from "werift"
import { SendBufferFull } from "../errors.ts"
import type { EncodedBatch, MediaSource } from "./MediaSource.ts"
import { planPacing, sendPaced } from "./rtp/PacketPacer.ts"

/** Video frames that may wait for the pacer before sends fail with `SendBufferFull` (~0.25 s at 30 fps). */
const maxQueuedVideoFrames = 8

/** The track's sending half. */
export interface TrackSender {
  /** Queues (video) or sends (audio) a batch of `source`'s frames on this track. */
  readonly write: (source: MediaSource<never>, batch: EncodedBatch) => Effect.Effect<void, SendBufferFull>
  /** The source whose frames the track carries now. */
  readonly owner: () => MediaSource<never> | undefined
  /** The RTP timestamp of media captured at `unixMs`, once a frame went out. */
  readonly rtpTimestampAt: (unixMs: number) => number
  readonly started: () => boolean
  /** Packets and payload octets written so far (for sender reports). */
  readonly counts: () => { readonly packets: number; readonly octets: number }
}

/** Options of {@link makeTrackSender}. */
export interface TrackSenderOptions {
  readonly peerId: string
  readonly sender: RTCRtpSender
  readonly kind: "audio" | "video"
  readonly clockRate: number
  /** Pacing budget per video frame, e.g. half the frame interval. */
  readonly pacingBudgetMs: number
}

const randomUint16 = () => crypto.getRandomValues(new Uint16Array(1))[0]!

/** Creates a track sender; its pacer fiber (video) stops with the scope. */
export const makeTrackSender = Effect.fn("TrackSender.make")(function*(options: TrackSenderOptions) {
  const { sender, kind, peerId, clockRate } = options
  let owner: MediaSource<never> | undefined
  let sequence = randomUint16()
  /** Added to the owner's timestamps; re-chosen on every source switch. */
  let timestampOffset = 0
  let lastTimestamp: number | undefined
  let anchor: { readonly timestamp: number; readonly unixMs: number } | undefined
  let packets = 0
  let octets = 0

  const adopt = (source: MediaSource<never>, first: RtpPacket) => {
    if (owner === source) return
    if (owner !== undefined && lastTimestamp !== undefined) {
      timestampOffset = (lastTimestamp + source.frameTicks - first.header.timestamp) >>> 0
      source.requestKeyframe()
    }
    owner = source
  }

  /** Writes one frame now; the packets are shared between peers, so each is cloned before its rewrite. */
  const writeFrame = (packet: RtpPacket) => {
    const out = packet.clone()
    out.header.sequenceNumber = sequence
    sequence = (sequence + 1) & 0xffff
    out.header.timestamp = (packet.header.timestamp + timestampOffset) >>> 0
    lastTimestamp = out.header.timestamp
    packets++
    octets += out.payload.length
    sender.sendRtp(out).catch(() => undefined)
  }

  /** The batch's first frame was captured at `unixMs`: that pins the track's media clock for sender reports. */
  const anchorAt = (unixMs: number, first: RtpPacket) => {
    anchor = { timestamp: (first.header.timestamp + timestampOffset) >>> 0, unixMs }
  }

  const sendBatch = (source: MediaSource<never>, batch: EncodedBatch) => {
    const first = batch.frames[0]?.packets[0]
    if (first === undefined) return
    adopt(source, first)
    anchorAt(batch.captureMs, first)
    for (const frame of batch.frames) for (const packet of frame.packets) writeFrame(packet)
  }

  let write: TrackSender["write"]
  if (kind === "audio") {
    write = (source, batch) => Effect.sync(() => sendBatch(source, batch))
  } else {
    const queue = yield* Queue.dropping<{ readonly source: MediaSource<never>; readonly batch: EncodedBatch }>(maxQueuedVideoFrames)
    const pace = Effect.gen(function*() {
      const { source, batch } = yield* Queue.take(queue)
      const first = batch.frames[0]?.packets[0]
      if (first === undefined) return
      adopt(source, first)
      anchorAt(batch.captureMs, first)
      for (const frame of batch.frames) {
        const plan = planPacing(frame.packets.map((p) => p.payload.length), { budgetMs: options.pacingBudgetMs })
        yield* sendPaced(frame.packets, plan, writeFrame)
      }
    })
    yield* Effect.forkScoped(Effect.forever(pace))
    write = (source, batch) =>
      Queue.offer(queue, { source, batch }).pipe(
        Effect.flatMap((queued) =>
          queued
            ? Effect.void
            : Effect.suspend(() => {
              // The dropped frame was encoded: later deltas reference it, so the next frame must be a keyframe.
              source.requestKeyframe()
              return Effect.fail(new SendBufferFull({ peerId, message: `${maxQueuedVideoFrames} video frames already wait to be sent to ${peerId}` }))
            })
        )
      )
  }

  const trackSender: TrackSender = {
    write,
    owner: () => owner,
    rtpTimestampAt: (unixMs) =>
      anchor === undefined ? 0 : (anchor.timestamp + Math.round(((unixMs - anchor.unixMs) * clockRate) / 1000)) >>> 0,
    started: () => anchor !== undefined,
    counts: () => ({ packets, octets })
  }
  return trackSender
})
