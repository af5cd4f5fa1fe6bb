/**
 * Sliding-window rate limiting for one connection: at most `limit` accepted messages in any window of
 * `windowMs`. A ring of the accepted messages' arrival times, so each check is O(1) and allocation-free.
 *
 * @since 0.1.0
 */
export class RateLimiter {
  readonly #times: Float64Array
  readonly #windowMs: number
  #next = 0
  #count = 0

  constructor(limit: number, windowMs: number) {
    this.#times = new Float64Array(Math.max(1, limit))
    this.#windowMs = windowMs
  }

  /** Accepts a message arriving at `nowMs` (monotonic), or refuses it when the window is full. */
  tryAcquire(nowMs: number): boolean {
    const capacity = this.#times.length
    if (this.#count === capacity) {
      // The oldest accepted message sits where the next one would be written.
      const oldest = this.#times[this.#next] ?? 0
      if (nowMs - oldest < this.#windowMs) return false
      this.#count--
    }
    this.#times[this.#next] = nowMs
    this.#next = (this.#next + 1) % capacity
    this.#count++
    return true
  }
}
