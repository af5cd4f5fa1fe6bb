/**
 * Keeps a libavcodec context alive while native work runs on it.
 *
 * With the thread-pool execution a codec call runs on a libuv worker while its fiber waits; interrupting
 * the fiber does not stop the worker. A scope that then frees the context (a peer leaving while its
 * decoder works, a broadcast group closing) frees it under the running call: seen as the event loop stuck
 * for good in `pthread_cond_destroy` of libvpx's worker condition. The guard runs each operation as one
 * uninterruptible critical section and makes the release wait for it; operations after the release fail
 * instead of touching freed memory.
 *
 * @since 0.1.0
 */
import { Effect, Semaphore } from "effect"

/** The guard of one codec context. */
export interface CodecGuard<Closed> {
  /** Runs `operation` alone on the context, to its end even when interrupted; fails with `Closed` after release. */
  readonly run: <A, E>(operation: Effect.Effect<A, E>) => Effect.Effect<A, E | Closed>
  /** Waits for the running operation, then frees with `free`; later `run`s fail. */
  readonly release: (free: () => void) => Effect.Effect<void>
}

/** A guard whose operations fail with `closed()` once the context is released. */
export const makeCodecGuard = <Closed>(closed: () => Closed): CodecGuard<Closed> => {
  const lock = Semaphore.makeUnsafe(1)
  let released = false
  return {
    run: <A, E>(operation: Effect.Effect<A, E>) =>
      Effect.uninterruptible(lock.withPermits(1)(Effect.suspend((): Effect.Effect<A, E | Closed> => released ? Effect.fail(closed()) : operation))),
    release: (free) =>
      lock.withPermits(1)(Effect.sync(() => {
        if (released) return
        released = true
        free()
      }))
  }
}
