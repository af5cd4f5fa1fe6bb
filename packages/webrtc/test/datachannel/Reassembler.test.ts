import { describe, expect, it } from "@effect/vitest"
import { Result } from "effect"
import * as fc from "fast-check"
import {
  type DataChannelMessage,
  decodePayload,
  encodePayload,
  FrameCodec,
  Reassembler,
  type ReassemblyLimits
} from "../../src/datachannel/index.ts"

const { encodeFrame, encodeMessageFrames, FRAME_HEADER_BYTES, FrameKind } = FrameCodec

const message: fc.Arbitrary<DataChannelMessage> = fc.oneof(
  fc.uint8Array({ maxLength: 4000 }).map((payload) => ({ _tag: "Binary" as const, payload })),
  fc.string({ unit: "grapheme", maxLength: 1000 }).map((payload) => ({ _tag: "Text" as const, payload })),
  fc.jsonValue().map((payload) => ({ _tag: "Json" as const, payload: JSON.parse(JSON.stringify(payload)) as unknown }))
)
const frameSize = fc.integer({ min: FRAME_HEADER_BYTES + 1, max: 1500 })

const framesOf = (msg: DataChannelMessage, messageId: number, maxFrameBytes: number) => {
  const { kind, bytes } = Result.getOrThrow(encodePayload(msg))
  return [...encodeMessageFrames(kind, messageId, bytes, maxFrameBytes)]
}

/** Feeds frames; returns the decoded messages in completion order and the rejection reasons. */
const feed = (reassembler: Reassembler, frames: Iterable<Uint8Array>) => {
  const messages: Array<{ readonly id: number; readonly message: DataChannelMessage }> = []
  const reasons: Array<string> = []
  for (const frame of frames) {
    const pushed = reassembler.push(frame)
    if (Result.isFailure(pushed)) reasons.push(pushed.failure.reason)
    else if (pushed.success !== undefined) {
      messages.push({ id: pushed.success.messageId, message: Result.getOrThrow(decodePayload(pushed.success.kind, pushed.success.bytes)) })
    }
  }
  return { messages, reasons }
}

describe("Reassembler", () => {
  it("reassembles any message of any kind and size from any frame size, byte-identical", () => {
    fc.assert(fc.property(message, frameSize, fc.integer({ min: 0, max: 2 ** 32 - 1 }), (msg, maxFrameBytes, id) => {
      const reassembler = new Reassembler()
      const { messages, reasons } = feed(reassembler, framesOf(msg, id, maxFrameBytes))
      expect(reasons).toEqual([])
      expect(messages).toEqual([{ id, message: msg }])
      expect(reassembler.reservedBytes).toBe(0)
    }))
  })

  it("delivers interleaved messages each once, in the order their last frames arrive", () => {
    fc.assert(fc.property(fc.array(message, { minLength: 1, maxLength: 8 }), frameSize, fc.infiniteStream(fc.nat()), (msgs, maxFrameBytes, picks) => {
      const queues = msgs.map((msg, id) => framesOf(msg, id, maxFrameBytes))
      const arrival: Array<Uint8Array> = []
      const completionOrder: Array<number> = []
      const pick = picks[Symbol.iterator]()
      while (queues.some((q) => q.length > 0)) {
        const open = queues.flatMap((q, id) => (q.length > 0 ? [id] : []))
        const id = open[pick.next().value % open.length]!
        arrival.push(queues[id]!.shift()!)
        if (queues[id]!.length === 0) completionOrder.push(id)
      }
      const { messages, reasons } = feed(new Reassembler(), arrival)
      expect(reasons).toEqual([])
      expect(messages).toEqual(completionOrder.map((id) => ({ id, message: msgs[id] })))
    }))
  })

  it("evicts the oldest partial message when too many are open, and delivers the newer ones", () => {
    const limits: ReassemblyLimits = { maxMessageBytes: 1000, maxPartialMessages: 2, maxPartialBytes: 10_000 }
    const starts = [0, 1, 2].map((id) => encodeFrame(FrameKind.Binary, id, new Uint8Array(100).fill(id), 0, 50))
    const ends = [0, 1, 2].map((id) => encodeFrame(FrameKind.Binary, id, new Uint8Array(100).fill(id), 50, 50))
    const { messages, reasons } = feed(new Reassembler(limits), [...starts, ...ends])
    expect(reasons).toEqual(["TooManyPartialMessages", "UnknownMessageId"])
    expect(messages.map(({ id }) => id)).toEqual([1, 2])
  })

  it("evicts the oldest partial messages to keep within the byte budget", () => {
    const limits: ReassemblyLimits = { maxMessageBytes: 2000, maxPartialMessages: 8, maxPartialBytes: 1500 }
    const start = (id: number, total: number) => encodeFrame(FrameKind.Binary, id, new Uint8Array(total), 0, 10)
    const reassembler = new Reassembler(limits)
    expect(feed(reassembler, [start(0, 600), start(1, 600), start(2, 1000)]).reasons).toEqual(["ReassemblyBudgetExceeded"])
    expect([reassembler.reservedBytes, reassembler.partialMessages]).toEqual([1000, 1])
    expect(feed(reassembler, [start(3, 1600)]).reasons).toEqual(["ReassemblyBudgetExceeded"])
    expect(reassembler.reservedBytes).toBe(1000)
  })

  it("drops a message whose chunks skip, repeat or change header, releasing its memory", () => {
    const payload = new Uint8Array(90).map((_, i) => i)
    const chunk = (offset: number, kind: FrameCodec.FrameKind = FrameKind.Binary) => encodeFrame(kind, 5, payload, offset, 30)
    for (const [broken, reason] of [[chunk(60), "OffsetMismatch"], [chunk(0), "DuplicateMessageId"], [chunk(30, FrameKind.Text), "HeaderMismatch"]] as const) {
      const reassembler = new Reassembler()
      const { messages, reasons } = feed(reassembler, [chunk(0), broken, chunk(30), chunk(60)])
      expect(reasons[0]).toBe(reason)
      expect(messages).toEqual(reason === "DuplicateMessageId" ? [{ id: 5, message: { _tag: "Binary", payload } }] : [])
      expect(reassembler.reservedBytes).toBe(0)
    }
  })

  it("survives hostile frames within its bounds and still delivers a valid message afterwards", () => {
    const limits: ReassemblyLimits = { maxMessageBytes: 8000, maxPartialMessages: 4, maxPartialBytes: 10_000 }
    const hostileHeader = fc.record({
      version: fc.oneof(fc.constant(1), fc.integer({ min: 0, max: 255 })),
      kind: fc.oneof(fc.integer({ min: 0, max: 2 }), fc.integer({ min: 0, max: 255 })),
      id: fc.integer({ min: 0, max: 20 }),
      total: fc.oneof(fc.integer({ min: 0, max: 9000 }), fc.integer({ min: 0, max: 2 ** 32 - 1 })),
      offset: fc.oneof(fc.integer({ min: 0, max: 9000 }), fc.integer({ min: 0, max: 2 ** 32 - 1 })),
      chunk: fc.uint8Array({ maxLength: 600 })
    }).map(({ version, kind, id, total, offset, chunk }) => {
      const frame = new Uint8Array(FRAME_HEADER_BYTES + chunk.length)
      const view = new DataView(frame.buffer)
      view.setUint8(0, version)
      view.setUint8(1, kind)
      view.setUint32(2, id)
      view.setUint32(6, total)
      view.setUint32(10, offset)
      frame.set(chunk, FRAME_HEADER_BYTES)
      return frame
    })
    const hostile = fc.array(fc.oneof(hostileHeader, fc.uint8Array({ maxLength: 40 })), { maxLength: 200 })
    fc.assert(fc.property(hostile, message, (frames, msg) => {
      const reassembler = new Reassembler(limits)
      for (const frame of frames) {
        expect(() => reassembler.push(frame)).not.toThrow()
        expect(reassembler.reservedBytes).toBeLessThanOrEqual(limits.maxPartialBytes)
        expect(reassembler.partialMessages).toBeLessThanOrEqual(limits.maxPartialMessages)
      }
      expect(feed(reassembler, framesOf(msg, 1000, 512)).messages).toEqual([{ id: 1000, message: msg }])
    }), { numRuns: 300 })
  })
})
