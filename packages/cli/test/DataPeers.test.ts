/**
 * Two `remotemedia-peer` processes against the real signaling server: data-channel messages both ways,
 * the JSON stats, and a clean stop by SIGINT.
 */
import { describe, expect, it } from "@effect/vitest"
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
      expect(yield* alice.exitCode).toBe(0)
      expect(alice.stderr()).toContain(`bob: ${text}\n`)
      const objects = jsonLines(alice)
      const summary = objects.at(-1)!
      expect(summary).toMatchObject({ type: "summary", id: "alice", exitCode: 0, error: null })
      expect(summary["peers"]).toEqual([
        expect.objectContaining({ peerId: "bob", data: { sent: 1, received: 1, bytesReceived: Buffer.byteLength(text) } })
      ])
      expect(objects.slice(0, -1).every((object) => object["type"] === "stats")).toBe(true)

      yield* bob.waitForEvent(/alice left/)
      expect(bob.stderr()).toContain(`alice: ${text}\n`)
      yield* bob.kill("SIGINT")
      expect(yield* bob.exitCode).toBe(0)
      expect(bob.stdout()).toMatch(/alice\s+Left\s.*\s1\/1$/m)
    }), 90_000)
})
