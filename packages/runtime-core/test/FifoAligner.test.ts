import { describe, expect, it } from "@effect/vitest"
import * as fc from "fast-check"
import { FifoAligner } from "../src/mixing/FifoAligner.ts"
import type { Round } from "@remotemedia/runtime-core"

const WAIT_MS = 40
const IDLE_MS = 200
const MAX_QUEUE = 4

/** Arrivals: which source sends, and how many wall-clock ms pass before it does. */
const arrivals = fc.array(fc.record({ source: fc.integer({ min: 0, max: 3 }), gapMs: fc.integer({ min: 0, max: 60 }) }), {
  maxLength: 120
})

/** Feeds `spec` into a fresh aligner; frame `k:i` is source k's i-th frame. */
const run = (spec: ReadonlyArray<{ source: number; gapMs: number }>) => {
  const aligner = new FifoAligner<string>({ maxWaitMs: WAIT_MS, idleMs: IDLE_MS, maxQueue: MAX_QUEUE })
  const rounds: Array<Round<string>> = []
  const sent = new Map<string, number>()
  let nowMs = 0
  for (const { gapMs, source } of spec) {
    nowMs += gapMs
    const name = `s${source}`
    const i = sent.get(name) ?? 0
    sent.set(name, i + 1)
    rounds.push(...aligner.push(name, i * 20_000, `${name}:${i}`, nowMs))
  }
  const live = rounds.length
  rounds.push(...aligner.flush())
  return { aligner, rounds, live, sent, nowMs }
}

describe("FifoAligner", () => {
  it("mixes every frame at most once, one per source per round, in each source's order; only overflow loses frames", () => {
    fc.assert(
      fc.property(arrivals, (spec) => {
        const { aligner, rounds } = run(spec)
        const released = rounds.flatMap((r) => r.frames.map((f) => f.value))
        expect(new Set(released).size).toBe(released.length)
        expect(released.length + aligner.dropped).toBe(spec.length)
        expect(aligner.pending).toBe(0)
        const lastIndex = new Map<string, number>()
        for (const r of rounds) {
          const sources = r.frames.map((f) => f.source)
          expect(new Set(sources).size).toBe(sources.length)
          expect(r.timestampUs).toBe(Math.min(...r.frames.map((f) => f.timestampUs)))
          for (const f of r.frames) {
            const i = Number(f.value.split(":")[1])
            expect(i).toBeGreaterThan(lastIndex.get(f.source) ?? -1)
            lastIndex.set(f.source, i)
          }
        }
      })
    )
  })

  it("a dropped frame is always the oldest of an overflowing FIFO", () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 20 }), (n) => {
        const aligner = new FifoAligner<number>({ maxWaitMs: WAIT_MS, idleMs: IDLE_MS, maxQueue: MAX_QUEUE })
        aligner.push("quiet", 0, -1, 0)
        aligner.push("quiet", 20_000, -2, 0) // two sources known, "loud" bursts before anything is due
        for (let i = 0; i < n; i++) aligner.push("loud", i * 20_000, i, 0)
        const loud = aligner.flush().flatMap((r) => r.frames.filter((f) => f.source === "loud").map((f) => f.value))
        expect(loud).toEqual(Array.from({ length: Math.min(n, MAX_QUEUE) }, (_, k) => n - Math.min(n, MAX_QUEUE) + k))
        expect(aligner.dropped).toBe(Math.max(0, n - MAX_QUEUE))
      })
    )
  })

  it("a source that stops never holds the others back longer than the wait", () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 10 }), fc.integer({ min: 2, max: 40 }), fc.integer({ min: 1, max: 30 }), (bFrames, aFrames, stepMs) => {
        const aligner = new FifoAligner<string>({ maxWaitMs: WAIT_MS, idleMs: IDLE_MS, maxQueue: 1_000 })
        const releasedAt = new Map<string, number>()
        const arrivedAt = new Map<string, number>()
        for (let i = 0; i < aFrames; i++) {
          const nowMs = i * stepMs
          arrivedAt.set(`a${i}`, nowMs)
          for (const r of aligner.push("a", i * 20_000, `a${i}`, nowMs)) for (const f of r.frames) releasedAt.set(f.value, nowMs)
          if (i < bFrames) for (const r of aligner.push("b", i * 20_000, `b${i}`, nowMs)) for (const f of r.frames) releasedAt.set(f.value, nowMs)
        }
        // Every A frame that had waited the full wait by A's last arrival is out, at most one step late.
        const lastMs = (aFrames - 1) * stepMs
        for (const [frame, at] of arrivedAt) {
          if (lastMs - at < WAIT_MS) continue
          expect(releasedAt.get(frame)).toBeDefined()
          expect(releasedAt.get(frame)! - at).toBeLessThan(WAIT_MS + stepMs)
        }
      })
    )
  })

  it("pairs the oldest frames of all sources, whatever their timestamps", () => {
    const aligner = new FifoAligner<string>({ maxWaitMs: WAIT_MS, idleMs: IDLE_MS, maxQueue: MAX_QUEUE })
    const values = (rounds: Array<Round<string>>) => rounds.map((r) => r.frames.map((f) => f.value))
    expect(values(aligner.push("a", 0, "a0", 0))).toEqual([["a0"]]) // alone: nobody to wait for
    expect(aligner.push("b", 60_000, "b0", 1)).toEqual([])
    expect(values(aligner.push("a", 20_000, "a1", 20))).toEqual([["a1", "b0"]])
  })

  it("forgets a source idle for longer than the timeout: the others are mixed at once again", () => {
    const aligner = new FifoAligner<string>({ maxWaitMs: WAIT_MS, idleMs: IDLE_MS, maxQueue: MAX_QUEUE })
    const values = (rounds: Array<Round<string>>) => rounds.map((r) => r.frames.map((f) => f.value))
    aligner.push("a", 0, "a0", 0)
    aligner.push("b", 0, "b0", 0)
    expect(values(aligner.push("a", 20_000, "a1", 20))).toEqual([["a1", "b0"]])
    expect(aligner.push("a", 40_000, "a2", 40)).toEqual([]) // b is silent: wait for it
    expect(values(aligner.push("a", 60_000, "a3", 90))).toEqual([["a2"]]) // a2 waited 50 ms > 40
    expect(aligner.sources).toEqual(["a", "b"])
    expect(values(aligner.push("a", 80_000, "a4", 300))).toEqual([["a3"], ["a4"]]) // b idle 300 ms > 200: forgotten
    expect(aligner.sources).toEqual(["a"])
  })
})
