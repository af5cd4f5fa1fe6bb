/**
 * A pure, adaptive jitter buffer for one RTP stream. Time is an explicit input (`push(frame, nowMs)`,
 * `pop(nowMs)`), so its behaviour is deterministic and testable without clocks.
 *
 * Frames are ordered by extended sequence number. Each frame's playout time is derived from its RTP
 * timestamp: `rtpMs + baseTransitMs + targetDelayMs`, where `baseTransitMs` follows the smallest recent
 * `arrival - rtpMs` (the fastest path through the network; a windowed minimum, so a sender clock slower
 * than ours does not eat the delay up). This absorbs network jitter instead of passing it on, and the
 * target delay adapts to the measured jitter and loss within the configured bounds.
 *
 * @since 0.1.0
 */
import { Effect } from "effect"
import { InvalidConfig } from "../errors.ts"
import { lowerBound } from "./LowerBound.ts"
import { SequenceUnwrapper } from "./SequenceUnwrapper.ts"

/** A frame as handed to the jitter buffer: depacketized, with the RTP fields it was carried in. */
export interface JitterFrame<A> {
  /** Sequence number (16-bit, wrapping) of the frame's last RTP packet. */
  readonly seq: number
  /** RTP timestamp (32-bit, wrapping) of the frame. */
  readonly rtpTimestamp: number
  /** Number of RTP packets the frame was carried in (default 1); used to count losses correctly. */
  readonly packets?: number
  readonly payload: A
}

/** A frame released by the buffer, with its extended counters and how long it was held. */
export interface ReleasedFrame<A> {
  readonly frame: JitterFrame<A>
  readonly extendedSeq: number
  readonly extendedRtpTimestamp: number
  readonly arrivalMs: number
  /**
   * When the frame was ready: its scheduled slot, or its arrival if it came after the slot. `releaseMs`
   * is later still when `pop` was called late (a busy event loop), which says nothing about the network.
   */
  readonly readyMs: number
  readonly releaseMs: number
}

/** What the buffer did with a pushed frame. */
export type PushOutcome = "buffered" | "late" | "duplicate"

/** Counters and delays of one jitter buffer. `received = released + dropped + currentFrames` always holds. */
export interface BufferStats {
  readonly currentFrames: number
  readonly peakFrames: number
  readonly received: number
  readonly released: number
  /** late + duplicates + overruns. */
  readonly dropped: number
  /** Frames that arrived after a later frame had already been released. */
  readonly late: number
  readonly duplicates: number
  /** Frames evicted because the buffer was full. */
  readonly overruns: number
  /** Sequence numbers skipped at release time (never seen before their turn). */
  readonly lost: number
  /** Delay (release − arrival) of the last released frame. */
  readonly currentDelayMs: number
  readonly averageDelayMs: number
  readonly targetDelayMs: number
  /** RFC 3550 interarrival jitter estimate. */
  readonly jitterMs: number
  /** lost / (released + lost). */
  readonly estimatedLoss: number
}

/** Configuration of a jitter buffer; every field is validated by {@link makeJitterBuffer}. */
export interface JitterBufferConfig {
  /** RTP clock rate: 48000 for audio, 90000 for video. */
  readonly clockRate: number
  /** Lower bound of the adaptive target delay (default 50 ms). */
  readonly minDelayMs?: number
  /** Upper bound of the adaptive target delay (default 200 ms, never above {@link HARD_MAX_DELAY_MS}). */
  readonly maxDelayMs?: number
  /** Starting target delay (default `minDelayMs`). */
  readonly initialDelayMs?: number
  /** Most frames held at once; beyond it the oldest frame is evicted (default 512). */
  readonly capacity?: number
}

/** The hard cap on any configured delay. */
export const HARD_MAX_DELAY_MS = 500

/** A timestamp jump larger than this restarts the buffer's timeline. */
export const TIMELINE_JUMP_MS = 2000

/** Target = this many times the measured jitter, before the loss allowance. */
const JITTER_MULTIPLIER = 4
/** Extra target delay per unit of recent loss (10 % loss → +30 ms), capped below. */
const LOSS_ALLOWANCE_MS_PER_UNIT = 300
const MAX_LOSS_ALLOWANCE_MS = 60
/** Fraction of the excess removed per released frame while shrinking (about 1 s to halve at 50 fps). */
const SHRINK_RATE = 0.015
/** Smoothing of the recent-loss average (per released frame). */
const LOSS_SMOOTHING = 0.02
/** The base transit is the minimum over the current and the previous window of this length. */
const TRANSIT_WINDOW_MS = 2000
/** Most the base transit rises per frame when the minimum moves up (it follows drops at once). */
const TRANSIT_RISE_PER_FRAME_MS = 0.5

interface Entry<A> {
  readonly frame: JitterFrame<A>
  readonly extendedSeq: number
  readonly extendedRtpTimestamp: number
  readonly rtpMs: number
  readonly arrivalMs: number
}

/**
 * The jitter buffer itself. Create it with {@link makeJitterBuffer}, or construct it from a config that
 * {@link validateJitterBufferConfig} returned.
 */
export class JitterBuffer<A> {
  readonly #clockRate: number
  readonly #minDelayMs: number
  readonly #maxDelayMs: number
  readonly #capacity: number
  readonly #seq = new SequenceUnwrapper(16)
  readonly #rtp = new SequenceUnwrapper(32)
  /** Sorted by extendedSeq, ascending. */
  readonly #entries: Array<Entry<A>> = []
  #lastReleasedSeq: number | undefined
  #baseTransitMs: number | undefined
  #lastTransitMs: number | undefined
  #windowStartMs = 0
  #windowMinMs = Infinity
  #previousWindowMinMs = Infinity
  #targetDelayMs: number
  #jitterMs = 0
  #recentLoss = 0
  #peak = 0
  #received = 0
  #released = 0
  #late = 0
  #duplicates = 0
  #overruns = 0
  #lost = 0
  #delaySumMs = 0
  #currentDelayMs = 0

  constructor(config: Required<JitterBufferConfig>) {
    this.#clockRate = config.clockRate
    this.#minDelayMs = config.minDelayMs
    this.#maxDelayMs = config.maxDelayMs
    this.#capacity = config.capacity
    this.#targetDelayMs = config.initialDelayMs
  }

  /** Accept a frame that arrived at `nowMs`. Late and duplicate frames are counted and dropped. */
  push(frame: JitterFrame<A>, nowMs: number): PushOutcome {
    this.#received++
    const extendedSeq = this.#seq.unwrap(frame.seq)
    const extendedRtpTimestamp = this.#rtp.unwrap(frame.rtpTimestamp)
    if (this.#lastReleasedSeq !== undefined && extendedSeq <= this.#lastReleasedSeq) {
      this.#late++
      return "late"
    }
    const index = this.#insertionIndex(extendedSeq)
    if (this.#entries[index]?.extendedSeq === extendedSeq) {
      this.#duplicates++
      return "duplicate"
    }
    const rtpMs = (extendedRtpTimestamp / this.#clockRate) * 1000
    this.#observeTransit(nowMs - rtpMs, nowMs)
    this.#entries.splice(index, 0, { frame, extendedSeq, extendedRtpTimestamp, rtpMs, arrivalMs: nowMs })
    if (this.#entries.length > this.#capacity) {
      this.#entries.shift()
      this.#overruns++
    }
    this.#peak = Math.max(this.#peak, this.#entries.length)
    return "buffered"
  }

  /** The next frame in sequence order whose playout time has come, if any. */
  pop(nowMs: number): ReleasedFrame<A> | undefined {
    const head = this.#entries[0]
    if (head === undefined) return undefined
    const playoutMs = this.#playoutMs(head)
    if (playoutMs > nowMs) return undefined
    this.#entries.shift()
    const gap = this.#lastReleasedSeq === undefined
      ? 0
      : Math.max(0, head.extendedSeq - this.#lastReleasedSeq - (head.frame.packets ?? 1))
    this.#lost += gap
    this.#recentLoss += ((gap > 0 ? 1 : 0) - this.#recentLoss) * LOSS_SMOOTHING
    this.#lastReleasedSeq = head.extendedSeq
    this.#released++
    this.#currentDelayMs = nowMs - head.arrivalMs
    this.#delaySumMs += this.#currentDelayMs
    this.#adapt()
    return {
      frame: head.frame,
      extendedSeq: head.extendedSeq,
      extendedRtpTimestamp: head.extendedRtpTimestamp,
      arrivalMs: head.arrivalMs,
      readyMs: Math.max(playoutMs, head.arrivalMs),
      releaseMs: nowMs
    }
  }

  /** When the head frame becomes due (undefined when empty): the time to call `pop` next. */
  nextReleaseMs(): number | undefined {
    const head = this.#entries[0]
    return head === undefined ? undefined : this.#playoutMs(head)
  }

  stats(): BufferStats {
    const dropped = this.#late + this.#duplicates + this.#overruns
    return {
      currentFrames: this.#entries.length,
      peakFrames: this.#peak,
      received: this.#received,
      released: this.#released,
      dropped,
      late: this.#late,
      duplicates: this.#duplicates,
      overruns: this.#overruns,
      lost: this.#lost,
      currentDelayMs: this.#currentDelayMs,
      averageDelayMs: this.#released === 0 ? 0 : this.#delaySumMs / this.#released,
      targetDelayMs: this.#targetDelayMs,
      jitterMs: this.#jitterMs,
      estimatedLoss: this.#released + this.#lost === 0 ? 0 : this.#lost / (this.#released + this.#lost)
    }
  }

  #playoutMs(entry: Entry<A>): number {
    return entry.rtpMs + (this.#baseTransitMs ?? 0) + this.#targetDelayMs
  }

  #insertionIndex(extendedSeq: number): number {
    return lowerBound(this.#entries, extendedSeq, (entry) => entry.extendedSeq)
  }

  #observeTransit(transitMs: number, nowMs: number): void {
    const last = this.#lastTransitMs
    const base = this.#baseTransitMs
    if (base === undefined || Math.abs(transitMs - base) > TIMELINE_JUMP_MS) {
      // First frame, or the sender's timestamps jumped: start a new timeline.
      this.#baseTransitMs = transitMs
      this.#lastTransitMs = transitMs
      this.#windowStartMs = nowMs
      this.#windowMinMs = transitMs
      this.#previousWindowMinMs = Infinity
      return
    }
    if (last !== undefined) this.#jitterMs += (Math.abs(transitMs - last) - this.#jitterMs) / 16
    this.#lastTransitMs = transitMs
    if (nowMs - this.#windowStartMs >= TRANSIT_WINDOW_MS) {
      this.#previousWindowMinMs = this.#windowMinMs
      this.#windowMinMs = Infinity
      this.#windowStartMs = nowMs
    }
    this.#windowMinMs = Math.min(this.#windowMinMs, transitMs)
    const floor = Math.min(this.#windowMinMs, this.#previousWindowMinMs)
    this.#baseTransitMs = floor <= base ? floor : base + Math.min(floor - base, TRANSIT_RISE_PER_FRAME_MS)
  }

  /** Grow at once to cover observed jitter and loss; shrink gradually when the network is calm. */
  #adapt(): void {
    const lossAllowance = Math.min(this.#recentLoss * LOSS_ALLOWANCE_MS_PER_UNIT, MAX_LOSS_ALLOWANCE_MS)
    const wanted = Math.min(
      this.#maxDelayMs,
      Math.max(this.#minDelayMs, JITTER_MULTIPLIER * this.#jitterMs + lossAllowance)
    )
    this.#targetDelayMs = wanted >= this.#targetDelayMs
      ? wanted
      : this.#targetDelayMs - (this.#targetDelayMs - wanted) * SHRINK_RATE
  }
}

/**
 * Validate `config` and fill in its defaults. Fails with {@link InvalidConfig} naming the bad field:
 * delays must satisfy `0 < minDelayMs <= initialDelayMs <= maxDelayMs <= 500`, the clock rate and
 * capacity must be positive integers.
 */
export const validateJitterBufferConfig = (
  config: JitterBufferConfig
): Effect.Effect<Required<JitterBufferConfig>, InvalidConfig> =>
  Effect.suspend(() => {
    const minDelayMs = config.minDelayMs ?? 50
    const maxDelayMs = config.maxDelayMs ?? 200
    const initialDelayMs = config.initialDelayMs ?? minDelayMs
    const capacity = config.capacity ?? 512
    const invalid = (field: string, message: string) => Effect.fail(new InvalidConfig({ field, message }))
    if (!Number.isInteger(config.clockRate) || config.clockRate <= 0) {
      return invalid("clockRate", `clockRate must be a positive integer, got ${config.clockRate}`)
    }
    if (!(minDelayMs > 0 && minDelayMs <= maxDelayMs)) {
      return invalid("minDelayMs", `minDelayMs must be in (0, maxDelayMs], got ${minDelayMs}`)
    }
    if (!(maxDelayMs <= HARD_MAX_DELAY_MS)) {
      return invalid("maxDelayMs", `maxDelayMs must be at most ${HARD_MAX_DELAY_MS}, got ${maxDelayMs}`)
    }
    if (!(initialDelayMs >= minDelayMs && initialDelayMs <= maxDelayMs)) {
      return invalid("initialDelayMs", `initialDelayMs must be within [${minDelayMs}, ${maxDelayMs}], got ${initialDelayMs}`)
    }
    if (!Number.isInteger(capacity) || capacity <= 0) {
      return invalid("capacity", `capacity must be a positive integer, got ${capacity}`)
    }
    return Effect.succeed({ clockRate: config.clockRate, minDelayMs, maxDelayMs, initialDelayMs, capacity })
  })

/** Validate `config` (see {@link validateJitterBufferConfig}) and create an empty buffer. */
export const makeJitterBuffer = <A>(config: JitterBufferConfig): Effect.Effect<JitterBuffer<A>, InvalidConfig> =>
  Effect.map(validateJitterBufferConfig(config), (valid) => new JitterBuffer<A>(valid))
