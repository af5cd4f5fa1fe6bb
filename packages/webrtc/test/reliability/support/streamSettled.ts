/**
 * Waits for a received stream to end: a stream over a lossy path never says it is complete, so "done" is
 * `expected` items or no growth between two reads 300 ms apart (the jitter buffer released what it had).
 */
import { Effect, Schedule } from "effect"

/** Resolves once `count()` reaches `expected` or stops growing; fails loudly after 10 s. */
export const streamSettled = (count: () => number, expected: number) => {
  let seen = -1
  return Effect.sync(count).pipe(
    Effect.repeat({ schedule: Schedule.spaced("300 millis"), until: (n) => n >= expected || (n === seen ? true : ((seen = n), false)) }),
    Effect.timeout("10 seconds")
  )
}
