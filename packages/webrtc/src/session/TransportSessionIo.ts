/**
 * The SessionRouter's view of a `WebRtcTransport`: its received media, its sends, and the peers that leave
 * (a disconnect or a failure, from the transport's events).
 *
 * @since 0.1.0
 */
import { Predicate, Stream } from "effect"
import type { TransportEvent } from "../transport/TransportEvent.ts"
import type { SessionIo } from "./SessionRouter.ts"

/** Ids of the peers whose connection ended, from a transport's events. */
export const departures = (events: Stream.Stream<TransportEvent>): Stream.Stream<string> =>
  events.pipe(
    Stream.filter((event): event is Extract<TransportEvent, { readonly _tag: "PeerDisconnected" | "PeerFailed" }> =>
      Predicate.isTagged(event, "PeerDisconnected") || Predicate.isTagged(event, "PeerFailed")
    ),
    Stream.map((event) => event.peerId)
  )

/** The router's io over a transport's streams and sends. */
export const transportSessionIo = (options: Omit<SessionIo, "departures"> & { readonly events: Stream.Stream<TransportEvent> }): SessionIo => ({
  localPeerId: options.localPeerId,
  incoming: options.incoming,
  departures: departures(options.events),
  sendToPeer: options.sendToPeer,
  broadcast: options.broadcast
})
