import { assert, describe, it } from "@effect/vitest"
import { Effect } from "effect"
import { Manifest } from "@remotemedia/runtime-core"
import * as fc from "fast-check"
import { canonicalJson, manifestKey } from "../../src/session/ManifestKey.ts"

describe("manifestKey", () => {
  it.effect("is the same for both JSON forms of one pipeline, and differs when params or routing do", () =>
    Effect.gen(function*() {
      const contract = yield* Manifest.fromUnknown({
        pipeline: { nodes: [{ id: "gate", type: "NoiseGate", params: { thresholdDb: -40, attackMs: 5 } }], routing: "sender" }
      })
      const v1 = yield* Manifest.fromUnknown({
        version: "v1",
        metadata: { name: "gate" },
        nodes: [{ id: "gate", node_type: "NoiseGate", params: { attackMs: 5, thresholdDb: -40 } }],
        connections: []
      })
      assert.strictEqual(manifestKey(contract), manifestKey(v1))
      const louder = yield* Manifest.fromUnknown({ pipeline: { nodes: [{ id: "gate", type: "NoiseGate", params: { thresholdDb: -30, attackMs: 5 } }] } })
      assert.notStrictEqual(manifestKey(louder), manifestKey(contract))
      assert.notStrictEqual(manifestKey({ ...contract, routing: "broadcast" }), manifestKey(contract))
    }))

  it("canonical JSON does not depend on key order", () => {
    fc.assert(fc.property(fc.dictionary(fc.string(), fc.jsonValue()), (record) => {
      const reversed = Object.fromEntries(Object.entries(record).toReversed())
      assert.strictEqual(canonicalJson(reversed), canonicalJson(record))
      assert.deepStrictEqual(JSON.parse(canonicalJson(record)), JSON.parse(JSON.stringify(record)))
    }))
  })
})
