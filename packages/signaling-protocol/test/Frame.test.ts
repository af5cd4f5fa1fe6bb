import { assert, describe, it } from "@effect/vitest"
import * as fc from "fast-check"
import { classify, encodeError, encodeNotification, encodeRequest, encodeResult, ErrorCode, parseFrame } from "../src/index.ts"

describe("JSON-RPC framing", () => {
  it("classifies requests, notifications, responses and the malformed", () => {
    assert.deepStrictEqual(parseFrame(encodeRequest(1, "peer.list", {})), { kind: "Request", id: 1, method: "peer.list", params: {} })
    assert.deepStrictEqual(parseFrame(encodeNotification("peer.left", { peer_id: "a" })), { kind: "Notification", method: "peer.left", params: { peer_id: "a" } })
    assert.deepStrictEqual(parseFrame(encodeResult("x", { ok: 1 })), { kind: "Success", id: "x", result: { ok: 1 } })
    assert.deepStrictEqual(parseFrame(encodeError(2, { code: -32000, message: "m" })), { kind: "Failure", id: 2, error: { code: -32000, message: "m" } })
    assert.strictEqual(parseFrame("{").kind, "Invalid")
    assert.deepStrictEqual(parseFrame("[]"), { kind: "Invalid", id: null, error: { code: ErrorCode.InvalidRequest, message: "batches are not supported" } })
    assert.strictEqual(parseFrame(JSON.stringify({ method: "peer.list" })).kind, "Ignored")
    assert.deepStrictEqual(parseFrame(JSON.stringify({ jsonrpc: "2.0", id: 3, method: "m", params: 1 })), {
      kind: "Invalid", id: 3, error: { code: ErrorCode.InvalidParams, message: "params must be an object" }
    })
  })

  it("property: any JSON value is classified without throwing; answers carry the request's id when it has one", () => {
    fc.assert(fc.property(fc.jsonValue(), (value) => {
      const frame = classify(value)
      if (frame.kind === "Invalid" && typeof value === "object" && value !== null && !Array.isArray(value)) {
        const id = (value as Record<string, unknown>)["id"]
        assert.strictEqual(frame.id, typeof id === "string" || typeof id === "number" ? id : null)
      }
    }))
  })

  it("property: encoded requests and notifications classify back to themselves", () => {
    const params = fc.dictionary(fc.string(), fc.jsonValue())
    fc.assert(fc.property(fc.oneof(fc.string(), fc.integer()), fc.string(), params, (id, method, p) => {
      assert.deepStrictEqual(parseFrame(encodeRequest(id, method, p)), { kind: "Request", id, method, params: JSON.parse(JSON.stringify(p)) })
      assert.deepStrictEqual(parseFrame(encodeNotification(method, p)), { kind: "Notification", method, params: JSON.parse(JSON.stringify(p)) })
    }))
  })
})
