/**
 * The signaling server's CLI in a child process, so a test can SIGKILL it (no close frames, no goodbyes)
 * and start it again on the same port.
 */
import { type ChildProcess, spawn } from "node:child_process"
import { fileURLToPath } from "node:url"
import { Effect } from "effect"

/** The CLI's source, through this package's dependency link (the package exports only its library). */
const cli = fileURLToPath(new URL("../../../node_modules/@remotemedia/signaling-server/src/cli.ts", import.meta.url))

/** A running server process: its url and port, and `kill` (SIGKILL, resolves once it is gone). */
export interface ServerProcess {
  readonly url: string
  readonly port: number
  readonly kill: Effect.Effect<void>
}

/** Starts the CLI on `port` (0: any free one) for the scope's lifetime and waits until it listens. */
export const serverProcess = (port = 0, gracePeriodMs = 10_000) =>
  Effect.acquireRelease(
    Effect.callback<{ child: ChildProcess; url: string }, Error>((resume) => {
      const args = ["--conditions=source", cli, "--port", String(port), "--grace-period-ms", String(gracePeriodMs)]
      const child = spawn(process.execPath, args, { stdio: ["ignore", "pipe", "inherit"] })
      let out = ""
      child.stdout!.on("data", (chunk: Buffer) => {
        out += chunk.toString()
        const url = /listening on (ws:\/\/\S+)/.exec(out)?.[1]
        if (url !== undefined) resume(Effect.succeed({ child, url }))
      })
      child.once("exit", (code) => resume(Effect.fail(new Error(`signaling server exited early with ${code}`))))
    }).pipe(Effect.timeout("20 seconds")),
    ({ child }) => Effect.sync(() => child.exitCode === null && child.signalCode === null && child.kill("SIGKILL"))
  ).pipe(
    Effect.map(({ child, url }): ServerProcess => ({
      url,
      port: Number(new URL(url).port),
      kill: Effect.callback<void>((resume) => {
        if (child.exitCode !== null || child.signalCode !== null) return resume(Effect.void)
        child.once("exit", () => resume(Effect.void))
        child.kill("SIGKILL")
      })
    }))
  )
