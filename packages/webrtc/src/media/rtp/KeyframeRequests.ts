/**
 * Picture-loss signalling in werift, both directions. A receiver asks for a keyframe with an RTCP PLI
 * (`RTCRtpReceiver.sendRtcpPLI(mediaSsrc)`); a sender learns of PLI and FIR from the RTCP it receives
 * (`RTCRtpSender.onRtcp`: werift itself only surfaces PLI, as `onPictureLossIndication`, so FIR from
 * browsers would be missed without looking at the raw feedback).
 *
 * @since 0.1.0
 */
import { Clock, Effect, Queue, Stream } from "effect"
import { PictureLossIndication, RtcpPayloadSpecificFeedback, type RTCRtpReceiver, type RTCRtpSender, type RtcpPacket } from "werift"

/** RFC 5104 §4.3.1: Full Intra Request is payload-specific feedback with FMT 4 (werift does not export it). */
const FIR_FMT = 4

/** Why a sender should produce a keyframe. */
export type KeyframeRequest = "pli" | "fir"

/** The keyframe request an RTCP packet carries, if any. */
export const keyframeRequestOf = (packet: RtcpPacket): KeyframeRequest | undefined => {
  if (packet.type !== RtcpPayloadSpecificFeedback.type) return undefined
  const count = (packet as RtcpPayloadSpecificFeedback).feedback.count
  return count === PictureLossIndication.count ? "pli" : count === FIR_FMT ? "fir" : undefined
}

/** The keyframe requests arriving at `sender`, for as long as the stream runs. */
export const keyframeRequests = (sender: RTCRtpSender): Stream.Stream<KeyframeRequest> =>
  Stream.callback<KeyframeRequest>((queue) =>
    Effect.acquireRelease(
      Effect.sync(() =>
        sender.onRtcp.subscribe((packet) => {
          const request = keyframeRequestOf(packet)
          if (request !== undefined) Queue.offerUnsafe(queue, request)
        })
      ),
      (subscription) => Effect.sync(() => subscription.unSubscribe())
    ), { bufferSize: 8, strategy: "sliding" })

/**
 * A PLI sender for one receiver that sends at most one request per `minIntervalMs` (250 ms by default):
 * a burst of losses would otherwise ask for a keyframe per lost frame. Succeeds with whether it sent.
 */
export const makeKeyframeRequester = (receiver: RTCRtpReceiver, minIntervalMs = 250) => {
  let lastSentMs = -Infinity
  return (mediaSsrc: number): Effect.Effect<boolean> =>
    Effect.gen(function*() {
      const now = yield* Clock.currentTimeMillis
      if (now - lastSentMs < minIntervalMs) return false
      lastSentMs = now
      yield* Effect.promise(() => receiver.sendRtcpPLI(mediaSsrc))
      return true
    })
}
