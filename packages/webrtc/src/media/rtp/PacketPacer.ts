/**
 * Pacing: spreads one frame's packets over a time budget in small batches instead of one burst, so a
 * 720p keyframe (100+ packets) does not overflow the receiver's UDP buffer (field notes, pitfall 7).
 * The plan is pure; {@link sendPaced} carries it out on the Effect clock.
 *
 * @since 0.1.0
 */
import { Clock, Effect } from "effect"

/** Packets `[start, end)` go out together at `offsetMs` after the frame's first packet. */
export interface PacedBatch {
  readonly offsetMs: number
  readonly start: number
  readonly end: number
}

/** Options of {@link planPacing}. */
export interface PacingOptions {
  /** Time over which to spread the frame, e.g. half the frame interval. */
  readonly budgetMs: number
  /** Smallest gap between batches (timer granularity); 1 ms by default. */
  readonly slotMs?: number
}

/**
 * Splits packets of the given byte sizes into batches at evenly spaced offsets in `[0, budgetMs)`, each
 * batch carrying about the same number of bytes. Every packet appears exactly once, in order.
 */
export const planPacing = (sizes: ReadonlyArray<number>, options: PacingOptions): ReadonlyArray<PacedBatch> => {
  const slotMs = options.slotMs ?? 1
  const slots = Math.max(1, Math.min(sizes.length, Math.floor(options.budgetMs / slotMs)))
  if (sizes.length === 0) return []
  if (slots === 1) return [{ offsetMs: 0, start: 0, end: sizes.length }]
  const total = sizes.reduce((sum, size) => sum + size, 0)
  const spacing = options.budgetMs / slots
  const batches: Array<PacedBatch> = []
  let start = 0
  let sent = 0
  for (let slot = 0; slot < slots && start < sizes.length; slot++) {
    // Send packets until this slot's share of the bytes is out (at least one packet per slot).
    const target = (total * (slot + 1)) / slots
    let end = start + 1
    sent += sizes[start]!
    while (end < sizes.length && sent + sizes[end]! / 2 <= target) sent += sizes[end++]!
    if (slot === slots - 1) end = sizes.length
    batches.push({ offsetMs: slot * spacing, start, end })
    start = end
  }
  return batches
}

/**
 * Sends `items` following `plan`: each batch at its offset from the start on the clock. A timer that fires
 * late delays only its own batch (the next one waits for its own deadline, not for another gap), and batches
 * already due go out at once, so a frame never takes much longer than its budget however busy the event loop
 * is. The last batch is sent without a trailing sleep, so the effect ends as soon as the frame is out.
 */
export const sendPaced = <A>(items: ReadonlyArray<A>, plan: ReadonlyArray<PacedBatch>, send: (item: A) => void): Effect.Effect<void> =>
  Effect.gen(function*() {
    const startMs = yield* Clock.currentTimeMillis
    for (const batch of plan) {
      const waitMs = startMs + batch.offsetMs - (yield* Clock.currentTimeMillis)
      if (waitMs > 0) yield* Effect.sleep(waitMs)
      for (let i = batch.start; i < batch.end; i++) send(items[i]!)
    }
  })
