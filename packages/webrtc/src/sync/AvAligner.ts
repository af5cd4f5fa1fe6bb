/**
 * Lip sync for one peer: every stream's frames are released at `senderWall + playoutOffset`, one offset
 * shared by all streams that have a sender-report mapping. The offset is the largest per-stream
 * "local release time − sender wall time" seen recently, so the slowest stream (typically video) sets
 * the pace and the faster one is held back to meet it.
 *
 * Pure: times are explicit inputs, in milliseconds on the receiver's clock for local times and on the
 * sender's clock (from RTCP) for sender wall times. The unknown offset between the two clocks cancels
 * because all streams of a peer share the sender's clock.
 *
 * @since 0.1.0
 */

/** How quickly a stream's offset estimate follows a drop (per frame); rises are followed at once. */
const OFFSET_DECAY = 0.01

export class AvAligner {
  readonly #offsets = new Map<number, number>()

  /** Record that a frame of `ssrc` with sender wall time `senderWallMs` was ready locally at `readyMs`. */
  observe(ssrc: number, senderWallMs: number, readyMs: number): void {
    const sample = readyMs - senderWallMs
    const current = this.#offsets.get(ssrc)
    this.#offsets.set(ssrc, current === undefined || sample > current ? sample : current + (sample - current) * OFFSET_DECAY)
  }

  /** The common offset (local ms − sender ms) at which synchronised frames are released. */
  playoutOffsetMs(): number | undefined {
    let offset: number | undefined
    for (const value of this.#offsets.values()) offset = offset === undefined ? value : Math.max(offset, value)
    return offset
  }

  /** When a frame with sender wall time `senderWallMs` should be released on the local clock. */
  releaseAtMs(senderWallMs: number): number | undefined {
    const offset = this.playoutOffsetMs()
    return offset === undefined ? undefined : senderWallMs + offset
  }

  /** Forget one stream (timeline reset) or all of them (reconnect). */
  reset(ssrc?: number): void {
    if (ssrc === undefined) this.#offsets.clear()
    else this.#offsets.delete(ssrc)
  }
}
