/**
 * The negotiation messages a PeerActor exchanges with its remote through signaling. The transport maps
 * them to and from `peer.offer` / `peer.answer` / `peer.ice_candidate`.
 *
 * @since 0.1.0
 */

/** An ICE candidate as the protocol carries it (`""` is end-of-candidates). */
export interface CandidateSignal {
  readonly _tag: "Candidate"
  readonly requestId: string
  readonly candidate: string
  readonly sdpMid: string | null
  readonly sdpMLineIndex: number | null
}

/** An SDP offer; `requestId` names the negotiation. */
export interface OfferSignal {
  readonly _tag: "Offer"
  readonly requestId: string
  readonly sdp: string
}

/** The SDP answer to the offer with the same `requestId`. */
export interface AnswerSignal {
  readonly _tag: "Answer"
  readonly requestId: string
  readonly sdp: string
}

/** What a PeerActor sends to its remote. */
export type OutgoingSignal = OfferSignal | AnswerSignal | CandidateSignal

/** What a PeerActor accepts from its remote once it exists (an offer creates the actor instead). */
export type IncomingSignal = AnswerSignal | CandidateSignal

/** werift omits the `candidate:` prefix that browsers and our protocol use (field notes pitfall 12). */
export const toWireCandidate = (candidate: string): string =>
  candidate === "" || candidate.startsWith("candidate:") ? candidate : `candidate:${candidate}`

/** True for `.local` mDNS host candidates, which werift would try to resolve by multicast (pitfall 4). */
export const isMdnsCandidate = (candidate: string): boolean => /\s[^\s]+\.local\s/.test(candidate)
