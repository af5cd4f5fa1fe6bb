/**
 * What a pipeline node is: a type name, a Schema for its params, and a factory for its per-session processor.
 *
 * Processors are plain, synchronous, typed-array code on the hot path. A custom node that must wait (a model
 * call, I/O) may return an `Effect` instead of an array; the runner awaits it inside the node's fiber.
 *
 * @since 0.1.0
 */
import { Result, Schema } from "effect"
import type { Effect } from "effect"
import type { TransportData } from "../data/TransportData.ts"

/** Zero or more outputs, now or after an effect. */
export type NodeOutput = ReadonlyArray<TransportData> | Effect.Effect<ReadonlyArray<TransportData>, unknown>

/** One node instance inside one session. It owns its state; the runner calls it from one fiber only. */
export interface NodeProcessor {
  /** Handles one input; `from` is the upstream node id, or `"input"`. Throwing fails the session. */
  readonly process: (input: TransportData, from: string) => NodeOutput
  /** Called once after every upstream has ended: emit what is still buffered. */
  readonly flush?: () => NodeOutput
}

/** Facts about the node instance being created. */
export interface NodeContext {
  readonly nodeId: string
  /** How many edges feed this node. */
  readonly upstreamCount: number
}

/** How a node type is written: `P` is the decoded params type. */
export interface NodeDefinition<P> {
  readonly type: string
  /** Decodes the manifest's raw `params` (defaults included); a failure makes the manifest invalid. */
  readonly params: Schema.Decoder<P>
  readonly make: (params: P, context: NodeContext) => NodeProcessor
}

/** A registrable node type, its params type erased: `prepare` decodes params once per manifest. */
export interface NodeType {
  readonly type: string
  readonly prepare: (params: unknown) => Result.Result<(context: NodeContext) => NodeProcessor, string>
}

/** Defines a node type from its params Schema and processor factory. */
export const defineNode = <P>(definition: NodeDefinition<P>): NodeType => {
  const decode = Schema.decodeUnknownResult(definition.params)
  return {
    type: definition.type,
    prepare: (raw) =>
      Result.match(decode(raw, { errors: "all" }), {
        onSuccess: (params) => Result.succeed((context: NodeContext) => definition.make(params, context)),
        onFailure: (error) => Result.fail(error.message)
      })
  }
}
