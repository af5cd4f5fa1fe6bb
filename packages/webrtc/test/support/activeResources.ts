/**
 * Leak checks on `process.getActiveResourcesInfo()`: a snapshot by kind, and effects that wait (briefly)
 * until the process holds a snapshot's resources again, exactly or at most.
 */
import { type Duration, Effect, Option, Schedule } from "effect"

export type ResourceCounts = Readonly<Record<string, number>>

/** The process's active handles and requests, counted by kind. */
export const activeResources = (): ResourceCounts => {
  const counts: Record<string, number> = {}
  for (const kind of process.getActiveResourcesInfo()) counts[kind] = (counts[kind] ?? 0) + 1
  return counts
}

/** The resources of each kind beyond those in `before`, counted by kind. */
const resourcesBeyond = (before: ResourceCounts): ResourceCounts => {
  const beyond: Record<string, number> = {}
  for (const [kind, count] of Object.entries(activeResources())) if (count > (before[kind] ?? 0)) beyond[kind] = count - (before[kind] ?? 0)
  return beyond
}

/** `measure()` once it satisfies `settled`, polled every 50 ms, or as it is after `timeout`. */
const settle = (measure: () => ResourceCounts, settled: (counts: ResourceCounts) => boolean, timeout: Duration.Input) =>
  Effect.sync(measure).pipe(
    Effect.repeat({ schedule: Schedule.spaced("50 millis"), until: settled }),
    Effect.timeoutOption(timeout),
    Effect.map(Option.getOrElse(measure))
  )

/**
 * The counts once they equal `before`, or as they are after 1.5 s: libuv closes handles asynchronously
 * and werift's DTLS flights sleep on uncancellable timers for up to 1.5 s after a handshake.
 */
export const resourcesSettledTo = (before: ResourceCounts) =>
  settle(activeResources, (now) => JSON.stringify(now) === JSON.stringify(before), "1500 millis")

/**
 * What is still held beyond `before` once nothing is (`{}`), or after `timeout`. For a snapshot taken
 * while earlier work may still release resources, where only growth is a leak.
 */
export const resourcesLeftBeyond = (before: ResourceCounts, timeout: Duration.Input = "1500 millis") =>
  settle(() => resourcesBeyond(before), (beyond) => Object.keys(beyond).length === 0, timeout)
