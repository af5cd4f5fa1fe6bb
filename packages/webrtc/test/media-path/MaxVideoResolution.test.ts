/**
 * `maxVideoResolution` on the send side, end to end: 1280x720 frames sent under a 480p limit arrive at
 * 854x480 (1280x720 scaled by 2/3 is 853.3x480; sides round to the nearest even size), and look like the
 * sent frame scaled down by an independent reference scaler.
 */
import { psnr, testPatternFrame } from "@remotemedia/signals"
import { assert, describe, it } from "@effect/vitest"
import { Effect, Fiber, Queue } from "effect"
import { namedResolutions } from "../../src/config/ConfigOptions.ts"
import { peerMediaPair } from "./support/peerMediaPair.ts"
import { referenceScale } from "./support/referenceScale.ts"

describe("media path: maxVideoResolution", () => {
  it.live("1280x720 frames under a 480p limit arrive 854x480, PSNR > 30 dB against a reference downscale", () =>
    Effect.gen(function*() {
      const { alice, bob } = yield* peerMediaPair({ maxVideoResolution: namedResolutions["480p"]! })
      const sent = Array.from({ length: 30 }, (_, i) => testPatternFrame(1280, 720, i))
      const references = sent.map((frame) => referenceScale(frame, 854, 480))
      const arriving = yield* Effect.forkScoped(
        Effect.forEach(Array.from({ length: 5 }), () => Queue.take(bob.incoming)).pipe(Effect.timeout("30 seconds"))
      )
      for (const frame of sent) {
        yield* alice.media.sendVideo(frame)
        yield* Effect.sleep("33 millis")
      }
      const received = yield* Fiber.join(arriving)
      const psnrs = received.map(({ data }) => {
        if (data._tag !== "Video") return assert.fail(`expected video, got ${data._tag}`)
        assert.deepStrictEqual([data.frame.width, data.frame.height], [854, 480])
        return Math.max(...references.map((reference) => psnr(reference, data.frame)))
      })
      console.log(`maxVideoResolution: PSNR against the reference downscale ${psnrs.map((p) => p.toFixed(1)).join(", ")} dB`)
      assert.isAbove(Math.min(...psnrs), 30)
    }), 60_000)
})
