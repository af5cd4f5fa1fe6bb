import { describe, expect, it } from "@effect/vitest"
import * as fc from "fast-check"
import { limitedRangeOf, type PlaneKind, toLimitedRange } from "../../src/media/video/ColorRange.ts"

const bounds: Record<PlaneKind, readonly [number, number]> = { luma: [16, 235], chroma: [16, 240] }

describe("ColorRange: full-range to limited-range YUV", () => {
  it("maps the ends of the full range onto the ends of the limited range, and neutral chroma onto itself", () => {
    expect([limitedRangeOf("luma", 0), limitedRangeOf("luma", 255)]).toEqual([16, 235])
    expect([limitedRangeOf("chroma", 0), limitedRangeOf("chroma", 128), limitedRangeOf("chroma", 255)]).toEqual([16, 128, 240])
  })

  it("is monotonic, stays within the limited range, and is within half a code of the exact scaling", () => {
    fc.assert(
      fc.property(fc.constantFrom<PlaneKind>("luma", "chroma"), fc.integer({ min: 0, max: 254 }), (kind, full) => {
        const [low, high] = bounds[kind]
        const mapped = limitedRangeOf(kind, full)
        expect(mapped).toBeGreaterThanOrEqual(low)
        expect(mapped).toBeLessThanOrEqual(high)
        expect(limitedRangeOf(kind, full + 1)).toBeGreaterThanOrEqual(mapped)
        const exact = kind === "luma" ? 16 + (full * 219) / 255 : 128 + ((full - 128) * 224) / 255
        expect(Math.abs(mapped - exact)).toBeLessThanOrEqual(0.5)
      })
    )
  })

  it("rewrites a plane in place, sample by sample", () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 64 }), fc.constantFrom<PlaneKind>("luma", "chroma"), (samples, kind) => {
        const plane = Uint8Array.from(samples)
        toLimitedRange(plane, kind)
        expect([...plane]).toEqual([...samples].map((full) => limitedRangeOf(kind, full)))
      })
    )
  })
})
