/**
 * `--record` files, read back with node-av (through the same reader `--send` uses).
 */
import { readdirSync, writeFileSync } from "node:fs"
import { join } from "node:path"
import { assert, describe, it } from "@effect/vitest"
import { Effect, Stream } from "effect"
import { audio, isAudio, isVideo, video } from "@remotemedia/runtime-core"
import { concatSamples, dominantFrequency, makeSineTone, testPatternFrame } from "@remotemedia/signals"
import { openMediaFile } from "../src/media/MediaFile.ts"
import { makeRecorder } from "../src/media/Recorder.ts"
import { pcm16, wavHeader } from "../src/media/WavFile.ts"
import { tempDir } from "./support/tempDir.ts"

describe("WAV encoding", () => {
  it("header fields and clipped little-endian samples", () => {
    const header = new DataView(wavHeader(48_000, 2, 1_000).buffer)
    assert.strictEqual(String.fromCharCode(...new Uint8Array(header.buffer, 0, 4)), "RIFF")
    assert.strictEqual(header.getUint32(4, true), 1_036)
    assert.strictEqual(header.getUint16(22, true), 2)
    assert.strictEqual(header.getUint32(24, true), 48_000)
    assert.strictEqual(header.getUint32(28, true), 192_000)
    assert.strictEqual(header.getUint32(40, true), 1_000)
    const pcm = new DataView(pcm16(Float32Array.of(0, 1, -1, 2, -0.5)).buffer)
    assert.deepStrictEqual([0, 1, 2, 3, 4].map((i) => pcm.getInt16(i * 2, true)), [0, 32767, -32767, 32767, -16383])
  })
})

describe("makeRecorder", () => {
  it.live("writes each peer's audio as WAV and video as y4m per resolution; node-av reads them back", () =>
    Effect.gen(function*() {
      const dir = join(yield* tempDir, "out")
      const tone = makeSineTone({ frequency: 523.25, sampleRate: 48_000 })
      yield* Effect.scoped(Effect.gen(function*() {
        const recorder = yield* makeRecorder(dir)
        for (let i = 0; i < 25; i++) yield* recorder.record("bob", audio(tone.next(960), 48_000, 1))
        for (let i = 0; i < 6; i++) yield* recorder.record("bob", video(testPatternFrame(64, 48, i)))
        yield* recorder.record("bob", video(testPatternFrame(32, 16, 0)))
      }))
      assert.deepStrictEqual(readdirSync(dir).sort(), ["bob-32x16.y4m", "bob-64x48.y4m", "bob.wav"])

      const wav = yield* openMediaFile(join(dir, "bob.wav"))
      const samples = concatSamples((yield* Stream.runCollect(wav.audio!)).filter(isAudio).map((chunk) => chunk.samples))
      assert.strictEqual(samples.length, 24_000)
      assert.approximately(dominantFrequency(samples, 48_000), 523.25, 1)

      const y4m = yield* openMediaFile(join(dir, "bob-64x48.y4m"))
      const frames = (yield* Stream.runCollect(y4m.video!)).filter(isVideo).map((data) => data.frame)
      assert.strictEqual(frames.length, 6)
      assert.deepStrictEqual(frames[5]!.planes, testPatternFrame(64, 48, 5).planes)
    }), 30_000)

  it.live("a directory that cannot be created fails with the path named", () =>
    Effect.gen(function*() {
      const blocker = join(yield* tempDir, "a-file")
      writeFileSync(blocker, "")
      const error = yield* makeRecorder(join(blocker, "out")).pipe(Effect.scoped, Effect.flip)
      assert.strictEqual(error.message, `cannot write ${join(blocker, "out")}: ENOTDIR: not a directory, mkdir '${join(blocker, "out")}'`)
    }))
})
