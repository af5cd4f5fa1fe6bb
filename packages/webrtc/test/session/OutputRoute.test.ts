import { assert, describe, it } from "@effect/vitest"
import { audio, PEER_ID, TO, TransportData } from "@remotemedia/runtime-core"
import * as fc from "fast-check"
import { routeOutput } from "../../src/session/OutputRoute.ts"

const frame = (metadata: Record<string, string> = {}) => TransportData.make(audio(new Float32Array(4), 48_000), { metadata })

describe("routeOutput", () => {
  it("follows the documented rule", () => {
    const table = [
      // [metadata, routing, lane] -> route
      [{}, "sender", "alice", { _tag: "Peer", peerId: "alice" }],
      [{ [PEER_ID]: "bob" }, "sender", undefined, { _tag: "Peer", peerId: "bob" }],
      [{ [PEER_ID]: "bob" }, "sender", "alice", { _tag: "Peer", peerId: "alice" }],
      [{ [TO]: "carol", [PEER_ID]: "bob" }, "sender", "alice", { _tag: "Peer", peerId: "carol" }],
      [{}, "sender", undefined, { _tag: "Nowhere", reason: "a sender-routed output has no peer_id to go back to" }],
      [{}, "broadcast", undefined, { _tag: "AllPeers" }],
      [{ [PEER_ID]: "bob" }, "broadcast", undefined, { _tag: "AllPeers" }],
      [{ [TO]: "carol" }, "broadcast", undefined, { _tag: "Peer", peerId: "carol" }],
      [{ [TO]: "host" }, "broadcast", undefined, { _tag: "Local" }],
      [{}, "sender", "host", { _tag: "Local" }]
    ] as const
    for (const [metadata, routing, lane, expected] of table) {
      assert.deepStrictEqual(routeOutput(frame(metadata), routing, lane, "host"), expected, JSON.stringify([metadata, routing, lane]))
    }
  })

  it("an output addressed with `to` reaches exactly that peer, whatever the routing", () => {
    const id = fc.stringMatching(/^[A-Za-z0-9_-]{1,12}$/)
    fc.assert(fc.property(id, id, fc.option(id, { nil: undefined }), fc.constantFrom("sender" as const, "broadcast" as const), (to, local, lane, routing) => {
      const route = routeOutput(frame({ [TO]: to }), routing, lane, local)
      assert.deepStrictEqual(route, to === local ? { _tag: "Local" } : { _tag: "Peer", peerId: to })
    }))
  })
})
