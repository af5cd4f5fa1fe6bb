import { describe, expect, it } from "@effect/vitest"
import * as fc from "fast-check"
import { RtpHeader, RtpPacket } from "werift"
import { makeFrameAssembler, type AssembledFrame } from "../../src/media/index.ts"

/** `frames[i]` packets per frame, sequence numbers from `firstSeq` (wrapping), timestamps 3000 apart. */
const makeStream = (frames: ReadonlyArray<number>, firstSeq: number): Array<Array<RtpPacket>> => {
  let seq = firstSeq
  return frames.map((count, f) =>
    Array.from({ length: count }, (_, i) => {
      const header = new RtpHeader({ sequenceNumber: seq++ & 0xffff, timestamp: f * 3000, marker: i === count - 1, payloadType: 96 })
      return new RtpPacket(header, Buffer.from([f, i]))
    })
  )
}

const ids = (frame: AssembledFrame) => frame.packets.map((p) => `${p.payload[0]}.${p.payload[1]}`)

const shuffleWithin = <A>(items: ReadonlyArray<A>, keys: ReadonlyArray<number>): Array<A> =>
  items.map((item, i) => ({ item, key: keys[i % keys.length]! })).sort((a, b) => a.key - b.key).map((x) => x.item)

describe("FrameAssembler", () => {
  it("releases every frame whole and in order when packets are only reordered within a frame", () => {
    fc.assert(
      fc.property(
        fc.array(fc.integer({ min: 1, max: 12 }), { minLength: 1, maxLength: 20 }),
        fc.integer({ min: 0, max: 0xffff }),
        fc.array(fc.double({ noNaN: true }), { minLength: 1, maxLength: 12 }),
        (counts, firstSeq, keys) => {
          const stream = makeStream(counts, firstSeq)
          const assembler = makeFrameAssembler()
          // The first packet of the stream arrives first (it defines where the stream starts).
          const arrivals = stream.flatMap((frame, f) => (f === 0 ? [frame[0]!, ...shuffleWithin(frame.slice(1), keys)] : shuffleWithin(frame, keys)))
          const out = arrivals.flatMap((p) => assembler.push(p))
          expect(out.map((f) => f.timestamp)).toEqual(counts.map((_, f) => f * 3000))
          expect(out.map(ids)).toEqual(stream.map((frame) => frame.map((p) => `${p.payload[0]}.${p.payload[1]}`)))
          expect(out.some((f) => f.afterLoss)).toBe(false)
          expect(assembler.lossEvents()).toBe(0)
        }
      )
    )
  })

  it("gives up a frame with a lost packet once the next frame completes, and flags the frame after it", () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 5 }), fc.nat(), fc.integer({ min: 0, max: 0xffff }), (lostFrame, lostIndexSeed, firstSeq) => {
        // Two frames follow the last possible loss: a lost marker merges two frames, a third resynchronises.
        const stream = makeStream([3, 4, 2, 5, 3, 4, 2, 3], firstSeq)
        const lostIndex = lostIndexSeed % stream[lostFrame]!.length
        const assembler = makeFrameAssembler()
        const out = stream.flat().filter((p) => !(p.payload[0] === lostFrame && p.payload[1] === lostIndex)).flatMap((p) => assembler.push(p))
        const released = out.map((f) => f.timestamp / 3000)
        expect(released.slice(0, lostFrame)).toEqual([...Array(lostFrame).keys()])
        expect(released).not.toContain(lostFrame)
        expect(released.at(-1)).toBe(7)
        // Whatever else was given up with it, the first frame released after the loss says so.
        const firstAfter = out.find((f) => f.timestamp / 3000 > lostFrame)!
        expect(firstAfter.afterLoss).toBe(true)
        expect(out.filter((f) => f.afterLoss)).toHaveLength(1)
        expect(assembler.lossEvents()).toBe(1)
        for (const frame of out) expect(new Set(frame.packets.map((p) => p.payload[0])).size).toBe(1)
      })
    )
  })

  it("ignores duplicates and packets older than the released frames", () => {
    const [a, b] = makeStream([2, 1], 0xfffe)
    const assembler = makeFrameAssembler()
    expect(assembler.push(a![0]!)).toEqual([])
    expect(assembler.push(a![0]!)).toEqual([])
    expect(assembler.push(a![1]!).map((f) => f.timestamp)).toEqual([0])
    expect(assembler.push(a![1]!)).toEqual([])
    expect(assembler.push(b![0]!).map((f) => f.timestamp)).toEqual([3000])
  })
})
