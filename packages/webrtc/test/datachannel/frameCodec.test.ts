import { describe, expect, it } from "@effect/vitest"
import { Result } from "effect"
import * as fc from "fast-check"
import { FrameCodec, InboundRejected } from "../../src/datachannel/index.ts"

const {
  ControlKind,
  decodeControlFrame,
  decodeFrame,
  encodeControlFrame,
  encodeFrame,
  encodeMessageFrames,
  frameCount,
  FRAME_HEADER_BYTES,
  FrameKind,
  MAX_MESSAGE_BYTES
} = FrameCodec

const kinds = fc.constantFrom(FrameKind.Binary, FrameKind.Text, FrameKind.Json)

describe("frameCodec", () => {
  it("lays the header out big-endian as documented", () => {
    const frame = encodeFrame(FrameKind.Json, 0x01020304, Uint8Array.of(9, 8, 7), 1, 2)
    expect([...frame]).toEqual([1, 2, 1, 2, 3, 4, 0, 0, 0, 3, 0, 0, 0, 1, 8, 7])
  })

  it("reads the example frame of the wire-format documentation", () => {
    const frame = Result.getOrThrow(decodeFrame(Uint8Array.of(1, 1, 0, 0, 0, 7, 0, 0, 0, 2, 0, 0, 0, 0, 0x68, 0x69)))
    expect(frame).toMatchObject({ kind: FrameKind.Text, messageId: 7, totalLength: 2, offset: 0 })
    expect(new TextDecoder().decode(frame.chunk)).toBe("hi")
  })

  it("decodes what it encodes, for any header and chunk", () => {
    fc.assert(fc.property(kinds, fc.integer({ min: 0, max: 2 ** 32 - 1 }), fc.uint8Array({ maxLength: 300 }), fc.nat(), fc.nat(), (kind, id, payload, a, b) => {
      const offset = payload.length === 0 ? 0 : a % payload.length
      const length = (payload.length - offset) === 0 ? 0 : b % (payload.length - offset + 1)
      const frame = Result.getOrThrow(decodeFrame(encodeFrame(kind, id, payload, offset, length)))
      expect(frame).toMatchObject({ kind, messageId: id, totalLength: payload.length, offset })
      expect(frame.chunk).toEqual(payload.subarray(offset, offset + length))
    }))
  })

  it("splits a message into frames no larger than asked, covering the payload exactly once", () => {
    fc.assert(fc.property(fc.uint8Array({ maxLength: 5000 }), fc.integer({ min: FRAME_HEADER_BYTES + 1, max: 2000 }), (payload, maxFrameBytes) => {
      const frames = [...encodeMessageFrames(FrameKind.Binary, 7, payload, maxFrameBytes)]
      expect(frames.length).toBe(frameCount(payload.length, maxFrameBytes))
      let expectedOffset = 0
      for (const bytes of frames) {
        expect(bytes.length).toBeLessThanOrEqual(maxFrameBytes)
        const frame = Result.getOrThrow(decodeFrame(bytes))
        expect(frame.offset).toBe(expectedOffset)
        expectedOffset += frame.chunk.length
      }
      expect(expectedOffset).toBe(payload.length)
    }))
  })

  it("rejects truncated, foreign-version, unknown-kind, oversized and overrunning headers with a reason", () => {
    const valid = encodeFrame(FrameKind.Text, 1, Uint8Array.of(1, 2, 3), 0, 3)
    const patched = (at: number, value: number) => {
      const copy = valid.slice()
      new DataView(copy.buffer).setUint32(at, value)
      return copy
    }
    const withByte = (at: number, value: number) => Uint8Array.from(valid, (b, i) => (i === at ? value : b))
    const reason = (frame: Uint8Array) => Result.match(decodeFrame(frame), { onSuccess: () => "accepted", onFailure: (e) => e.reason })
    expect(reason(valid.subarray(0, FRAME_HEADER_BYTES - 1))).toBe("Truncated")
    expect(reason(withByte(0, 2))).toBe("UnsupportedVersion")
    expect(reason(withByte(1, 3))).toBe("UnknownKind")
    expect(reason(patched(6, MAX_MESSAGE_BYTES + 1))).toBe("TooLarge")
    expect(reason(patched(6, 2))).toBe("LengthMismatch")
    expect(reason(patched(10, 2 ** 32 - 1))).toBe("LengthMismatch")
  })

  it("lays control frames out as a bare header whose messageId field holds the value", () => {
    expect([...encodeControlFrame(ControlKind.Hello, 0xdeadbeef)]).toEqual([1, 3, 0xde, 0xad, 0xbe, 0xef, 0, 0, 0, 0, 0, 0, 0, 0])
    fc.assert(fc.property(fc.constantFrom(ControlKind.Hello, ControlKind.Ack), fc.integer({ min: 0, max: 2 ** 32 - 1 }), (kind, value) => {
      expect(Result.getOrThrow(decodeControlFrame(encodeControlFrame(kind, value)))).toEqual({ kind, value })
    }))
  })

  it("leaves data frames to decodeFrame and rejects control frames that carry a payload", () => {
    expect(Result.getOrThrow(decodeControlFrame(encodeFrame(FrameKind.Binary, 3, Uint8Array.of(1), 0, 1)))).toBeUndefined()
    expect(Result.getOrThrow(decodeControlFrame(Uint8Array.of(1, 4)))).toBeUndefined()
    const withChunk = Uint8Array.from([...encodeControlFrame(ControlKind.Ack, 1), 9])
    const withLength = encodeControlFrame(ControlKind.Ack, 1)
    withLength[9] = 1
    for (const frame of [withChunk, withLength]) {
      expect(Result.match(decodeControlFrame(frame), { onSuccess: () => "accepted", onFailure: (e) => e.reason })).toBe("LengthMismatch")
    }
  })

  it("never throws on arbitrary bytes", () => {
    fc.assert(fc.property(fc.uint8Array({ maxLength: 64 }), (bytes) => {
      expect(Result.isResult(decodeControlFrame(bytes))).toBe(true)
      const sound = Result.match(decodeFrame(bytes), {
        onFailure: (error) => error instanceof InboundRejected,
        onSuccess: ({ offset, chunk, totalLength }) => offset + chunk.length <= totalLength
      })
      expect(sound).toBe(true)
    }), { numRuns: 2000 })
  })
})
