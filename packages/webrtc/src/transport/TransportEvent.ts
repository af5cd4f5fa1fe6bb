/**
 * What a transport reports on its `events` stream.
 *
 * @since 0.1.0
 */
import type { PeerEntry } from "../signaling/SignalingEvent.ts"

/** Something happened to a peer or to the signaling link. */
export type TransportEvent =
  /** A peer registered with signaling (it can now be connected to). */
  | { readonly _tag: "PeerAnnounced"; readonly peer: PeerEntry }
  /** A connection to the peer reached Connected. */
  | { readonly _tag: "PeerConnected"; readonly peerId: string }
  /** The connection to the peer was closed by either side. */
  | { readonly _tag: "PeerDisconnected"; readonly peerId: string; readonly reason: string }
  /** The connection failed (ICE/DTLS failure, consent lost, the remote vanished). */
  | { readonly _tag: "PeerFailed"; readonly peerId: string; readonly reason: string }
  /** The peer left signaling for good. */
  | { readonly _tag: "PeerLeft"; readonly peerId: string; readonly reason: string }
  /** The signaling link dropped and is being re-established. */
  | { readonly _tag: "SignalingReconnecting"; readonly attempt: number }
  | { readonly _tag: "SignalingReconnected" }
  /** Signaling could not be re-established: no new connections until the transport is restarted. */
  | { readonly _tag: "SignalingLost" }
