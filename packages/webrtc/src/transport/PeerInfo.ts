/**
 * The snapshot of one connected peer that `listPeers` returns (contract `PeerInfo`).
 *
 * @since 0.1.0
 */
import type { Capability } from "@remotemedia/signaling-protocol"
import type { ConnectionQualityMetrics } from "../peer/ConnectionMetrics.ts"
import type { ConnectionState } from "../peer/PeerActor.ts"

import type { SyncState } from "../sync/SyncState.ts"

/** Contract `SyncState` (the sync module's). */
export type PeerSyncState = SyncState

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
