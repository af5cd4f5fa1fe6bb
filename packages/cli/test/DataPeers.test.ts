/**
 * Two `remotemedia-peer` processes against the real signaling server: data-channel messages both ways,
 * the JSON stats, and a clean stop by SIGINT.
 */
import { assert, describe, it } from "@effect/vitest"
import { Effect } from "effect"
import { jsonLines, spawnPeer } from "./support/cliProcess.ts"
import { signalingEnv } from "./support/signalingEnv.ts"

describe("remotemedia-peer data", () => {
  it.live("--say reaches an --echo peer and comes back byte-identical; SIGINT ends a run cleanly", () =>
    Effect.gen(function*() {
      const env = yield* signalingEnv
      const text = "héllo ✓ 👋"
      const bob = yield* spawnPeer([...env.peerFlags("bob"), "--echo"])
      yield* bob.waitForEvent(/joined .* as bob/)
      const alice = yield* spawnPeer([...env.peerFlags("alice"), "--connect", "bob", "--say", text, "--expect-data", "--json", "--duration", "4"])
      assert.strictEqual(yield* alice.exitCode, 0)
      assert.include(alice.stderr(), `bob: ${text}\n`)
      const objects = jsonLines(alice)
      const summary = objects.at(-1)!
      assert.deepInclude(summary, { type: "summary", id: "alice", exitCode: 0, error: null })
      const peers = summary["peers"] as ReadonlyArray<{ readonly peerId: string; readonly data: unknown }>
      assert.deepStrictEqual(
        peers.map(({ peerId, data }) => ({ peerId, data })),
        [{ peerId: "bob", data: { sent: 1, received: 1, bytesReceived: Buffer.byteLength(text) } }]
      )
      assert.strictEqual(objects.slice(0, -1).every((object) => object["type"] === "stats"), true)

      yield* bob.waitForEvent(/alice left/)
      assert.include(bob.stderr(), `alice: ${text}\n`)
      yield* bob.kill("SIGINT")
      assert.strictEqual(yield* bob.exitCode, 0)
      assert.match(bob.stdout(), /alice\s+Left\s.*\s1\/1$/m)
    }), 240_000)
})
