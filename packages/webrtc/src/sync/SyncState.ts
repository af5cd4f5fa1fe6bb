/**
 * The per-peer synchronisation state of the contract: `Unsynced` (no sender report yet), `Syncing`
 * (reports seen, estimate not yet stable), `Synced` (every stream with media has a stable mapping).
 *
 * @since 0.1.0
 */

export type SyncState = "Unsynced" | "Syncing" | "Synced"

/** The `SyncState` values, for callers that prefer constants to string literals. */
export const SyncState = { Unsynced: "Unsynced", Syncing: "Syncing", Synced: "Synced" } as const

/** What the state machine needs to know about one stream of a peer. */
export interface StreamSyncInput {
  /** Sender reports applied on the stream's current timeline (0: no mapping). */
  readonly reports: number
}

/**
 * The state implied by a peer's streams: Unsynced without any report, Synced when every stream has at
 * least `stableAfterReports` reports on its current timeline, Syncing otherwise. A timeline reset drops
 * a stream's report count, which moves the peer back to Syncing.
 */
export const deriveSyncState = (streams: Iterable<StreamSyncInput>, stableAfterReports: number): SyncState => {
  let any = false
  let all = true
  let count = 0
  for (const stream of streams) {
    count++
    if (stream.reports > 0) any = true
    if (stream.reports < stableAfterReports) all = false
  }
  if (!any) return "Unsynced"
  return all && count > 0 ? "Synced" : "Syncing"
}
