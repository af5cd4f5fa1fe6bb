import { describe, expect, it } from "@effect/vitest"
import { Result } from "effect"
import * as fc from "fast-check"
import { InvalidData } from "../../src/errors.ts"
import { type DataChannelMessage, decodePayload, encodePayload, FrameCodec } from "../../src/datachannel/index.ts"

const roundTrip = (message: DataChannelMessage) => {
  const { kind, bytes } = Result.getOrThrow(encodePayload(message))
  return Result.getOrThrow(decodePayload(kind, bytes))
}

describe("messagePayload", () => {
  it("round-trips every kind: bytes identical, text identical, JSON equal", () => {
    fc.assert(fc.property(fc.uint8Array(), fc.string({ unit: "grapheme" }), fc.jsonValue(), (bytes, text, json) => {
      expect(roundTrip({ _tag: "Binary", payload: bytes })).toEqual({ _tag: "Binary", payload: bytes })
      expect(roundTrip({ _tag: "Text", payload: text })).toEqual({ _tag: "Text", payload: text })
      // JSON has no -0: compare with what JSON itself makes of the value.
      expect(roundTrip({ _tag: "Json", payload: json })).toEqual({ _tag: "Json", payload: JSON.parse(JSON.stringify(json)) })
    }))
  })

  it("refuses Json payloads that JSON cannot represent with InvalidData", () => {
    const cyclic: Record<string, unknown> = {}
    cyclic.self = cyclic
    for (const payload of [cyclic, 10n, undefined, () => 1]) {
      const failure = Result.match(encodePayload({ _tag: "Json", payload }), { onFailure: (e) => e, onSuccess: () => undefined })
      expect(failure).toBeInstanceOf(InvalidData)
    }
  })

  it("rejects invalid UTF-8 and invalid JSON from the wire", () => {
    const reason = (kind: FrameCodec.FrameKind, bytes: Uint8Array) =>
      Result.match(decodePayload(kind, bytes), { onSuccess: () => "accepted", onFailure: (e) => e.reason })
    expect(reason(FrameCodec.FrameKind.Text, Uint8Array.of(0xc3, 0x28))).toBe("InvalidText")
    expect(reason(FrameCodec.FrameKind.Json, new TextEncoder().encode("{\"a\":"))).toBe("InvalidJson")
  })
})
