import { assert, describe, it } from "@effect/vitest"
import { Effect } from "effect"
import { make } from "../src/index.ts"
import { connectRaw, errorCode, SDP, until, watcherAnd } from "./support/RawClient.ts"

describe("SignalingServer liveness and grace period", () => {
  it.live("a client that answers no pings is closed with 4001; after the grace period others get peer.left timeout", () =>
    Effect.gen(function*() {
      const server = yield* make({ pingIntervalMs: 40, gracePeriodMs: 200 })
      const { watcher, other: dead } = yield* watcherAnd(server.url, "dead", { autoPong: false })
      assert.strictEqual(yield* dead.closed, 4001)
      // Closed on the tick after the second unanswered ping.
      assert.strictEqual(yield* dead.pings, 2)
      assert.deepStrictEqual(yield* watcher.notification, { method: "peer.left", params: { peer_id: "dead", reason: "timeout" } })
      // The live client answered every ping and is still here.
      assert.strictEqual(errorCode(yield* watcher.request("peer.list", {})), undefined)
    }))

  it.live("a client silent for the idle limit is closed with 4002, pongs notwithstanding", () =>
    Effect.gen(function*() {
      const server = yield* make({ pingIntervalMs: 20, idleTimeoutMs: 150 })
      const idle = yield* connectRaw(server.url)
      const started = performance.now()
      assert.strictEqual(yield* idle.closed, 4002)
      assert.isAtLeast(performance.now() - started, 140)
    }))

  it.live("a re-announce with the session_key inside the grace period keeps the id without peer.left/peer.announced", () =>
    Effect.gen(function*() {
      const server = yield* make({ gracePeriodMs: 60_000 })
      const { watcher, other: first, registered } = yield* watcherAnd(server.url, "roamer")
      first.socket.terminate()
      yield* until("the server to see the drop", Effect.map(server.stats, (s) => s.connections === 1))
      // While it is away, messages to it get -32000 with reason "reconnecting".
      const offer = yield* watcher.request("peer.offer", { to: "roamer", sdp: SDP, can_trickle_ice_candidates: true, request_id: "r" })
      assert.deepStrictEqual(offer["error"], { code: -32000, message: "peer roamer is reconnecting", data: { reason: "reconnecting" } })

      const thief = yield* connectRaw(server.url)
      const stolen = yield* thief.request("peer.announce", { peer_id: "roamer", capabilities: ["data"], session_key: "wrong" })
      assert.strictEqual(errorCode(stolen), -32006)

      const second = yield* connectRaw(server.url)
      const back = yield* second.announce("roamer", { session_key: registered["session_key"] })
      assert.strictEqual(back["session_key"], registered["session_key"])
      const routed = yield* watcher.request("peer.offer", { to: "roamer", sdp: SDP, can_trickle_ice_candidates: true, request_id: "r2" })
      assert.deepStrictEqual(routed["result"], { status: "forwarded", request_id: "r2" })
      assert.strictEqual((yield* second.notification).params["from"], "watcher")
      assert.strictEqual(yield* watcher.pendingNotifications, 0)
    }))

  it.live("the right session_key wins over an older connection still holding the id (closed with 4000)", () =>
    Effect.gen(function*() {
      const server = yield* make()
      const { watcher, other: old, registered } = yield* watcherAnd(server.url, "roamer")
      const fresh = yield* connectRaw(server.url)
      yield* fresh.announce("roamer", { session_key: registered["session_key"] })
      assert.strictEqual(yield* old.closed, 4000)
      yield* watcher.request("peer.list", {})
      assert.strictEqual(yield* watcher.pendingNotifications, 0)
      assert.deepStrictEqual(yield* server.stats, { peers: 2, connections: 2 })
    }))

  it.live("after the grace period the others get peer.left network_error and the id is free again", () =>
    Effect.gen(function*() {
      const server = yield* make({ gracePeriodMs: 100 })
      const { watcher, other: gone, registered } = yield* watcherAnd(server.url, "gone")
      gone.socket.terminate()
      assert.deepStrictEqual(yield* watcher.notification, { method: "peer.left", params: { peer_id: "gone", reason: "network_error" } })
      const late = yield* connectRaw(server.url)
      // The old key means nothing now: this is a fresh registration, announced to the others.
      const again = yield* late.announce("gone", { session_key: registered["session_key"] })
      assert.notStrictEqual(again["session_key"], registered["session_key"])
      assert.strictEqual((yield* watcher.notification).method, "peer.announced")
    }))
})
