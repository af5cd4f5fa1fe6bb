import { assert, describe, it } from "@effect/vitest"
import { make as makeServer, makeStunResponder } from "@remotemedia/signaling-server"
import { Effect } from "effect"
import { make } from "../../src/signaling/index.ts"

/** Live handles by kind (sockets, servers, timers...). */
const handles = (): Map<string, number> => {
  const counts = new Map<string, number>()
  for (const kind of process.getActiveResourcesInfo()) counts.set(kind, (counts.get(kind) ?? 0) + 1)
  return counts
}

/** Kinds with more live handles now than in `before`. */
const leaked = (before: Map<string, number>): Array<string> =>
  Array.from(handles()).filter(([kind, n]) => n > (before.get(kind) ?? 0)).map(([kind, n]) => `${kind}×${n - (before.get(kind) ?? 0)}`)

describe("signaling resources", () => {
  it.live("after the scope closes no socket, server or timer of the server, STUN responder or clients remains", () =>
    Effect.gen(function*() {
      const before = handles()
      yield* Effect.scoped(Effect.gen(function*() {
        const server = yield* makeServer({ pingIntervalMs: 50 })
        yield* makeStunResponder()
        const a = yield* make({ url: server.url, peerId: "a", capabilities: ["data"] })
        yield* make({ url: server.url, peerId: "b", capabilities: ["data"] })
        assert.strictEqual((yield* a.list).length, 2)
        assert.includeMembers(leaked(before).map((k) => k.split("×")[0]), ["TCPServerWrap", "TCPSocketWrap", "UDPWrap"])
      }))
      // libuv frees closed handles at the end of a loop turn: allow it a few turns, not more.
      const deadline = performance.now() + 1000
      while (leaked(before).length > 0 && performance.now() < deadline) {
        yield* Effect.callback<void>((resume) => void setImmediate(() => resume(Effect.void)))
      }
      assert.deepStrictEqual(leaked(before), [])
    }))
})
