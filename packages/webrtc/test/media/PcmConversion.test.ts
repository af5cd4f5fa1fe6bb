import { describe, expect, it } from "@effect/vitest"
import * as fc from "fast-check"
import { float32ToInt16, int16ToFloat32 } from "../../src/media/index.ts"

describe("PCM conversion", () => {
  it("round-trips [-1, 1] within one int16 step", () => {
    fc.assert(
      fc.property(fc.array(fc.float({ min: -1, max: 1, noNaN: true }), { minLength: 1, maxLength: 960 }), (samples) => {
        const source = Float32Array.from(samples)
        const pcm = new Int16Array(source.length)
        const back = new Float32Array(source.length)
        float32ToInt16(source, pcm)
        int16ToFloat32(pcm, back)
        for (let i = 0; i < source.length; i++) expect(Math.abs(back[i]! - source[i]!)).toBeLessThanOrEqual(2 / 32768)
      })
    )
  })

  it("clamps out-of-range samples and turns NaN into silence", () => {
    const pcm = new Int16Array(5)
    float32ToInt16(Float32Array.of(2, -2, Number.NaN, Infinity, -Infinity), pcm)
    expect([...pcm]).toEqual([32767, -32768, 0, 32767, -32768])
  })
})
