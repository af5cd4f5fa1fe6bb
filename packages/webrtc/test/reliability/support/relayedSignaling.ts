/**
 * A signaling connector that puts a netsim UDP relay in front of every ICE candidate a transport
 * announces (in its SDP and trickled), so every ICE check, DTLS record and SCTP packet between two
 * transports crosses a relay the test can impair. It can also tamper with descriptions on their way,
 * like a man in the middle who controls signaling.
 */
import { Effect, Layer, Scope } from "effect"
import {
  type CandidateAddress,
  candidateAddress,
  makeUdpRelay,
  rewriteCandidate,
  rewriteSdpCandidates,
  type UdpRelay,
  type UdpRelayImpairments
} from "@remotemedia/netsim"
import { type Connect, SignalingConnector } from "../../../src/transport/SignalingLink.ts"

/** Options of {@link makeRelayedSignaling}. */
export interface RelayedSignalingOptions {
  /** Rewrites every offer and answer SDP after its candidates were relayed (default: unchanged). */
  readonly tamperSdp?: (sdp: string, kind: "offer" | "answer") => string
}

/**
 * Wraps `inner` (any connector); relays live as long as the current scope. `impairAll` changes every relay
 * at once, in both directions.
 */
export const makeRelayedSignaling = (inner: Connect, options: RelayedSignalingOptions = {}) =>
  Effect.gen(function*() {
    const scope = yield* Effect.scope
    const relays: Array<UdpRelay> = []
    const tamper = options.tamperSdp ?? ((sdp: string) => sdp)

    const relayTo = (target: CandidateAddress) =>
      makeUdpRelay({ target, seed: relays.length + 1 }).pipe(
        Scope.provide(scope),
        Effect.tap((relay) => Effect.sync(() => relays.push(relay))),
        Effect.map((relay) => relay.address),
        Effect.orDie
      )

    const relayedSdp = (sdp: string, kind: "offer" | "answer") =>
      Effect.map(rewriteSdpCandidates(sdp, relayTo), (relayed) => tamper(relayed, kind))

    const connector: Connect = (config) =>
      Effect.map(inner(config), (client) => ({
        ...client,
        offer: (params) => Effect.flatMap(relayedSdp(params.sdp, "offer"), (sdp) => client.offer({ ...params, sdp })),
        answer: (params) => Effect.flatMap(relayedSdp(params.sdp, "answer"), (sdp) => client.answer({ ...params, sdp })),
        iceCandidate: (params) => {
          const target = candidateAddress(params.candidate)
          return target === undefined
            ? client.iceCandidate(params)
            : Effect.flatMap(relayTo(target), (to) => client.iceCandidate({ ...params, candidate: rewriteCandidate(params.candidate, to) }))
        }
      }))

    return {
      layer: Layer.succeed(SignalingConnector, connector),
      relayCount: () => relays.length,
      impairAll: (impairments: UdpRelayImpairments) => Effect.forEach(relays, (relay) => relay.impair(impairments), { discard: true }),
      /** Packets all relays lost on purpose so far (both directions, since the last `impairAll`). */
      lostPackets: () => relays.reduce((sum, relay) => sum + relay.counters().toTarget.lost + relay.counters().fromTarget.lost, 0)
    }
  })
