/**
 * The snapshot of one connected peer that `listPeers` returns (contract `PeerInfo`).
 *
 * @since 0.1.0
 */
import type { Capability } from "@remotemedia/signaling-protocol"
import type { ConnectionQualityMetrics } from "../peer/ConnectionMetrics.ts"
import type { ConnectionState } from "../peer/PeerActor.ts"

/** Contract `SyncState`. */
export type PeerSyncState = "Unsynced" | "Syncing" | "Synced"

/** A connected peer. */
export interface PeerInfo {
  readonly peerId: string
  readonly connectionState: ConnectionState
  /** What the peer announced to signaling. */
  readonly capabilities: ReadonlyArray<Capability>
  readonly connectedAt: Date
  readonly metrics: ConnectionQualityMetrics
  readonly syncState: PeerSyncState
}
