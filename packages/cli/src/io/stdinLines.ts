/**
 * Lines typed on stdin, for interactive mode. Reading starts when the stream runs and stops (stdin
 * released, so the process can exit) when it is interrupted.
 *
 * @since 0.1.0
 */
import { createInterface } from "node:readline"
import type { Readable } from "node:stream"
import { Effect, Queue, Stream } from "effect"

/** Each line of `input`, without its line ending; ends at end of input. */
export const inputLines = (input: Readable): Stream.Stream<string> =>
  Stream.callback<string>((queue) =>
    Effect.acquireRelease(
      Effect.sync(() => {
        const lines = createInterface({ input, crlfDelay: Infinity, terminal: false })
        lines.on("line", (line) => Queue.offerUnsafe(queue, line))
        lines.on("close", () => Queue.endUnsafe(queue))
        return lines
      }),
      (lines) => Effect.sync(() => lines.close())
    )
  )
