import { describe, expect, it } from "@effect/vitest"
import * as fc from "fast-check"
import { FrameAligner, type Round } from "@remotemedia/runtime-core"

const WINDOW = 20_000

/** Per source: a start offset, a jitter per frame and a frame count; frames are 20 ms apart. */
const sources = fc.array(
  fc.record({ offset: fc.integer({ min: 0, max: 60_000 }), jitter: fc.array(fc.integer({ min: -3_000, max: 3_000 }), { maxLength: 30 }) }),
  { minLength: 1, maxLength: 4 }
)

/** Interleaves the sources' frames in arrival (timestamp) order. */
const arrivals = (spec: ReadonlyArray<{ offset: number; jitter: ReadonlyArray<number> }>) =>
  spec
    .flatMap((s, k) => s.jitter.map((j, i) => ({ source: `s${k}`, ts: s.offset + i * 20_000 + j, id: `${k}:${i}` })))
    .sort((a, b) => a.ts - b.ts)

describe("FrameAligner", () => {
  it("releases each frame at most once, every round within the window of its earliest frame, one frame per source", () => {
    fc.assert(
      fc.property(sources, (spec) => {
        const aligner = new FrameAligner<string>(WINDOW)
        const rounds: Array<Round<string>> = []
        const pushed = arrivals(spec)
        for (const f of pushed) rounds.push(...aligner.push(f.source, f.ts, f.id))
        const beforeFlush = rounds.length
        rounds.push(...aligner.flush())
        const released = rounds.flatMap((r) => r.frames.map((f) => f.value))
        expect(new Set(released).size).toBe(released.length)
        expect(released.length + aligner.late).toBe(pushed.length)
        for (const r of rounds) {
          const sourcesInRound = r.frames.map((f) => f.source)
          expect(new Set(sourcesInRound).size).toBe(sourcesInRound.length)
          for (const f of r.frames) {
            expect(f.timestampUs).toBeGreaterThanOrEqual(r.timestampUs)
            expect(f.timestampUs).toBeLessThan(r.timestampUs + WINDOW)
          }
        }
        for (let i = 1; i < beforeFlush; i++) expect(rounds[i]!.timestampUs).toBeGreaterThan(rounds[i - 1]!.timestampUs)
      })
    )
  })

  it("a source that stops does not stall the others beyond the window", () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 20 }), fc.integer({ min: 2, max: 40 }), (bFrames, aFrames) => {
        const aligner = new FrameAligner<string>(WINDOW)
        const released: Array<string> = []
        let latestA = 0
        for (let i = 0; i < Math.max(aFrames, bFrames); i++) {
          if (i < aFrames) {
            latestA = i * 20_000
            for (const r of aligner.push("a", latestA, `a${i}`)) released.push(...r.frames.map((f) => f.value))
          }
          if (i < bFrames) for (const r of aligner.push("b", i * 20_000, `b${i}`)) released.push(...r.frames.map((f) => f.value))
        }
        // Every A frame older than the window before A's newest one is out, whatever B did.
        for (let i = 0; i * 20_000 <= latestA - WINDOW; i++) expect(released).toContain(`a${i}`)
      })
    )
  })

  it("mixes frames of two sources that are within the window into one round", () => {
    const aligner = new FrameAligner<string>(WINDOW, { minSources: 2 })
    expect(aligner.push("a", 1_000, "a0")).toEqual([])
    const [round] = aligner.push("b", 5_000, "b0")
    expect(round?.timestampUs).toBe(1_000)
    expect(round?.frames.map((f) => f.value).sort()).toEqual(["a0", "b0"])
  })

  it("waits up to maxWait for a lagging source, then releases without it", () => {
    const aligner = new FrameAligner<string>(WINDOW, { maxWaitUs: 60_000 })
    aligner.push("b", 0, "b0")
    aligner.push("a", 0, "a0")
    expect(aligner.push("a", 20_000, "a1")).toEqual([])
    expect(aligner.push("a", 40_000, "a2")).toEqual([])
    expect(aligner.push("a", 60_000, "a3")).toEqual([])
    expect(aligner.push("a", 80_000, "a4").map((r) => r.frames.map((f) => f.value))).toEqual([["a1"]])
  })

  it("drops a frame that arrives after its round was released, and counts it", () => {
    const aligner = new FrameAligner<string>(WINDOW)
    aligner.push("a", 0, "a0")
    aligner.push("a", 20_000, "a1") // releases a0 alone (nothing from b within the window)
    expect(aligner.push("b", -5_000, "late")).toEqual([])
    expect(aligner.late).toBe(1)
  })
})
