/**
 * Groups frames from several sources into rounds by timestamp, for mixing (pure, property-tested).
 *
 * A round starts at the earliest queued timestamp `e` and takes, from each source, its oldest frame if
 * that frame starts before `e + window`. A round is released as soon as every known source contributes,
 * or once any queued frame is at or past `e + maxWait` (a source that stopped or lags is not waited for
 * longer than that; `maxWait` defaults to the window). "Every known source" means at least `minSources` of them, so a graph fan-in
 * whose inputs are known up front does not release the first frames of the fastest input alone.
 * Frames at or before the last released round are late and dropped (they would repeat its timestamp).
 *
 * @since 0.1.0
 */

/** One frame queued for alignment. */
export interface AlignedFrame<T> {
  readonly source: string
  readonly timestampUs: number
  readonly value: T
}

/** Frames that are mixed together; `timestampUs` is the earliest of them. */
export interface Round<T> {
  readonly timestampUs: number
  readonly frames: ReadonlyArray<AlignedFrame<T>>
}

/** Per-source FIFOs plus the release rule above. */
export class FrameAligner<T> {
  readonly windowUs: number
  readonly maxWaitUs: number
  readonly minSources: number
  readonly #queues = new Map<string, Array<AlignedFrame<T>>>()
  #lastReleasedUs = Number.NEGATIVE_INFINITY
  #late = 0

  constructor(windowUs: number, options?: { readonly maxWaitUs?: number; readonly minSources?: number }) {
    this.windowUs = windowUs
    this.maxWaitUs = options?.maxWaitUs ?? windowUs
    this.minSources = options?.minSources ?? 1
  }

  /** Frames dropped because they arrived after their round was released. */
  get late(): number {
    return this.#late
  }

  /** Timestamp of the last released round (−Infinity before the first). */
  get lastReleasedUs(): number {
    return this.#lastReleasedUs
  }

  /** Frames waiting for their round. */
  get pending(): number {
    let n = 0
    for (const q of this.#queues.values()) n += q.length
    return n
  }

  /** Queues a frame; returns the rounds that became ready. */
  push(source: string, timestampUs: number, value: T): Array<Round<T>> {
    let queue = this.#queues.get(source)
    if (queue === undefined) {
      queue = []
      this.#queues.set(source, queue)
    }
    if (timestampUs <= this.#lastReleasedUs) {
      this.#late++
      return []
    }
    queue.push({ source, timestampUs, value })
    return this.#release(false)
  }

  /** Releases everything still queued, round by round (end of stream). */
  flush(): Array<Round<T>> {
    return this.#release(true)
  }

  #release(force: boolean): Array<Round<T>> {
    const rounds: Array<Round<T>> = []
    for (;;) {
      let earliest = Number.POSITIVE_INFINITY
      let latest = Number.NEGATIVE_INFINITY
      for (const q of this.#queues.values()) {
        if (q.length === 0) continue
        earliest = Math.min(earliest, q[0]!.timestampUs)
        latest = Math.max(latest, q[q.length - 1]!.timestampUs)
      }
      if (earliest === Number.POSITIVE_INFINITY) return rounds
      const end = earliest + this.windowUs
      let complete = this.#queues.size >= this.minSources
      for (const q of this.#queues.values()) {
        if (q.length === 0 || q[0]!.timestampUs >= end) complete = false
      }
      if (!force && !complete && latest < earliest + this.maxWaitUs) return rounds
      const frames: Array<AlignedFrame<T>> = []
      for (const q of this.#queues.values()) {
        if (q.length > 0 && q[0]!.timestampUs < end) frames.push(q.shift()!)
      }
      this.#lastReleasedUs = earliest
      rounds.push({ timestampUs: earliest, frames })
    }
  }
}
