/**
 * Sample collectors: run a piece of work repeatedly, alternating with its baseline, and record one number
 * per run. Warm-up runs (JIT, codec start-up) are not recorded.
 *
 * @since 0.1.0
 */
import { Effect, Fiber } from "effect"
import { performance } from "node:perf_hooks"

/** CPU seconds (user + system) this process spent since `start`. */
export const cpuSecondsSince = (start: NodeJS.CpuUsage): number => {
  const { user, system } = process.cpuUsage(start)
  return (user + system) / 1e6
}

/** Heap and RSS in bytes after a forced GC (when the process runs with --expose-gc). */
export const memoryNow = (): { readonly heapUsed: number; readonly rss: number } => {
  globalThis.gc?.()
  const { heapUsed, rss } = process.memoryUsage()
  return { heapUsed, rss }
}

/** Milliseconds one call of `work` takes. */
const timed = (work: () => void): number => {
  const start = performance.now()
  work()
  return performance.now() - start
}

/**
 * Milliseconds of each of `runs` calls of two pieces of work, alternating run by run so load from elsewhere
 * on the machine hits both alike; the first `warmup` calls of each (JIT, codec start-up) are not recorded:
 * `[aMs, bMs]`.
 */
export const alternateSync = (
  runs: number,
  warmup: number,
  a: (i: number) => void,
  b: (i: number) => void
): readonly [Array<number>, Array<number>] => {
  const aMs: Array<number> = []
  const bMs: Array<number> = []
  for (let i = 0; i < warmup + runs; i++) {
    const aTime = timed(() => a(i))
    const bTime = timed(() => b(i))
    if (i < warmup) continue
    aMs.push(aTime)
    bMs.push(bTime)
  }
  return [aMs, bMs]
}

/** Milliseconds one run of `work` takes (its result dropped). */
export const elapsed = Effect.fnUntraced(function*<E>(work: Effect.Effect<unknown, E>) {
  const start = performance.now()
  yield* work
  return performance.now() - start
})

/**
 * {@link alternateSync} for effects: run `i` of `a`, then run `i` of `b`, so load from elsewhere on the
 * machine hits both alike; the first `warmup` runs of each are not recorded: `[aMs, bMs]`.
 */
export const alternate = Effect.fnUntraced(function*<EA, EB>(
  runs: number,
  warmup: number,
  a: (i: number) => Effect.Effect<unknown, EA>,
  b: (i: number) => Effect.Effect<unknown, EB>
) {
  const aMs: Array<number> = []
  const bMs: Array<number> = []
  for (let i = 0; i < warmup + runs; i++) {
    const aTime = yield* elapsed(a(i))
    const bTime = yield* elapsed(b(i))
    if (i < warmup) continue
    aMs.push(aTime)
    bMs.push(bTime)
  }
  return [aMs, bMs] as const
})

/**
 * Runs `work` in a detached fiber and dies, naming `what`, if it has not finished within `seconds`; unlike
 * `Effect.timeout` it does not wait for a stuck `work` to be interrupted (a hung call cannot hang the run).
 */
export const finishesWithin = (what: string, seconds: number) => <A, E>(work: Effect.Effect<A, E>): Effect.Effect<A, E> =>
  Effect.gen(function*() {
    const fiber = yield* Effect.forkDetach(work)
    const exit = yield* Fiber.await(fiber).pipe(
      Effect.timeoutOrElse({ duration: `${seconds} seconds`, orElse: () => Effect.die(new Error(`bench: ${what} did not finish within ${seconds} s: it hangs`)) })
    )
    return yield* exit
  })
