import { assert, describe, it } from "@effect/vitest"
import { Effect } from "effect"
import { make, type SignalingServerOptions } from "../src/index.ts"
import { CANDIDATE, connectRaw, errorCode, SDP, watcherAnd } from "./support/RawClient.ts"

const withServer = (options?: SignalingServerOptions) => make(options)

describe("SignalingServer routing", () => {
  it.live("three peers discover each other; offer, answer and ICE are routed with `from` stamped", () =>
    Effect.gen(function*() {
      const server = yield* withServer()
      const alice = yield* connectRaw(server.url)
      const bob = yield* connectRaw(server.url)
      const carol = yield* connectRaw(server.url)
      const first = yield* alice.announce("alice", { user_data: { name: "Alice" } })
      assert.deepStrictEqual(first["peers"], [])
      yield* bob.announce("bob")
      const third = yield* carol.announce("carol")
      assert.deepStrictEqual((third["peers"] as Array<{ peer_id: string }>).map((p) => p.peer_id).sort(), ["alice", "bob"])
      assert.strictEqual((yield* alice.notification).params["peer_id"], "bob")
      assert.strictEqual((yield* alice.notification).params["peer_id"], "carol")
      assert.strictEqual((yield* bob.notification).params["peer_id"], "carol")
      const list = yield* bob.request("peer.list", {})
      assert.deepStrictEqual((list["result"] as { peers: Array<{ peer_id: string }> }).peers.map((p) => p.peer_id).sort(), ["alice", "bob", "carol"])

      const offer = yield* alice.request("peer.offer", { to: "bob", sdp: SDP, can_trickle_ice_candidates: true, request_id: "r1" })
      assert.deepStrictEqual(offer["result"], { status: "forwarded", request_id: "r1" })
      yield* alice.send({ jsonrpc: "2.0", method: "peer.ice_candidate", params: { to: "bob", candidate: CANDIDATE, sdp_mid: "0", sdp_m_line_index: 0, request_id: "r1" } })
      yield* alice.send({ jsonrpc: "2.0", method: "peer.ice_candidate", params: { to: "bob", candidate: "", sdp_mid: null, sdp_m_line_index: null, request_id: "r1" } })
      assert.deepStrictEqual(yield* bob.notification, {
        method: "peer.offer", params: { from: "alice", sdp: SDP, can_trickle_ice_candidates: true, request_id: "r1" }
      } as never)
      assert.deepStrictEqual((yield* bob.notification).params, { from: "alice", candidate: CANDIDATE, sdp_mid: "0", sdp_m_line_index: 0, request_id: "r1" })
      assert.deepStrictEqual((yield* bob.notification).params, { from: "alice", candidate: "", sdp_mid: null, sdp_m_line_index: null, request_id: "r1" })

      const answer = yield* bob.request("peer.answer", { to: "alice", sdp: SDP, can_trickle_ice_candidates: false, request_id: "r1" })
      assert.deepStrictEqual(answer["result"], { status: "forwarded", request_id: "r1" })
      assert.deepStrictEqual(yield* alice.notification, {
        method: "peer.answer", params: { from: "bob", sdp: SDP, can_trickle_ice_candidates: false, request_id: "r1" }
      } as never)
      // The offer is answered: a second answer to it is refused.
      const again = yield* bob.request("peer.answer", { to: "alice", sdp: SDP, can_trickle_ice_candidates: false, request_id: "r1" })
      assert.strictEqual(errorCode(again), -32003)

      const bye = yield* carol.request("peer.disconnect", { to: "alice", reason: "user_requested", details: "done" })
      assert.deepStrictEqual(bye["result"], { status: "forwarded" })
      assert.deepStrictEqual(yield* alice.notification, { method: "peer.disconnected", params: { from: "carol", reason: "user_requested", details: "done" } } as never)
      assert.strictEqual(yield* carol.pendingNotifications, 0)
    }))

  it.live("a spoofed `from` is rejected with -32602 and nothing reaches the target", () =>
    Effect.gen(function*() {
      const server = yield* withServer()
      const { watcher: alice, other: bob } = yield* watcherAnd(server.url, "bob")
      const spoofed = yield* bob.request("peer.offer", { to: "watcher", from: "mallory", sdp: SDP, can_trickle_ice_candidates: true, request_id: "x" })
      assert.strictEqual(errorCode(spoofed), -32602)
      assert.match((spoofed["error"] as { message: string }).message, /params\.from/)
      const candidate = yield* bob.request("peer.ice_candidate", { to: "watcher", from: "mallory", candidate: CANDIDATE, sdp_mid: "0", sdp_m_line_index: 0, request_id: "x" })
      assert.strictEqual(errorCode(candidate), -32602)
      // Own id as `from` is fine.
      const own = yield* bob.request("peer.offer", { to: "watcher", from: "bob", sdp: SDP, can_trickle_ice_candidates: true, request_id: "y" })
      assert.deepStrictEqual(own["result"], { status: "forwarded", request_id: "y" })
      assert.strictEqual((yield* alice.notification).params["request_id"], "y")
    }))

  it.live("a duplicate peer_id gets -32006; a second announce is idempotent, and -32602 for another id", () =>
    Effect.gen(function*() {
      const server = yield* withServer()
      const alice = yield* connectRaw(server.url)
      const impostor = yield* connectRaw(server.url)
      const first = yield* alice.announce("alice")
      const taken = yield* impostor.request("peer.announce", { peer_id: "alice", capabilities: ["data"] })
      assert.strictEqual(errorCode(taken), -32006)
      const wrongKey = yield* impostor.request("peer.announce", { peer_id: "alice", capabilities: ["data"], session_key: "guess" })
      assert.strictEqual(errorCode(wrongKey), -32006)
      const again = yield* alice.announce("alice")
      assert.strictEqual(again["session_key"], first["session_key"])
      const other = yield* alice.request("peer.announce", { peer_id: "alice2", capabilities: ["data"] })
      assert.strictEqual(errorCode(other), -32602)
      assert.deepStrictEqual(yield* server.stats, { peers: 1, connections: 2 })
    }))

  it.live("every method but announce before announcing gets -32007", () =>
    Effect.gen(function*() {
      const server = yield* withServer()
      const client = yield* connectRaw(server.url)
      for (const [method, params] of [
        ["peer.list", {}],
        ["peer.offer", { to: "x", sdp: SDP, can_trickle_ice_candidates: true, request_id: "r" }],
        ["peer.answer", { to: "x", sdp: SDP, can_trickle_ice_candidates: true, request_id: "r" }],
        ["peer.ice_candidate", { to: "x", candidate: CANDIDATE, sdp_mid: "0", sdp_m_line_index: 0, request_id: "r" }],
        ["peer.disconnect", { to: "x", reason: "unknown" }]
      ] as const) {
        assert.strictEqual(errorCode(yield* client.request(method, params)), -32007, method)
      }
    }))

  it.live("a full server answers -32005", () =>
    Effect.gen(function*() {
      const server = yield* withServer({ maxPeers: 2 })
      const a = yield* connectRaw(server.url)
      const b = yield* connectRaw(server.url)
      const c = yield* connectRaw(server.url)
      yield* a.announce("a")
      yield* b.announce("b")
      const full = yield* c.request("peer.announce", { peer_id: "c", capabilities: ["data"] })
      assert.strictEqual(errorCode(full), -32005)
    }))

  it.live("an oversize message closes the socket with 1009 and the others carry on", () =>
    Effect.gen(function*() {
      const server = yield* withServer({ maxMessageBytes: 4096 })
      const big = yield* connectRaw(server.url)
      const other = yield* connectRaw(server.url)
      yield* big.announce("big")
      yield* other.announce("other")
      yield* big.send({ jsonrpc: "2.0", id: 1, method: "peer.offer", params: { to: "other", sdp: "v=0\n" + "x".repeat(5000), can_trickle_ice_candidates: true, request_id: "r" } })
      assert.strictEqual(yield* big.closed, 1009)
      // Not a clean close: "big" keeps its id for the grace period; "other" is undisturbed.
      const list = yield* other.request("peer.list", {})
      assert.deepStrictEqual((list["result"] as { peers: Array<{ peer_id: string }> }).peers.map((p) => p.peer_id).sort(), ["big", "other"])
      const offer = yield* other.request("peer.offer", { to: "big", sdp: SDP, can_trickle_ice_candidates: true, request_id: "r" })
      assert.deepStrictEqual(offer["error"], { code: -32000, message: "peer big is reconnecting", data: { reason: "reconnecting" } })
    }))

  it.live("beyond the rate limit requests get -32008 and notifications are dropped", () =>
    Effect.gen(function*() {
      const server = yield* withServer({ rateLimit: 5, rateWindowMs: 60_000 })
      const a = yield* connectRaw(server.url)
      const b = yield* connectRaw(server.url)
      yield* a.announce("a") // 1 of 5
      yield* b.announce("b")
      for (let i = 0; i < 3; i++) assert.strictEqual(errorCode(yield* a.request("peer.list", {})), undefined) // 4 of 5
      yield* a.send({ jsonrpc: "2.0", method: "peer.ice_candidate", params: { to: "b", candidate: CANDIDATE, sdp_mid: "0", sdp_m_line_index: 0, request_id: "ok" } }) // 5 of 5
      yield* a.send({ jsonrpc: "2.0", method: "peer.ice_candidate", params: { to: "b", candidate: CANDIDATE, sdp_mid: "0", sdp_m_line_index: 0, request_id: "dropped" } })
      const limited = yield* a.request("peer.list", {})
      assert.strictEqual(errorCode(limited), -32008)
      assert.strictEqual((yield* b.notification).params["request_id"], "ok")
      // b's own round trip proves the dropped candidate is not on its way.
      yield* b.request("peer.list", {})
      assert.strictEqual(yield* b.pendingNotifications, 0)
    }))

  it.live("notifications are never answered, valid or not", () =>
    Effect.gen(function*() {
      const server = yield* withServer()
      const a = yield* connectRaw(server.url)
      yield* a.send({ jsonrpc: "2.0", method: "peer.list" }) // before announce
      yield* a.announce("a")
      for (const frame of [
        { jsonrpc: "2.0", method: "peer.list", params: {} },
        { jsonrpc: "2.0", method: "peer.announce", params: { peer_id: "zzz", capabilities: ["data"] } },
        { jsonrpc: "2.0", method: "peer.nope", params: {} },
        { jsonrpc: "2.0", method: "peer.ice_candidate", params: { to: "nobody", candidate: CANDIDATE, sdp_mid: "0", sdp_m_line_index: 0, request_id: "r" } },
        { jsonrpc: "2.0", method: "peer.ice_candidate", params: { to: "a", candidate: "a=candidate:bad", sdp_mid: "0", sdp_m_line_index: 0, request_id: "r" } },
        { jsonrpc: "2.0", method: "peer.disconnect", params: { to: "nobody", reason: "unknown" } },
        { jsonrpc: "1.0", method: "peer.list" },
        { method: "peer.list" },
        { jsonrpc: "2.0", method: 42 }
      ]) yield* a.send(frame)
      const reply = yield* a.request("peer.list", {}, "marker")
      assert.strictEqual(reply["id"], "marker")
      assert.deepStrictEqual((reply["result"] as { peers: Array<{ peer_id: string }> }).peers.map((p) => p.peer_id), ["a"])
    }))

  it.live("framing errors are answered with the spec's codes and the request's own id", () =>
    Effect.gen(function*() {
      const server = yield* withServer()
      const a = yield* connectRaw(server.url)
      const expect = (frame: unknown, code: number, id: unknown) =>
        Effect.gen(function*() {
          yield* a.send(frame)
          const reply = yield* a.response
          assert.strictEqual(errorCode(reply), code, JSON.stringify(frame))
          assert.strictEqual(reply["id"], id, JSON.stringify(frame))
        })
      yield* expect("{not json", -32700, null)
      yield* expect([{ jsonrpc: "2.0", id: 1, method: "peer.list" }], -32600, null)
      yield* expect({ jsonrpc: "2.0", id: 7 }, -32600, 7)
      yield* expect({ id: "s", method: "peer.list" }, -32600, "s")
      yield* expect({ jsonrpc: "2.0", id: { x: 1 }, method: "peer.list" }, -32600, null)
      yield* expect({ jsonrpc: "2.0", id: 8, method: "peer.list", params: [1] }, -32602, 8)
      yield* expect({ jsonrpc: "2.0", id: 9, method: "peer.teleport", params: {} }, -32601, 9)
      yield* expect({ jsonrpc: "2.0", id: 10, method: "peer.announce", params: { peer_id: "bad id", capabilities: ["data"] } }, -32602, 10)
      yield* expect({ jsonrpc: "2.0", id: 11, method: "peer.announce", params: { peer_id: "ok", capabilities: [] } }, -32602, 11)
      yield* a.announce("a")
      yield* expect({ jsonrpc: "2.0", id: 12, method: "peer.offer", params: { to: "a", sdp: "hello", can_trickle_ice_candidates: true, request_id: "r" } }, -32002, 12)
      yield* expect({ jsonrpc: "2.0", id: 13, method: "peer.offer", params: { to: "a", sdp: `v=0\nm=audio\n${"a".repeat(70_000)}`, can_trickle_ice_candidates: true, request_id: "r" } }, -32002, 13)
      yield* expect({ jsonrpc: "2.0", id: 14, method: "peer.answer", params: { to: "a", sdp: SDP, can_trickle_ice_candidates: true, request_id: "never-offered" } }, -32003, 14)
      yield* expect({ jsonrpc: "2.0", id: 15, method: "peer.ice_candidate", params: { to: "a", candidate: "a=candidate:1", sdp_mid: "0", sdp_m_line_index: 0, request_id: "r" } }, -32004, 15)
      yield* expect({ jsonrpc: "2.0", id: 16, method: "peer.offer", params: { to: "ghost", sdp: SDP, can_trickle_ice_candidates: true, request_id: "r" } }, -32000, 16)
      const message = yield* a.request("peer.offer", { to: "a", sdp: SDP, can_trickle_ice_candidates: "yes", request_id: "r" })
      assert.match((message["error"] as { message: string }).message, /can_trickle_ice_candidates/)
    }))

  it.live("a clean close sends peer.left user_requested at once", () =>
    Effect.gen(function*() {
      const server = yield* withServer({ gracePeriodMs: 60_000 })
      const { watcher, other } = yield* watcherAnd(server.url, "b")
      other.socket.close(1000)
      assert.deepStrictEqual(yield* watcher.notification, { method: "peer.left", params: { peer_id: "b", reason: "user_requested" } })
    }))
})
