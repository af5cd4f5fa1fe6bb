/**
 * Audio figures, per 20 ms mono 48 kHz frame (the method of the former webrtc media bench):
 *
 * - send: bare libopus encode against our send path's layers (framer + Opus encoder + RTP packetizer), the
 *   codec share of `sendToPeer` (the transport's own calls are in transportMediaSuite).
 * - receive: bare libopus decode against RTP packet in → decoded `RuntimeData` Audio out.
 */
import { audio } from "@remotemedia/runtime-core"
import { Media } from "@remotemedia/webrtc"
import opus from "@discordjs/opus"
import { Effect } from "effect"
import { toneFrames } from "../baselines/toneFrames.ts"
import type { BenchSizes } from "../BenchSizes.ts"
import { alternateSync } from "../measure/timing.ts"
import { type Figure, measured } from "../report/Figure.ts"

const RATE = 48_000

/** Send and receive figures of one audio stream. */
export const audioSuite = (sizes: BenchSizes): Effect.Effect<ReadonlyArray<Figure>> =>
  Effect.gen(function*() {
    const { float: frames, pcm } = toneFrames(100)
    const warmup = Math.min(50, sizes.audioFrames)
    const bare = new opus.OpusEncoder(RATE, 1)
    const codec = yield* Media.OpusCodec
    const encoder = yield* codec.makeEncoder({ channels: 1 })
    const framer = Media.makeAudioFramer(1)
    const packetizer = Media.makePacketizer("opus")
    const clock = Media.makeRtpClock(RATE)
    const packets = frames.flatMap((_, i) => packetizer.packetize(bare.encode(pcm[i]!), clock.timestampAt(i * 20_000), false))
    const [bareEncode, sendPath] = alternateSync(sizes.audioFrames, warmup, (i) => bare.encode(pcm[i % pcm.length]!), (i) => {
      Effect.runSync(Effect.gen(function*() {
        for (const frame of yield* framer.push(audio(frames[i % frames.length]!, RATE))) {
          packetizer.packetize(yield* encoder.encode(frame), clock.timestampAt(i * 20_000), false)
        }
      }))
    })

    const bareDecoder = new opus.OpusEncoder(RATE, 1)
    const decoder = yield* codec.makeDecoder(1)
    const [bareDecode, receivePath] = alternateSync(sizes.audioFrames, warmup, (i) => bareDecoder.decode(packets[i % packets.length]!.payload), (i) => {
      const packet = packets[i % packets.length]!
      Effect.runSync(Effect.map(decoder.decode(packet.payload), (samples) => audio(samples, RATE, 1, packet.header.timestamp)))
    })

    const spec = (id: string, title: string) => ({ id, title, unit: "ms/frame" })
    return [
      measured(spec("audio.sendLayers", "audio send path layers (framer + encode + packetize), 20 ms frame"), ["bare libopus encode", bareEncode], ["media layers", sendPath]),
      measured(spec("receive.audio", "receive: RTP in → decoded RuntimeData Audio out, 20 ms frame"), ["bare libopus decode", bareDecode], ["depayload + decode", receivePath])
    ]
  }).pipe(Effect.provide(Media.OpusCodec.layer), Effect.orDie)
