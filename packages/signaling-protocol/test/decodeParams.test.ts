import { assert, describe, it } from "@effect/vitest"
import { Result } from "effect"
import * as fc from "fast-check"
import { AnnounceParams, candidateProblem, IceCandidateParams, paramsDecoder, sdpProblem } from "../src/index.ts"

const announce = paramsDecoder(AnnounceParams)
const failure = <A>(r: Result.Result<A, { code: number; message: string }>) => Result.isFailure(r) ? r.failure : undefined

describe("params decoding", () => {
  it("names the offending field in a -32602", () => {
    assert.deepStrictEqual(failure(announce({ peer_id: "no spaces", capabilities: ["audio"] })), {
      code: -32602, message: "params.peer_id: must match ^[A-Za-z0-9_-]{1,64}$"
    })
    assert.strictEqual(failure(announce({ peer_id: "a", capabilities: ["smell"] }))?.message, "params.capabilities[0]: Expected \"audio\" | \"video\" | \"data\"")
    assert.strictEqual(failure(announce({ peer_id: "a", capabilities: [] }))?.message, "params.capabilities: must list at least one of audio, video, data")
    assert.strictEqual(failure(announce({ peer_id: "a", capabilities: ["data"], user_data: { blob: "x".repeat(1100) } }))?.message, "params.user_data: must serialize to at most 1024 bytes of JSON")
    assert.strictEqual(failure(paramsDecoder(IceCandidateParams)({ to: "b", candidate: "", sdp_mid: null, request_id: "r" }))?.message, "params.sdp_m_line_index: Missing key")
  })

  it("property: every peer id the pattern allows is accepted, every other string refused", () => {
    fc.assert(fc.property(fc.string({ maxLength: 70 }), (peerId) => {
      const ok = /^[A-Za-z0-9_-]{1,64}$/.test(peerId)
      assert.strictEqual(Result.isSuccess(announce({ peer_id: peerId, capabilities: ["data"] })), ok)
    }))
  })

  it("checks SDP and candidates as the spec says", () => {
    assert.isUndefined(sdpProblem("v=0\r\nm=audio 9 RTP/AVP 0\r\n"))
    assert.strictEqual(sdpProblem("m=audio"), "sdp has no v= line")
    assert.strictEqual(sdpProblem("v=0"), "sdp has no m= line")
    assert.match(sdpProblem(`v=0\nm=a\n${"é".repeat(33_000)}`) ?? "", /over 65536 bytes/)
    assert.isUndefined(candidateProblem("candidate:1 1 udp 2130706431 127.0.0.1 5000 typ host", "0", 0))
    assert.isUndefined(candidateProblem("", null, null))
    assert.isDefined(candidateProblem("", "0", 0))
    assert.isDefined(candidateProblem("a=candidate:1 1 udp 2130706431 127.0.0.1 5000 typ host", "0", 0))
    assert.isDefined(candidateProblem("candidate:1 1 udp 2130706431 127.0.0.1 5000 typ host", null, null))
  })
})
