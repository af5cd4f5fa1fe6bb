import { assert, describe, expect, it } from "@effect/vitest"
import { psnr, testPatternFrame } from "@remotemedia/signals"
import { Effect } from "effect"
import * as fc from "fast-check"
import { namedResolutions } from "../../src/config/ConfigOptions.ts"
import { fitWithin, makeVideoScaler } from "../../src/media/VideoScaler.ts"
import { referenceScale } from "./support/referenceScale.ts"

const p480 = namedResolutions["480p"]!

describe("fitWithin", () => {
  it("keeps frames that fit, and scales larger ones to the nearest even size inside the limit", () => {
    expect(fitWithin({ width: 640, height: 360 }, p480)).toEqual({ width: 640, height: 360 })
    expect(fitWithin({ width: 1280, height: 720 }, p480)).toEqual({ width: 854, height: 480 })
    expect(fitWithin({ width: 720, height: 1280 }, p480)).toEqual({ width: 480, height: 854 })
    expect(fitWithin({ width: 1920, height: 1080 }, namedResolutions["720p"]!)).toEqual({ width: 1280, height: 720 })
    expect(fitWithin({ width: 1440, height: 1080 }, p480)).toEqual({ width: 640, height: 480 })
  })

  it("always gives even sizes within the limit, never larger than the frame, with its aspect ratio", () => {
    const even = fc.integer({ min: 1, max: 2048 }).map((n) => n * 2)
    fc.assert(fc.property(even, even, fc.constantFrom(...Object.values(namedResolutions)), (width, height, limit) => {
      const out = fitWithin({ width, height }, limit)
      expect(out.width % 2 + out.height % 2).toBe(0)
      expect(out.width).toBeLessThanOrEqual(width)
      expect(out.height).toBeLessThanOrEqual(height)
      expect(Math.max(out.width, out.height)).toBeLessThanOrEqual(Math.max(limit.width, limit.height))
      expect(Math.min(out.width, out.height)).toBeLessThanOrEqual(Math.min(limit.width, limit.height))
      // Each side is within 2 px of the exact scale (rounding to even, then into the limit): the aspect ratio holds.
      expect(Math.abs(out.width * height - out.height * width)).toBeLessThanOrEqual(2 * (width + height))
    }))
  })
})

describe("VideoScaler", () => {
  it.effect("scales 1280x720 to 854x480 close to a reference bilinear scale; frames that fit are passed through", () =>
    Effect.gen(function*() {
      const scaler = yield* makeVideoScaler()
      for (const index of [0, 17, 40]) {
        const frame = testPatternFrame(1280, 720, index)
        const scaled = yield* scaler.fit(frame, p480)
        assert.deepStrictEqual([scaled.width, scaled.height, scaled.timestampUs], [854, 480, frame.timestampUs])
        assert.isAbove(psnr(referenceScale(frame, 854, 480), scaled), 30)
      }
      const small = testPatternFrame(640, 360, 0)
      assert.strictEqual(yield* scaler.fit(small, p480), small)
    }).pipe(Effect.scoped))
})
