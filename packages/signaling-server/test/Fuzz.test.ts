import { assert, describe, it } from "@effect/vitest"
import { Effect } from "effect"
import * as fc from "fast-check"
import { make } from "../src/index.ts"
import { CANDIDATE, connectRaw, SDP } from "./support/RawClient.ts"

const METHODS = ["peer.announce", "peer.offer", "peer.answer", "peer.ice_candidate", "peer.disconnect", "peer.list", "peer.x", ""]

const validFrames: Array<Record<string, unknown>> = [
  { jsonrpc: "2.0", id: 1, method: "peer.announce", params: { peer_id: "fuzzer", capabilities: ["data"] } },
  { jsonrpc: "2.0", id: 2, method: "peer.offer", params: { to: "victim", sdp: SDP, can_trickle_ice_candidates: true, request_id: "r" } },
  { jsonrpc: "2.0", id: 3, method: "peer.answer", params: { to: "victim", sdp: SDP, can_trickle_ice_candidates: false, request_id: "r" } },
  { jsonrpc: "2.0", method: "peer.ice_candidate", params: { to: "victim", candidate: CANDIDATE, sdp_mid: "0", sdp_m_line_index: 0, request_id: "r" } },
  { jsonrpc: "2.0", method: "peer.disconnect", params: { to: "victim", reason: "error" } },
  { jsonrpc: "2.0", id: 4, method: "peer.list", params: {} }
]

/** Replaces one value somewhere in the frame (a key, a param, the id) with an arbitrary JSON value. */
const mutated = fc.tuple(fc.constantFrom(...validFrames), fc.constantFrom("jsonrpc", "id", "method", "params", "to", "sdp", "request_id", "candidate", "peer_id", "capabilities", "from"), fc.jsonValue())
  .map(([frame, key, value]) => {
    const copy = structuredClone(frame) as Record<string, unknown>
    const params = copy["params"] as Record<string, unknown>
    if (key in copy || ["jsonrpc", "id", "method", "params"].includes(key)) copy[key] = value
    else params[key] = value
    return JSON.stringify(copy)
  })

const frames = fc.oneof(
  fc.string().map((s) => s),
  fc.jsonValue().map((v) => JSON.stringify(v)),
  fc.record({ jsonrpc: fc.constantFrom("2.0", "1.0"), id: fc.oneof(fc.integer(), fc.string(), fc.constant(null)), method: fc.constantFrom(...METHODS), params: fc.jsonValue() }).map((r) => JSON.stringify(r)),
  mutated
)

/** Every answer must be a well-formed JSON-RPC response: a result or an error with a numeric code. */
const wellFormed = (reply: Record<string, unknown>): boolean =>
  reply["jsonrpc"] === "2.0" && ("result" in reply ||
    (typeof (reply["error"] as { code?: unknown })?.code === "number" && typeof (reply["error"] as { message?: unknown }).message === "string"))

describe("fuzzing the server", () => {
  it.live("random and mutated frames never crash it, get proper answers, and never disturb another peer", () =>
    Effect.gen(function*() {
      const server = yield* make({ rateLimit: 1_000_000 })
      const victim = yield* connectRaw(server.url)
      yield* victim.announce("victim")
      const samples = fc.sample(fc.array(frames, { minLength: 1, maxLength: 20 }), { numRuns: 60, seed: 4242 })
      let answered = 0
      for (const batch of samples) {
        const fuzzer = yield* connectRaw(server.url)
        for (const frame of batch) yield* fuzzer.send(frame)
        // A marker request proves the connection is alive and every earlier answer has arrived.
        yield* fuzzer.send({ jsonrpc: "2.0", id: "marker", method: "peer.list", params: {} })
        while (true) {
          const reply = yield* fuzzer.response
          assert.isTrue(wellFormed(reply), JSON.stringify(reply))
          if (reply["id"] === "marker") break
          answered++
        }
        fuzzer.socket.close(1000)
        yield* fuzzer.closed
      }
      assert.isAbove(answered, 100)
      // The victim is still registered and served; whatever reached it was a well-formed notification from a
      // fuzzer with `from` stamped.
      const list = yield* victim.request("peer.list", {})
      assert.isTrue((list["result"] as { peers: Array<{ peer_id: string }> }).peers.some((p) => p.peer_id === "victim"))
      let received = yield* victim.pendingNotifications
      while (received-- > 0) {
        const n = yield* victim.notification
        assert.include(["peer.announced", "peer.left", "peer.offer", "peer.ice_candidate", "peer.disconnected"], n.method)
        if (n.method !== "peer.announced" && n.method !== "peer.left") assert.strictEqual(n.params["from"], "fuzzer")
      }
    }), { timeout: 60_000 })
})
