/**
 * Who reads the statistics of the sync managers made in a context. The transport provides one per peer
 * connection, so `listPeers` reports each peer's jitter buffers; by default nobody observes.
 *
 * @since 0.1.0
 */
import { Context, type Effect } from "effect"
import type { StreamSyncStats } from "./PeerSync.ts"

/** Receives a new sync manager's statistics reader (valid for the manager's lifetime). */
export type SyncStatsObserver = (stats: Effect.Effect<ReadonlyArray<StreamSyncStats>>) => void

/** The observer of sync managers made in this context. */
export const SyncStatsObserver = Context.Reference<SyncStatsObserver>("@remotemedia/webrtc/SyncStatsObserver", {
  defaultValue: () => () => undefined
})
