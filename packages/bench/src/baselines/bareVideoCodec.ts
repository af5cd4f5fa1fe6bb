/**
 * The bare-codec baselines of the video figures: node-av (libavcodec) called directly, synchronously, with
 * the settings our VideoCodec uses (realtime, no B-frames, 2 threads, 2.5 Mbit/s), no RTP, no Effect.
 * Ported from the webrtc media bench.
 */
import type { VideoFrame } from "@remotemedia/runtime-core"
import type { Media } from "@remotemedia/webrtc"
import { AV_CODEC_ID_H264, AV_CODEC_ID_VP8, AV_CODEC_ID_VP9, AV_PIX_FMT_YUV420P, AVERROR_EAGAIN, FF_THREAD_SLICE } from "node-av/constants"
import { Codec, CodecContext, Frame, Packet } from "node-av/lib"

const codecIds = { VP9: AV_CODEC_ID_VP9, H264: AV_CODEC_ID_H264, VP8: AV_CODEC_ID_VP8 } as const

/** A bare encoder: `encode(frame, pts)` returns the encoded bytes of that frame. */
export const bareVideoEncoder = (name: Media.VideoCodecName, width: number, height: number) => {
  const codec = Codec.findEncoder(codecIds[name])!
  const ctx = new CodecContext()
  ctx.allocContext3(codec)
  ctx.width = width
  ctx.height = height
  ctx.pixelFormat = AV_PIX_FMT_YUV420P
  ctx.timeBase = { num: 1, den: 30 } as CodecContext["timeBase"]
  ctx.bitRate = 2_500_000n
  ctx.gopSize = 100_000
  ctx.maxBFrames = 0
  ctx.threadCount = 2
  const options = name === "H264"
    ? [["preset", "ultrafast"], ["tune", "zerolatency"], ["profile", "baseline"]]
    : [["deadline", "realtime"], ["cpu-used", "8"], ["lag-in-frames", "0"], ["row-mt", "1"], ["tile-columns", "2"]]
  for (const [k, v] of options) ctx.setOption(k!, v!)
  ctx.open2Sync(codec)
  const frame = new Frame()
  frame.alloc()
  frame.width = width
  frame.height = height
  frame.format = AV_PIX_FMT_YUV420P
  frame.getBuffer(0)
  const packet = new Packet()
  packet.alloc()
  return (source: VideoFrame, pts: number): Uint8Array => {
    frame.makeWritable()
    const planes = frame.data!
    for (let p = 0; p < 3; p++) planes[p]!.set(source.planes[p]!)
    frame.pts = BigInt(pts)
    ctx.sendFrameSync(frame)
    const chunks: Array<Buffer> = []
    while (ctx.receivePacketSync(packet) !== AVERROR_EAGAIN) {
      chunks.push(Buffer.from(packet.data!))
      packet.unref()
    }
    return Buffer.concat(chunks)
  }
}

/** A bare decoder: `decode(bytes)` decodes one encoded frame and drops the picture. */
export const bareVideoDecoder = (name: Media.VideoCodecName) => {
  const codec = Codec.findDecoder(codecIds[name])!
  const ctx = new CodecContext()
  ctx.allocContext3(codec)
  ctx.threadCount = 2
  ctx.threadType = FF_THREAD_SLICE
  ctx.open2Sync(codec)
  const frame = new Frame()
  frame.alloc()
  const packet = new Packet()
  packet.alloc()
  return (data: Uint8Array): void => {
    packet.data = Buffer.from(data.buffer, data.byteOffset, data.byteLength)
    ctx.sendPacketSync(packet)
    packet.unref()
    while (ctx.receiveFrameSync(frame) >= 0) frame.unref()
  }
}
