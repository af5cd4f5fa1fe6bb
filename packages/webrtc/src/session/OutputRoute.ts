/**
 * Where one session output goes (pure): the routing rule of the SessionRouter.
 *
 * 1. An output with metadata `to` (e.g. a Mixer in `mix-minus` mode) goes to that one peer.
 * 2. Otherwise a `"sender"` session sends it back to the peer whose input produced it: the peer of its
 *    per-peer pipeline, or the output's `peer_id`.
 * 3. Otherwise a `"broadcast"` session sends it to every connected peer.
 *
 * A destination that is this transport's own peer id is `Local`: nothing is sent, the output is only seen
 * through the session's `recvOutput`/`outputs` (this is how a local participant hears its mix).
 *
 * @since 0.1.0
 */
import { PEER_ID, type Routing, TO, type TransportData } from "@remotemedia/runtime-core"

/** The destination of one output. */
export type OutputRoute =
  | { readonly _tag: "Peer"; readonly peerId: string }
  | { readonly _tag: "AllPeers" }
  | { readonly _tag: "Local" }
  | { readonly _tag: "Nowhere"; readonly reason: string }

const allPeers: OutputRoute = { _tag: "AllPeers" }
const local: OutputRoute = { _tag: "Local" }
const noSender: OutputRoute = { _tag: "Nowhere", reason: "a sender-routed output has no peer_id to go back to" }

/**
 * Routes `output` of a session with `routing`; `lane` is the peer whose per-peer pipeline produced it (if
 * any), `localPeerId` this transport's own id.
 */
export const routeOutput = (
  output: TransportData,
  routing: Routing,
  lane: string | undefined,
  localPeerId: string
): OutputRoute => {
  const target = output.metadata[TO] ?? (routing === "sender" ? lane ?? output.metadata[PEER_ID] : undefined)
  if (target === undefined) return routing === "broadcast" ? allPeers : noSender
  return target === localPeerId ? local : { _tag: "Peer", peerId: target }
}
