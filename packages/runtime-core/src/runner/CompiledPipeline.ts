/**
 * A manifest checked against a `NodeRegistry`: every node type known and its params decoded, edges
 * de-duplicated and indexed for the session graph. Compiled once per manifest; each session instantiates
 * fresh processors from it.
 *
 * @since 0.1.0
 */
import { Effect, Result } from "effect"
import { InvalidManifest } from "../errors.ts"
import type { Manifest } from "../manifest/Manifest.ts"
import { INPUT } from "../manifest/ManifestGraph.ts"
import type { NodeContext, NodeProcessor } from "../nodes/NodeDefinition.ts"
import type { NodeRegistry } from "../nodes/NodeRegistry.ts"

/** One node, ready to instantiate. */
export interface CompiledNode {
  readonly id: string
  readonly type: string
  readonly make: (context: NodeContext) => NodeProcessor
  /** Distinct upstream ids (node ids or `"input"`). */
  readonly upstream: ReadonlyArray<string>
  /** Distinct downstream ids (node ids or `"output"`). */
  readonly downstream: ReadonlyArray<string>
}

/** The executable form of a manifest. */
export interface CompiledPipeline {
  readonly manifest: Manifest
  /** In topological order. */
  readonly nodes: ReadonlyArray<CompiledNode>
  /** Where session inputs go (node ids or `"output"`). */
  readonly inputTargets: ReadonlyArray<string>
}

const distinct = (xs: ReadonlyArray<string>) => [...new Set(xs)]

/** Resolves node types and decodes params; fails with `InvalidManifest` naming the node. */
export const compilePipeline = (
  manifest: Manifest,
  registry: NodeRegistry["Service"]
): Effect.Effect<CompiledPipeline, InvalidManifest> =>
  Effect.suspend(() => {
    const factories = new Map<string, (context: NodeContext) => NodeProcessor>()
    for (const node of manifest.nodes) {
      const definition = registry.get(node.type)
      if (definition === undefined) {
        return Effect.fail(new InvalidManifest({
          message: `invalid manifest: node "${node.id}" has unknown type "${node.type}" (known: ${registry.types.join(", ")})`
        }))
      }
      const prepared = definition.prepare(node.params)
      if (Result.isFailure(prepared)) {
        return Effect.fail(new InvalidManifest({
          message: `invalid manifest: node "${node.id}" (${node.type}) has bad params: ${prepared.failure}`
        }))
      }
      factories.set(node.id, prepared.success)
    }
    const edges = manifest.edges
    const byId = new Map(manifest.nodes.map((n) => [n.id, n]))
    const nodes = manifest.order.map((id): CompiledNode => ({
      id,
      type: byId.get(id)!.type,
      make: factories.get(id)!,
      upstream: distinct(edges.filter((e) => e.to === id).map((e) => e.from)),
      downstream: distinct(edges.filter((e) => e.from === id).map((e) => e.to))
    }))
    return Effect.succeed({
      manifest,
      nodes,
      inputTargets: distinct(edges.filter((e) => e.from === INPUT).map((e) => e.to))
    })
  })
