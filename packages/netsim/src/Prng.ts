/**
 * A small seedable PRNG (mulberry32), so every impairment run can be replayed exactly from its seed.
 *
 * @since 0.1.0
 */

export interface Prng {
  /** Uniform in [0, 1). */
  readonly next: () => number
}

/** A generator whose sequence is fixed by `seed` (any 32-bit integer). */
export const makePrng = (seed: number): Prng => {
  let state = seed >>> 0
  return {
    next: () => {
      state = (state + 0x6d2b79f5) >>> 0
      let t = state
      t = Math.imul(t ^ (t >>> 15), t | 1)
      t ^= t + Math.imul(t ^ (t >>> 7), t | 61)
      return ((t ^ (t >>> 14)) >>> 0) / 4_294_967_296
    }
  }
}
