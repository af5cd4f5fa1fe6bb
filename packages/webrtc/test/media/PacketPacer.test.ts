import { assert, describe, expect, it } from "@effect/vitest"
import { Effect, Fiber } from "effect"
import { TestClock } from "effect/testing"
import * as fc from "fast-check"
import { planPacing, sendPaced } from "../../src/media/index.ts"

describe("planPacing", () => {
  it("sends every packet once, in order, inside the budget, in evenly sized batches", () => {
    fc.assert(
      fc.property(fc.array(fc.integer({ min: 1, max: 1200 }), { maxLength: 300 }), fc.integer({ min: 1, max: 40 }), (sizes, budgetMs) => {
        const plan = planPacing(sizes, { budgetMs })
        expect(plan.flatMap((b) => Array.from({ length: b.end - b.start }, (_, i) => b.start + i))).toEqual([...sizes.keys()])
        for (const batch of plan) {
          expect(batch.end).toBeGreaterThan(batch.start)
          expect(batch.offsetMs).toBeGreaterThanOrEqual(0)
          expect(batch.offsetMs).toBeLessThan(budgetMs)
        }
        for (let i = 1; i < plan.length; i++) expect(plan[i]!.offsetMs - plan[i - 1]!.offsetMs).toBeGreaterThanOrEqual(1 - 1e-9)
        const total = sizes.reduce((a, b) => a + b, 0)
        const share = total / Math.max(1, plan.length)
        for (const batch of plan) {
          const bytes = sizes.slice(batch.start, batch.end).reduce((a, b) => a + b, 0)
          expect(bytes).toBeLessThanOrEqual(2 * share + 1200)
        }
      })
    )
  })

  it("spreads a 720p keyframe's 120 packets over 16 ms instead of one burst", () => {
    const plan = planPacing(Array(120).fill(1200), { budgetMs: 16 })
    expect(plan).toHaveLength(16)
    expect(plan.every((b) => b.end - b.start <= 8)).toBe(true)
    expect(planPacing([1200], { budgetMs: 16 })).toEqual([{ offsetMs: 0, start: 0, end: 1 }])
  })
})

describe("sendPaced", () => {
  it.effect("sends each batch at its offset on the clock", () =>
    Effect.gen(function*() {
      const sent: Array<[number, string]> = []
      const items = ["a", "b", "c", "d"]
      const plan = [{ offsetMs: 0, start: 0, end: 2 }, { offsetMs: 5, start: 2, end: 3 }, { offsetMs: 10, start: 3, end: 4 }]
      const fiber = yield* Effect.forkChild(sendPaced(items, plan, (item) => sent.push([Date.now(), item])), { startImmediately: true })
      assert.deepStrictEqual(sent.map(([, item]) => item), ["a", "b"])
      yield* TestClock.adjust(5)
      assert.deepStrictEqual(sent.map(([, item]) => item), ["a", "b", "c"])
      yield* TestClock.adjust(5)
      yield* Fiber.join(fiber)
      assert.deepStrictEqual(sent.map(([, item]) => item), items)
    }))

  it.live("keeps to the frame's deadlines on a busy event loop: batches already due go out at once, not a timer apart", () =>
    Effect.gen(function*() {
      const sentAt: Array<number> = []
      const plan = [0, 1, 2, 3].map((i) => ({ offsetMs: i, start: i, end: i + 1 }))
      yield* sendPaced([0, 1, 2, 3], plan, (item) => {
        sentAt.push(performance.now())
        // The first send keeps the event loop busy for 10 ms: every later batch is due when it returns.
        if (item === 0) while (performance.now() - sentAt[0]! < 10);
      })
      assert.strictEqual(sentAt.length, 4)
      // Sent in one synchronous run (microseconds apart); waiting a timer between them would take >= 1 ms each.
      assert.isBelow(sentAt[3]! - sentAt[1]!, 1, `batches 1-3 went out ${(sentAt[3]! - sentAt[1]!).toFixed(3)} ms apart`)
    }))
})
