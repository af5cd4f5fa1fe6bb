/**
 * Node child processes speaking JSON lines over stdio, killed when the scope closes.
 */
import { spawn } from "node:child_process"
import { createInterface, type Interface } from "node:readline"
import { fileURLToPath } from "node:url"
import { Effect } from "effect"

/** A child's stdin writer and its stdout lines. */
export interface LineChild {
  readonly write: (message: unknown) => void
  readonly lines: Interface
}

/** Runs `node --conditions=source <script of this package> ...args` for the scope's lifetime. */
export const spawnLineChild = (script: URL, args: ReadonlyArray<string>) =>
  Effect.acquireRelease(
    Effect.sync(() => spawn(process.execPath, ["--conditions=source", fileURLToPath(script), ...args], { stdio: ["pipe", "pipe", "inherit"] })),
    (child) => Effect.sync(() => child.kill("SIGKILL"))
  ).pipe(Effect.map((child): LineChild => ({
    write: (message) => child.stdin.write(`${JSON.stringify(message)}\n`),
    lines: createInterface({ input: child.stdout })
  })))

/** Waits for the child's next line. */
export const nextLine = (child: LineChild) =>
  Effect.callback<string>((resume) => {
    child.lines.once("line", (line) => resume(Effect.succeed(line)))
  })
