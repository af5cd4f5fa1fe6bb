/**
 * The snapshot of one connected peer that `listPeers` returns (contract `PeerInfo`, plus what the receive
 * path measures: the peer's jitter buffers).
 *
 * @since 0.1.0
 */
import type { Capability } from "@remotemedia/signaling-protocol"
import type { ConnectionQualityMetrics } from "../peer/ConnectionMetrics.ts"
import type { ConnectionState } from "../peer/PeerActor.ts"
import type { BufferStats } from "../sync/JitterBuffer.ts"
import type { StreamSyncStats } from "../sync/PeerSync.ts"
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
  /**
   * The jitter buffers of every stream received from the peer, as one (`mergeBufferStats`): current and
   * average delay, late, dropped, lost frames. `undefined` until media arrives.
   */
  readonly jitterBuffer: BufferStats | undefined
  /** Each received stream (SSRC) on its own: its jitter buffer, sender reports and clock drift. */
  readonly receivedStreams: ReadonlyArray<StreamSyncStats>
}
