import { assert, describe, it } from "@effect/vitest"
import * as fc from "fast-check"
import { PendingRequests } from "../../src/signaling/PendingRequests.ts"

describe("PendingRequests", () => {
  it("matches each response id to its waiter exactly once; foreign ids match nothing", () => {
    const pending = new PendingRequests<string>()
    const a = pending.add("a")
    const b = pending.add("b")
    assert.notStrictEqual(a.id, b.id)
    assert.strictEqual(pending.take(b.id)?.waiter, "b")
    assert.isUndefined(pending.take(b.id))
    assert.isUndefined(pending.take(String(a.id)))
    assert.isUndefined(pending.take(null))
    assert.strictEqual(pending.size, 1)
  })

  it("separates requests already on a dropped socket from those still queued", () => {
    const pending = new PendingRequests<string>()
    const sent = pending.add("sent")
    const queued = pending.add("queued")
    sent.sent = true
    assert.deepStrictEqual(pending.takeSent().map((e) => e.waiter), ["sent"])
    assert.isTrue(pending.markSent(queued.id))
    assert.isFalse(pending.markSent(sent.id))
    assert.deepStrictEqual(pending.takeAll().map((e) => e.waiter), ["queued"])
    assert.strictEqual(pending.size, 0)
  })

  it("property: any interleaving of adds and takes answers every waiter at most once", () => {
    fc.assert(fc.property(fc.array(fc.oneof(fc.constant("add" as const), fc.integer({ min: 0, max: 40 }))), (ops) => {
      const pending = new PendingRequests<number>()
      const live = new Set<number>()
      const answered = new Set<number>()
      for (const op of ops) {
        if (op === "add") live.add(pending.add(live.size + answered.size).id)
        else {
          const entry = pending.take(op)
          assert.strictEqual(entry !== undefined, live.has(op))
          if (entry !== undefined) {
            assert.isFalse(answered.has(op))
            live.delete(op)
            answered.add(op)
          }
        }
      }
      assert.strictEqual(pending.size, live.size)
    }))
  })
})
