import { audio } from "@remotemedia/runtime-core"
import { concatSamples } from "@remotemedia/signals"
import { describe, expect, it } from "@effect/vitest"
import { Effect } from "effect"
import * as fc from "fast-check"
import { InvalidDataType } from "../../src/errors.ts"
import { makeAudioFramer } from "../../src/media/index.ts"


describe("AudioFramer", () => {
  it("neither loses nor invents a sample, whatever the chunk lengths", () => {
    fc.assert(
      fc.property(fc.constantFrom(1 as const, 2 as const), fc.array(fc.integer({ min: 0, max: 3000 }), { maxLength: 20 }), (channels, lengths) => {
        const framer = makeAudioFramer(channels)
        let counter = 0
        const input: Array<Float32Array> = []
        const output: Array<Float32Array> = []
        for (const length of lengths) {
          const chunk = Float32Array.from({ length: length * channels }, () => ++counter / 1e6)
          input.push(chunk)
          output.push(...Effect.runSync(framer.push(audio(chunk, 48_000, channels))))
        }
        for (const frame of output) expect(frame.length).toBe(960 * channels)
        const sent = concatSamples(input)
        const framed = concatSamples(output)
        expect(framed.length + framer.pendingSamples()).toBe(sent.length)
        expect(framed).toEqual(sent.subarray(0, framed.length))
      })
    )
  })

  it("passes aligned chunks through without copying", () => {
    const chunk = new Float32Array(1920)
    const [first, second] = Effect.runSync(makeAudioFramer(1).push(audio(chunk, 48_000)))
    expect(first!.buffer).toBe(chunk.buffer)
    expect(second!.byteOffset).toBe(960 * 4)
  })

  it("rejects other sample rates, channel counts and ragged stereo with InvalidDataType", () => {
    const framer = makeAudioFramer(2)
    const rate = Effect.runSync(Effect.flip(framer.push(audio(new Float32Array(882), 44_100, 2))))
    expect(rate).toBeInstanceOf(InvalidDataType)
    expect(rate.message).toContain("44100 Hz")
    expect(Effect.runSync(Effect.flip(framer.push(audio(new Float32Array(960), 48_000, 1)))).message).toContain("2 channel")
    expect(Effect.runSync(Effect.flip(framer.push(audio(new Float32Array(961), 48_000, 2)))).message).toContain("961")
    expect(framer.pendingSamples()).toBe(0)
  })
})
