/**
 * The registered peers: each peer id bound to its live connection, or reserved while it is in its grace
 * period. Also remembers which offers are awaiting answers, so an answer can be checked against one.
 *
 * @since 0.1.0
 */
import type { PeerEntry } from "@remotemedia/signaling-protocol"
import type { Fiber } from "effect"
import type { ClientConnection } from "./ClientConnection.ts"

/** Offers remembered per (offerer, answerer) pair; older ones are forgotten first. */
const MAX_PENDING_OFFERS = 64

export interface Registration {
  entry: PeerEntry
  readonly sessionKey: string
  /** `undefined` while the peer is inside its grace period. */
  connection: ClientConnection | undefined
  /** The timer that ends the grace period. */
  grace: Fiber.Fiber<unknown, unknown> | undefined
  /** Unanswered offers this peer sent, by receiver: their `request_id`s, oldest first. */
  readonly offers: Map<string, Set<string>>
}

export class PeerRegistry {
  readonly #peers = new Map<string, Registration>()

  get size(): number {
    return this.#peers.size
  }

  get(peerId: string): Registration | undefined {
    return this.#peers.get(peerId)
  }

  add(entry: PeerEntry, sessionKey: string, connection: ClientConnection): Registration {
    const registration: Registration = { entry, sessionKey, connection, grace: undefined, offers: new Map() }
    this.#peers.set(entry.peer_id, registration)
    return registration
  }

  delete(peerId: string): void {
    this.#peers.delete(peerId)
  }

  values(): IterableIterator<Registration> {
    return this.#peers.values()
  }

  /** Every entry but `peerId`'s. */
  others(peerId: string): Array<PeerEntry> {
    const out: Array<PeerEntry> = []
    for (const r of this.#peers.values()) if (r.entry.peer_id !== peerId) out.push(r.entry)
    return out
  }

  entries(): Array<PeerEntry> {
    return Array.from(this.#peers.values(), (r) => r.entry)
  }

  /** Notes that `from` offered to `to` under `requestId`. */
  recordOffer(from: Registration, to: string, requestId: string): void {
    let pending = from.offers.get(to)
    if (pending === undefined) from.offers.set(to, pending = new Set())
    pending.delete(requestId)
    pending.add(requestId)
    if (pending.size > MAX_PENDING_OFFERS) {
      const oldest = pending.values().next().value
      if (oldest !== undefined) pending.delete(oldest)
    }
  }

  /** Consumes `offerer`'s offer to `answerer` under `requestId`; false when there is none. */
  takeOffer(offerer: Registration, answerer: string, requestId: string): boolean {
    return offerer.offers.get(answerer)?.delete(requestId) ?? false
  }
}
