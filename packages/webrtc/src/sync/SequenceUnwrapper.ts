/**
 * Extends wrapping RTP counters (16-bit sequence numbers, 32-bit timestamps) into monotonic numbers, so
 * ordering and distances stay correct across 65535 → 0 and 2^32 → 0.
 *
 * @since 0.1.0
 */

/** Signed distance from RTP sequence number `from` to `to` in [-32768, 32767], across the 16-bit wrap. */
export const sequenceDistance = (from: number, to: number): number => ((((to - from) & 0xffff) + 0x8000) & 0xffff) - 0x8000

/**
 * Unwraps one wrapping counter of `bits` width. Each value is placed on the extended line at the position
 * nearest to the highest value seen so far (a jump of at most half the range either way), which is how
 * RFC 3550 receivers tell a wrap from a reordered old packet.
 */
export class SequenceUnwrapper {
  readonly #modulus: number
  #highest: number | undefined

  constructor(bits: 16 | 32) {
    this.#modulus = 2 ** bits
  }

  /** The extended form of `value`; the first value seen maps to itself. */
  unwrap(value: number): number {
    const highest = this.#highest
    if (highest === undefined) {
      this.#highest = value
      return value
    }
    const modulus = this.#modulus
    let delta = (value - highest) % modulus
    if (delta < 0) delta += modulus
    if (delta >= modulus / 2) delta -= modulus
    const extended = highest + delta
    if (extended > highest) this.#highest = extended
    return extended
  }

  /** Forget the history: the next value starts a new line (after a stream reset). */
  reset(): void {
    this.#highest = undefined
  }
}
