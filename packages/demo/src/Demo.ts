/**
 * One run of the demo as an Effect: the conference with its live view, then the summary (text or JSON)
 * and the optional HTML report. Fails with `DemoFailed` when the verdict does, so the process exits 1.
 *
 * @since 0.1.0
 */
import { writeFile } from "node:fs/promises"
import { Console, Effect, Schema } from "effect"
import { runConference } from "./Conference.ts"
import type { DemoOptions } from "./DemoOptions.ts"
import { htmlReport } from "./HtmlReport.ts"
import { liveView } from "./LiveView.ts"
import { jsonSummary, textSummary } from "./Summary.ts"

/** The conference ran, but the verdict says media, chat or the mesh did not work. */
export class DemoFailed extends Schema.TaggedError<DemoFailed>()("DemoFailed", { message: Schema.String }) {}

/** The HTML report could not be written. */
export class ReportNotWritten extends Schema.TaggedError<ReportNotWritten>()("ReportNotWritten", { message: Schema.String }) {}

/** Runs the demo; `interactive` redraws the live view in place (a terminal). */
export const runDemo = Effect.fn("Demo.run")(function*(options: DemoOptions, interactive: boolean) {
  const title = `RemoteMedia demo: ${options.peers} peers, ${options.codec} ${options.resolution}, ${options.durationSeconds} s`
  const result = yield* Effect.scoped(runConference(options, options.json ? () => Effect.void : liveView(title, interactive)))
  yield* Console.log(options.json ? jsonSummary(options, result) : textSummary(options, result))
  if (options.report !== undefined) {
    const path = options.report
    yield* Effect.tryPromise({
      try: () => writeFile(path, htmlReport(result)),
      catch: (error) => new ReportNotWritten({ message: `cannot write the report to ${path}: ${String(error)}` })
    })
    if (!options.json) yield* Console.log(`report: ${path}`)
  }
  if (!result.verdict.passed) return yield* new DemoFailed({ message: result.verdict.line })
  return result
})
