/**
 * Turns an assembled frame's RTP packets back into one encoded frame with werift's depacketizers.
 *
 * @since 0.1.0
 */
import { Effect } from "effect"
import { dePacketizeRtpPackets, type RtpPacket } from "werift"
import { DecodingError } from "../../errors.ts"
import type { MediaCodecName } from "./MediaCodecName.ts"

/** One encoded frame recovered from RTP. */
export interface DepacketizedFrame {
  readonly data: Uint8Array
  readonly isKeyframe: boolean
}

const depacketizerName = { opus: "OPUS", VP8: "VP8", VP9: "VP9", H264: "MPEG4/ISO/AVC" } as const

/**
 * Reassembles the payloads of one frame's packets (in sequence order); malformed payloads fail.
 *
 * Padding-only packets are skipped: Chromium probes bandwidth with them on the media SSRC when no RTX is
 * negotiated (bursts of empty payloads between frames), and werift's depacketizers reject an empty payload,
 * which would lose the frame the padding precedes. They still take sequence numbers, so frame assembly
 * keeps them for its continuity check and only depacketizing ignores them.
 */
export const depacketize = (codec: MediaCodecName, packets: ReadonlyArray<RtpPacket>): Effect.Effect<DepacketizedFrame, DecodingError> => {
  try {
    const { data, isKeyframe } = dePacketizeRtpPackets(depacketizerName[codec], packets.filter((packet) => packet.payload.length > 0))
    return data.length === 0
      ? Effect.fail(new DecodingError({ codec, message: `no ${codec} payload in ${packets.length} RTP packet(s)` }))
      : Effect.succeed({ data, isKeyframe })
  } catch (cause) {
    return Effect.fail(new DecodingError({ codec, message: `malformed ${codec} RTP payload: ${String(cause)}` }))
  }
}
