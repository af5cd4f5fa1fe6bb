/**
 * Adaptive bitrate: the pure rule that moves a video encoder's target between configured bounds from what
 * the receiver reports (RTCP receiver reports give loss, SR/RR round trips give RTT). design.md's rule of
 * thumb: ×0.8 when loss > 10 % or RTT > 500 ms, ×1.2 when loss < 1 % and RTT < 100 ms, hold otherwise.
 * A receiver's own estimate (REMB) caps the result: the rate drops to it at once and ramps up no further
 * than it. The configured bounds win over everything (the floor holds even under a lower estimate).
 *
 * @since 0.1.0
 */

/** What the receiver's feedback says about the path. */
export interface PathFeedback {
  /** Fraction of packets lost since the last report, in [0, 1]. */
  readonly lossFraction: number
  /** Round-trip time in ms; `undefined` when not measured yet (then only loss decides). */
  readonly rttMs: number | undefined
  /** The receiver's estimate of what the path takes (REMB), in bit/s; `undefined` when it sent none lately. */
  readonly estimatedMaxBps?: number | undefined
}

/** Bounds of the controller, in bit/s. */
export interface BitrateBounds {
  readonly minBps: number
  readonly maxBps: number
}

const decrease = 0.8
const increase = 1.2

/** The next target bitrate (integer bit/s, clamped to `bounds`) after `feedback`. */
export const nextBitrate = (currentBps: number, feedback: PathFeedback, bounds: BitrateBounds): number => {
  const { lossFraction, rttMs } = feedback
  const congested = lossFraction > 0.1 || (rttMs !== undefined && rttMs > 500)
  const clear = lossFraction < 0.01 && (rttMs === undefined || rttMs < 100)
  const factor = congested ? decrease : clear ? increase : 1
  const wanted = Math.min(currentBps * factor, feedback.estimatedMaxBps ?? Infinity)
  return Math.round(Math.min(bounds.maxBps, Math.max(bounds.minBps, wanted)))
}
