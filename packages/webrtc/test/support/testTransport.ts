/**
 * Builds transports the way tests need them: loopback-only ICE, our own STUN url, short RTCP interval.
 */
import { Effect, Fiber, Predicate, Stream } from "effect"
import type { WebRtcTransportConfigInput } from "../../src/config/WebRtcTransportConfig.ts"
import type { TransportEvent } from "../../src/transport/TransportEvent.ts"
import * as WebRtcTransport from "../../src/transport/WebRtcTransport.ts"

/** A started transport named `peerId` (needs a `SignalingConnector`). */
export const startedTransport = (
  peerId: string,
  urls: { readonly signalingUrl: string; readonly stunUrl: string },
  overrides: Partial<WebRtcTransportConfigInput> = {}
) =>
  Effect.gen(function*() {
    const transport = yield* WebRtcTransport.make({
      signalingUrl: urls.signalingUrl,
      peerId,
      stunServers: [urls.stunUrl],
      candidateHosts: "loopback",
      rtcpIntervalMs: 1_000,
      ...overrides
    })
    yield* transport.start
    return transport
  })

/** Starts watching `events` now and yields an effect that waits for the first event matching `predicate`. */
export const awaitEvent = <E extends TransportEvent>(
  transport: WebRtcTransport.WebRtcTransportService,
  predicate: (event: TransportEvent) => event is E,
  timeout: "5 seconds" | "10 seconds" | "30 seconds" = "10 seconds"
) =>
  Stream.runHead(Stream.filter(transport.events, predicate)).pipe(
    Effect.flatMap(Effect.fromOption),
    Effect.timeout(timeout),
    Effect.forkScoped({ startImmediately: true }),
    Effect.map(Fiber.join)
  )

/** Matches an event by tag and peer. */
export const eventFor = <T extends TransportEvent["_tag"]>(tag: T, peerId: string) =>
  (event: TransportEvent): event is Extract<TransportEvent, { _tag: T }> =>
    Predicate.isTagged(event, tag) && "peerId" in event && event.peerId === peerId
