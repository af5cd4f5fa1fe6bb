/**
 * Progress lines on stderr (stdout carries only the Markdown table), so a long run shows where it is.
 */
import { Effect } from "effect"

/** Writes `bench: <what>…` to stderr. */
export const progress = (what: string): Effect.Effect<void> => Effect.sync(() => process.stderr.write(`bench: ${what}…\n`))
