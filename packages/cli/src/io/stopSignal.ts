/**
 * SIGINT / SIGTERM as an effect: it completes with the signal's name, so Ctrl-C ends a run the same clean
 * way `--duration` does (summary, shutdown, exit code) instead of killing the process.
 *
 * @since 0.1.0
 */
import { Effect } from "effect"

const signals: ReadonlyArray<NodeJS.Signals> = ["SIGINT", "SIGTERM"]

/** Completes on the first SIGINT or SIGTERM; the handlers are removed when it completes or is interrupted. */
export const stopSignal: Effect.Effect<string> = Effect.callback<string>((resume) => {
  const handlers = signals.map((signal) => [signal, () => {
    removeAll()
    resume(Effect.succeed(signal))
  }] as const)
  const removeAll = () => {
    for (const [signal, handler] of handlers) process.off(signal, handler)
  }
  for (const [signal, handler] of handlers) process.on(signal, handler)
  return Effect.sync(removeAll)
})
