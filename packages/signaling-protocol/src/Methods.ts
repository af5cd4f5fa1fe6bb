/**
 * The client → server methods: their names, params and results, exactly as on the wire (snake_case).
 *
 * @since 0.1.0
 */
import { Schema } from "effect"
import { PeerEntry } from "./PeerEntry.ts"
import { Capabilities, DisconnectReason, PeerId, RequestId, UserData } from "./PeerId.ts"

/** Method names, shared by requests and the notifications the server forwards. */
export const Method = {
  announce: "peer.announce",
  offer: "peer.offer",
  answer: "peer.answer",
  iceCandidate: "peer.ice_candidate",
  disconnect: "peer.disconnect",
  list: "peer.list",
  announced: "peer.announced",
  left: "peer.left",
  disconnected: "peer.disconnected"
} as const
export type Method = typeof Method[keyof typeof Method]

/** `peer.announce` params. */
export const AnnounceParams = Schema.Struct({
  peer_id: PeerId,
  capabilities: Capabilities,
  user_data: Schema.optionalKey(UserData),
  token: Schema.optionalKey(Schema.String),
  session_key: Schema.optionalKey(Schema.String)
})
export type AnnounceParams = typeof AnnounceParams.Type

/** `peer.announce` result. */
export const AnnounceResult = Schema.Struct({
  status: Schema.Literal("registered"),
  peer_id: PeerId,
  server_time: Schema.String,
  session_key: Schema.String,
  peers: Schema.Array(PeerEntry)
})
export type AnnounceResult = typeof AnnounceResult.Type

/** `peer.offer` and `peer.answer` params (a client-sent `from` is checked by the server). */
export const SessionDescriptionParams = Schema.Struct({
  to: PeerId,
  sdp: Schema.String,
  can_trickle_ice_candidates: Schema.Boolean,
  request_id: RequestId,
  from: Schema.optionalKey(Schema.String)
})
export type SessionDescriptionParams = typeof SessionDescriptionParams.Type

/** `peer.offer` / `peer.answer` result. */
export const ForwardedResult = Schema.Struct({ status: Schema.Literal("forwarded"), request_id: Schema.String })
export type ForwardedResult = typeof ForwardedResult.Type

/** `peer.ice_candidate` params; `candidate: ""` is the end-of-candidates marker. */
export const IceCandidateParams = Schema.Struct({
  to: PeerId,
  candidate: Schema.String,
  sdp_mid: Schema.NullOr(Schema.String),
  sdp_m_line_index: Schema.NullOr(Schema.Int.pipe(Schema.check(Schema.isGreaterThanOrEqualTo(0)))),
  request_id: RequestId,
  from: Schema.optionalKey(Schema.String)
})
export type IceCandidateParams = typeof IceCandidateParams.Type

/** `peer.disconnect` params. */
export const DisconnectParams = Schema.Struct({
  to: PeerId,
  reason: DisconnectReason,
  details: Schema.optionalKey(Schema.String),
  from: Schema.optionalKey(Schema.String)
})
export type DisconnectParams = typeof DisconnectParams.Type

/** `peer.list` result: every registered peer, the caller included. */
export const ListResult = Schema.Struct({ peers: Schema.Array(PeerEntry) })
export type ListResult = typeof ListResult.Type
