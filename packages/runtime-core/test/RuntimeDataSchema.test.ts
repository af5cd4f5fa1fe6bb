import { assert, describe, it } from "@effect/vitest"
import { Result, Schema } from "effect"
import { audio, binary, json, text, TransportData, TransportDataSchema } from "@remotemedia/runtime-core"

const decode = Schema.decodeUnknownResult(TransportDataSchema)

describe("TransportDataSchema", () => {
  it("accepts every RuntimeData variant and keeps typed arrays as they are (no copy)", () => {
    const samples = new Float32Array([0.1, -0.1])
    for (const data of [audio(samples, 48_000, 2, 5), text("hi"), binary(new Uint8Array([1, 2])), json({ a: [1] })]) {
      const input = TransportData.make(data, { sequence: 3, metadata: { peer_id: "alice" } })
      const decoded = decode(input)
      assert(Result.isSuccess(decoded))
      assert.deepStrictEqual(decoded.success, input)
    }
    const decoded = decode(TransportData.make(audio(samples, 48_000)))
    assert(Result.isSuccess(decoded))
    assert.strictEqual((decoded.success.data as { samples: Float32Array }).samples, samples)
  })

  it("rejects malformed data with a message naming the field", () => {
    const bad = decode({ data: { _tag: "Audio", samples: [0.1], sampleRate: 48_000, channels: 1 }, metadata: {} })
    assert(Result.isFailure(bad))
    assert.include(bad.failure.message, `["samples"]`)
    const noMetadata = decode({ data: { _tag: "Text", text: "x" } })
    assert(Result.isFailure(noMetadata))
    assert.include(noMetadata.failure.message, `["metadata"]`)
  })
})
