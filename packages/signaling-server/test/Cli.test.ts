import { spawn } from "node:child_process"
import { fileURLToPath } from "node:url"
import { assert, describe, it } from "@effect/vitest"
import { Effect } from "effect"
import { connectRaw } from "./support/RawClient.ts"

const cli = fileURLToPath(new URL("../src/cli.ts", import.meta.url))

describe("remotemedia-signaling CLI", () => {
  it.live("prints its URL, serves, and on SIGTERM closes clients with 1001 and exits 0", () =>
    Effect.gen(function*() {
      const child = yield* Effect.acquireRelease(
        Effect.sync(() => spawn(process.execPath, ["--conditions=source", cli, "--port", "0", "--max-peers", "5"], { stdio: ["ignore", "pipe", "inherit"] })),
        (child) => Effect.sync(() => child.kill("SIGKILL"))
      )
      const url = yield* Effect.callback<string>((resume) => {
        let out = ""
        child.stdout.on("data", (chunk: Buffer) => {
          out += chunk.toString()
          const match = /listening on (ws:\/\/\S+)/.exec(out)
          if (match?.[1] !== undefined) resume(Effect.succeed(match[1]))
        })
      }).pipe(Effect.timeout("15 seconds"))
      const client = yield* connectRaw(url)
      const result = yield* client.announce("cli-peer")
      assert.strictEqual(result["status"], "registered")
      const exited = Effect.callback<number | null>((resume) => {
        child.once("exit", (code) => resume(Effect.succeed(code)))
      })
      child.kill("SIGTERM")
      assert.strictEqual(yield* client.closed, 1001)
      assert.strictEqual(yield* exited.pipe(Effect.timeout("5 seconds")), 0)
    }))

  it.live("rejects a malformed option naming it", () =>
    Effect.gen(function*() {
      const { code, stderr } = yield* Effect.callback<{ code: number | null; stderr: string }>((resume) => {
        const child = spawn(process.execPath, ["--conditions=source", cli, "--port", "abc"], { stdio: ["ignore", "ignore", "pipe"] })
        let stderr = ""
        child.stderr.on("data", (chunk: Buffer) => void (stderr += chunk.toString()))
        child.once("exit", (code) => resume(Effect.succeed({ code, stderr })))
      }).pipe(Effect.timeout("15 seconds"))
      assert.strictEqual(code, 2)
      assert.match(stderr, /--port must be a non-negative integer/)
    }))
})
