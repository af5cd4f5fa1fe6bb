/**
 * `remotemedia-peer` against a signaling server that asks for a token, and against one that dies under two
 * running peers: the exit code and the one line a user sees.
 */
import { assert, describe, it } from "@effect/vitest"
import { Effect } from "effect"
import { makeStunResponder, mintToken } from "@remotemedia/signaling-server"
import { type CliProcess, spawnPeer } from "./support/cliProcess.ts"
import { spawnSignalingServer } from "./support/signalingProcess.ts"

const errorLine = (peer: CliProcess) => {
  assert.notMatch(peer.stderr(), /^\s+at /m)
  return peer.stderr().trimEnd().split("\n").at(-1) ?? ""
}

/** Flags of a peer on `url` with our own STUN responder and loopback-only ICE. */
const peerFlags = (url: string, stunUrl: string, id: string) =>
  ["--signaling", url, "--stun", stunUrl, "--ice-hosts", "loopback", "--connect-timeout", "40", "--id", id]

describe("remotemedia-peer and the signaling server", () => {
  it.live("--token: the right token joins and connects, a wrong one exits 3 with the server's reason", () =>
    Effect.gen(function*() {
      const secret = "s3cret-for-this-test"
      const server = yield* spawnSignalingServer(["--secret", secret])
      const stun = yield* makeStunResponder().pipe(Effect.orDie)
      const inAnHour = Math.floor(Date.now() / 1000) + 3600
      const bob = yield* spawnPeer([...peerFlags(server.url, stun.url, "bob"), "--token", mintToken(secret, "bob", inAnHour), "--echo"])
      yield* bob.waitForEvent(/joined .* as bob/)
      const alice = yield* spawnPeer([
        ...peerFlags(server.url, stun.url, "alice"), "--token", mintToken(secret, "alice", inAnHour), "--connect", "bob", "--say", "hi", "--expect-data", "--duration", "2"
      ])
      assert.strictEqual(yield* alice.exitCode, 0, alice.stderr())

      // A token minted for someone else: the server refuses the announce.
      const mallory = yield* spawnPeer([...peerFlags(server.url, stun.url, "mallory"), "--token", mintToken(secret, "bob", inAnHour)])
      assert.strictEqual(yield* mallory.exitCode, 3)
      assert.match(errorLine(mallory), new RegExp(`^remotemedia-peer: cannot join ${server.url}: .*token`))
      assert.strictEqual(mallory.stderr().trimEnd().split("\n").length, 1, mallory.stderr())
    }), 180_000)

  it.live("the server dies under two connected peers: both report the retries, then exit 3", () =>
    Effect.gen(function*() {
      const server = yield* spawnSignalingServer()
      const stun = yield* makeStunResponder().pipe(Effect.orDie)
      const bob = yield* spawnPeer(peerFlags(server.url, stun.url, "bob"))
      yield* bob.waitForEvent(/joined .* as bob/)
      const alice = yield* spawnPeer([...peerFlags(server.url, stun.url, "alice"), "--connect", "bob"])
      yield* alice.waitForEvent(/connected to bob/)
      yield* bob.waitForEvent(/connected to alice/)
      yield* server.kill("SIGKILL")
      for (const peer of [alice, bob]) {
        yield* peer.waitForEvent(/signaling lost, reconnecting \(attempt 1\)/)
        assert.strictEqual(yield* peer.exitCode, 3, peer.stderr())
        assert.strictEqual(errorLine(peer), `remotemedia-peer: lost the signaling server ${server.url}`)
      }
    }), 180_000)
})
