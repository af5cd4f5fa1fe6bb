/**
 * werift's transport-wide congestion control feedback (RTCP RTPFB FMT 15), which a werift receiver sends for
 * every few packets: it must be whole 32-bit words. Unpatched werift left the body unpadded (a 33-byte
 * packet announcing 32), so the sender read the last byte as a next packet, threw, and dropped the feedback:
 * every one of them, one exception each on the sender's event loop.
 */
import { describe, expect, it } from "@effect/vitest"
import { RtcpHeader, RtcpPacketConverter, RtcpTransportLayerFeedback, TransportWideCC } from "werift"

// A feedback packet a werift receiver sent in a loopback audio call (its body is 29 bytes).
const captured = Buffer.from("8fcd000720b8152edcfbf54d0001000b47e19800200b00020a09080c0c130e0706", "hex")

describe("werift transport-wide CC feedback", () => {
  it("serializes to whole words that parse back to the same feedback", () => {
    const feedback = TransportWideCC.deSerialize(captured.subarray(4), RtcpHeader.deSerialize(captured.subarray(0, 4)))
    // Serializing rewrites werift's deltas in place (µs to 250 µs units): read them first.
    const deltasUs = feedback.recvDeltas.map((d) => d.delta)
    const wire = new RtcpTransportLayerFeedback({ feedback }).serialize()
    expect(wire.length % 4).toBe(0)
    expect(wire.length).toBe(4 * (wire.readUInt16BE(2) + 1))

    const parsed = RtcpPacketConverter.deSerialize(wire)
    expect(parsed).toHaveLength(1)
    const back = (parsed[0] as RtcpTransportLayerFeedback).feedback as TransportWideCC
    expect(back.baseSequenceNumber).toBe(feedback.baseSequenceNumber)
    expect(back.packetStatusCount).toBe(feedback.packetStatusCount)
    expect(back.referenceTime).toBe(feedback.referenceTime)
    expect(back.recvDeltas.map((d) => d.delta)).toEqual(deltasUs)
    expect(deltasUs).toHaveLength(11)
  })
})
