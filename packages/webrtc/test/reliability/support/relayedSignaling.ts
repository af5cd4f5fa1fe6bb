/**
 * A signaling connector that puts a netsim UDP relay in front of every ICE candidate a transport
 * announces (in its SDP and trickled), so every ICE check, DTLS record and SCTP packet between two
 * transports crosses a relay the test can impair. It can also tamper with descriptions on their way,
 * like a man in the middle who controls signaling.
 */
import { Effect, Layer, Scope, Stream } from "effect"
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
import type { TransportEvent } from "../../../src/transport/TransportEvent.ts"
import { makeMemorySignaling } from "../../support/memorySignaling.ts"
import { stunServer } from "../../support/stunServer.ts"
import { startedTransport } from "../../support/testTransport.ts"

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

/**
 * "alice" and "bob" on an in-process signaling hub, connected through clean relays; alice's events are
 * recorded from before the connection on.
 */
export const relayedPair = Effect.gen(function*() {
  const hub = yield* makeMemorySignaling
  const inner = yield* SignalingConnector.pipe(Effect.provide(hub.layer))
  const relayed = yield* makeRelayedSignaling(inner)
  const stunUrl = yield* stunServer
  const urls = { signalingUrl: "ws://127.0.0.1:1/memory", stunUrl }
  // A generous connect timeout: the relays are clean while connecting, but the shared machine may be busy.
  const overrides = { connectTimeoutMs: 30_000 }
  const [alice, bob] = yield* Effect.all([startedTransport("alice", urls, overrides), startedTransport("bob", urls, overrides)]).pipe(
    Effect.provide(relayed.layer)
  )
  const aliceEvents: Array<TransportEvent> = []
  yield* Effect.forkScoped(Stream.runForEach(alice.events, (e) => Effect.sync(() => aliceEvents.push(e))), { startImmediately: true })
  yield* alice.connectPeer("bob")
  return { alice, bob, relayed, aliceEvents }
})
