/**
 * `--send FILE`'s reader against a real file made with node-av (VP8 video + FLAC audio in Matroska).
 */
import { writeFileSync } from "node:fs"
import { join } from "node:path"
import { assert, describe, it } from "@effect/vitest"
import { Effect, Stream } from "effect"
import { isAudio, isVideo } from "@remotemedia/runtime-core"
import { concatSamples, dominantFrequency, psnr, testPatternFrame } from "@remotemedia/signals"
import { openMediaFile } from "../src/media/MediaFile.ts"
import { writeMediaFile } from "./support/mediaFile.ts"
import { tempDir } from "./support/tempDir.ts"

describe("openMediaFile", () => {
  it.live("decodes both tracks: the tone's frequency, the pattern's size and content, paced in real time", () =>
    Effect.gen(function*() {
      const path = join(yield* tempDir, "clip.mkv")
      yield* Effect.promise(() => writeMediaFile({ path, seconds: 1, toneHz: 440, width: 160, height: 120, fps: 15 }))
      const feeds = yield* openMediaFile(path)
      const startedAt = performance.now()
      const [sound, picture] = yield* Effect.all([Stream.runCollect(feeds.audio!), Stream.runCollect(feeds.video!)], {
        concurrency: 2
      })
      const elapsedMs = performance.now() - startedAt

      const samples = concatSamples(sound.filter(isAudio).map((chunk) => chunk.samples))
      assert.isTrue(sound.every((chunk) => isAudio(chunk) && chunk.sampleRate === 48_000 && chunk.channels === 1))
      assert.approximately(samples.length, 48_000, 2_000)
      assert.approximately(dominantFrequency(samples, 48_000), 440, 2)

      const frames = picture.filter(isVideo).map((data) => data.frame)
      assert.strictEqual(frames.length, 15)
      assert.isTrue(frames.every((frame) => frame.width === 160 && frame.height === 120 && frame.format === "I420"))
      assert.isAbove(psnr(testPatternFrame(160, 120, 7, 15), frames[7]!), 25)
      // Paced: the last frame is due ~0.93 s after the first, so the reading cannot have been a burst.
      assert.isAbove(elapsedMs, 800)
    }), 60_000)

  it.live("a file that is not media fails with one line naming it", () =>
    Effect.gen(function*() {
      const path = join(yield* tempDir, "notes.txt")
      writeFileSync(path, "not a media file\n")
      const error = yield* openMediaFile(path).pipe(Effect.flip)
      assert.strictEqual(error._tag, "RunFailed")
      assert.match(error.message, new RegExp(`^cannot read ${path}: `))
      assert.notInclude(error.message, "\n")
    }), 30_000)
})
