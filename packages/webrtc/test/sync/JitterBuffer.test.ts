import { describe, expect, it } from "@effect/vitest"
import { Effect } from "effect"
import * as fc from "fast-check"
import { InvalidConfig } from "../../src/errors.ts"
import { type JitterBuffer, makeJitterBuffer, type ReleasedFrame } from "../../src/sync/index.ts"

const FRAME_MS = 20
const TICKS_PER_FRAME = 960

const newBuffer = (capacity = 512) => Effect.runSync(makeJitterBuffer<number>({ clockRate: 48_000, capacity }))

/** Frame `i` of a stream starting at sequence `startSeq` (wrapping at 65536). */
const frame = (startSeq: number, i: number) => ({
  seq: (startSeq + i) % 65_536,
  rtpTimestamp: (i * TICKS_PER_FRAME) % 2 ** 32,
  payload: i
})

const drain = (buffer: JitterBuffer<number>, untilMs: number): Array<ReleasedFrame<number>> => {
  const out: Array<ReleasedFrame<number>> = []
  for (let t = buffer.nextReleaseMs(); t !== undefined && t <= untilMs; t = buffer.nextReleaseMs()) {
    for (let r = buffer.pop(t); r !== undefined; r = buffer.pop(t)) out.push(r)
  }
  return out
}

describe("JitterBuffer", () => {
  it("releases frames in sequence order after the target delay", () => {
    const buffer = newBuffer()
    for (const i of [0, 2, 1, 3]) buffer.push(frame(0, i), i * FRAME_MS + (i === 1 ? 15 : 0))
    expect(buffer.pop(49)).toBeUndefined()
    const out = drain(buffer, 1000)
    expect(out.map((r) => r.frame.payload)).toEqual([0, 1, 2, 3])
    expect(out[0]!.releaseMs).toBe(50)
  })

  it("orders across the 65535 → 0 wrap", () => {
    const buffer = newBuffer()
    for (const i of [1, 0, 3, 2, 4]) buffer.push(frame(65_533, i), 10)
    expect(drain(buffer, 10_000).map((r) => r.frame.seq)).toEqual([65_533, 65_534, 65_535, 0, 1])
  })

  it("counts late and duplicate frames and drops them", () => {
    const buffer = newBuffer()
    buffer.push(frame(0, 0), 0)
    buffer.push(frame(0, 2), 40)
    expect(buffer.push(frame(0, 2), 41)).toBe("duplicate")
    drain(buffer, 1000)
    expect(buffer.push(frame(0, 1), 1001)).toBe("late")
    const stats = buffer.stats()
    expect(stats).toMatchObject({ received: 4, released: 2, late: 1, duplicates: 1, dropped: 2, lost: 1 })
    expect(stats.estimatedLoss).toBeCloseTo(1 / 3)
  })

  it("bounds overflow by evicting the oldest frame", () => {
    const buffer = newBuffer(4)
    for (let i = 0; i < 10; i++) buffer.push(frame(0, i), 0)
    const stats = buffer.stats()
    expect(stats).toMatchObject({ currentFrames: 4, peakFrames: 4, overruns: 6 })
    expect(drain(buffer, 10_000).map((r) => r.frame.payload)).toEqual([6, 7, 8, 9])
  })

  it("grows its target under jitter and shrinks back, within its bounds", () => {
    const buffer = newBuffer()
    let t = 0
    let i = 0
    const run = (frames: number, jitterMs: number) => {
      for (let k = 0; k < frames; k++, i++) {
        buffer.push(frame(0, i), i * FRAME_MS + (k % 2 === 0 ? jitterMs : 0))
        t = i * FRAME_MS + jitterMs
        drain(buffer, t)
      }
    }
    run(200, 0)
    expect(buffer.stats().targetDelayMs).toBe(50)
    run(200, 40)
    const grown = buffer.stats().targetDelayMs
    expect(grown).toBeGreaterThan(100)
    expect(grown).toBeLessThanOrEqual(200)
    run(200, 100)
    expect(buffer.stats().targetDelayMs).toBe(200)
    run(600, 0)
    expect(buffer.stats().targetDelayMs).toBeLessThan(60)
  })

  it("rejects configurations outside the documented bounds", () => {
    const error = (config: Parameters<typeof makeJitterBuffer>[0]) =>
      Effect.runSync(Effect.flip(makeJitterBuffer(config)))
    expect(error({ clockRate: 48_000, maxDelayMs: 600 })).toMatchObject({ field: "maxDelayMs" })
    expect(error({ clockRate: 0 })).toBeInstanceOf(InvalidConfig)
    expect(error({ clockRate: 48_000, minDelayMs: 100, initialDelayMs: 60 })).toMatchObject({ field: "initialDelayMs" })
  })

  it("property: any permutation, duplication or loss within the window comes out in order, once, with stats that add up", () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 0, max: 65_535 }),
        fc.integer({ min: 1, max: 120 }),
        fc.array(fc.tuple(fc.nat(), fc.integer({ min: 0, max: 40 }), fc.nat({ max: 2 })), { minLength: 1, maxLength: 120 }),
        (startSeq, count, shuffle) => {
          const buffer = newBuffer()
          // Each frame is sent 0-2 extra times (0 extra with some index means: lost), at a jittered time.
          const arrivals: Array<{ i: number; at: number }> = []
          for (let i = 0; i < count; i++) {
            const [key, jitter, copies] = shuffle[i % shuffle.length]!
            if ((key + i) % 7 === 3) continue
            for (let c = 0; c <= copies; c++) arrivals.push({ i, at: i * FRAME_MS + jitter + c })
          }
          arrivals.sort((a, b) => a.at - b.at)
          const out: Array<ReleasedFrame<number>> = []
          for (const arrival of arrivals) {
            out.push(...drain(buffer, arrival.at))
            buffer.push(frame(startSeq, arrival.i), arrival.at)
          }
          out.push(...drain(buffer, Number.MAX_SAFE_INTEGER))
          const payloads = out.map((r) => r.frame.payload)
          const stats = buffer.stats()
          expect(payloads).toEqual([...new Set(payloads)].sort((a, b) => a - b))
          expect(new Set(payloads)).toEqual(new Set(arrivals.map((a) => a.i)))
          expect(stats.received).toBe(arrivals.length)
          expect(stats.received).toBe(stats.released + stats.dropped + stats.currentFrames)
          expect(stats.dropped).toBe(stats.late + stats.duplicates + stats.overruns)
          expect(stats.released).toBe(out.length)
        }
      ),
      { numRuns: 300 }
    )
  })
})
