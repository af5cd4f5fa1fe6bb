/**
 * Estimates how fast a sender's RTP clock runs against its NTP wall clock, by least squares over the
 * recent sender-report observations, and turns that into a bounded, gradually applied correction factor.
 *
 * @since 0.1.0
 */

/** One sender report reduced to what drift needs: elapsed wall time and elapsed media time, in seconds. */
export interface DriftObservation {
  readonly wallSeconds: number
  readonly mediaSeconds: number
}

/** Fewest observations before a slope is trusted. */
export const MIN_DRIFT_OBSERVATIONS = 10
/** The correction factor never leaves [0.99, 1.01] (±1 %). */
export const MIN_CORRECTION = 0.99
export const MAX_CORRECTION = 1.01
/** Fraction of the remaining distance to the target correction applied per observation. */
const CORRECTION_STEP = 0.2
const DEFAULT_WINDOW = 64

/** Least-squares slope of media time against wall time; undefined with fewer than two distinct points. */
export const leastSquaresSlope = (points: ReadonlyArray<DriftObservation>): number | undefined => {
  const n = points.length
  if (n < 2) return undefined
  let meanX = 0
  let meanY = 0
  for (const p of points) {
    meanX += p.wallSeconds / n
    meanY += p.mediaSeconds / n
  }
  let sxy = 0
  let sxx = 0
  for (const p of points) {
    const dx = p.wallSeconds - meanX
    sxy += dx * (p.mediaSeconds - meanY)
    sxx += dx * dx
  }
  return sxx === 0 ? undefined : sxy / sxx
}

/**
 * Sliding-window drift estimator. `driftPpm` is `(slope − 1)·1e6` once {@link MIN_DRIFT_OBSERVATIONS}
 * observations are in; `correction` (the factor that converts media time to wall time) moves toward
 * `1 / slope` by a fraction per observation, clamped to [0.99, 1.01], so playout never jumps.
 */
export class DriftEstimator {
  readonly #window: number
  readonly #points: Array<DriftObservation> = []
  #correction = 1

  constructor(window = DEFAULT_WINDOW) {
    this.#window = Math.max(MIN_DRIFT_OBSERVATIONS, window)
  }

  observe(observation: DriftObservation): void {
    this.#points.push(observation)
    if (this.#points.length > this.#window) this.#points.shift()
    const slope = this.slope()
    if (slope === undefined) return
    const target = Math.min(MAX_CORRECTION, Math.max(MIN_CORRECTION, 1 / slope))
    this.#correction += (target - this.#correction) * CORRECTION_STEP
  }

  /** The fitted slope, once enough observations are in. */
  slope(): number | undefined {
    return this.#points.length < MIN_DRIFT_OBSERVATIONS ? undefined : leastSquaresSlope(this.#points)
  }

  /** Drift of the media clock against the wall clock in parts per million, once enough observations are in. */
  driftPpm(): number | undefined {
    const slope = this.slope()
    return slope === undefined ? undefined : (slope - 1) * 1e6
  }

  /** Factor applied to elapsed media time to get elapsed wall time (1 until a slope is known). */
  correction(): number {
    return this.#correction
  }

  observations(): number {
    return this.#points.length
  }

  reset(): void {
    this.#points.length = 0
    this.#correction = 1
  }
}
