/**
 * Request/response correlation for the signaling client: hands out request ids and finds the waiter of
 * each response. Knows nothing of sockets or Effect, so it is tested on its own.
 *
 * @since 0.1.0
 */

export interface Pending<W> {
  readonly id: number
  readonly waiter: W
  /** Whether the request has been written to a socket (and so is lost if that socket drops). */
  sent: boolean
}

export class PendingRequests<W> {
  readonly #pending = new Map<number, Pending<W>>()
  #nextId = 1

  get size(): number {
    return this.#pending.size
  }

  /** Registers a waiter under a fresh id. */
  add(waiter: W): Pending<W> {
    const entry: Pending<W> = { id: this.#nextId++, waiter, sent: false }
    this.#pending.set(entry.id, entry)
    return entry
  }

  /** Removes and returns the waiter of response `id`; `undefined` for unknown or foreign ids. */
  take(id: unknown): Pending<W> | undefined {
    if (typeof id !== "number") return undefined
    const entry = this.#pending.get(id)
    if (entry !== undefined) this.#pending.delete(id)
    return entry
  }

  /** Marks request `id` as written to a socket; false when it is no longer pending (timed out). */
  markSent(id: number): boolean {
    const entry = this.#pending.get(id)
    if (entry !== undefined) entry.sent = true
    return entry !== undefined
  }

  /** Removes and returns every waiter whose request was sent (their socket dropped). */
  takeSent(): Array<Pending<W>> {
    const out: Array<Pending<W>> = []
    for (const entry of this.#pending.values()) if (entry.sent) out.push(entry)
    for (const entry of out) this.#pending.delete(entry.id)
    return out
  }

  /** Removes and returns every waiter. */
  takeAll(): Array<Pending<W>> {
    const out = Array.from(this.#pending.values())
    this.#pending.clear()
    return out
  }
}
