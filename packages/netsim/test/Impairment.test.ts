import { describe, expect, it } from "@effect/vitest"
import * as fc from "fast-check"
import { Impairment, makePrng } from "../src/index.ts"

const PACKETS = 10_000
/** One 200-byte packet every 2 ms. */
const run = (impairment: Impairment) => {
  const deliveries: Array<{ index: number; atMs: number }> = []
  for (let i = 0; i < PACKETS; i++) {
    for (const atMs of impairment.decide(200, i * 2)) deliveries.push({ index: i, atMs })
  }
  return deliveries
}

describe("Impairment", () => {
  it("5 % loss over 10 000 packets lands within ±0.7 % for a fixed seed, and replays exactly", () => {
    const deliveries = run(new Impairment({ loss: 0.05 }, 42))
    const lossRate = 1 - deliveries.length / PACKETS
    expect(lossRate).toBeGreaterThan(0.043)
    expect(lossRate).toBeLessThan(0.057)
    expect(run(new Impairment({ loss: 0.05 }, 42))).toEqual(deliveries)
    expect(run(new Impairment({ loss: 0.05 }, 43))).not.toEqual(deliveries)
  })

  it("counters add up: received = lost + blackedOut + overflowed + delivered − duplicated", () => {
    fc.assert(fc.property(
      fc.integer(),
      fc.double({ min: 0, max: 1, noNaN: true }),
      fc.double({ min: 0, max: 1, noNaN: true }),
      (seed, loss, duplicate) => {
        const impairment = new Impairment({ loss, duplicate, bandwidthBps: 400_000, blackouts: [{ fromMs: 100, toMs: 300 }] }, seed)
        const copies = Array.from({ length: 500 }, (_, i) => impairment.decide(100, i)).flat().length
        const c = impairment.counters()
        expect(c.received).toBe(500)
        expect(c.delivered).toBe(copies)
        expect(c.received).toBe(c.lost + c.blackedOut + c.overflowed + c.delivered - c.duplicated)
      }
    ), { numRuns: 50 })
  })

  it("jitter spreads delays over [delay, delay + jitter] without reordering", () => {
    const deliveries = run(new Impairment({ delayMs: 30, jitterMs: 20 }, 7))
    const delays = deliveries.map((d) => d.atMs - d.index * 2)
    expect(Math.min(...delays)).toBeGreaterThanOrEqual(30)
    expect(Math.max(...delays)).toBeLessThanOrEqual(52)
    expect(delays.reduce((a, b) => a + b, 0) / delays.length).toBeGreaterThan(38)
    expect(deliveries.every((d, i) => i === 0 || d.atMs >= deliveries[i - 1]!.atMs)).toBe(true)
  })

  it("reorders and duplicates at the configured rates", () => {
    const impairment = new Impairment({ reorder: 0.1, reorderDelayMs: 10, duplicate: 0.02 }, 9)
    const deliveries = run(impairment).sort((a, b) => a.atMs - b.atMs)
    const c = impairment.counters()
    expect(c.reordered / PACKETS).toBeGreaterThan(0.09)
    expect(c.reordered / PACKETS).toBeLessThan(0.11)
    expect(c.duplicated / PACKETS).toBeGreaterThan(0.015)
    expect(c.duplicated / PACKETS).toBeLessThan(0.025)
    const outOfOrder = deliveries.filter((d, i) => i > 0 && d.index < deliveries[i - 1]!.index).length
    expect(outOfOrder).toBeGreaterThan(0.05 * PACKETS)
  })

  it("caps the rate: 1 Mbit/s offered to a 500 kbit/s link delivers about half, none waiting over maxQueueMs", () => {
    // 200 bytes every 2 ms is 800 kbit/s; 125-byte packets make it 500 kbit/s offered, so use 250 bytes: 1 Mbit/s.
    const impairment = new Impairment({ bandwidthBps: 500_000, maxQueueMs: 100 }, 1)
    const out: Array<number> = []
    for (let i = 0; i < PACKETS; i++) {
      for (const atMs of impairment.decide(250, i * 2)) out.push(atMs - i * 2)
    }
    const delivered = out.length / PACKETS
    expect(delivered).toBeGreaterThan(0.49)
    expect(delivered).toBeLessThan(0.51)
    expect(Math.max(...out)).toBeLessThanOrEqual(100 + 4)
    expect(impairment.counters().overflowed).toBe(PACKETS - out.length)
  })

  it("drops everything inside a blackout window and nothing outside it", () => {
    const impairment = new Impairment({ blackouts: [{ fromMs: 1000, toMs: 3000 }] }, 3)
    const deliveries = run(impairment)
    expect(impairment.counters().blackedOut).toBe(1000)
    expect(deliveries.every((d) => d.index * 2 < 1000 || d.index * 2 >= 3000)).toBe(true)
  })

  it("the PRNG is uniform enough: deciles of 100 000 draws within ±3 %", () => {
    const prng = makePrng(12345)
    const deciles = Array.from({ length: 10 }, () => 0)
    for (let i = 0; i < 100_000; i++) deciles[Math.floor(prng.next() * 10)]!++
    for (const count of deciles) expect(Math.abs(count - 10_000)).toBeLessThan(300)
  })
})
