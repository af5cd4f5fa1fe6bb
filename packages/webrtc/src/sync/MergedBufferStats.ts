/**
 * Several jitter buffers (a peer's audio and video streams) as one: what a peer's media waits and loses in
 * its jitter buffers, for `listPeers`.
 *
 * @since 0.1.0
 */
import type { BufferStats } from "./JitterBuffer.ts"

/**
 * Counters are summed (so `received = released + dropped + currentFrames` still holds) and `peakFrames` is
 * the sum of each buffer's peak (an upper bound: peaks need not coincide). `currentDelayMs`, `targetDelayMs`
 * and `jitterMs` are the largest of the buffers (the stream that waits longest decides when the peer's media
 * plays); `averageDelayMs` is weighted by released frames; `estimatedLoss` is recomputed from the sums.
 * `undefined` when there is no buffer (no media received yet).
 */
export const mergeBufferStats = (buffers: ReadonlyArray<BufferStats>): BufferStats | undefined => {
  if (buffers.length === 0) return undefined
  const sum = (pick: (stats: BufferStats) => number) => buffers.reduce((total, stats) => total + pick(stats), 0)
  const max = (pick: (stats: BufferStats) => number) => Math.max(...buffers.map(pick))
  const released = sum((stats) => stats.released)
  const lost = sum((stats) => stats.lost)
  return {
    currentFrames: sum((stats) => stats.currentFrames),
    peakFrames: sum((stats) => stats.peakFrames),
    received: sum((stats) => stats.received),
    released,
    dropped: sum((stats) => stats.dropped),
    late: sum((stats) => stats.late),
    duplicates: sum((stats) => stats.duplicates),
    overruns: sum((stats) => stats.overruns),
    lost,
    currentDelayMs: max((stats) => stats.currentDelayMs),
    averageDelayMs: released === 0 ? 0 : sum((stats) => stats.averageDelayMs * stats.released) / released,
    targetDelayMs: max((stats) => stats.targetDelayMs),
    jitterMs: max((stats) => stats.jitterMs),
    estimatedLoss: released + lost === 0 ? 0 : lost / (released + lost)
  }
}
