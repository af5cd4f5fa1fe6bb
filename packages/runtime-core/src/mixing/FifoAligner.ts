/**
 * Groups live frames from several sources into rounds by arrival order, for mixing (pure, property-tested).
 *
 * Each source has a small FIFO. A round takes the OLDEST pending frame of every source that has one; it is
 * released as soon as every active source has a frame pending, or once the oldest pending frame has waited
 * `maxWaitMs` (wall-clock, given by the caller) so a stopped or lagging source holds the others back at most
 * that long. A source that has sent nothing for `idleMs` is forgotten (it stops being waited for) until it
 * sends again. A FIFO holds at most `maxQueue` frames: on overflow its oldest frame is dropped and counted,
 * the only way a frame is lost. Timestamps do not decide pairing (live sources are dated with jitter); a
 * round is dated by its earliest frame.
 *
 * @since 0.2.0
 */
import type { AlignedFrame, Round } from "./FrameAligner.ts"

interface Pending<T> extends AlignedFrame<T> {
  readonly arrivedMs: number
}

interface SourceQueue<T> {
  readonly frames: Array<Pending<T>>
  lastArrivalMs: number
}

/** Per-source FIFOs plus the release rule above. */
export class FifoAligner<T> {
  readonly maxWaitMs: number
  readonly idleMs: number
  readonly maxQueue: number
  readonly #sources = new Map<string, SourceQueue<T>>()
  #dropped = 0

  constructor(options: { readonly maxWaitMs: number; readonly idleMs: number; readonly maxQueue: number }) {
    this.maxWaitMs = options.maxWaitMs
    this.idleMs = options.idleMs
    this.maxQueue = options.maxQueue
  }

  /** Frames dropped because their source's FIFO overflowed. */
  get dropped(): number {
    return this.#dropped
  }

  /** Sources currently waited for. */
  get sources(): ReadonlyArray<string> {
    return [...this.#sources.keys()]
  }

  /** Frames waiting for their round. */
  get pending(): number {
    let n = 0
    for (const s of this.#sources.values()) n += s.frames.length
    return n
  }

  /** Queues a frame that arrived at `nowMs`; returns the rounds that became ready. */
  push(source: string, timestampUs: number, value: T, nowMs: number): Array<Round<T>> {
    let queue = this.#sources.get(source)
    if (queue === undefined) {
      queue = { frames: [], lastArrivalMs: nowMs }
      this.#sources.set(source, queue)
    }
    queue.lastArrivalMs = nowMs
    queue.frames.push({ source, timestampUs, value, arrivedMs: nowMs })
    if (queue.frames.length > this.maxQueue) {
      queue.frames.shift()
      this.#dropped++
    }
    return this.poll(nowMs)
  }

  /** Releases the rounds that are due at `nowMs` (forgetting idle sources first). */
  poll(nowMs: number): Array<Round<T>> {
    for (const [source, queue] of this.#sources) {
      if (queue.frames.length === 0 && nowMs - queue.lastArrivalMs > this.idleMs) this.#sources.delete(source)
    }
    const rounds: Array<Round<T>> = []
    for (;;) {
      let complete = true
      let oldestArrivalMs = Number.POSITIVE_INFINITY
      for (const queue of this.#sources.values()) {
        const head = queue.frames[0]
        if (head === undefined) complete = false
        else oldestArrivalMs = Math.min(oldestArrivalMs, head.arrivedMs)
      }
      if (oldestArrivalMs === Number.POSITIVE_INFINITY) return rounds
      if (!complete && nowMs - oldestArrivalMs < this.maxWaitMs) return rounds
      rounds.push(this.#takeHeads())
    }
  }

  /** Releases everything still queued, round by round (end of stream). */
  flush(): Array<Round<T>> {
    const rounds: Array<Round<T>> = []
    while (this.pending > 0) rounds.push(this.#takeHeads())
    return rounds
  }

  #takeHeads(): Round<T> {
    const frames: Array<AlignedFrame<T>> = []
    let timestampUs = Number.POSITIVE_INFINITY
    for (const queue of this.#sources.values()) {
      const head = queue.frames.shift()
      if (head === undefined) continue
      frames.push({ source: head.source, timestampUs: head.timestampUs, value: head.value })
      timestampUs = Math.min(timestampUs, head.timestampUs)
    }
    return { timestampUs, frames }
  }
}
