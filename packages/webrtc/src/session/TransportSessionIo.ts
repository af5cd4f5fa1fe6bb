/**
 * The SessionRouter's view of a `WebRtcTransport`: its received media, its sends, and its peers coming and
 * going (from the transport's events: Connected joins, a disconnect or a failure leaves).
 *
 * @since 0.1.0
 */
import { Predicate, Result, Stream } from "effect"
import type { TransportEvent } from "../transport/TransportEvent.ts"
import type { MembershipChange, SessionIo } from "./SessionRouter.ts"

/** Peers joining and leaving, from a transport's events. */
export const membership = (events: Stream.Stream<TransportEvent>): Stream.Stream<MembershipChange> =>
  Stream.filterMap(events, (event): Result.Result<MembershipChange, void> =>
    Predicate.isTagged(event, "PeerConnected")
      ? Result.succeed({ _tag: "Joined", peerId: event.peerId })
      : Predicate.isTagged(event, "PeerDisconnected") || Predicate.isTagged(event, "PeerFailed")
      ? Result.succeed({ _tag: "Left", peerId: event.peerId })
      : Result.failVoid)

/** The router's io over a transport's streams and sends. */
export const transportSessionIo = (
  options: Omit<SessionIo, "membership"> & { readonly events: Stream.Stream<TransportEvent> }
): SessionIo => ({
  localPeerId: options.localPeerId,
  incoming: options.incoming,
  membership: membership(options.events),
  sendToPeer: options.sendToPeer,
  broadcast: options.broadcast
})
