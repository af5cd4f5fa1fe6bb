import { assert, describe, it } from "@effect/vitest"
import { Effect } from "effect"
import { make, mintToken, tokenProblem } from "../src/index.ts"
import { connectRaw, errorCode } from "./support/RawClient.ts"

const SECRET = "test-secret"
const inAnHour = () => Math.floor(Date.now() / 1000) + 3600

describe("announce tokens", () => {
  it("a minted token verifies for its peer only, until it expires", () => {
    const token = mintToken(SECRET, "alice", 2000)
    assert.isUndefined(tokenProblem(SECRET, token, "alice", 1999))
    assert.strictEqual(tokenProblem(SECRET, token, "alice", 2000), "token expired")
    assert.strictEqual(tokenProblem(SECRET, token, "bob", 1999), "token names another peer_id")
    assert.strictEqual(tokenProblem("other-secret", token, "alice", 1999), "bad token signature")
    assert.strictEqual(tokenProblem(SECRET, undefined, "alice", 1999), "this server requires a token")
    assert.strictEqual(tokenProblem(SECRET, "garbage", "alice", 1999), "malformed token")
    const [payload = "", mac = ""] = token.split(".")
    const forged = Buffer.from(JSON.stringify({ peer_id: "alice", exp: 9_999_999_999 })).toString("base64url")
    assert.strictEqual(tokenProblem(SECRET, `${forged}.${mac}`, "alice", 1999), "bad token signature")
    assert.isUndefined(tokenProblem(SECRET, `${payload}.${mac}`, "alice", 1999))
  })

  it.live("with a secret, a missing, bad or expired token gets -32001 and a 1008 close; a good one registers", () =>
    Effect.gen(function*() {
      const server = yield* make({ secret: SECRET })
      for (const token of [undefined, mintToken("wrong", "alice", inAnHour()), mintToken(SECRET, "alice", 1), mintToken(SECRET, "bob", inAnHour())]) {
        const client = yield* connectRaw(server.url)
        const reply = yield* client.request("peer.announce", { peer_id: "alice", capabilities: ["data"], ...(token === undefined ? {} : { token }) })
        assert.strictEqual(errorCode(reply), -32001, String(token))
        assert.strictEqual(yield* client.closed, 1008)
      }
      const good = yield* connectRaw(server.url)
      const result = yield* good.announce("alice", { token: mintToken(SECRET, "alice", inAnHour()) })
      assert.strictEqual(result["status"], "registered")
    }))
})
