/**
 * What the signaling client hands to the transport: every inbound notification, decoded and in
 * camelCase, plus the link's own reconnect events.
 *
 * @since 0.1.0
 */
import {
  type Capability, type DisconnectReason, IceCandidateNotification, type LeftReason, Method, PeerDisconnectedNotification,
  PeerEntry as WirePeerEntry, PeerLeftNotification, SessionDescriptionNotification
} from "@remotemedia/signaling-protocol"
import { Result, Schema } from "effect"

/** A registered peer. */
export interface PeerEntry {
  readonly peerId: string
  readonly capabilities: ReadonlyArray<Capability>
  readonly userData: Readonly<Record<string, unknown>>
  /** ISO-8601. */
  readonly announcedAt: string
}

export interface PeerAnnounced { readonly _tag: "PeerAnnounced"; readonly peer: PeerEntry }
export interface PeerLeft { readonly _tag: "PeerLeft"; readonly peerId: string; readonly reason: LeftReason }
export interface OfferReceived {
  readonly _tag: "OfferReceived"
  readonly from: string
  readonly sdp: string
  readonly requestId: string
  readonly canTrickle: boolean
}
export interface AnswerReceived {
  readonly _tag: "AnswerReceived"
  readonly from: string
  readonly sdp: string
  readonly requestId: string
  readonly canTrickle: boolean
}
export interface IceCandidateReceived {
  readonly _tag: "IceCandidateReceived"
  readonly from: string
  /** `""` marks the end of candidates. */
  readonly candidate: string
  readonly sdpMid: string | null
  readonly sdpMLineIndex: number | null
  readonly requestId: string
}
export interface PeerDisconnected {
  readonly _tag: "PeerDisconnected"
  readonly from: string
  readonly reason: DisconnectReason
  readonly details?: string
}
/** The link dropped; attempt `attempt` of the reconnect policy is under way. */
export interface Reconnecting { readonly _tag: "Reconnecting"; readonly attempt: number }
/** The link is back and the peer id re-announced. */
export interface Reconnected { readonly _tag: "Reconnected" }
/** Reconnecting gave up; the client is unusable. */
export interface LinkLost { readonly _tag: "LinkLost" }

/** Everything the client reports, as a tagged union. */
export type SignalingEvent =
  | PeerAnnounced | PeerLeft | OfferReceived | AnswerReceived | IceCandidateReceived | PeerDisconnected
  | Reconnecting | Reconnected | LinkLost

/** A wire `PeerEntry` in camelCase. */
export const fromWirePeerEntry = (entry: WirePeerEntry): PeerEntry => ({
  peerId: entry.peer_id,
  capabilities: entry.capabilities,
  userData: entry.user_data,
  announcedAt: entry.announced_at
})

const decodePeerEntry = Schema.decodeUnknownResult(WirePeerEntry)
const decodeLeft = Schema.decodeUnknownResult(PeerLeftNotification)
const decodeDescription = Schema.decodeUnknownResult(SessionDescriptionNotification)
const decodeCandidate = Schema.decodeUnknownResult(IceCandidateNotification)
const decodeDisconnected = Schema.decodeUnknownResult(PeerDisconnectedNotification)

const decodeWith = <A>(decoded: Result.Result<A, unknown>, f: (a: A) => SignalingEvent): SignalingEvent | undefined =>
  Result.isSuccess(decoded) ? f(decoded.success) : undefined

/** Decodes a server notification; `undefined` for unknown methods or malformed params (dropped). */
export const toSignalingEvent = (method: string, params: unknown): SignalingEvent | undefined => {
  switch (method) {
    case Method.announced:
      return decodeWith(decodePeerEntry(params), (p) => ({ _tag: "PeerAnnounced", peer: fromWirePeerEntry(p) }))
    case Method.left:
      return decodeWith(decodeLeft(params), (p) => ({ _tag: "PeerLeft", peerId: p.peer_id, reason: p.reason }))
    case Method.offer:
    case Method.answer:
      return decodeWith(decodeDescription(params), (p) => ({
        _tag: method === Method.offer ? "OfferReceived" : "AnswerReceived",
        from: p.from,
        sdp: p.sdp,
        requestId: p.request_id,
        canTrickle: p.can_trickle_ice_candidates
      }))
    case Method.iceCandidate:
      return decodeWith(decodeCandidate(params), (p) => ({
        _tag: "IceCandidateReceived",
        from: p.from,
        candidate: p.candidate,
        sdpMid: p.sdp_mid,
        sdpMLineIndex: p.sdp_m_line_index,
        requestId: p.request_id
      }))
    case Method.disconnected:
      return decodeWith(decodeDisconnected(params), (p) => (p.details === undefined
        ? { _tag: "PeerDisconnected", from: p.from, reason: p.reason }
        : { _tag: "PeerDisconnected", from: p.from, reason: p.reason, details: p.details }))
    default:
      return undefined
  }
}
