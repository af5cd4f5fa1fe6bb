/**
 * The receiver's estimate of the bitrate its path can take, from RTCP REMB (payload-specific feedback,
 * FMT 15, draft-alvestrand-rmcat-remb): a sender-side cap next to what receiver reports say about loss and
 * round trips. werift parses REMB and routes it to whichever of our senders the packet names first (its
 * `ssrcFeedbacks[0]`), so both senders of a peer are watched.
 *
 * @since 0.1.0
 */
import { Effect, Queue, Stream } from "effect"
import { ReceiverEstimatedMaxBitrate, type RTCRtpSender, type RtcpPacket, RtcpPayloadSpecificFeedback } from "werift"

/** One REMB: the estimate for the media streams it lists. */
export interface RembEstimate {
  readonly bitrateBps: number
  /** The SSRCs whose sum the estimate caps. */
  readonly ssrcs: ReadonlyArray<number>
}

/** The REMB an RTCP packet carries, if any. */
export const rembOf = (packet: RtcpPacket): RembEstimate | undefined => {
  if (packet.type !== RtcpPayloadSpecificFeedback.type) return undefined
  const feedback = (packet as RtcpPayloadSpecificFeedback).feedback
  if (!(feedback instanceof ReceiverEstimatedMaxBitrate)) return undefined
  return { bitrateBps: Number(feedback.bitrate), ssrcs: feedback.ssrcFeedbacks }
}

/** The REMB estimates the remote sends about any of `senders`, for as long as the stream runs. */
export const rembEstimates = (senders: ReadonlyArray<RTCRtpSender>): Stream.Stream<RembEstimate> =>
  Stream.callback<RembEstimate>((queue) =>
    Effect.acquireRelease(
      Effect.sync(() =>
        senders.map((sender) =>
          sender.onRtcp.subscribe((packet) => {
            const estimate = rembOf(packet)
            if (estimate !== undefined) Queue.offerUnsafe(queue, estimate)
          })
        )
      ),
      (subscriptions) => Effect.sync(() => subscriptions.forEach((s) => s.unSubscribe()))
    ), { bufferSize: 8, strategy: "sliding" })

/**
 * What `estimate` leaves for the video stream `videoSsrc`: the whole estimate, less the audio bitrate when
 * it covers the audio stream too; `undefined` when it does not cover the video stream.
 */
export const videoShareOf = (estimate: RembEstimate, videoSsrc: number, audio: { readonly ssrc: number; readonly bitrateBps: number }): number | undefined => {
  if (!estimate.ssrcs.includes(videoSsrc)) return undefined
  return estimate.ssrcs.includes(audio.ssrc) ? Math.max(0, estimate.bitrateBps - audio.bitrateBps) : estimate.bitrateBps
}
