/**
 * Every way a `remotemedia-peer` run ends, as a user sees it: the exit code and one line on stderr, never
 * a stack trace.
 */
import { createServer } from "node:net"
import { assert, describe, it } from "@effect/vitest"
import { Effect } from "effect"
import { type CliProcess, spawnPeer } from "./support/cliProcess.ts"
import { signalingEnv } from "./support/signalingEnv.ts"

/** The last stderr line, after checking that no stack trace was printed. */
const errorLine = (peer: CliProcess) => {
  assert.notMatch(peer.stderr(), /^\s+at /m)
  return peer.stderr().trimEnd().split("\n").at(-1) ?? ""
}

/** A loopback port with nothing listening on it. */
const closedPort = Effect.callback<number>((resume) => {
  const server = createServer().listen(0, "127.0.0.1", () => {
    const address = server.address()
    server.close(() => resume(Effect.succeed(typeof address === "object" && address !== null ? address.port : 0)))
  })
})

describe("remotemedia-peer exit codes", () => {
  it.live("2 for bad arguments, with the flag named; 0 and the usage for --help", () =>
    Effect.gen(function*() {
      const bad = yield* spawnPeer(["--signaling", "ws://127.0.0.1:1", "--id", "a", "--stun", "stun:127.0.0.1", "--pattern", "640x480"])
      const help = yield* spawnPeer(["--help"])
      const badManifest = yield* spawnPeer(["--signaling", "ws://127.0.0.1:1", "--id", "a", "--stun", "stun:127.0.0.1", "--pipeline", "/nonexistent/m.json"])
      assert.strictEqual(yield* bad.exitCode, 2)
      assert.strictEqual(bad.stderr(), "remotemedia-peer: --pattern must look like 640x360@30, got \"640x480\" (see --help)\n")
      assert.strictEqual(yield* help.exitCode, 0)
      assert.strictEqual(yield* badManifest.exitCode, 2)
      assert.match(errorLine(badManifest), /^remotemedia-peer: --pipeline \/nonexistent\/m\.json: cannot read: ENOENT/)
      assert.match(help.stdout(), /^usage: remotemedia-peer --signaling/)
    }), 120_000)

  it.live("3 when the signaling server cannot be reached", () =>
    Effect.gen(function*() {
      const port = yield* closedPort
      const peer = yield* spawnPeer(["--signaling", `ws://127.0.0.1:${port}`, "--id", "lonely", "--stun", "stun:127.0.0.1:3478", "--ice-hosts", "loopback"])
      assert.strictEqual(yield* peer.exitCode, 3)
      assert.match(errorLine(peer), new RegExp(`^remotemedia-peer: cannot join ws://127\\.0\\.0\\.1:${port}: .*ECONNREFUSED`))
    }), 120_000)

  it.live("4 for an unknown peer and for a peer that fails; 5 when expected data never came", () =>
    Effect.gen(function*() {
      const env = yield* signalingEnv
      const bob = yield* spawnPeer(env.peerFlags("bob"))
      const unknown = yield* spawnPeer([...env.peerFlags("carol"), "--connect", "nobody", "--duration", "10"])
      yield* bob.waitForEvent(/joined .* as bob/)
      assert.strictEqual(yield* unknown.exitCode, 4)
      assert.strictEqual(errorLine(unknown), "remotemedia-peer: cannot connect to nobody: peer nobody is not registered with signaling")

      const waiting = yield* spawnPeer([...env.peerFlags("alice"), "--connect", "bob", "--expect-data", "--duration", "2"])
      assert.strictEqual(yield* waiting.exitCode, 5)
      assert.strictEqual(errorLine(waiting), "remotemedia-peer: expected data from bob, nothing arrived")
      assert.match(waiting.stdout(), /^\s+bob\s+Connected\s/m)

      const survivor = yield* spawnPeer([...env.peerFlags("dave"), "--connect", "bob", "--duration", "60"])
      yield* survivor.waitForEvent(/connected to bob/)
      yield* bob.kill("SIGKILL")
      assert.strictEqual(yield* survivor.exitCode, 4)
      assert.match(errorLine(survivor), /^remotemedia-peer: peer bob failed: /)
      assert.match(survivor.stdout(), /^\s+bob\s+Failed\s/m)
    }), 240_000)
})
