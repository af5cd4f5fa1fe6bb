/**
 * Loss feedback for one of our senders from the RTCP receiver reports (RR, and the report blocks of SRs)
 * the remote sends. Like PLI, werift routes these to whatever owns the packet's sender SSRC first (our
 * receiver on a sendrecv transceiver), so both halves are watched and blocks are kept by media SSRC.
 *
 * @since 0.1.0
 */
import { Effect, Queue, Stream } from "effect"
import { type RtcpPacket, RtcpRrPacket, RtcpSrPacket } from "werift"
import type { KeyframeRequestSource } from "./rtp/KeyframeRequests.ts"

/** The loss fractions (0..1) the remote reports for `ssrc` in one RTCP packet. */
export const reportedLossOf = (packet: RtcpPacket, ssrc: number): ReadonlyArray<number> =>
  packet instanceof RtcpRrPacket || packet instanceof RtcpSrPacket
    ? packet.reports.filter((report) => report.ssrc === ssrc).map((report) => report.fractionLost / 256)
    : []

/** Loss fractions reported for `transceiver`'s sender, for as long as the stream runs. */
export const reportedLoss = (transceiver: KeyframeRequestSource): Stream.Stream<number> =>
  Stream.callback<number>((queue) =>
    Effect.acquireRelease(
      Effect.sync(() => {
        const onRtcp = (packet: RtcpPacket) => {
          for (const loss of reportedLossOf(packet, transceiver.sender.ssrc)) Queue.offerUnsafe(queue, loss)
        }
        return [transceiver.sender.onRtcp.subscribe(onRtcp), transceiver.receiver.onRtcp.subscribe(onRtcp)]
      }),
      (subscriptions) => Effect.sync(() => subscriptions.forEach((s) => s.unSubscribe()))
    ), { bufferSize: 8, strategy: "sliding" })
