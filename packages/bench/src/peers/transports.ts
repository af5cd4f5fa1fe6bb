/**
 * Our side of the connect figures: started transports on the local signaling server, loopback-only ICE
 * with our own STUN url (the same settings the raw werift baselines get).
 */
import { make as makeSignalingServer, makeStunResponder, type SignalingServerOptions } from "@remotemedia/signaling-server"
import { makeWebRtcTransport, type VideoCodecPreference, type WebRtcTransportConfigInput, type WebRtcTransportService } from "@remotemedia/webrtc"
import { Effect, type Scope, Stream } from "effect"

/** Where peers of one run meet: the signaling server and the STUN responder, both on 127.0.0.1. */
export interface LocalUrls {
  readonly signalingUrl: string
  readonly stunUrl: string
}

/** A signaling server and a STUN responder for the scope's lifetime. */
export const localSignaling = (options: SignalingServerOptions = {}) =>
  Effect.gen(function*() {
    const server = yield* makeSignalingServer(options)
    const stun = yield* makeStunResponder()
    return { signalingUrl: server.url, stunUrl: stun.url } satisfies LocalUrls
  }).pipe(Effect.orDie)

/** A started transport named `peerId`, shut down with the scope. */
export const startedTransport = (
  peerId: string,
  urls: LocalUrls,
  overrides: Partial<WebRtcTransportConfigInput> = {}
): Effect.Effect<WebRtcTransportService, never, Scope.Scope> =>
  Effect.gen(function*() {
    const transport = yield* makeWebRtcTransport({
      signalingUrl: urls.signalingUrl,
      peerId,
      stunServers: [urls.stunUrl],
      candidateHosts: "loopback",
      // Every peer here is werift on loopback, like the raw baseline (rawPeer.ts): the same big SCTP packets.
      sctpMtu: 8000,
      ...overrides
    })
    yield* transport.start
    return transport
  }).pipe(Effect.orDie)

/**
 * `from.connectPeer(to)` for set-up (not timed): a connection that fails on a loaded machine is tried
 * again, twice at most, before the suite gives up.
 */
export const connectForSetUp = (from: WebRtcTransportService, to: string): Effect.Effect<void> =>
  from.connectPeer(to).pipe(Effect.retry({ times: 2 }), Effect.asVoid, Effect.orDie)

/** A sender connected to a receiver, both preferring `codec`; the receiver's `incoming` is drained. */
export const connectedPair = Effect.fnUntraced(function*(urls: LocalUrls, codec: VideoCodecPreference) {
  const sender = yield* startedTransport(`send-${codec}`, urls, { videoCodec: codec })
  const receiver = yield* startedTransport(`recv-${codec}`, urls, { videoCodec: codec })
  yield* Effect.forkScoped(Stream.runDrain(receiver.incoming))
  yield* connectForSetUp(sender, receiver.config.peerId)
  return { sender, receiverId: receiver.config.peerId }
})
