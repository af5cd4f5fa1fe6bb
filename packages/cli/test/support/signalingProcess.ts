/**
 * `remotemedia-signaling` as a child process on a free loopback port, so a test can kill the server under
 * running peers. Killed when the scope closes if it still runs.
 */
import { spawn } from "node:child_process"
import { fileURLToPath } from "node:url"
import { Effect } from "effect"

/** The server's command-line entry, next to the package's source entry point. */
const serverCli = fileURLToPath(new URL("cli.ts", import.meta.resolve("@remotemedia/signaling-server")))

/** A running server process: its `ws://` url and a way to kill it. */
export interface SignalingProcess {
  readonly url: string
  readonly kill: (signal: NodeJS.Signals) => Effect.Effect<void>
}

/** Starts the server with extra `args` (e.g. `--secret S`) and waits until it listens (30 s at most). */
export const spawnSignalingServer = (args: ReadonlyArray<string> = []) =>
  Effect.gen(function*() {
    const child = yield* Effect.acquireRelease(
      Effect.sync(() => spawn(process.execPath, ["--conditions=source", serverCli, "--port", "0", ...args], { stdio: ["ignore", "pipe", "pipe"] })),
      (child) => Effect.sync(() => child.exitCode === null && child.signalCode === null && child.kill("SIGKILL"))
    )
    let output = ""
    const url = yield* Effect.callback<string, Error>((resume) => {
      const onData = (text: string) => {
        output += text
        const match = /listening on (ws:\/\/\S+)/.exec(output)
        if (match !== null) resume(Effect.succeed(match[1]!))
      }
      const onExit = () => resume(Effect.fail(new Error(`remotemedia-signaling exited before listening:\n${output}`)))
      child.stdout.setEncoding("utf8").on("data", onData)
      child.stderr.setEncoding("utf8").on("data", onData)
      child.once("exit", onExit)
      return Effect.sync(() => {
        child.stdout.off("data", onData)
        child.stderr.off("data", onData)
        child.off("exit", onExit)
      })
    }).pipe(Effect.timeoutOrElse({ duration: "30 seconds", orElse: () => Effect.fail(new Error(`remotemedia-signaling did not start:\n${output}`)) }))
    return { url, kill: (signal) => Effect.sync(() => void child.kill(signal)) } satisfies SignalingProcess
  })
