/**
 * A streaming session: one supervised fiber graph running a compiled pipeline.
 *
 * Each node is a fiber with a bounded inbox; it takes one input at a time, runs its (plain, synchronous)
 * processor and offers the results to its downstream inboxes, suspending while they are full, so a slow
 * node slows its producers down to the caller of `sendInput` (backpressure, bounded memory). End of input
 * travels the graph as end markers: a node flushes once every upstream has ended, and the output ends once
 * every node feeding it has. The node fibers run under one parent: the first failure interrupts the
 * others and ends the session with an `ExecutionError` naming the node. Sessions share nothing.
 *
 * @since 0.1.0
 */
import { Cause, Deferred, Effect, Exit, Option, Queue, Ref, Scope, Stream } from "effect"
import type { TransportData } from "../data/TransportData.ts"
import { ExecutionError, SessionClosed, type ValidationError } from "../errors.ts"
import type { Manifest } from "../manifest/Manifest.ts"
import { INPUT, OUTPUT } from "../manifest/ManifestGraph.ts"
import type { NodeOutput } from "../nodes/NodeDefinition.ts"
import type { CompiledNode, CompiledPipeline } from "./CompiledPipeline.ts"
import { validateInput } from "./validateInput.ts"

/** A running pipeline session. */
export interface StreamSession {
  readonly sessionId: string
  readonly manifest: Manifest
  /** Feeds one input; suspends while the pipeline is full. Fails with `SessionClosed` once closed or failed. */
  readonly sendInput: (data: TransportData) => Effect.Effect<void, SessionClosed | ValidationError>
  /** Signals that no more input follows: nodes flush, and the outputs end once drained. Idempotent. */
  readonly endInput: Effect.Effect<void>
  /** The next output; `None` once the session is closed (or its input ended) and every output was taken. */
  readonly recvOutput: Effect.Effect<Option.Option<TransportData>, ExecutionError>
  /** The outputs as a stream (shares the queue with `recvOutput`: use one or the other). */
  readonly outputs: Stream.Stream<TransportData, ExecutionError>
  /** Stops every node fiber; outputs already produced can still be taken. Idempotent. */
  readonly close: Effect.Effect<void>
  /** `false` once closed, failed, or finished. */
  readonly isActive: Effect.Effect<boolean>
}

/** Session tuning. */
export interface SessionOptions {
  /** Capacity of each node inbox and of the output queue. */
  readonly queueCapacity: number
}

type Envelope = { readonly from: string; readonly item: TransportData } | { readonly from: string; readonly end: true }

const nodeFailure = (nodeId: string, e: unknown) =>
  new ExecutionError({ nodeId, message: `node "${nodeId}" failed: ${e instanceof Error ? e.message : String(e)}` })

/** Runs a processor call, turning throws and effect failures into an `ExecutionError` for `nodeId`. */
const invoke = (nodeId: string, call: () => NodeOutput): Effect.Effect<ReadonlyArray<TransportData>, ExecutionError> => {
  let result: NodeOutput
  try {
    result = call()
  } catch (e) {
    return Effect.fail(nodeFailure(nodeId, e))
  }
  return Effect.isEffect(result) ? Effect.mapError(result, (e) => nodeFailure(nodeId, e)) : Effect.succeed(result)
}

/** Starts a session's fiber graph inside `scope`; closing the scope closes the session. */
export const makeStreamSession = Effect.fnUntraced(function*(
  pipeline: CompiledPipeline,
  scope: Scope.Closeable,
  options: SessionOptions
) {
  const sessionId = crypto.randomUUID()
  const inboxes = new Map<string, Queue.Queue<Envelope>>()
  for (const node of pipeline.nodes) inboxes.set(node.id, yield* Queue.bounded<Envelope>(options.queueCapacity))
  const outputs = yield* Queue.bounded<TransportData, ExecutionError | Cause.Done>(options.queueCapacity)
  const active = yield* Ref.make(true)
  const inputEnded = yield* Deferred.make<void>()
  /** Why the session stopped taking input, for `SessionClosed` messages. */
  const endReason = yield* Ref.make("closed")
  /** Offers to each target; `false` if a target is already shut down (the session is ending). */
  const deliver = (from: string, targets: ReadonlyArray<string>, item: TransportData) =>
    Effect.forEach(targets, (to) => (to === OUTPUT ? Queue.offer(outputs, item) : Queue.offer(inboxes.get(to)!, { from, item }))).pipe(
      Effect.map((accepted) => accepted.every(Boolean))
    )
  const endTargets = (from: string, targets: ReadonlyArray<string>) =>
    Effect.forEach(targets, (to) => (to === OUTPUT ? Effect.void : Queue.offer(inboxes.get(to)!, { from, end: true })), { discard: true })

  const runNode = (node: CompiledNode) =>
    Effect.gen(function*() {
      const processor = yield* Effect.try({
        try: () => node.make({ nodeId: node.id, upstreamCount: node.upstream.length }),
        catch: (e) => nodeFailure(node.id, e)
      })
      const inbox = inboxes.get(node.id)!
      let open = node.upstream.length
      while (open > 0) {
        const envelope = yield* Queue.take(inbox)
        if ("end" in envelope) {
          open--
          continue
        }
        const results = yield* invoke(node.id, () => processor.process(envelope.item, envelope.from))
        for (const result of results) yield* deliver(node.id, node.downstream, result)
      }
      const flush = processor.flush
      if (flush !== undefined) {
        for (const result of yield* invoke(node.id, flush)) yield* deliver(node.id, node.downstream, result)
      }
      yield* endTargets(node.id, node.downstream)
    })

  const stopInboxes = Effect.forEach(inboxes.values(), Queue.shutdown, { discard: true })
  // The session is done once its input has ended and every node has flushed (an `input -> output` edge
  // carries data until endInput, even when every node is already done).
  const graph = Effect.all([
    Effect.forEach(pipeline.nodes, runNode, { concurrency: "unbounded", discard: true }),
    Deferred.await(inputEnded)
  ], { concurrency: "unbounded", discard: true }).pipe(
    Effect.onExit((exit) =>
      Effect.gen(function*() {
        yield* Ref.set(active, false)
        yield* stopInboxes
        const failure = Exit.isFailure(exit) ? Cause.findErrorOption(exit.cause) : Option.none()
        if (Option.isSome(failure)) yield* Ref.set(endReason, `ended because ${failure.value.message}`)
        else if (Exit.isSuccess(exit)) yield* Ref.set(endReason, "finished (its input ended)")
        yield* Option.isSome(failure) ? Queue.fail(outputs, failure.value) : Queue.end(outputs)
      })
    )
  )
  yield* Effect.forkIn(graph, scope, { startImmediately: true })

  const closed = Effect.flatMap(Ref.get(endReason), (reason) => Effect.fail(new SessionClosed({ sessionId, message: `session ${sessionId} is ${reason}` })))
  const session: StreamSession = {
    sessionId,
    manifest: pipeline.manifest,
    sendInput: (data) =>
      Effect.gen(function*() {
        if (!(yield* Ref.get(active))) return yield* closed
        if (yield* Deferred.isDone(inputEnded)) {
          return yield* new SessionClosed({ sessionId, message: `session ${sessionId} takes no more input: endInput was called` })
        }
        yield* validateInput(data.data)
        if (!(yield* deliver(INPUT, pipeline.inputTargets, data))) return yield* closed
      }),
    endInput: Deferred.succeed(inputEnded, undefined).pipe(
      Effect.flatMap((first) => (first ? endTargets(INPUT, pipeline.inputTargets) : Effect.void))
    ),
    recvOutput: Queue.take(outputs).pipe(
      Effect.map(Option.some),
      Effect.catchIf(Cause.isDone, () => Effect.succeedNone)
    ),
    outputs: Stream.fromQueue(outputs),
    close: Scope.close(scope, Exit.void),
    isActive: Ref.get(active)
  }
  return session
})
