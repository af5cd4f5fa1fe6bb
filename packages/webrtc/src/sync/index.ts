/**
 * Receive-side synchronisation: jitter buffers, RTCP sender reports → wall clock, drift, A/V lip sync
 * and the per-peer `SyncState`.
 *
 * @since 0.1.0
 */
export * from "./AvAligner.ts"
export * from "./ClockMapping.ts"
export * from "./DriftEstimator.ts"
export * from "./JitterBuffer.ts"
export * from "./LowerBound.ts"
export * from "./MergedBufferStats.ts"
export * from "./NtpTime.ts"
export * from "./PeerSync.ts"
export * from "./SenderReports.ts"
export * from "./SequenceUnwrapper.ts"
export * from "./SyncManager.ts"
export * from "./SyncState.ts"
