/**
 * The outcome of one `broadcast` (contract `BroadcastStats`).
 *
 * @since 0.1.0
 */

/** Who got a broadcast and who did not, and how long it took. */
export interface BroadcastStats {
  /** Connected peers when the broadcast started. */
  readonly totalPeers: number
  readonly sentCount: number
  readonly failedCount: number
  /** `[peerId, reason]` for every peer that did not get the data. */
  readonly failedPeers: ReadonlyArray<readonly [string, string]>
  /** Wall time of the whole call: encodes plus fan-out. */
  readonly totalDurationMs: number
}
