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
  /** A connection to the peer reached Connected (again, after a re-connection). */
  | { readonly _tag: "PeerConnected"; readonly peerId: string }
  /** The connection to the peer was closed by either side. */
  | { readonly _tag: "PeerDisconnected"; readonly peerId: string; readonly reason: string }
  /**
   * The connection failed for good (ICE/DTLS failure, consent lost, the remote vanished): it could not be
   * established, re-connection gave up, or the peer left signaling.
   */
  | { readonly _tag: "PeerFailed"; readonly peerId: string; readonly reason: string }
  /**
   * A live connection failed (`reason`) and is being re-established under the same peer id, by the reconnect
   * policy. The side that made the original offer offers again: attempt `attempt` starts after `delayMs`.
   * The other side reports `attempt: 0` and waits up to `delayMs` for those offers.
   */
  | { readonly _tag: "PeerReconnecting"; readonly peerId: string; readonly attempt: number; readonly delayMs: number; readonly reason: string }
  /** The connection is back (after `PeerConnected`); `attempts` connection attempts it took. */
  | { readonly _tag: "PeerReconnected"; readonly peerId: string; readonly attempts: number }
  /** Re-connection gave up after `attempts` attempts (`PeerFailed` follows). */
  | { readonly _tag: "PeerReconnectFailed"; readonly peerId: string; readonly attempts: number; readonly reason: string }
  /** `failures` consecutive attempts failed: `connectPeer` fails fast with `CircuitOpen` for `retryAfterMs`. */
  | { readonly _tag: "CircuitOpened"; readonly peerId: string; readonly failures: number; readonly retryAfterMs: number }
  /** Enough connections succeeded after the breaker opened: attempts are no longer refused. */
  | { readonly _tag: "CircuitClosed"; readonly peerId: string }
  /** The peer left signaling for good. */
  | { readonly _tag: "PeerLeft"; readonly peerId: string; readonly reason: string }
  /** The signaling link dropped and is being re-established. */
  | { readonly _tag: "SignalingReconnecting"; readonly attempt: number }
  | { readonly _tag: "SignalingReconnected" }
  /** Signaling could not be re-established: no new connections until the transport is restarted. */
  | { readonly _tag: "SignalingLost" }
