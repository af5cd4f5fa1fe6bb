#!/usr/bin/env node
/**
 * `remotemedia-peer`: a command-line peer of a RemoteMedia mesh. Every failure ends as one line on stderr
 * (`remotemedia-peer: …`) and a documented exit code, never a stack trace.
 *
 * Startup: flags are checked before the transport (werift, codecs) is loaded, so `--help` and usage errors
 * answer at once.
 *
 * @since 0.1.0
 */
import * as Result from "effect/Result"
import { ExitCode } from "./CliError.ts"
import { type CliOptions, parseCliOptions, usage } from "./options/CliOptions.ts"

const fail = (message: string, code: number) => {
  process.stderr.write(`remotemedia-peer: ${message}\n`)
  process.exitCode = code
}

/** After the run, the event loop should drain by itself; this bounds the wait if a library keeps it busy. */
const exitGraceMs = 3_000

const run = async (options: CliOptions) => {
  const [{ Cause, Effect, Exit, Option }, { exitCode }, { inputLines }, { stopSignal }, reporters, { runPeer }] = await Promise.all([
    import("effect"),
    import("./CliError.ts"),
    import("./io/stdinLines.ts"),
    import("./io/stopSignal.ts"),
    import("./output/Reporter.ts"),
    import("./peer/runPeer.ts")
  ])
  const reporter = options.json
    ? reporters.jsonReporter(process.stdout, process.stderr)
    : process.stdout.isTTY === true
    ? reporters.liveReporter(process.stdout)
    : reporters.plainReporter(process.stdout, process.stderr)
  const program = runPeer(options, {
    reporter,
    inputLines: options.interactive ? inputLines(process.stdin) : undefined,
    stopRequested: stopSignal
  }).pipe(Effect.scoped)
  const exit = await Effect.runPromiseExit(program)
  if (Exit.isFailure(exit)) {
    Option.match(Cause.findErrorOption(exit.cause), {
      onSome: (error) => fail(error.message, exitCode(error)),
      onNone: () => fail(`internal error: ${String(Cause.squash(exit.cause))}`, ExitCode.Failed)
    })
  }
  setTimeout(() => process.exit(), exitGraceMs).unref()
}

const parsed = parseCliOptions(process.argv.slice(2), process.stdin.isTTY === true)
if (Result.isFailure(parsed)) fail(`${parsed.failure.message} (see --help)`, ExitCode.Usage)
else if (parsed.success.help) process.stdout.write(`${usage}\n`)
else await run(parsed.success)
