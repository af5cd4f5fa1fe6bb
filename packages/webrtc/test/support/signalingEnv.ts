/**
 * The real signaling server and its STUN responder on 127.0.0.1 for the scope's lifetime: what
 * integration tests (and the Chromium page) connect to.
 */
import { Effect } from "effect"
import { make as makeSignalingServer, makeStunResponder, type SignalingServerOptions } from "@remotemedia/signaling-server"

/** `{ signalingUrl, stunUrl }` of a fresh server (defaults as in production unless overridden). */
export const signalingEnv = (options: SignalingServerOptions = {}) =>
  Effect.gen(function*() {
    const server = yield* makeSignalingServer(options)
    const stun = yield* makeStunResponder()
    return { signalingUrl: server.url, stunUrl: stun.url, server }
  }).pipe(Effect.orDie)
