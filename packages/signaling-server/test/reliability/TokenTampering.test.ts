/**
 * Properties of announce tokens against an attacker who holds a valid token (or none): no edit of a token
 * makes a different one verify, a token never works for another peer_id or after its expiry, and no input
 * makes verification throw.
 */
import { assert, describe, it } from "@effect/vitest"
import * as fc from "fast-check"
import { mintToken, tokenProblem } from "../../src/index.ts"

const SECRET = "reliability-secret"
const NOW = 1_800_000_000
const peerIds = fc.stringMatching(/^[A-Za-z0-9_-]{1,64}$/)
const base64urlChar = fc.constantFrom(..."ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_.=+/ ")

/** The bytes a token's two parts decode to: edits that leave them unchanged are not tampering. */
const decoded = (token: string) => token.split(".").map((part) => Buffer.from(part, "base64url").toString("hex")).join(".")

describe("announce token tampering", () => {
  it("no single-character edit of a valid token verifies, unless it decodes to the very same token", () => {
    fc.assert(
      fc.property(peerIds, fc.nat(), base64urlChar, (peerId, at, replacement) => {
        const token = mintToken(SECRET, peerId, NOW + 3600)
        const i = at % token.length
        const tampered = token.slice(0, i) + replacement + token.slice(i + 1)
        fc.pre(tampered !== token && decoded(tampered) !== decoded(token))
        assert.isDefined(tokenProblem(SECRET, tampered, peerId, NOW))
      }),
      { numRuns: 2_000 }
    )
  })

  it("a token never admits another peer_id, nor anyone at or after its expiry, nor under another secret", () => {
    fc.assert(
      fc.property(peerIds, peerIds, fc.integer({ min: -3600, max: 3600 }), fc.string({ minLength: 1 }), (owner, other, offset, secret) => {
        const token = mintToken(SECRET, owner, NOW + offset)
        if (other !== owner) assert.strictEqual(tokenProblem(SECRET, token, other, NOW - 7200), "token names another peer_id")
        if (offset <= 0) assert.strictEqual(tokenProblem(SECRET, token, owner, NOW), "token expired")
        else assert.isUndefined(tokenProblem(SECRET, token, owner, NOW))
        if (secret !== SECRET) assert.isDefined(tokenProblem(secret, token, owner, NOW - 7200))
      }),
      { numRuns: 2_000 }
    )
  })

  it("arbitrary strings never verify and never throw", () => {
    fc.assert(
      fc.property(fc.oneof(fc.string(), fc.string({ unit: "binary" }), fc.tuple(fc.base64String(), fc.base64String()).map(([a, b]) => `${a}.${b}`)), peerIds, (token, peerId) => {
        const problem = tokenProblem(SECRET, token, peerId, NOW)
        assert.isString(problem)
      }),
      { numRuns: 1_000 }
    )
  })
})
