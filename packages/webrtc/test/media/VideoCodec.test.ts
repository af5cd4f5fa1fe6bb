import { psnr, testPatternFrame } from "@remotemedia/signals"
import { assert, describe, it } from "@effect/vitest"
import { Effect } from "effect"
import { DecodingError, InvalidDataType } from "../../src/errors.ts"
import { VideoCodec, type CodecExecution, type EncodedVideoFrame, type VideoCodecName } from "../../src/media/index.ts"

const W = 1280
const H = 720

const roundTrip = (codec: VideoCodecName, execution: CodecExecution) =>
  it.live(`${codec} 720p encodes and decodes at full size with PSNR > 30 dB (${execution})`, () =>
    Effect.gen(function*() {
      const video = yield* VideoCodec
      const encoder = yield* video.makeEncoder({ codec, width: W, height: H, bitrate: 2_500_000 })
      const decoder = yield* video.makeDecoder(codec)
      const scores: Array<number> = []
      const keyframes: Array<boolean> = []
      for (let i = 0; i < 10; i++) {
        const source = testPatternFrame(W, H, i)
        const [encoded, ...rest] = yield* encoder.encode(source)
        assert.deepStrictEqual(rest, [])
        assert.strictEqual(encoded!.timestampUs, source.timestampUs)
        keyframes.push(encoded!.isKeyframe)
        const [decoded] = yield* decoder.decode(encoded!)
        assert.deepStrictEqual([decoded!.width, decoded!.height, decoded!.planes[0]!.length, decoded!.planes[1]!.length], [W, H, W * H, (W * H) / 4])
        scores.push(psnr(source, decoded!))
      }
      assert.deepStrictEqual(keyframes, [true, false, false, false, false, false, false, false, false, false])
      assert.isAbove(Math.min(...scores), 30)
    }).pipe(Effect.provide(VideoCodec.layerWith(execution))))

describe("VideoCodec", () => {
  roundTrip("VP9", "threadpool")
  roundTrip("H264", "threadpool")
  roundTrip("VP8", "threadpool")
  roundTrip("VP9", "sync")

  it.live("makes a keyframe on request and after a bitrate change, and the new bitrate holds", () =>
    Effect.gen(function*() {
      const video = yield* VideoCodec
      const encoder = yield* video.makeEncoder({ codec: "VP9", width: 640, height: 360, bitrate: 2_000_000 })
      const frames: Array<EncodedVideoFrame> = []
      for (let i = 0; i < 90; i++) {
        if (i === 10) encoder.requestKeyframe()
        if (i === 45) yield* encoder.setBitrate(200_000)
        frames.push(...(yield* encoder.encode(testPatternFrame(640, 360, i))))
      }
      assert.deepStrictEqual(frames.flatMap((f, i) => (f.isKeyframe ? [i] : [])), [0, 10, 45])
      const bytes = (from: number, to: number) => frames.slice(from, to).reduce((n, f) => n + f.data.length, 0)
      assert.isBelow(bytes(60, 90), bytes(15, 45) / 3)
      assert.strictEqual(encoder.bitrate(), 200_000)
    }).pipe(Effect.provide(VideoCodec.layer)))

  it.live("a decoder survives a lost frame: it waits for a keyframe, then decodes again", () =>
    Effect.gen(function*() {
      const video = yield* VideoCodec
      const encoder = yield* video.makeEncoder({ codec: "VP8", width: 320, height: 180 })
      const decoder = yield* video.makeDecoder("VP8")
      const encode = (i: number) => encoder.encode(testPatternFrame(320, 180, i)).pipe(Effect.map(([f]) => f!))
      assert.strictEqual(decoder.needsKeyframe(), true)
      assert.lengthOf(yield* decoder.decode(yield* encode(0)), 1)
      assert.strictEqual(decoder.needsKeyframe(), false)
      yield* encode(1)
      decoder.frameLost()
      assert.strictEqual(decoder.needsKeyframe(), true)
      assert.deepStrictEqual(yield* decoder.decode(yield* encode(2)), [])
      encoder.requestKeyframe()
      const [recovered] = yield* decoder.decode(yield* encode(3))
      assert.isAbove(psnr(testPatternFrame(320, 180, 3), recovered!), 30)
      assert.strictEqual(decoder.needsKeyframe(), false)
      // Garbage is a DecodingError, and the decoder then waits for a keyframe instead of dying.
      const garbage = yield* Effect.flip(decoder.decode({ data: new Uint8Array(64).fill(0xff), isKeyframe: true, timestampUs: 0 }))
      assert.instanceOf(garbage, DecodingError)
      assert.strictEqual(decoder.needsKeyframe(), true)
      encoder.requestKeyframe()
      assert.lengthOf(yield* decoder.decode(yield* encode(5)), 1)
    }).pipe(Effect.provide(VideoCodec.layer)))

  it.live("rejects odd and mismatched frames with InvalidDataType and bad settings with InvalidConfig", () =>
    Effect.gen(function*() {
      const video = yield* VideoCodec
      assert.include((yield* Effect.flip(video.makeEncoder({ codec: "VP9", width: 641, height: 360 }))).message, "641x360")
      assert.include((yield* Effect.flip(video.makeEncoder({ codec: "H264", width: 640, height: 360, bitrate: 5 }))).message, "bitrate")
      const encoder = yield* video.makeEncoder({ codec: "H264", width: 640, height: 360 })
      const odd = yield* Effect.flip(encoder.encode(testPatternFrame(639, 359, 0)))
      assert.instanceOf(odd, InvalidDataType)
      assert.strictEqual(odd.message, "I420 video needs even dimensions, got 639x359")
      assert.include((yield* Effect.flip(encoder.encode(testPatternFrame(320, 180, 0)))).message, "this stream is 640x360")
      const short = testPatternFrame(640, 360, 0)
      const truncated = { ...short, planes: [short.planes[0]!, short.planes[1]!.subarray(1), short.planes[2]!] }
      assert.include((yield* Effect.flip(encoder.encode(truncated))).message, "plane 1")
      assert.strictEqual((yield* encoder.encode(testPatternFrame(640, 360, 1)))[0]!.isKeyframe, true)
    }).pipe(Effect.provide(VideoCodec.layer)))
})
