/**
 * Transports on the real signaling server whose ICE traffic crosses netsim relays (see
 * `relayedSignaling.ts`), with a network that can go dark as a whole: a blackout also covers the relays of
 * connections made *during* it, because each relay takes the network's state before its candidates go out.
 * That is what a re-connection attempt meets in a real outage.
 */
import { Deferred, Effect, Stream } from "effect"
import type { UdpRelayImpairments } from "@remotemedia/netsim"
import type { WebRtcTransportConfigInput } from "../../../src/config/WebRtcTransportConfig.ts"
import { type Connect, SignalingConnector } from "../../../src/transport/SignalingLink.ts"
import type { TransportEvent } from "../../../src/transport/TransportEvent.ts"
import type { WebRtcTransportService } from "../../../src/transport/WebRtcTransport.ts"
import { signalingEnv } from "../../support/signalingEnv.ts"
import { startedTransport } from "../../support/testTransport.ts"
import { makeRelayedSignaling } from "./relayedSignaling.ts"

const dark: UdpRelayImpairments = { toTarget: { loss: 1 }, fromTarget: { loss: 1 } }
const clear: UdpRelayImpairments = { toTarget: {}, fromTarget: {} }

/** A transport and every event it reported since it started. */
export interface WatchedTransport {
  readonly transport: WebRtcTransportService
  readonly events: ReadonlyArray<TransportEvent>
}

/**
 * A real signaling server (with `gracePeriodMs`), and `start(peerId, overrides)` for transports whose media
 * paths cross the switchable network. `answered` completes when the first SDP answer goes out.
 */
export const makeDarkNetwork = (options: { readonly gracePeriodMs?: number } = {}) =>
  Effect.gen(function*() {
    const env = yield* signalingEnv(options.gracePeriodMs === undefined ? {} : { gracePeriodMs: options.gracePeriodMs })
    const websocket = yield* SignalingConnector
    const answered = yield* Deferred.make<void>()
    let state = clear
    // The relays exist only once the connector below is wrapped; the connector applies the state to them.
    const network: { impairAll?: (impairments: UdpRelayImpairments) => Effect.Effect<void> } = {}
    const current = Effect.suspend(() => network.impairAll?.(state) ?? Effect.void)
    // Runs after the relays of a description or candidate exist and before it is sent on.
    const inner: Connect = (config) =>
      Effect.map(websocket(config), (client) => ({
        ...client,
        offer: (params) => current.pipe(Effect.andThen(client.offer(params))),
        answer: (params) => current.pipe(Effect.andThen(Deferred.succeed(answered, undefined)), Effect.andThen(client.answer(params))),
        iceCandidate: (params) => current.pipe(Effect.andThen(client.iceCandidate(params)))
      }))
    const relayed = yield* makeRelayedSignaling(inner)
    network.impairAll = relayed.impairAll

    const start = (peerId: string, overrides: Partial<WebRtcTransportConfigInput> = {}) =>
      Effect.gen(function*() {
        const transport = yield* startedTransport(peerId, env, overrides).pipe(Effect.provide(relayed.layer))
        const events: Array<TransportEvent> = []
        yield* Effect.forkScoped(Stream.runForEach(transport.events, (e) => Effect.sync(() => events.push(e))), { startImmediately: true })
        return { transport, events } satisfies WatchedTransport
      })

    const set = (next: UdpRelayImpairments) => Effect.suspend(() => ((state = next), relayed.impairAll(state)))
    return {
      env,
      start,
      answered: Deferred.await(answered),
      goDark: set(dark),
      restore: set(clear),
      relayCount: relayed.relayCount
    }
  })
