/**
 * `remotemedia-peer` as a child process, the way a user runs it: its stdout and stderr collected, lines
 * awaited by pattern (with a timeout that fails loudly, showing what the process said), its exit code.
 */
import { type ChildProcess, spawn } from "node:child_process"
import { fileURLToPath } from "node:url"
import { Deferred, Effect } from "effect"

const mainPath = fileURLToPath(new URL("../../src/main.ts", import.meta.url))

/** A running (or finished) CLI peer. */
export interface CliProcess {
  readonly stdout: () => string
  readonly stderr: () => string
  /** Waits until stderr (events) matches `pattern`. */
  readonly waitForEvent: (pattern: RegExp, timeout?: "60 seconds") => Effect.Effect<void, Error>
  /** The exit code (128 + n after signal n), once the process has exited. */
  readonly exitCode: Effect.Effect<number, Error>
  readonly kill: (signal: NodeJS.Signals) => Effect.Effect<void>
}

/** The JSON objects the process printed on stdout (`--json`). */
export const jsonLines = (peer: CliProcess): ReadonlyArray<Record<string, unknown>> =>
  peer.stdout().split("\n").filter((line) => line.startsWith("{")).map((line) => JSON.parse(line) as Record<string, unknown>)

const signalNumbers: Partial<Record<NodeJS.Signals, number>> = { SIGINT: 2, SIGKILL: 9, SIGTERM: 15 }

/** Starts `remotemedia-peer args…`; it is killed when the scope closes if it is still running. */
export const spawnPeer = (args: ReadonlyArray<string>) =>
  Effect.gen(function*() {
    const exited = yield* Deferred.make<number>()
    const child: ChildProcess = yield* Effect.acquireRelease(
      Effect.sync(() => spawn(process.execPath, ["--conditions=source", mainPath, ...args], { stdio: ["pipe", "pipe", "pipe"] })),
      (child) => Effect.sync(() => child.exitCode === null && child.signalCode === null && child.kill("SIGKILL"))
    )
    let out = ""
    let err = ""
    const waiters = new Set<() => void>()
    child.stdout!.setEncoding("utf8").on("data", (text: string) => (out += text))
    child.stderr!.setEncoding("utf8").on("data", (text: string) => {
      err += text
      for (const waiter of waiters) waiter()
    })
    child.on("exit", (code, signal) => {
      Deferred.doneUnsafe(exited, Effect.succeed(code ?? 128 + (signal === null ? 0 : signalNumbers[signal] ?? 0)))
    })
    const describe = () => `remotemedia-peer ${args.join(" ")}\n--- stdout\n${out}--- stderr\n${err}`
    const peer: CliProcess = {
      stdout: () => out,
      stderr: () => err,
      waitForEvent: (pattern, timeout = "60 seconds") =>
        Effect.callback<void>((resume) => {
          const check = () => {
            if (!pattern.test(err)) return
            waiters.delete(check)
            resume(Effect.void)
          }
          waiters.add(check)
          check()
          return Effect.sync(() => waiters.delete(check))
        }).pipe(
          Effect.raceFirst(Deferred.await(exited).pipe(Effect.andThen(Effect.sync(() => pattern.test(err))), Effect.flatMap((seen) => seen ? Effect.void : Effect.fail(new Error(`exited before ${pattern}\n${describe()}`))))),
          Effect.timeoutOrElse({ duration: timeout, orElse: () => Effect.fail(new Error(`no ${pattern} within ${timeout}\n${describe()}`)) })
        ),
      exitCode: Deferred.await(exited).pipe(
        Effect.timeoutOrElse({ duration: "90 seconds", orElse: () => Effect.fail(new Error(`did not exit\n${describe()}`)) })
      ),
      kill: (signal) => Effect.sync(() => void child.kill(signal))
    }
    return peer
  })
