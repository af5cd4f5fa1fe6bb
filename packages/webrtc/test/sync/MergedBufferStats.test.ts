import { describe, expect, it } from "@effect/vitest"
import { Effect } from "effect"
import * as fc from "fast-check"
import { type BufferStats, makeJitterBuffer, mergeBufferStats } from "../../src/sync/index.ts"

/** One real jitter buffer fed `arrivals` (frame index, delay ms) and popped until `untilMs`: its stats. */
const bufferStats = (arrivals: ReadonlyArray<readonly [number, number]>, untilMs: number): BufferStats => {
  const buffer = Effect.runSync(makeJitterBuffer<number>({ clockRate: 48_000, capacity: 16 }))
  const byArrival = arrivals.map(([index, delayMs]) => ({ index, atMs: index * 20 + delayMs })).sort((a, b) => a.atMs - b.atMs)
  for (const { atMs, index } of byArrival) {
    while (buffer.pop(atMs) !== undefined);
    buffer.push({ seq: index % 65_536, rtpTimestamp: index * 960, payload: index }, atMs)
  }
  while (buffer.pop(untilMs) !== undefined);
  return buffer.stats()
}

const arbStream = fc.tuple(
  fc.array(fc.tuple(fc.nat(200), fc.nat(120)), { minLength: 1, maxLength: 60 }),
  fc.nat(6_000)
).map(([arrivals, untilMs]) => bufferStats(arrivals, untilMs))

describe("mergeBufferStats", () => {
  it("is undefined without buffers and the buffer itself for one", () => {
    expect(mergeBufferStats([])).toBeUndefined()
    fc.assert(fc.property(arbStream, (stats) => {
      expect(mergeBufferStats([stats])).toEqual(stats)
    }))
  })

  it("keeps received = released + dropped + currentFrames; delays stay within the buffers' own", () => {
    fc.assert(fc.property(fc.array(arbStream, { minLength: 1, maxLength: 4 }), (buffers) => {
      const merged = mergeBufferStats(buffers)!
      expect(merged.received).toBe(merged.released + merged.dropped + merged.currentFrames)
      expect(merged.late).toBe(buffers.reduce((n, b) => n + b.late, 0))
      expect(merged.currentDelayMs).toBe(Math.max(...buffers.map((b) => b.currentDelayMs)))
      // Without released frames every average is 0, and so is the merged one.
      const averages = buffers.filter((b) => b.released > 0).map((b) => b.averageDelayMs)
      const [low, high] = averages.length === 0 ? [0, 0] : [Math.min(...averages), Math.max(...averages)]
      expect(merged.averageDelayMs).toBeGreaterThanOrEqual(low - 1e-9)
      expect(merged.averageDelayMs).toBeLessThanOrEqual(high + 1e-9)
      expect(merged.estimatedLoss).toBeGreaterThanOrEqual(0)
      expect(merged.estimatedLoss).toBeLessThanOrEqual(1)
    }))
  })
})
