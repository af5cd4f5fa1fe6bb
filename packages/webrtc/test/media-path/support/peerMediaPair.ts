/**
 * Two `PeerActor`s in one process, negotiated over an in-memory signal path, each with its `PeerMedia`
 * attached: one connection's media path without the transport around it, so a test can reach into either
 * werift connection (drop what a sender sends, send RTCP our transport never would) and read the media
 * state directly.
 */
import { Effect, Queue } from "effect"
import { initialSettings, type TransportSettings } from "../../../src/config/ConfigOptions.ts"
import type { IncomingMedia } from "../../../src/media/IncomingMedia.ts"
import { mediaCodecsLayer } from "../../../src/media/MediaCodecs.ts"
import { attach, type PeerMedia } from "../../../src/media/PeerMedia.ts"
import type * as PeerActor from "../../../src/peer/PeerActor.ts"
import { connectedActors } from "../../support/connectedActors.ts"
import { stunServer } from "../../support/stunServer.ts"

/** One end of the pair. */
export interface PairEnd {
  readonly actor: PeerActor.PeerActor
  readonly media: PeerMedia
  /** Everything its receive path delivered, in order. */
  readonly incoming: Queue.Queue<IncomingMedia>
}

/** Attaches media to `actor` with `settings` (the transport's defaults, overridden). */
const withMedia = (actor: PeerActor.PeerActor, settings: TransportSettings) =>
  Effect.gen(function*() {
    const incoming = yield* Queue.unbounded<IncomingMedia>()
    const media = yield* attach({ actor, settings: Effect.succeed(settings), deliver: (m) => Queue.offer(incoming, m).pipe(Effect.asVoid) })
    const end: PairEnd = { actor, media, incoming }
    return end
  }).pipe(Effect.provide(mediaCodecsLayer))

/** Two connected actors with media attached on both ends, both with the transport's settings overridden by `settings`. */
export const peerMediaPair = (settings: Partial<TransportSettings> = {}) =>
  Effect.gen(function*() {
    const { alice, bob, config } = yield* connectedActors(yield* stunServer)
    const current = { ...initialSettings(config), ...settings }
    return { alice: yield* withMedia(alice, current), bob: yield* withMedia(bob, current) }
  })
