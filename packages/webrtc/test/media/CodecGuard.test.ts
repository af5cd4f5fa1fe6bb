import { psnr, testPatternFrame } from "@remotemedia/signals"
import { assert, describe, it } from "@effect/vitest"
import { Effect, Exit, Fiber, Scope } from "effect"
import { VideoCodec } from "../../src/media/index.ts"

const W = 1280
const H = 720

describe("a codec closed while the thread pool works on it", () => {
  it.live("finishes the running decode first, then frees; later calls fail with a tagged error", () =>
    Effect.gen(function*() {
      const video = yield* VideoCodec
      const source = testPatternFrame(W, H, 0)
      const [keyframe] = yield* video.makeEncoder({ codec: "VP9", width: W, height: H }).pipe(
        Effect.flatMap((encoder) => encoder.encode(source)),
        Effect.scoped
      )
      for (let round = 0; round < 20; round++) {
        const scope = yield* Scope.make()
        const decoder = yield* video.makeDecoder("VP9").pipe(Scope.provide(scope))
        const decoding = yield* Effect.forkChild(decoder.decode(keyframe!))
        yield* Effect.yieldNow
        // As when a peer leaves mid-frame: its scope frees the decoder first, then interrupts the receiver.
        yield* Scope.close(scope, Exit.void)
        yield* Fiber.interrupt(decoding)
        const exit = yield* Fiber.await(decoding)
        if (Exit.isSuccess(exit)) assert.isAbove(psnr(source, exit.value[0]!), 30)
        else assert.match(String(Exit.isFailure(exit) ? exit.cause : ""), /VP9 decoder is closed/)
        const after = yield* Effect.flip(decoder.decode(keyframe!))
        assert.strictEqual(after._tag, "DecodingError")
        assert.match(after.message, /VP9 decoder is closed/)
      }
    }).pipe(Effect.provide(VideoCodec.layerWith("threadpool"))))

  it.live("an encoder closed mid-encode refuses later frames with EncodingError", () =>
    Effect.gen(function*() {
      const video = yield* VideoCodec
      const scope = yield* Scope.make()
      const encoder = yield* video.makeEncoder({ codec: "VP9", width: W, height: H }).pipe(Scope.provide(scope))
      const encoding = yield* Effect.forkChild(encoder.encode(testPatternFrame(W, H, 0)))
      yield* Effect.yieldNow
      yield* Scope.close(scope, Exit.void)
      yield* Fiber.await(encoding)
      const after = yield* Effect.flip(encoder.encode(testPatternFrame(W, H, 1)))
      assert.strictEqual(after._tag, "EncodingError")
      assert.match(after.message, /VP9 encoder is closed/)
    }).pipe(Effect.provide(VideoCodec.layerWith("threadpool"))))
})
