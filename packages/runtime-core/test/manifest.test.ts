import { assert, describe, it } from "@effect/vitest"
import { Effect, Layer } from "effect"
import { InvalidManifest, Manifest, NodeRegistry, PipelineRunner } from "@remotemedia/runtime-core"

const Runner = PipelineRunner.layer.pipe(Layer.provide(NodeRegistry.layer))

/** Parses and validates against the built-in registry; the error message or "ok". */
const check = (value: unknown) =>
  Manifest.fromUnknown(value).pipe(
    Effect.tap((m) => PipelineRunner.use((r) => r.validate(m))),
    Effect.as("ok"),
    Effect.catchTag("InvalidManifest", (e) => Effect.succeed(e.message)),
    Effect.provide(Runner)
  )

const contract = (nodes: ReadonlyArray<object>, graph?: ReadonlyArray<object>) => ({ pipeline: graph ? { nodes, graph } : { nodes } })
const v1 = (nodes: ReadonlyArray<object>, connections: ReadonlyArray<object>) => ({ version: "v1", metadata: { name: "t" }, nodes, connections })

const table: ReadonlyArray<readonly [string, unknown, string]> = [
  ["contract: gate to output", contract([{ id: "g", type: "NoiseGate", params: {} }], [{ from: "input", to: "g" }, { from: "g", to: "output" }]), "ok"],
  ["contract: no graph chains nodes", contract([{ id: "a", type: "Gain" }, { id: "b", type: "PassThrough" }]), "ok"],
  ["contract: the spec's duplicate-key example", JSON.parse(`{"pipeline":{"nodes":[{"id":"audio_processor","type":"AudioProcessor"}],"graph":[{"from":"input","to":"audio_processor","to":"output"}]}}`), "ok"],
  ["v1: chain with is_output_node", v1([{ id: "a", node_type: "Gain", params: { gainDb: -6 } }, { id: "b", node_type: "VAD", is_output_node: true }], [{ from: "a", to: "b" }]), "ok"],
  ["v1: fan-out / fan-in", v1([{ id: "s", node_type: "PassThrough" }, { id: "x", node_type: "Gain" }, { id: "y", node_type: "Gain" }, { id: "m", node_type: "Mixer" }], [{ from: "s", to: "x" }, { from: "s", to: "y" }, { from: "x", to: "m" }, { from: "y", to: "m" }]), "ok"],
  ["unknown node type", contract([{ id: "n1", type: "Reverb" }]), `node "n1" has unknown type "Reverb"`],
  ["duplicate id", contract([{ id: "a", type: "Gain" }, { id: "a", type: "Gain" }]), `duplicate node id "a"`],
  ["dangling edge", contract([{ id: "a", type: "Gain" }], [{ from: "input", to: "a" }, { from: "a", to: "ghost" }, { from: "a", to: "output" }]), `edge "a" -> "ghost" ends at unknown node "ghost"`],
  ["dangling v1 edge", v1([{ id: "a", node_type: "Gain" }], [{ from: "nope", to: "a" }]), `starts at unknown node "nope"`],
  ["cycle", contract([{ id: "a", type: "Gain" }, { id: "b", type: "Gain" }], [{ from: "input", to: "a" }, { from: "a", to: "b" }, { from: "b", to: "a" }, { from: "b", to: "output" }]), `cycle through node(s) "a", "b"`],
  ["self loop", contract([{ id: "a", type: "Gain" }], [{ from: "a", to: "a" }, { from: "a", to: "output" }]), `edge "a" -> "a" is a cycle`],
  ["bad params (type)", contract([{ id: "g", type: "Gain", params: { gainDb: "loud" } }]), `node "g" (Gain) has bad params: Expected number\n  at ["gainDb"]`],
  ["bad params (range)", contract([{ id: "r", type: "Resample", params: { targetRate: -1 } }]), `node "r" (Resample) has bad params`],
  ["bad params (v1 mixer mode)", v1([{ id: "m", node_type: "Mixer", params: { mode: "loud" } }], []), `node "m" (Mixer) has bad params`],
  ["empty pipeline", contract([]), "empty pipeline"],
  ["empty v1 pipeline", v1([], []), "empty pipeline"],
  ["reserved id", contract([{ id: "output", type: "Gain" }]), `node id "output" is reserved`],
  ["no output", contract([{ id: "a", type: "Gain" }], [{ from: "input", to: "a" }]), `no edge reaches "output"`],
  ["missing field", { pipeline: { nodes: [{ id: "a" }] } }, `Missing key\n  at ["pipeline"]["nodes"][0]["type"]`],
  ["neither form", { nodes: [] }, `expected a "pipeline" object`],
  ["not an object", [1, 2], "expected a JSON object"]
]

describe("Manifest", () => {
  for (const [name, value, expected] of table) {
    it.effect(name, () =>
      Effect.gen(function*() {
        const result = yield* check(value)
        if (expected === "ok") assert.strictEqual(result, "ok")
        else assert.include(result, expected)
      }))
  }

  it.effect("normalises both forms to the same graph, with routing", () =>
    Effect.gen(function*() {
      const a = yield* Manifest.fromJson(JSON.stringify({
        pipeline: { nodes: [{ id: "g", type: "Gain" }], graph: [{ from: "input", to: "g" }, { from: "g", to: "output" }], routing: "broadcast" }
      }))
      const b = yield* Manifest.fromUnknown({ version: "v1", metadata: { routing: "broadcast" }, nodes: [{ id: "g", node_type: "Gain" }], connections: [] })
      assert.deepStrictEqual(a.edges, b.edges)
      assert.deepStrictEqual([a.routing, b.routing], ["broadcast", "broadcast"])
      const plain = yield* Manifest.fromUnknown(contract([{ id: "g", type: "Gain" }]))
      assert.strictEqual(plain.routing, "sender")
    }))

  it.effect("rejects text that is not JSON", () =>
    Effect.gen(function*() {
      const error = yield* Effect.flip(Manifest.fromJson("{pipeline"))
      assert.instanceOf(error, InvalidManifest)
      assert.include(error.message, "not JSON")
    }))
})
