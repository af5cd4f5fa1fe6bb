import { describe, expect, it } from "@effect/vitest"
import * as fc from "fast-check"
import { FrameChunker } from "@remotemedia/runtime-core"

const pushes = fc.array(fc.integer({ min: 0, max: 700 }), { maxLength: 40 })

describe("FrameChunker", () => {
  it("loses and invents no sample: outputs + remainder == inputs, every frame full, starts contiguous", () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 480 }), fc.integer({ min: 1, max: 2 }), pushes, (frameSize, channels, sizes) => {
        const chunker = new FrameChunker(frameSize, channels)
        let next = 0
        const input: Array<number> = []
        const output: Array<number> = []
        let expectedStart = 0
        for (const size of sizes) {
          const buf = new Float32Array(size * channels).map(() => next++)
          input.push(...buf)
          for (const chunk of chunker.push(buf)) {
            expect(chunk.samples.length).toBe(frameSize * channels)
            expect(chunk.start).toBe(expectedStart)
            expectedStart += frameSize
            output.push(...chunk.samples)
          }
        }
        const rest = chunker.flush()?.samples ?? new Float32Array(0)
        expect(rest.length).toBeLessThan(frameSize * channels)
        output.push(...rest)
        expect(output).toEqual(input)
      })
    )
  })

  it("hands out zero-copy views for frames that lie inside one input buffer", () => {
    const chunker = new FrameChunker(4, 1)
    const input = new Float32Array(8)
    const [a, b] = chunker.push(input)
    expect(a!.samples.buffer).toBe(input.buffer)
    expect(b!.samples.buffer).toBe(input.buffer)
  })
})
