/**
 * The server → client notifications, as on the wire. Forwarded messages carry the `from` the server
 * stamped.
 *
 * @since 0.1.0
 */
import { Schema } from "effect"
import { Method } from "./Methods.ts"
import { PeerEntry } from "./PeerEntry.ts"
import { DisconnectReason, LeftReason, PeerId, RequestId } from "./PeerId.ts"

const Stamped = { from: PeerId }

/** `peer.offer` / `peer.answer` as delivered to the receiver. */
export const SessionDescriptionNotification = Schema.Struct({
  ...Stamped,
  sdp: Schema.String,
  can_trickle_ice_candidates: Schema.Boolean,
  request_id: RequestId
})
export type SessionDescriptionNotification = typeof SessionDescriptionNotification.Type

/** `peer.ice_candidate` as delivered to the receiver. */
export const IceCandidateNotification = Schema.Struct({
  ...Stamped,
  candidate: Schema.String,
  sdp_mid: Schema.NullOr(Schema.String),
  sdp_m_line_index: Schema.NullOr(Schema.Int),
  request_id: RequestId
})
export type IceCandidateNotification = typeof IceCandidateNotification.Type

/** `peer.left`: the peer is gone for good. */
export const PeerLeftNotification = Schema.Struct({ peer_id: PeerId, reason: LeftReason })
export type PeerLeftNotification = typeof PeerLeftNotification.Type

/** `peer.disconnected`: the sender hung up on the receiver. */
export const PeerDisconnectedNotification = Schema.Struct({
  ...Stamped,
  reason: DisconnectReason,
  details: Schema.optionalKey(Schema.String)
})
export type PeerDisconnectedNotification = typeof PeerDisconnectedNotification.Type

/** Every server notification, keyed by method; `decodeServerNotification` picks the schema. */
export const ServerNotificationParams = {
  [Method.announced]: PeerEntry,
  [Method.left]: PeerLeftNotification,
  [Method.offer]: SessionDescriptionNotification,
  [Method.answer]: SessionDescriptionNotification,
  [Method.iceCandidate]: IceCandidateNotification,
  [Method.disconnected]: PeerDisconnectedNotification
} as const

/** A decoded server notification, tagged by its method. */
export type ServerNotification =
  | { readonly method: typeof Method.announced; readonly params: PeerEntry }
  | { readonly method: typeof Method.left; readonly params: PeerLeftNotification }
  | { readonly method: typeof Method.offer | typeof Method.answer; readonly params: SessionDescriptionNotification }
  | { readonly method: typeof Method.iceCandidate; readonly params: IceCandidateNotification }
  | { readonly method: typeof Method.disconnected; readonly params: PeerDisconnectedNotification }
