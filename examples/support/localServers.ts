/**
 * A signaling server and a STUN responder on 127.0.0.1, so each example runs on its own machine with no
 * traffic leaving it. In a real deployment you point `signalingUrl` and `stunServers` at your servers
 * instead (`remotemedia-signaling --port 8080 --stun-port 3478`).
 */
import { Effect, Exit, makeSignalingServer, makeStunResponder, makeWebRtcTransport, Scope, type WebRtcTransportService } from "../deps.ts"

/** Where the examples' transports find each other. */
export interface LocalServers {
  readonly signalingUrl: string
  readonly stunUrl: string
}

/** Both servers for the current scope (Effect style). */
export const localServers: Effect.Effect<LocalServers, never, Scope.Scope> = Effect.gen(function*() {
  const signaling = yield* makeSignalingServer()
  const stun = yield* makeStunResponder()
  return { signalingUrl: signaling.url, stunUrl: stun.url }
}).pipe(Effect.orDie)

/** Both servers until `close()` (Promise style). */
export const startLocalServers = async (): Promise<LocalServers & { readonly close: () => Promise<void> }> => {
  const scope = Effect.runSync(Scope.make())
  const servers = await Effect.runPromise(Scope.provide(localServers, scope))
  return { ...servers, close: () => Effect.runPromise(Scope.close(scope, Exit.void)) }
}

/** A started transport named `peerId` on these servers, for the current scope (Effect style). */
export const joinAs = (servers: LocalServers, peerId: string): Effect.Effect<WebRtcTransportService, never, Scope.Scope> =>
  makeWebRtcTransport({ signalingUrl: servers.signalingUrl, peerId, stunServers: [servers.stunUrl], candidateHosts: "loopback" }).pipe(
    Effect.tap((transport) => transport.start),
    Effect.orDie
  )
