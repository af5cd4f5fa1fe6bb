import { describe, expect, it } from "@effect/vitest"
import { PictureLossIndication, RtcpPayloadSpecificFeedback, RtcpRrPacket, type RtcpPacket } from "werift"
import { keyframeRequestOf } from "../../src/media/index.ts"

const pli = (mediaSsrc: number) => new RtcpPayloadSpecificFeedback({ feedback: new PictureLossIndication({ senderSsrc: 7, mediaSsrc }) })
// werift parses FIR but does not export its class; this is the shape it produces (RFC 5104 FMT 4).
const fir = (ssrc: number) => ({ type: RtcpPayloadSpecificFeedback.type, feedback: { count: 4, senderSsrc: 7, mediaSsrc: 0, fir: [{ ssrc, sequenceNumber: 1 }] } }) as unknown as RtcpPacket

describe("keyframeRequestOf", () => {
  it("recognises PLI and FIR addressed to this sender's SSRC only", () => {
    expect(keyframeRequestOf(pli(42), 42)).toBe("pli")
    expect(keyframeRequestOf(pli(43), 42)).toBeUndefined()
    expect(keyframeRequestOf(fir(42), 42)).toBe("fir")
    expect(keyframeRequestOf(fir(43), 42)).toBeUndefined()
    expect(keyframeRequestOf(new RtcpRrPacket({ ssrc: 42 }), 42)).toBeUndefined()
  })
})
