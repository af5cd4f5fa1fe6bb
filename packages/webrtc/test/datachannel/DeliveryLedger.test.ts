import { describe, expect, it } from "@effect/vitest"
import * as fc from "fast-check"
import { DeliveryLedger, FrameCodec, isAfter } from "../../src/datachannel/index.ts"

const message = (messageId: number, bytes = 1) => ({ messageId, kind: FrameCodec.FrameKind.Binary, bytes: new Uint8Array(bytes) })

/** A sender's ledger with `count` messages sent (and kept). */
const sentLedger = (count: number, maxRetainedBytes = Number.MAX_SAFE_INTEGER) => {
  const ledger = new DeliveryLedger(maxRetainedBytes)
  for (let i = 0; i < count; i++) ledger.retain(message(ledger.nextMessageId()))
  return ledger
}

const ids = (ledger: DeliveryLedger) => ledger.takeForResend().map((m) => m.messageId)

/** What can happen to one sender → receiver exchange, in any order. */
const step = fc.oneof(
  fc.constant({ _tag: "Send" } as const),
  fc.record({ _tag: fc.constant("Deliver" as const), count: fc.integer({ min: 1, max: 5 }) }),
  fc.constant({ _tag: "Ack" } as const),
  fc.constant({ _tag: "AckArrives" } as const),
  fc.constant({ _tag: "Reconnect" } as const)
)

describe("DeliveryLedger", () => {
  it("compares ids in serial arithmetic, across the 2^32 wrap", () => {
    expect(isAfter(1, 0)).toBe(true)
    expect(isAfter(0, 1)).toBe(false)
    expect(isAfter(5, 5)).toBe(false)
    expect(isAfter(0, 0xffff_ffff)).toBe(true)
    expect(isAfter(0xffff_ffff, 0)).toBe(false)
    fc.assert(fc.property(fc.integer({ min: 0, max: 2 ** 32 - 1 }), fc.integer({ min: 1, max: 2 ** 31 - 1 }), (id, step) => {
      expect(isAfter((id + step) >>> 0, id)).toBe(true)
      expect(isAfter(id, (id + step) >>> 0)).toBe(false)
    }))
  })

  it("keeps sent messages until acknowledged, oldest first", () => {
    const ledger = sentLedger(5)
    ledger.acknowledge(2)
    expect(ids(ledger)).toEqual([3, 4])
    expect(ledger.stats).toMatchObject({ retainedMessages: 2, retainedBytes: 2, resent: 2 })
    ledger.acknowledge(1)
    expect(ids(ledger)).toEqual([3, 4])
    ledger.acknowledge(4)
    expect(ledger.stats).toMatchObject({ retainedMessages: 0, retainedBytes: 0 })
  })

  it("lets the oldest go past its byte bound, counting them unprotected, but always keeps the newest", () => {
    const ledger = new DeliveryLedger(250)
    for (let i = 0; i < 4; i++) ledger.retain(message(ledger.nextMessageId(), 100))
    expect(ids(ledger)).toEqual([2, 3])
    ledger.retain(message(ledger.nextMessageId(), 1000))
    expect(ids(ledger)).toEqual([4])
    expect(ledger.stats).toMatchObject({ retainedBytes: 1000, unprotected: 4 })
  })

  it("forgets only the message sent last, whose send failed", () => {
    const ledger = sentLedger(3)
    ledger.forgetLast(1)
    expect(ids(ledger)).toEqual([0, 1, 2])
    ledger.forgetLast(2)
    expect(ids(ledger)).toEqual([0, 1])
  })

  it("drops a message received before in the same epoch, and starts afresh on a new epoch", () => {
    const receiver = new DeliveryLedger(0)
    receiver.hello(7)
    expect([0, 1, 2, 1, 2, 3].map((id) => receiver.receive(id))).toEqual([true, true, true, false, false, true])
    receiver.hello(7)
    expect(receiver.receive(3)).toBe(false)
    receiver.hello(8)
    expect(receiver.lastReceived).toBeUndefined()
    expect(receiver.receive(0)).toBe(true)
    expect(receiver.stats.duplicatesDropped).toBe(3)
  })

  it("accepts ids across the 2^32 wrap", () => {
    const receiver = new DeliveryLedger(0)
    expect([0xffff_fffe, 0xffff_ffff, 0, 1].map((id) => receiver.receive(id))).toEqual([true, true, true, true])
    expect(receiver.receive(0xffff_ffff)).toBe(false)
  })

  it("keeps nothing and drops nothing for a remote that cannot resume", () => {
    const ledger = sentLedger(3)
    ledger.receive(5)
    ledger.remoteCannotResume()
    ledger.retain(message(ledger.nextMessageId()))
    expect(ledger.keepsMessages).toBe(false)
    expect(ids(ledger)).toEqual([])
    expect([5, 5, 4].map((id) => ledger.receive(id))).toEqual([true, true, true])
    expect(ledger.lastReceived).toBeUndefined()
  })

  it("delivers every message exactly once, in order, whatever connections fail in between", () => {
    fc.assert(fc.property(fc.array(step, { maxLength: 200 }), (steps) => {
      const sender = new DeliveryLedger(Number.MAX_SAFE_INTEGER)
      const receiver = new DeliveryLedger(Number.MAX_SAFE_INTEGER)
      // What the current connection carries: message ids one way, acks the other; a failure loses both.
      let wire: Array<number> = []
      let acks: Array<number> = []
      const delivered: Array<number> = []
      let sent = 0
      const reconnect = () => {
        receiver.hello(sender.epoch)
        acks = []
        wire = sender.takeForResend().map((m) => m.messageId)
      }
      const deliver = (count: number) => {
        for (const id of wire.splice(0, count)) if (receiver.receive(id)) delivered.push(id)
      }
      reconnect()
      for (const s of steps) {
        if (s._tag === "Send") {
          const id = sender.nextMessageId()
          sender.retain(message(id))
          wire.push(id)
          sent++
        } else if (s._tag === "Deliver") {
          deliver(s.count)
        } else if (s._tag === "Ack") {
          if (receiver.lastReceived !== undefined) acks.push(receiver.lastReceived)
        } else if (s._tag === "AckArrives") {
          const ack = acks.shift()
          if (ack !== undefined) sender.acknowledge(ack)
        } else {
          reconnect()
        }
        expect(delivered).toEqual(Array.from(delivered, (_, i) => i))
      }
      reconnect()
      deliver(Number.MAX_SAFE_INTEGER)
      expect(delivered).toEqual(Array.from({ length: sent }, (_, i) => i))
    }), { numRuns: 500 })
  })
})
