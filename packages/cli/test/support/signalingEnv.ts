/**
 * The real signaling server and its STUN responder on 127.0.0.1 for the scope's lifetime, plus the flags
 * every CLI peer of a test needs to reach them (loopback-only ICE, our own STUN url).
 */
import { Effect } from "effect"
import { make as makeSignalingServer, makeStunResponder } from "@remotemedia/signaling-server"

/** `{ signalingUrl, stunUrl, peerFlags(id) }` of a fresh server. */
export const signalingEnv = Effect.gen(function*() {
  const server = yield* makeSignalingServer({})
  const stun = yield* makeStunResponder()
  // A generous connect timeout: these machines run many suites at once, and a handshake can stall for seconds.
  const peerFlags = (id: string) =>
    ["--signaling", server.url, "--stun", stun.url, "--ice-hosts", "loopback", "--connect-timeout", "40", "--id", id]
  return { signalingUrl: server.url, stunUrl: stun.url, peerFlags }
}).pipe(Effect.orDie)
