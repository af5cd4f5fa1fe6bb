/**
 * One packetizer interface over werift's codec packetizers (RFC 7587 Opus, RFC 7741 VP8, RFC 9628 VP9,
 * RFC 6184 H.264 from Annex-B). werift keeps our sequence numbers and timestamps and rewrites SSRC and
 * payload type when the packets are written to a track.
 *
 * @since 0.1.0
 */
import { H264Packetizer, OpusPacketizer, Vp8Packetizer, Vp9Packetizer, type RtpPacket } from "werift"
import type { MediaCodecName } from "./MediaCodecName.ts"

/** Splits encoded frames into RTP packets for one stream. */
export interface Packetizer {
  readonly codec: MediaCodecName
  /** The RTP packets of one encoded frame; the last carries the marker bit (video). */
  readonly packetize: (frame: Uint8Array, rtpTimestamp: number, isKeyframe: boolean) => ReadonlyArray<RtpPacket>
}

/** Options common to all packetizers. */
export interface PacketizerOptions {
  /** Largest RTP payload in bytes (werift's default 1200 keeps packets under a 1280-byte path MTU). */
  readonly maxPayloadSize?: number
  readonly payloadType?: number
  readonly ssrc?: number
}

const asBuffer = (data: Uint8Array): Buffer => Buffer.isBuffer(data) ? data : Buffer.from(data.buffer, data.byteOffset, data.byteLength)

/** Creates the packetizer for `codec`. */
export const makePacketizer = (codec: MediaCodecName, options: PacketizerOptions = {}): Packetizer => {
  switch (codec) {
    case "opus": {
      const packetizer = new OpusPacketizer(options)
      return { codec, packetize: (frame, ts) => packetizer.packetize(asBuffer(frame), ts) }
    }
    case "VP8": {
      const packetizer = new Vp8Packetizer(options)
      return { codec, packetize: (frame, ts) => packetizer.packetize(asBuffer(frame), ts) }
    }
    case "VP9": {
      const packetizer = new Vp9Packetizer(options)
      return { codec, packetize: (frame, ts, isKeyframe) => packetizer.packetize(asBuffer(frame), ts, { isKeyframe }) }
    }
    case "H264": {
      const packetizer = new H264Packetizer({ ...options, inputFormat: "annexb" })
      return { codec, packetize: (frame, ts, isKeyframe) => packetizer.packetize(asBuffer(frame), ts, { isKeyframe }) }
    }
  }
}
