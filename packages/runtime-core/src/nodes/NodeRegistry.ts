/**
 * The node types a runner can instantiate. `NodeRegistry.layer` holds the built-in library;
 * `NodeRegistry.layerWith([...])` adds custom node types (a custom type may replace a built-in of the same name).
 *
 * @since 0.1.0
 */
import { Context, Layer } from "effect"
import { builtinNodes } from "./builtin/index.ts"
import type { NodeType } from "./NodeDefinition.ts"

/** Looks node types up by name. */
export class NodeRegistry extends Context.Service<NodeRegistry, {
  readonly get: (type: string) => NodeType | undefined
  readonly types: ReadonlyArray<string>
}>()("@remotemedia/runtime-core/NodeRegistry") {
  /** A registry of exactly these node types. */
  static readonly make = (nodes: ReadonlyArray<NodeType>): NodeRegistry["Service"] => {
    const byType = new Map(nodes.map((n) => [n.type, n]))
    return NodeRegistry.of({ get: (type) => byType.get(type), types: [...byType.keys()] })
  }
  /** The built-in node library. */
  static readonly layer = Layer.succeed(NodeRegistry, NodeRegistry.make(builtinNodes))
  /** The built-in library plus `custom` node types. */
  static readonly layerWith = (custom: ReadonlyArray<NodeType>) =>
    Layer.succeed(NodeRegistry, NodeRegistry.make([...builtinNodes, ...custom]))
}
