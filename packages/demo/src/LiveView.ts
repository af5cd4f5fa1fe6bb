/**
 * The live terminal view: the stats table redrawn in place once a second on a terminal; on a pipe (CI,
 * logs) a fresh copy every five seconds instead of escape codes.
 *
 * @since 0.1.0
 */
import { Console, Effect } from "effect"
import type { Tick } from "./Conference.ts"
import { renderTable } from "./StatsTable.ts"

const clearScreen = "\x1b[H\x1b[2J"

/** A `Tick` consumer for `runConference`. */
export const liveView = (title: string, interactive: boolean) => (tick: Tick): Effect.Effect<void> => {
  const seconds = Math.round(tick.atMs / 1000)
  if (!interactive && seconds % 5 !== 0) return Effect.void
  const body = `${title} · ${seconds} s\n\n${renderTable(tick.rows)}\n`
  return Console.log(interactive ? clearScreen + body : body)
}
