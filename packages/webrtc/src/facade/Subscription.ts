/**
 * An Effect `Stream` as a Promise-world async iterator that is subscribed the moment it is created (so a
 * caller can subscribe, then connect, and miss nothing) and that ends, instead of hanging, when its owner
 * closes it.
 *
 * @since 0.1.0
 */
import { Cause, Effect, Exit, Fiber, Option, Queue, Stream } from "effect"

/** Forks the stream's fiber in the owner's runtime, so the runtime's disposal interrupts it too. */
export type RunFork = <A, E>(effect: Effect.Effect<A, E>) => Fiber.Fiber<A, E>

/** A live subscription: iterate it with `for await`; `close` (or breaking out of the loop) ends it. */
export interface Subscription<A> extends AsyncIterableIterator<A> {
  readonly close: () => Promise<void>
}

/**
 * Subscribes to `stream` now. Elements are buffered until read, without bound: read them, or close the
 * subscription you no longer need. A stream that fails makes `next()` reject with its error (a tagged
 * error instance). `onClose` runs once when it ends, whatever ended it.
 */
export const subscribe = <A, E>(runFork: RunFork, stream: Stream.Stream<A, E>, onClose: () => void): Subscription<A> => {
  const queue = Effect.runSync(Queue.unbounded<A, E | Cause.Done>())
  // The stream runs until it ends or the subscription is closed; either way the queue ends so readers wake.
  const pump = runFork(
    Stream.runIntoQueue(stream, queue).pipe(Effect.ensuring(Queue.end(queue)))
  )
  let closed: Promise<void> | undefined
  const close = (): Promise<void> => {
    closed ??= Effect.runPromise(Fiber.interrupt(pump).pipe(Effect.andThen(Queue.end(queue)))).then(onClose)
    return closed
  }
  const done: IteratorReturnResult<undefined> = { done: true, value: undefined }
  const iterator: Subscription<A> = {
    close,
    async next() {
      // The queue needs no services: reading it outlives the owner's runtime, so buffered elements survive close.
      const exit = await Effect.runPromiseExit(Queue.take(queue))
      if (Exit.isSuccess(exit)) return { done: false, value: exit.value }
      await close()
      const failure = Cause.findErrorOption(exit.cause)
      if (Option.isSome(failure) && !Cause.isDone(failure.value)) throw failure.value
      return done
    },
    async return() {
      await close()
      return done
    },
    [Symbol.asyncIterator]: () => iterator
  }
  return iterator
}
