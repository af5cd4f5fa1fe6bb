/**
 * Leak checks on `process.getActiveResourcesInfo()`: a snapshot by kind, and an effect that waits (briefly)
 * until the process holds exactly a snapshot's resources again.
 */
import { Effect, Option, Schedule } from "effect"

export type ResourceCounts = Readonly<Record<string, number>>

/** The process's active handles and requests, counted by kind. */
export const activeResources = (): ResourceCounts => {
  const counts: Record<string, number> = {}
  for (const kind of process.getActiveResourcesInfo()) counts[kind] = (counts[kind] ?? 0) + 1
  return counts
}

/**
 * The counts once they equal `before`, or as they are after 1.5 s: libuv closes handles asynchronously
 * and werift's DTLS flights sleep on uncancellable timers for up to 1.5 s after a handshake.
 */
export const resourcesSettledTo = (before: ResourceCounts) =>
  Effect.sync(activeResources).pipe(
    Effect.repeat({ schedule: Schedule.spaced("50 millis"), until: (now) => JSON.stringify(now) === JSON.stringify(before) }),
    Effect.timeoutOption("1500 millis"),
    Effect.map(Option.getOrElse(activeResources))
  )
