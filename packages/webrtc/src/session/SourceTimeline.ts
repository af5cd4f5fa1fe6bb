/**
 * A session timeline for one peer's received audio (pure): what `timestampUs` a frame gets before it enters
 * a pipeline, so a Mixer lines sources up by time rather than by how many frames each delivered.
 *
 * The first frame is dated by its local release time (the moment the peer's SyncManager let it out, a clock
 * all peers share on this machine); every later frame by its RTP distance from that first one. So a lost or
 * dropped frame leaves a 20 ms gap instead of shifting the rest of the stream earlier, and two peers who
 * spoke at the same moment land in the same mix round (within the first frame's jitter). RTP wraps at 2³²;
 * a frame more than `resetAfterMs` (500 ms) away from where its release time says it should be (a restarted
 * sender, a pause the sender's RTP clock did not count) re-anchors the timeline, so a source never lags
 * the others by more than that.
 *
 * @since 0.1.0
 */

/** Maps RTP timestamps of one source to session microseconds. */
export class SourceTimeline {
  readonly #clockRate: number
  readonly #resetAfterUs: number
  #anchorUs = 0
  #anchorRtp = 0
  #extendedRtp = 0
  #lastRtp: number | undefined

  constructor(clockRate: number, resetAfterMs = 500) {
    this.#clockRate = clockRate
    this.#resetAfterUs = resetAfterMs * 1_000
  }

  /** The session time (µs) of a frame with `rtpTimestamp`, released at `releasedAtMs` (Unix ms). */
  map(rtpTimestamp: number, releasedAtMs: number): number {
    const releasedUs = releasedAtMs * 1_000
    if (this.#lastRtp === undefined) return this.#anchor(rtpTimestamp, releasedUs)
    // Signed 32-bit distance from the previous frame: handles wrap-around and slight reordering.
    const step = ((rtpTimestamp - this.#lastRtp + 0x8000_0000) >>> 0) - 0x8000_0000
    this.#extendedRtp += step
    this.#lastRtp = rtpTimestamp
    const timestampUs = this.#anchorUs + ((this.#extendedRtp - this.#anchorRtp) * 1e6) / this.#clockRate
    return Math.abs(timestampUs - releasedUs) > this.#resetAfterUs ? this.#anchor(rtpTimestamp, releasedUs) : Math.round(timestampUs)
  }

  #anchor(rtpTimestamp: number, releasedUs: number): number {
    this.#lastRtp = rtpTimestamp
    this.#extendedRtp = 0
    this.#anchorRtp = 0
    this.#anchorUs = releasedUs
    return Math.round(releasedUs)
  }
}
