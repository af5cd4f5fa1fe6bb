/**
 * `./run demo`: the conference of the README's first command. Parses the flags, runs the demo inside
 * Effect's Node runtime (SIGINT interrupts it and still releases everything), exits 0 when the verdict
 * passes, 1 when it fails, 2 on a bad flag.
 *
 * @since 0.1.0
 */
import * as NodeRuntime from "@effect/platform-node/NodeRuntime"
import { Effect, References, Result } from "effect"
import { parseDemoOptions, usage } from "./DemoOptions.ts"

const parsed = parseDemoOptions(process.argv.slice(2))
if (Result.isFailure(parsed)) {
  console.error(parsed.failure.message)
  process.exit(2)
}
if (parsed.success === "help") {
  console.log(usage)
  process.exit(0)
}

// Loaded after the flags are checked: --help and a bad flag answer at once, without loading werift and codecs.
const { runDemo } = await import("./Demo.ts")

NodeRuntime.runMain(
  runDemo(parsed.success, process.stdout.isTTY === true).pipe(
    // The transports' own info logs would scroll the live view away.
    Effect.provideService(References.MinimumLogLevel, "Warn"),
    // A failed verdict was printed with the summary; anything else is said here.
    Effect.tapError((error) => error._tag === "DemoFailed" ? Effect.void : Effect.sync(() => console.error(error.message)))
  ),
  { disableErrorReporting: true }
)
