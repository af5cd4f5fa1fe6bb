/**
 * 720p video figures per frame, VP9 and H.264 (the method of the former webrtc media bench), with the codec
 * layer the transport uses by default (libavcodec in libuv's thread pool):
 *
 * - send: bare node-av encode against our send path's layers (encoder + RTP packetizer), the codec share
 *   of `sendToPeer` (the transport's own calls are in transportMediaSuite).
 * - receive: bare node-av decode against RTP packets in → assembled, depacketized, decoded `RuntimeData`
 *   Video out.
 */
import { type VideoFrame, video } from "@remotemedia/runtime-core"
import { testPatternFrame } from "@remotemedia/signals"
import { Media } from "@remotemedia/webrtc"
import { Effect } from "effect"
import type { RtpPacket } from "werift"
import { bareVideoDecoder, bareVideoEncoder } from "../baselines/bareVideoCodec.ts"
import type { BenchSizes } from "../BenchSizes.ts"
import { elapsed } from "../measure/timing.ts"
import { type Figure, measured } from "../report/Figure.ts"

/** 720p: the contract's video size. */
export const WIDTH = 1280
export const HEIGHT = 720
const WARMUP = 3

/** `sizes.videoFrames` frames of the moving test pattern (distinct, so the encoder has work each frame). */
export const testPattern = (count: number): ReadonlyArray<VideoFrame> =>
  Array.from({ length: count }, (_, i) => testPatternFrame(WIDTH, HEIGHT, i))

// Frame by frame, the bare codec and ours alternate, so load from elsewhere on the machine hits both alike.
const codecFigures = Effect.fnUntraced(function*(name: Media.VideoCodecName, sources: ReadonlyArray<VideoFrame>) {
  const frames = sources.length
  const codec = yield* Media.VideoCodec
  const encodeBare = bareVideoEncoder(name, WIDTH, HEIGHT)
  const encoder = yield* codec.makeEncoder({ codec: name, width: WIDTH, height: HEIGHT, bitrate: 2_500_000 })
  const packetizer = Media.makePacketizer(name)
  const clock = Media.makeRtpClock(90_000)
  const packets: Array<ReadonlyArray<RtpPacket>> = []
  const encoded: Array<Media.EncodedVideoFrame> = []
  const bareEncode: Array<number> = []
  const sendPath: Array<number> = []
  for (let i = 0; i < WARMUP + frames; i++) {
    const source = sources[i % frames]!
    const bareMs = yield* elapsed(Effect.sync(() => encodeBare(source, i)))
    const ourMs = yield* elapsed(Effect.map(encoder.encode(source), (out) => {
      for (const frame of out) {
        packets.push(packetizer.packetize(frame.data, clock.timestampAt(frame.timestampUs), frame.isKeyframe))
        encoded.push(frame)
      }
    }))
    if (i < WARMUP) continue
    bareEncode.push(bareMs)
    sendPath.push(ourMs)
  }

  // Both decoders see our encoder's stream from its keyframe on, frame by frame.
  const decodeBare = bareVideoDecoder(name)
  const decoder = yield* codec.makeDecoder(name)
  const assembler = Media.makeFrameAssembler()
  const bareDecode: Array<number> = []
  const receivePath: Array<number> = []
  for (const [i, framePackets] of packets.entries()) {
    const bareMs = yield* elapsed(Effect.sync(() => decodeBare(encoded[i]!.data)))
    const ourMs = yield* elapsed(Effect.forEach(framePackets, (packet) =>
      Effect.forEach(assembler.push(packet), (assembled) =>
        Media.depacketize(name, assembled.packets).pipe(
          Effect.flatMap((input) => decoder.decode({ ...input, timestampUs: i })),
          Effect.map((decoded) => decoded.map(video))
        ))))
    if (i < WARMUP) continue
    bareDecode.push(bareMs)
    receivePath.push(ourMs)
  }

  const spec = (id: string, title: string) => ({ id, title, unit: "ms/frame" })
  return [
    measured(spec(`video.sendLayers.${name}`, `video 720p ${name} send path layers (encode + packetize)`), [`bare ${name} encode`, bareEncode], ["media layers", sendPath]),
    measured(
      spec(`receive.video.${name}`, `receive: RTP in → decoded RuntimeData Video out, 720p ${name}`),
      [`bare ${name} decode`, bareDecode],
      ["assemble + depacketize + decode", receivePath]
    )
  ]
})

/** Send and receive figures for VP9 and H.264. */
export const videoSuite = (sizes: BenchSizes): Effect.Effect<ReadonlyArray<Figure>> =>
  Effect.scoped(Effect.gen(function*() {
    const sources = testPattern(sizes.videoFrames)
    const vp9 = yield* codecFigures("VP9", sources)
    const h264 = yield* codecFigures("H264", sources)
    return [...vp9, ...h264]
  })).pipe(Effect.provide(Media.VideoCodec.layer), Effect.orDie)
