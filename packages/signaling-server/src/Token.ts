/**
 * Announce tokens: `base64url(JSON{peer_id, exp})` + `.` + `base64url(HMAC-SHA256(secret, first part))`,
 * `exp` in Unix seconds (`signaling-protocol.md`, "Auth").
 *
 * @since 0.1.0
 */
import { createHmac, timingSafeEqual } from "node:crypto"

const sign = (secret: string, payload: string): Buffer => createHmac("sha256", secret).update(payload).digest()

/**
 * Mints a token that lets `peerId` announce until `expiresAt` (Unix seconds). For tests, tools and
 * whatever service hands out credentials.
 */
export const mintToken = (secret: string, peerId: string, expiresAt: number): string => {
  const payload = Buffer.from(JSON.stringify({ peer_id: peerId, exp: expiresAt })).toString("base64url")
  return `${payload}.${sign(secret, payload).toString("base64url")}`
}

/** Why `token` does not authorize `peerId` at `nowSeconds`, or `undefined` when it does. */
export const tokenProblem = (secret: string, token: string | undefined, peerId: string, nowSeconds: number): string | undefined => {
  if (token === undefined) return "this server requires a token"
  const dot = token.indexOf(".")
  if (dot <= 0) return "malformed token"
  const payload = token.slice(0, dot)
  const mac = Buffer.from(token.slice(dot + 1), "base64url")
  const expected = sign(secret, payload)
  if (mac.length !== expected.length || !timingSafeEqual(mac, expected)) return "bad token signature"
  let claims: unknown
  try {
    claims = JSON.parse(Buffer.from(payload, "base64url").toString("utf8"))
  } catch {
    return "malformed token"
  }
  if (typeof claims !== "object" || claims === null) return "malformed token"
  const { peer_id, exp } = claims as { peer_id?: unknown; exp?: unknown }
  if (peer_id !== peerId) return "token names another peer_id"
  if (typeof exp !== "number" || exp <= nowSeconds) return "token expired"
  return undefined
}
