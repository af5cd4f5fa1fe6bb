/**
 * Picture-loss signalling in werift, both directions. A receiver asks for a keyframe with an RTCP PLI
 * (`RTCRtpReceiver.sendRtcpPLI(mediaSsrc)`); a sender learns of PLI and FIR from the RTCP its transceiver
 * receives.
 *
 * Two werift 0.25.2 gaps shape the sender side. It surfaces only PLI (`onPictureLossIndication`), not FIR.
 * And its RTCP router delivers payload-specific feedback to whatever owns the packet's *sender* SSRC before
 * trying the *media* SSRC: on a sendrecv transceiver that is the local receiver, so the sender never hears
 * the PLI. {@link keyframeRequests} therefore watches both halves of the transceiver and keeps the requests
 * that name this sender's SSRC as media source.
 *
 * @since 0.1.0
 */
import { Clock, Effect, Queue, Stream } from "effect"
import { PictureLossIndication, RtcpPayloadSpecificFeedback, type RTCRtpReceiver, type RTCRtpSender, type RtcpPacket } from "werift"

/** RFC 5104 §4.3.1: Full Intra Request is payload-specific feedback with FMT 4 (werift does not export it). */
const FIR_FMT = 4

/** Why a sender should produce a keyframe. */
export type KeyframeRequest = "pli" | "fir"

/** The keyframe request for media source `ssrc` that an RTCP packet carries, if any. */
export const keyframeRequestOf = (packet: RtcpPacket, ssrc: number): KeyframeRequest | undefined => {
  if (packet.type !== RtcpPayloadSpecificFeedback.type) return undefined
  // werift leaves `feedback` undefined for an FMT it does not know (a hostile or newer peer).
  const feedback = (packet as Partial<RtcpPayloadSpecificFeedback>).feedback
  if (feedback === undefined) return undefined
  if (feedback.count === PictureLossIndication.count) return feedback.mediaSsrc === ssrc ? "pli" : undefined
  if (feedback.count === FIR_FMT && "fir" in feedback) return feedback.fir.some((entry) => entry.ssrc === ssrc) ? "fir" : undefined
  return undefined
}

/** The halves of a transceiver whose RTCP may carry keyframe requests for its sender. */
export interface KeyframeRequestSource {
  readonly sender: RTCRtpSender
  readonly receiver: RTCRtpReceiver
}

/** The keyframe requests for `transceiver`'s sender, for as long as the stream runs. */
export const keyframeRequests = (transceiver: KeyframeRequestSource): Stream.Stream<KeyframeRequest> =>
  Stream.callback<KeyframeRequest>((queue) =>
    Effect.acquireRelease(
      Effect.sync(() => {
        const onRtcp = (packet: RtcpPacket) => {
          const request = keyframeRequestOf(packet, transceiver.sender.ssrc)
          if (request !== undefined) Queue.offerUnsafe(queue, request)
        }
        return [transceiver.sender.onRtcp.subscribe(onRtcp), transceiver.receiver.onRtcp.subscribe(onRtcp)]
      }),
      (subscriptions) => Effect.sync(() => subscriptions.forEach((s) => s.unSubscribe()))
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
