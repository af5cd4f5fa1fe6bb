/**
 * The part of signaling the transport depends on: a connected, announced link with the protocol's
 * requests and a stream of what the server pushes. `SignalingConnector` makes one; the default layer
 * adapts the package's WebSocket client, tests may swap in another.
 *
 * @since 0.1.0
 */
import { Context, type Effect, type Scope, type Stream } from "effect"
import type {
  AnnounceResult,
  Capability,
  DisconnectParams,
  IceCandidateNotification,
  IceCandidateParams,
  PeerDisconnectedNotification,
  PeerEntry,
  PeerLeftNotification,
  SessionDescriptionNotification,
  SessionDescriptionParams
} from "@remotemedia/signaling-protocol"
import type { SignalingError } from "../errors.ts"

/** What the server pushes to the transport. */
export type SignalingEvent =
  | { readonly _tag: "PeerAnnounced"; readonly peer: PeerEntry }
  | { readonly _tag: "PeerLeft"; readonly params: PeerLeftNotification }
  | { readonly _tag: "OfferReceived"; readonly params: SessionDescriptionNotification }
  | { readonly _tag: "AnswerReceived"; readonly params: SessionDescriptionNotification }
  | { readonly _tag: "IceCandidateReceived"; readonly params: IceCandidateNotification }
  | { readonly _tag: "PeerDisconnected"; readonly params: PeerDisconnectedNotification }
  | { readonly _tag: "Reconnecting"; readonly attempt: number }
  | { readonly _tag: "Reconnected" }

/** An announced signaling connection. */
export interface SignalingLink {
  /** The announce result: our session and the peers registered before us. */
  readonly announced: AnnounceResult
  readonly offer: (params: SessionDescriptionParams) => Effect.Effect<void, SignalingError>
  readonly answer: (params: SessionDescriptionParams) => Effect.Effect<void, SignalingError>
  /** A notification: never answered, so it cannot fail once the link is up. */
  readonly iceCandidate: (params: IceCandidateParams) => Effect.Effect<void>
  readonly disconnect: (params: DisconnectParams) => Effect.Effect<void>
  /** Every registered peer, ourselves included. */
  readonly list: Effect.Effect<ReadonlyArray<PeerEntry>, SignalingError>
  /** Server pushes, from the moment the link was made. Meant for one consumer. */
  readonly events: Stream.Stream<SignalingEvent>
}

/** What the transport announces itself with. */
export interface SignalingLinkOptions {
  readonly url: string
  readonly peerId: string
  readonly capabilities: ReadonlyArray<Capability>
}

/** Connects and announces; the link closes with the scope. */
export class SignalingConnector extends Context.Service<
  SignalingConnector,
  (options: SignalingLinkOptions) => Effect.Effect<SignalingLink, SignalingError, Scope.Scope>
>()("@remotemedia/webrtc/SignalingConnector") {}
