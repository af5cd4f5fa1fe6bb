/**
 * The pipeline runner service: unary execution and streaming sessions over manifests, with node types
 * from the `NodeRegistry`.
 *
 * Every session's fibers live in a child scope of the runner's layer scope: a session ends when it is
 * closed, when one of its nodes fails, or when the runner layer is torn down.
 *
 * @since 0.1.0
 */
import { Context, Duration, Effect, Exit, Layer, Scope, Stream } from "effect"
import { audio, type Audio, isAudio } from "../data/RuntimeData.ts"
import { TransportData } from "../data/TransportData.ts"
import { ExecutionError, type InvalidManifest, PipelineTimeout, type SessionClosed, SessionCreationFailed, type ValidationError } from "../errors.ts"
import type { Manifest } from "../manifest/Manifest.ts"
import { NodeRegistry } from "../nodes/NodeRegistry.ts"
import { compilePipeline } from "./CompiledPipeline.ts"
import { makeStreamSession, type StreamSession } from "./StreamSession.ts"

/** Errors of a unary execution. */
export type ExecuteError = InvalidManifest | ExecutionError | ValidationError | PipelineTimeout | SessionClosed

/** Runner tuning; `PipelineRunner.layer` uses `PipelineRunner.defaults`. */
export interface PipelineRunnerOptions {
  /** Unary executions fail with `PipelineTimeout` after this long (contract: 30 s). */
  readonly unaryTimeout: Duration.Input
  /** Capacity of each node inbox and session output queue (frames). */
  readonly queueCapacity: number
}

/** Joins the outputs of a unary run into one: a single output as is, several audio frames concatenated. */
const joinOutputs = (outputs: ReadonlyArray<TransportData>): TransportData | undefined => {
  const first = outputs[0]
  if (outputs.length <= 1 || first === undefined || !isAudio(first.data)) return first
  const head = first.data
  const frames = outputs.map((o) => o.data).filter((d): d is Audio => isAudio(d))
  if (frames.length !== outputs.length || frames.some((f) => f.sampleRate !== head.sampleRate || f.channels !== head.channels)) return first
  const samples = new Float32Array(frames.reduce((n, f) => n + f.samples.length, 0))
  let offset = 0
  for (const f of frames) {
    samples.set(f.samples, offset)
    offset += f.samples.length
  }
  return TransportData.withData(first, audio(samples, head.sampleRate, head.channels, head.timestampUs))
}

/** Runs pipelines. */
export class PipelineRunner extends Context.Service<PipelineRunner, {
  /** Checks node types and params against the registry (without starting anything). */
  readonly validate: (manifest: Manifest) => Effect.Effect<void, InvalidManifest>
  /**
   * Runs `input` through the pipeline and returns its output. When the pipeline emits several outputs,
   * audio frames of one format are concatenated; otherwise the first output is returned
   * (`executeUnaryAll` returns them all).
   */
  readonly executeUnary: (manifest: Manifest, input: TransportData) => Effect.Effect<TransportData, ExecuteError>
  /** Runs `input` through the pipeline and returns every output, in order. */
  readonly executeUnaryAll: (manifest: Manifest, input: TransportData) => Effect.Effect<ReadonlyArray<TransportData>, ExecuteError>
  /** Starts a streaming session; close it with `session.close` (or it ends with the runner). */
  readonly createStreamSession: (manifest: Manifest) => Effect.Effect<StreamSession, InvalidManifest | SessionCreationFailed>
}>()("@remotemedia/runtime-core/PipelineRunner") {
  static readonly defaults: PipelineRunnerOptions = { unaryTimeout: "30 seconds", queueCapacity: 16 }

  /** Builds a runner with `options`; needs a `NodeRegistry`. */
  static readonly make = Effect.fnUntraced(function*(options: PipelineRunnerOptions) {
    const registry = yield* NodeRegistry
    const runnerScope = yield* Effect.scope
    const timeoutMs = Duration.toMillis(Duration.fromInputUnsafe(options.unaryTimeout))

    const startSession = (manifest: Manifest, scope: Scope.Closeable) =>
      compilePipeline(manifest, registry).pipe(
        Effect.flatMap((pipeline) => makeStreamSession(pipeline, scope, { queueCapacity: options.queueCapacity }))
      )

    const executeUnaryAll = Effect.fn("PipelineRunner.executeUnaryAll")(
      function*(manifest: Manifest, input: TransportData) {
        const session = yield* startSession(manifest, yield* Scope.fork(yield* Effect.scope))
        yield* session.sendInput(input)
        yield* session.endInput
        return yield* Stream.runCollect(session.outputs)
      },
      Effect.scoped,
      Effect.timeoutOrElse({
        duration: timeoutMs,
        orElse: () => Effect.fail(new PipelineTimeout({ afterMs: timeoutMs, message: `pipeline did not finish within ${timeoutMs} ms` }))
      })
    )

    return PipelineRunner.of({
      validate: (manifest) => Effect.asVoid(compilePipeline(manifest, registry)),
      executeUnaryAll,
      executeUnary: Effect.fn("PipelineRunner.executeUnary")(function*(manifest: Manifest, input: TransportData) {
        const output = joinOutputs(yield* executeUnaryAll(manifest, input))
        if (output === undefined) return yield* new ExecutionError({ nodeId: "output", message: "the pipeline produced no output" })
        return output
      }),
      createStreamSession: Effect.fn("PipelineRunner.createStreamSession")(function*(manifest: Manifest) {
        const scope = yield* Scope.fork(runnerScope)
        return yield* startSession(manifest, scope).pipe(
          Effect.catchDefect((defect) => Effect.fail(new SessionCreationFailed({ message: `could not start the session: ${String(defect)}` }))),
          Effect.onError(() => Scope.close(scope, Exit.void))
        )
      })
    })
  })

  /** The runner with the contract's defaults; needs a `NodeRegistry`. */
  static readonly layer = Layer.effect(PipelineRunner, PipelineRunner.make(PipelineRunner.defaults))

  /** The runner with custom options; needs a `NodeRegistry`. */
  static readonly layerWith = (options: Partial<PipelineRunnerOptions>) =>
    Layer.effect(PipelineRunner, PipelineRunner.make({ ...PipelineRunner.defaults, ...options }))
}
