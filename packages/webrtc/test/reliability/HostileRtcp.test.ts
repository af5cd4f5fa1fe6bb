/**
 * RTCP from a hostile peer, as werift parses it, through every consumer of ours: keyframe requests (PLI /
 * FIR), loss from receiver reports, and the clock mapping of sender reports. Whatever the bytes, each must
 * answer (a request, a loss fraction in [0, 1), a finite time) or ignore the packet — never throw, since
 * these run inside werift's RTCP callbacks.
 */
import { describe, expect, it } from "@effect/vitest"
import * as fc from "fast-check"
import { type RtcpPacket, RtcpPacketConverter, RtcpPayloadSpecificFeedback, RtcpSrPacket } from "werift"
import { keyframeRequestOf } from "../../src/media/rtp/KeyframeRequests.ts"
import { reportedLossOf } from "../../src/media/ReceiverReports.ts"
import { ntpToUnixUs } from "../../src/sync/NtpTime.ts"

/** One RTCP packet: version 2, a count, a type in SR … PSFB (or any byte), a length that may lie, a body. */
const rtcpPacket = fc.record({
  count: fc.nat({ max: 31 }),
  type: fc.oneof(fc.integer({ min: 200, max: 206 }), fc.nat({ max: 255 })),
  body: fc.uint8Array({ maxLength: 96 }).map((body) => body.subarray(0, body.length - (body.length % 4))),
  lengthLies: fc.boolean()
}).map(({ count, type, body, lengthLies }) => {
  const header = Uint8Array.of(0x80 | count, type, 0, 0)
  new DataView(header.buffer).setUint16(2, lengthLies ? (body.length / 4) ^ 0x7 : body.length / 4)
  return Buffer.concat([header, body])
})
/** A compound packet of 1–4 of them. */
const compound = fc.array(rtcpPacket, { minLength: 1, maxLength: 4 }).map((packets) => Buffer.concat(packets))
const ssrc = fc.oneof(fc.constant(0), fc.nat({ max: 0xffff_ffff }))

/** What werift would hand our callbacks for these bytes (it drops what it cannot parse). */
const parsed = (bytes: Buffer): ReadonlyArray<RtcpPacket> => {
  try {
    return RtcpPacketConverter.deSerialize(bytes)
  } catch {
    return []
  }
}

describe("hostile RTCP through our consumers", () => {
  it("a payload-specific feedback with an FMT werift does not know is no keyframe request", () => {
    // FMT 3 (neither PLI, FIR nor REMB): werift parses it with `feedback` undefined.
    const [packet] = parsed(Buffer.from([0x83, RtcpPayloadSpecificFeedback.type, 0, 2, 0, 0, 0, 1, 0, 0, 0, 2]))
    expect(packet).toBeDefined()
    expect(keyframeRequestOf(packet!, 2)).toBeUndefined()
  })

  it("random compound packets: keyframe requests, loss fractions and SR clocks never throw and stay in range", () => {
    let packets = 0
    fc.assert(
      fc.property(compound, ssrc, (bytes, ours) => {
        for (const packet of parsed(bytes)) {
          packets++
          expect(["pli", "fir", undefined]).toContain(keyframeRequestOf(packet, ours))
          expect(reportedLossOf(packet, ours).every((loss) => loss >= 0 && loss < 1)).toBe(true)
          const senderClocks = packet instanceof RtcpSrPacket ? [ntpToUnixUs(packet.senderInfo.ntpTimestamp)] : []
          expect(senderClocks.every(Number.isFinite)).toBe(true)
        }
      }),
      { numRuns: 3_000, seed: 20261125 }
    )
    // The generator must reach our code, not only werift's parser.
    expect(packets).toBeGreaterThan(1_000)
  })
})
