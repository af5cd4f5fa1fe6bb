/**
 * 16-bit RTP sequence-number arithmetic: wrap-aware distance and unwrapping into a monotonic extended
 * sequence number, as every receive-side ordering decision needs.
 *
 * @since 0.1.0
 */

/** Signed distance from `from` to `to` in [-32768, 32767], across the 16-bit wrap. */
export const sequenceDistance = (from: number, to: number): number => ((((to - from) & 0xffff) + 0x8000) & 0xffff) - 0x8000

/** Unwraps 16-bit sequence numbers into extended ones, relative to the highest seen so far. */
export interface SequenceUnwrapper {
  readonly extend: (sequenceNumber: number) => number
}

/** Creates an unwrapper; the first number seen is extended to itself plus 2¹⁶ (so older ones stay positive). */
export const makeSequenceUnwrapper = (): SequenceUnwrapper => {
  let highest: number | undefined
  return {
    extend: (sequenceNumber) => {
      if (highest === undefined) {
        highest = sequenceNumber + 0x1_0000
        return highest
      }
      const extended = highest + sequenceDistance(highest & 0xffff, sequenceNumber)
      if (extended > highest) highest = extended
      return extended
    }
  }
}
