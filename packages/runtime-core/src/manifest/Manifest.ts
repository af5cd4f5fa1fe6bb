/**
 * Pipeline manifests: both accepted JSON forms, decoded with Schemas and normalised to one `ManifestGraph`.
 *
 * - Contract form: `{"pipeline":{"nodes":[{id,type,params?}],"graph":[{from,to}],"routing"?}}` where
 *   `input`/`output` are implicit endpoints. Without `graph`, nodes are chained in the order listed.
 *   The contract's own example edge `{"from":"input","to":"audio_processor","to":"output"}` has a duplicate
 *   key; `JSON.parse` keeps the last one, so that edge is `input -> output` and the node is left unconnected
 *   (it is still instantiated, it just receives nothing). We accept exactly what `JSON.parse` gives.
 * - v1 form: `{"version":"v1","metadata":{"name"?,"routing"?},"nodes":[{id,node_type,params?,is_output_node?}],
 *   "connections":[{from,to}]}`. Nodes nobody connects to are fed from `input`; nodes flagged
 *   `is_output_node` (or, when none is flagged, nodes that feed nobody) feed `output`.
 *
 * Node types and params are checked against the `NodeRegistry` when a runner compiles the manifest.
 *
 * @since 0.1.0
 */
import { Effect, Schema } from "effect"
import { InvalidManifest } from "../errors.ts"
import { checkGraph, INPUT, type ManifestEdge, type ManifestGraph, type ManifestNode, OUTPUT } from "./ManifestGraph.ts"

/** Where a streaming session's outputs go: back to the input's `peer_id` ("sender") or to every peer. */
export const Routing = Schema.Literals(["sender", "broadcast"])
export type Routing = typeof Routing.Type

const Edge = Schema.Struct({ from: Schema.String, to: Schema.String })

/** The contract's manifest form. */
export const ContractManifestJson = Schema.Struct({
  pipeline: Schema.Struct({
    nodes: Schema.Array(Schema.Struct({ id: Schema.String, type: Schema.String, params: Schema.optional(Schema.Unknown) })),
    graph: Schema.optional(Schema.Array(Edge)),
    routing: Schema.optional(Routing)
  })
})

/** The original SDK's `version: "v1"` manifest form. */
export const V1ManifestJson = Schema.Struct({
  version: Schema.Literal("v1"),
  metadata: Schema.optional(Schema.Struct({ name: Schema.optional(Schema.String), routing: Schema.optional(Routing) })),
  nodes: Schema.Array(Schema.Struct({
    id: Schema.String,
    node_type: Schema.String,
    params: Schema.optional(Schema.Unknown),
    is_output_node: Schema.optional(Schema.Boolean)
  })),
  connections: Schema.Array(Edge)
})

/** A parsed, structurally valid pipeline. */
export interface Manifest extends ManifestGraph {
  readonly name?: string | undefined
  readonly routing: Routing
}

const decodeContract = Schema.decodeUnknownEffect(ContractManifestJson)
const decodeV1 = Schema.decodeUnknownEffect(V1ManifestJson)

const fromContract = (json: typeof ContractManifestJson.Type) => {
  const nodes: Array<ManifestNode> = json.pipeline.nodes.map((n) => ({ id: n.id, type: n.type, params: n.params ?? {} }))
  const chain = [INPUT, ...nodes.map((n) => n.id), OUTPUT]
  const edges = json.pipeline.graph ?? chain.slice(1).map((to, i) => ({ from: chain[i]!, to }))
  return { nodes, edges, routing: json.pipeline.routing, name: undefined }
}

const fromV1 = (json: typeof V1ManifestJson.Type) => {
  const nodes: Array<ManifestNode> = json.nodes.map((n) => ({ id: n.id, type: n.node_type, params: n.params ?? {} }))
  const fed = new Set(json.connections.map((c) => c.to))
  const feeding = new Set(json.connections.map((c) => c.from))
  const flagged = json.nodes.filter((n) => n.is_output_node === true).map((n) => n.id)
  const outputs = flagged.length > 0 ? flagged : nodes.filter((n) => !feeding.has(n.id)).map((n) => n.id)
  const edges: Array<ManifestEdge> = [
    ...nodes.filter((n) => !fed.has(n.id)).map((n) => ({ from: INPUT, to: n.id })),
    ...json.connections,
    ...outputs.map((id) => ({ from: id, to: OUTPUT }))
  ]
  return { nodes, edges, routing: json.metadata?.routing, name: json.metadata?.name }
}

const invalid = (message: string) => new InvalidManifest({ message: `invalid manifest: ${message}` })

const isRecord = (u: unknown): u is Record<string, unknown> => typeof u === "object" && u !== null && !Array.isArray(u)

/** Manifest parsing. */
export const Manifest = {
  /** Decodes an already-parsed JSON value in either form. */
  fromUnknown: Effect.fn("Manifest.fromUnknown")(function*(value: unknown) {
    if (!isRecord(value)) return yield* invalid("expected a JSON object")
    const form = "pipeline" in value
      ? yield* Effect.map(decodeContract(value, { errors: "all" }), fromContract)
      : "version" in value
      ? yield* Effect.map(decodeV1(value, { errors: "all" }), fromV1)
      : yield* invalid(`expected a "pipeline" object (contract form) or "version": "v1"`)
    const checked = checkGraph(form.nodes, form.edges)
    if ("problem" in checked) return yield* invalid(checked.problem)
    const manifest: Manifest = { ...checked.graph, name: form.name, routing: form.routing ?? "sender" }
    return manifest
  }, Effect.catchTag("SchemaError", (e) => Effect.fail(invalid(e.message)))),

  /** Parses JSON text in either form. */
  fromJson: (text: string): Effect.Effect<Manifest, InvalidManifest> =>
    Effect.try({ try: () => JSON.parse(text) as unknown, catch: (e) => invalid(`not JSON: ${String(e)}`) }).pipe(
      Effect.flatMap(Manifest.fromUnknown)
    )
} as const
