/**
 * The transport's pipeline sessions: unary `execute`, and `stream` with one live routed session per
 * manifest (the contract's resource table: asking again for the same manifest returns the same session).
 *
 * "The same manifest" means the same nodes, params, edges and routing (`manifestKey`), whichever JSON form
 * or object it came from; routing given in the session options counts as the manifest's. A session leaves
 * the registry when it ends (closed, failed, or finished after `endInput`): the next `stream` starts a new one.
 *
 * @since 0.1.0
 */
import { Effect, Exit, Option, Scope, Semaphore } from "effect"
import {
  type InvalidManifest,
  type Manifest,
  NodeRegistry,
  PipelineRunner,
  type SessionCreationFailed,
  type TransportData
} from "@remotemedia/runtime-core"
import { manifestKey } from "./ManifestKey.ts"
import type { SessionOptions } from "./SessionOptions.ts"
import * as SessionRouter from "./SessionRouter.ts"

/**
 * The context's `PipelineRunner` when there is one (a custom node library, other limits), or else one with
 * the built-in nodes and the contract's 30 s unary timeout, for the current scope.
 */
export const resolveRunner: Effect.Effect<PipelineRunner["Service"], never, Scope.Scope> = Effect.serviceOption(PipelineRunner).pipe(
  Effect.flatMap(Option.match({
    onSome: Effect.succeed,
    onNone: () => PipelineRunner.make(PipelineRunner.defaults).pipe(Effect.provide(NodeRegistry.layer))
  }))
)

/** Makes the registry for the current scope; closing the scope closes every session. */
export const make = Effect.fnUntraced(function*(runner: PipelineRunner["Service"], io: SessionRouter.SessionIo) {
  const registryScope = yield* Effect.scope
  const live = new Map<string, SessionRouter.RoutedSession>()
  const lock = yield* Semaphore.make(1)

  const start = (key: string, manifest: Manifest, options: SessionOptions) =>
    Effect.gen(function*() {
      yield* runner.validate(manifest)
      const scope = yield* Scope.fork(registryScope)
      const session = yield* SessionRouter.make({ runner, manifest, io, media: options.media ?? ["audio", "video"] }).pipe(
        Scope.provide(scope),
        Effect.onError(() => Scope.close(scope, Exit.void))
      )
      live.set(key, session)
      yield* Scope.addFinalizer(scope, Effect.sync(() => live.get(key) === session && live.delete(key)))
      return session
    })

  /**
   * The live session for `manifest` (with `options.routing` overriding its own), started if there is none.
   * Fails with `InvalidManifest` when the runner cannot instantiate it.
   */
  const stream = (
    manifest: Manifest,
    options: SessionOptions = {}
  ): Effect.Effect<SessionRouter.RoutedSession, InvalidManifest | SessionCreationFailed> => {
    const resolved: Manifest = options.routing === undefined ? manifest : { ...manifest, routing: options.routing }
    const key = manifestKey(resolved)
    return lock.withPermits(1)(Effect.suspend(() => {
      const existing = live.get(key)
      return existing === undefined ? start(key, resolved, options) : Effect.succeed(existing)
    }))
  }

  return {
    /** Runs one input through `manifest` locally (no peers involved), within the runner's 30 s timeout. */
    execute: (manifest: Manifest, input: TransportData) => runner.executeUnary(manifest, input),
    stream,
    /** The live sessions. */
    sessions: Effect.sync(() => [...live.values()]),
    /** Closes every live session. */
    closeAll: Effect.suspend(() => Effect.forEach([...live.values()], (session) => session.close, { discard: true }))
  }
})

/** The sessions of one transport. */
export type SessionRegistry = Effect.Success<ReturnType<typeof make>>

