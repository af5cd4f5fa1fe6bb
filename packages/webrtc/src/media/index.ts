/**
 * The media path's building blocks: codecs as layers, framing, RTP packetizing / assembly / pacing and
 * keyframe signalling. The transport's senders and receivers compose these.
 *
 * @since 0.1.0
 */
export * from "./audio/OpusFormat.ts"
export * from "./audio/PcmConversion.ts"
export * from "./audio/AudioFramer.ts"
export * from "./audio/OpusCodec.ts"
export * from "./video/I420Layout.ts"
export * from "./video/VideoCodec.ts"
export * from "./rtp/MediaCodecName.ts"
export * from "./rtp/RtpClock.ts"
export * from "./rtp/Packetizer.ts"
export * from "./rtp/FrameAssembler.ts"
export * from "./rtp/Depacketize.ts"
export * from "./rtp/PacketPacer.ts"
export * from "./rtp/KeyframeRequests.ts"
export * from "./MediaCodecs.ts"
export * from "./BitrateController.ts"
export * from "./BroadcastStats.ts"
export * from "./IncomingMedia.ts"
