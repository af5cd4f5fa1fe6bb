/**
 * Dates a peer's received audio for a session (pure): frames go into the slots of one grid shared by every
 * peer (frame-sized slots counted from the Unix epoch), by the moment the peer's SyncManager released them.
 *
 * A Mixer groups frames into rounds one frame wide, so every source must be dated on one shared clock.
 * Senders' RTP clocks start at random points and each peer's jitter buffer holds its frames a different
 * time; the local release time is the clock all peers share here, and it means "mix what is being played
 * out now", which is what a live conference hears. A frame takes the slot of its release time, or the slot
 * after its predecessor's when that one is taken (a burst released at once fills the following slots, in
 * order); a lost frame leaves its slot empty; nothing drifts apart over a long call.
 *
 * @since 0.1.0
 */

/** One peer's playout slots. */
export class PlayoutClock {
  #lastUs = Number.NEGATIVE_INFINITY

  /** The timestamp (µs) of a frame lasting `durationUs`, released at `releasedAtMs` (Unix ms). */
  date(releasedAtMs: number, durationUs: number): number {
    const slotUs = Math.floor((releasedAtMs * 1_000) / durationUs) * durationUs
    this.#lastUs = Math.max(slotUs, this.#lastUs + durationUs)
    return this.#lastUs
  }
}
