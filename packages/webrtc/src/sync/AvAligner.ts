/**
 * Lip sync for one peer: every stream's frames are released at `senderWall + playoutOffset`, one offset
 * shared by all streams that have a sender-report mapping. Each stream's need is a high percentile of
 * "local ready time − sender wall time" over its recent frames (a percentile, so that one stalled or
 * retransmitted frame does not add its delay to every frame after it); the slowest stream (typically video)
 * sets the target (plus a small headroom) and the faster one is held back to meet it. The applied offset slews toward the target
 * a few milliseconds per frame instead of jumping, so a change never tears matching audio and video apart.
 *
 * Pure: times are explicit inputs, in milliseconds on the receiver's clock for local times and on the
 * sender's clock (from RTCP) for sender wall times. The unknown offset between the two clocks cancels
 * because all streams of a peer share the sender's clock.
 *
 * @since 0.1.0
 */
import { lowerBound } from "./LowerBound.ts"

/** Recent frames per stream whose ready offsets make up its need. */
const WINDOW = 100
/** The share of a stream's recent frames that its need covers. */
const NEED_PERCENTILE = 0.95
/**
 * Margin above the slowest stream's need: a jitter buffer that grows its delay a little then still
 * delivers in time instead of releasing late (out of sync) while the offset slews up.
 */
const HEADROOM_MS = 15
/** Most the applied offset moves per observed frame, up (to stop frames arriving late) and down. */
const SLEW_UP_MS = 5
const SLEW_DOWN_MS = 0.5

/** One stream's recent ready offsets, in arrival order and sorted (for the percentile). */
interface Samples {
  readonly fifo: Array<number>
  readonly sorted: Array<number>
}

const identity = (n: number) => n

export class AvAligner {
  readonly #samples = new Map<number, Samples>()
  #appliedMs: number | undefined

  /**
   * Record that a frame of `ssrc` with sender wall time `senderWallMs` was (scheduled to be) ready locally
   * at `readyMs`.
   */
  observe(ssrc: number, senderWallMs: number, readyMs: number): void {
    let samples = this.#samples.get(ssrc)
    if (samples === undefined) {
      samples = { fifo: [], sorted: [] }
      this.#samples.set(ssrc, samples)
    }
    const sample = readyMs - senderWallMs
    samples.fifo.push(sample)
    samples.sorted.splice(lowerBound(samples.sorted, sample, identity), 0, sample)
    if (samples.fifo.length > WINDOW) samples.sorted.splice(lowerBound(samples.sorted, samples.fifo.shift()!, identity), 1)
    const target = this.targetOffsetMs()! + HEADROOM_MS
    const applied = this.#appliedMs
    this.#appliedMs = applied === undefined
      ? target
      : applied + Math.max(-SLEW_DOWN_MS, Math.min(SLEW_UP_MS, target - applied))
  }

  /** The offset the streams need now: the largest per-stream need (see {@link NEED_PERCENTILE}). */
  targetOffsetMs(): number | undefined {
    let target: number | undefined
    for (const { sorted } of this.#samples.values()) {
      const need = sorted[Math.min(sorted.length - 1, Math.floor(sorted.length * NEED_PERCENTILE))]!
      target = target === undefined ? need : Math.max(target, need)
    }
    return target
  }

  /** The common offset (local ms − sender ms) at which synchronised frames are released now. */
  playoutOffsetMs(): number | undefined {
    return this.#appliedMs
  }

  /** When a frame with sender wall time `senderWallMs` should be released on the local clock. */
  releaseAtMs(senderWallMs: number): number | undefined {
    return this.#appliedMs === undefined ? undefined : senderWallMs + this.#appliedMs
  }

  /** Forget one stream (timeline reset) or all of them (reconnect). */
  reset(ssrc?: number): void {
    if (ssrc === undefined) {
      this.#samples.clear()
      this.#appliedMs = undefined
    } else {
      this.#samples.delete(ssrc)
    }
  }
}
