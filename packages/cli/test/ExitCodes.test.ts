/**
 * Every way a `remotemedia-peer` run ends, as a user sees it: the exit code and one line on stderr, never
 * a stack trace.
 */
import { createServer } from "node:net"
import { describe, expect, it } from "@effect/vitest"
import { Effect } from "effect"
import { type CliProcess, spawnPeer } from "./support/cliProcess.ts"
import { signalingEnv } from "./support/signalingEnv.ts"

/** The last stderr line, after checking that no stack trace was printed. */
const errorLine = (peer: CliProcess) => {
  expect(peer.stderr()).not.toMatch(/^\s+at /m)
  return peer.stderr().trimEnd().split("\n").at(-1)
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
      expect(yield* bad.exitCode).toBe(2)
      expect(bad.stderr()).toBe("remotemedia-peer: --pattern must look like 640x360@30, got \"640x480\" (see --help)\n")
      expect(yield* help.exitCode).toBe(0)
      expect(help.stdout()).toMatch(/^usage: remotemedia-peer --signaling/)
    }), 60_000)

  it.live("3 when the signaling server cannot be reached", () =>
    Effect.gen(function*() {
      const port = yield* closedPort
      const peer = yield* spawnPeer(["--signaling", `ws://127.0.0.1:${port}`, "--id", "lonely", "--stun", "stun:127.0.0.1:3478", "--ice-hosts", "loopback"])
      expect(yield* peer.exitCode).toBe(3)
      expect(errorLine(peer)).toMatch(new RegExp(`^remotemedia-peer: cannot join ws://127\\.0\\.0\\.1:${port}: .*ECONNREFUSED`))
    }), 60_000)

  it.live("4 for an unknown peer and for a peer that fails; 5 when expected data never came", () =>
    Effect.gen(function*() {
      const env = yield* signalingEnv
      const bob = yield* spawnPeer(env.peerFlags("bob"))
      const unknown = yield* spawnPeer([...env.peerFlags("carol"), "--connect", "nobody", "--duration", "10"])
      yield* bob.waitForEvent(/joined .* as bob/)
      expect(yield* unknown.exitCode).toBe(4)
      expect(errorLine(unknown)).toBe("remotemedia-peer: cannot connect to nobody: peer nobody is not registered with signaling")

      const waiting = yield* spawnPeer([...env.peerFlags("alice"), "--connect", "bob", "--expect-data", "--duration", "2"])
      expect(yield* waiting.exitCode).toBe(5)
      expect(errorLine(waiting)).toBe("remotemedia-peer: expected data from bob, nothing arrived")
      expect(waiting.stdout()).toMatch(/^\s+bob\s+Connected\s/m)

      const survivor = yield* spawnPeer([...env.peerFlags("dave"), "--connect", "bob", "--duration", "60"])
      yield* survivor.waitForEvent(/connected to bob/)
      yield* bob.kill("SIGKILL")
      expect(yield* survivor.exitCode).toBe(4)
      expect(errorLine(survivor)).toMatch(/^remotemedia-peer: peer bob failed: /)
      expect(survivor.stdout()).toMatch(/^\s+bob\s+Failed\s/m)
    }), 120_000)
})
