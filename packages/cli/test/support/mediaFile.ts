/**
 * Makes a small real media file with node-av, for `--send` tests: a Matroska file with a VP8 moving test
 * pattern and a FLAC sine tone.
 */
import { Encoder, Muxer } from "node-av/api"
import { AV_CHANNEL_ORDER_NATIVE, AV_PIX_FMT_YUV420P, AV_SAMPLE_FMT_S16, FF_ENCODER_FLAC, FF_ENCODER_LIBVPX_VP8 } from "node-av/constants"
import { Frame } from "node-av/lib"
import { makeSineTone, testPatternFrame } from "@remotemedia/signals"

export interface MediaFileSpec {
  readonly path: string
  readonly seconds: number
  readonly toneHz: number
  readonly width: number
  readonly height: number
  readonly fps: number
}

const sampleRate = 48_000
const samplesPerFrame = 960

/** Writes the file; resolves once it is closed. */
export const writeMediaFile = async (spec: MediaFileSpec): Promise<void> => {
  const video = await Encoder.create(FF_ENCODER_LIBVPX_VP8, { bitrate: "500k", gopSize: spec.fps, options: { deadline: "realtime", "cpu-used": 8 } })
  const audio = await Encoder.create(FF_ENCODER_FLAC)
  await using muxer = await Muxer.open(spec.path, { format: "matroska" })
  const videoIndex = muxer.addStream(video)
  const audioIndex = muxer.addStream(audio)
  const tone = makeSineTone({ frequency: spec.toneHz, sampleRate })
  const frames = Math.round(spec.seconds * spec.fps)
  const audioFrames = Math.round((spec.seconds * sampleRate) / samplesPerFrame)
  const write = async (encoder: Encoder, frame: Frame | null, index: number) => {
    for await (const packet of encoder.packets(frame)) if (packet !== null) await muxer.writePacket(packet, index)
  }
  let nextAudio = 0
  for (let index = 0; index < frames; index++) {
    const pattern = testPatternFrame(spec.width, spec.height, index, spec.fps)
    const frame = Frame.fromVideoBuffer(Buffer.concat(pattern.planes), {
      width: spec.width,
      height: spec.height,
      format: AV_PIX_FMT_YUV420P,
      timeBase: { num: 1, den: spec.fps },
      pts: BigInt(index)
    })
    await write(video, frame, videoIndex)
    frame.free()
    // Interleave: audio up to this video frame's time.
    for (; nextAudio < Math.min(audioFrames, ((index + 1) * sampleRate) / spec.fps / samplesPerFrame); nextAudio++) {
      const samples = Int16Array.from(tone.next(samplesPerFrame), (value) => Math.round(value * 32767))
      const frame = Frame.fromAudioBuffer(Buffer.from(samples.buffer), {
        nbSamples: samplesPerFrame,
        format: AV_SAMPLE_FMT_S16,
        sampleRate,
        channelLayout: { nbChannels: 1, order: AV_CHANNEL_ORDER_NATIVE, mask: 4n },
        timeBase: { num: 1, den: sampleRate },
        pts: BigInt(nextAudio * samplesPerFrame)
      })
      await write(audio, frame, audioIndex)
      frame.free()
    }
  }
  await write(video, null, videoIndex)
  await write(audio, null, audioIndex)
  video.close()
  audio.close()
}
