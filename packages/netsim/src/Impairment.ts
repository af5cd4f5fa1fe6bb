/**
 * The pure impairment model of one direction of a link: given a packet's size and arrival time, when (if
 * ever) it is delivered, and how many copies. Time is an explicit input and randomness comes from a
 * seeded {@link Prng}, so a run is reproducible and its statistics can be unit-tested without sockets.
 *
 * Order of effects: blackout → loss → bandwidth cap (a FIFO link; packets that would queue longer than
 * `maxQueueMs` are dropped) → base delay + jitter (order-preserving) → reordering (a chosen packet is held
 * back `reorderDelayMs`, so later packets overtake it) → duplication (a second copy 1 ms later).
 *
 * @since 0.1.0
 */
import { makePrng, type Prng } from "./Prng.ts"

/** A period (ms since the relay started) during which every packet is dropped. */
export interface Blackout {
  readonly fromMs: number
  readonly toMs: number
}

/** What to do to the packets of one direction; every field defaults to "no impairment". */
export interface ImpairmentConfig {
  /** Probability in [0, 1] that a packet is dropped. */
  readonly loss?: number
  /** Constant one-way delay added to every packet (ms). */
  readonly delayMs?: number
  /** Extra delay, uniform in [0, jitterMs], without reordering packets (ms). */
  readonly jitterMs?: number
  /** Probability in [0, 1] that a packet is held back so that later ones overtake it. */
  readonly reorder?: number
  /** How long a reordered packet is held back (default 20 ms). */
  readonly reorderDelayMs?: number
  /** Probability in [0, 1] that a packet is delivered twice. */
  readonly duplicate?: number
  /** Link rate cap in bits per second (undefined: unlimited). */
  readonly bandwidthBps?: number
  /** Longest a packet may wait for the capped link before it is dropped (default 500 ms). */
  readonly maxQueueMs?: number
  readonly blackouts?: ReadonlyArray<Blackout>
}

/** What the model did, per direction. */
export interface ImpairmentCounters {
  readonly received: number
  /** Copies scheduled for delivery (duplicates included). */
  readonly delivered: number
  readonly lost: number
  readonly blackedOut: number
  /** Dropped because the bandwidth-capped queue was full. */
  readonly overflowed: number
  readonly reordered: number
  readonly duplicated: number
}

export class Impairment {
  readonly #config: ImpairmentConfig
  readonly #prng: Prng
  #linkFreeAtMs = 0
  #lastInOrderMs = 0
  #counters = { received: 0, delivered: 0, lost: 0, blackedOut: 0, overflowed: 0, reordered: 0, duplicated: 0 }

  constructor(config: ImpairmentConfig, seed: number) {
    this.#config = config
    this.#prng = makePrng(seed)
  }

  /** Delivery times (ms) of the copies of a `sizeBytes` packet arriving at `nowMs`; empty when dropped. */
  decide(sizeBytes: number, nowMs: number): Array<number> {
    const c = this.#config
    const counters = this.#counters
    counters.received++
    if (c.blackouts?.some((b) => nowMs >= b.fromMs && nowMs < b.toMs)) {
      counters.blackedOut++
      return []
    }
    if (this.#prng.next() < (c.loss ?? 0)) {
      counters.lost++
      return []
    }
    let sentMs = nowMs
    if (c.bandwidthBps !== undefined) {
      const startMs = Math.max(nowMs, this.#linkFreeAtMs)
      if (startMs - nowMs > (c.maxQueueMs ?? 500)) {
        counters.overflowed++
        return []
      }
      sentMs = startMs + (sizeBytes * 8 * 1000) / c.bandwidthBps
      this.#linkFreeAtMs = sentMs
    }
    const jittered = sentMs + (c.delayMs ?? 0) + this.#prng.next() * (c.jitterMs ?? 0)
    let deliverMs = Math.max(jittered, this.#lastInOrderMs)
    this.#lastInOrderMs = deliverMs
    if (this.#prng.next() < (c.reorder ?? 0)) {
      counters.reordered++
      deliverMs += c.reorderDelayMs ?? 20
    }
    const copies = [deliverMs]
    if (this.#prng.next() < (c.duplicate ?? 0)) {
      counters.duplicated++
      copies.push(deliverMs + 1)
    }
    counters.delivered += copies.length
    return copies
  }

  counters(): ImpairmentCounters {
    return { ...this.#counters }
  }
}
