/**
 * Two `PeerActor`s in one process, negotiated over an in-memory signal path, each with its `PeerMedia`
 * attached: one connection's media path without the transport around it, so a test can reach into either
 * werift connection (drop what a sender sends, send RTCP our transport never would) and read the media
 * state directly.
 */
import { Deferred, Effect, Exit, Predicate, Queue, Scope } from "effect"
import { initialSettings, type TransportSettings } from "../../../src/config/ConfigOptions.ts"
import { decodeConfig } from "../../../src/config/WebRtcTransportConfig.ts"
import type { IncomingMedia } from "../../../src/media/IncomingMedia.ts"
import { mediaCodecsLayer } from "../../../src/media/MediaCodecs.ts"
import { attach, type PeerMedia } from "../../../src/media/PeerMedia.ts"
import * as PeerActor from "../../../src/peer/PeerActor.ts"
import type { OutgoingSignal } from "../../../src/peer/PeerSignal.ts"
import { stunServer } from "../../support/stunServer.ts"

/** One end of the pair. */
export interface PairEnd {
  readonly actor: PeerActor.PeerActor
  readonly media: PeerMedia
  /** Everything its receive path delivered, in order. */
  readonly incoming: Queue.Queue<IncomingMedia>
}

const configFor = (peerId: string, stunUrl: string) =>
  decodeConfig({ signalingUrl: "ws://127.0.0.1:1", peerId, stunServers: [stunUrl], candidateHosts: "loopback", rtcpIntervalMs: 1_000 })

/** Attaches media to `actor` with `settings` (the transport's defaults, overridden). */
const withMedia = (actor: PeerActor.PeerActor, settings: TransportSettings) =>
  Effect.gen(function*() {
    const incoming = yield* Queue.unbounded<IncomingMedia>()
    const media = yield* attach({ actor, settings: Effect.succeed(settings), deliver: (m) => Queue.offer(incoming, m).pipe(Effect.asVoid) })
    const end: PairEnd = { actor, media, incoming }
    return end
  }).pipe(Effect.provide(mediaCodecsLayer))

/**
 * Two actors, alice (offerer) and bob, negotiated over an in-memory signal path and connected (30 s at
 * most, for a loaded machine). Also what `test/peer/PeerActor.test.ts` does inline.
 */
export const connectedActors = (stunUrl: string) =>
  Effect.gen(function*() {
    const requestId = "pair-1"
    const toBob = yield* Queue.unbounded<OutgoingSignal>()
    const bobReady = yield* Deferred.make<PeerActor.PeerActor>()
    const aliceConfig = yield* configFor("alice", stunUrl)
    const alice = yield* PeerActor.make({ remoteId: "bob", config: aliceConfig, role: { _tag: "Offerer", requestId }, signal: (m) => Queue.offer(toBob, m) })
    // Bob is made from alice's offer; whatever she signals after it goes to him in order.
    yield* Effect.forkScoped(Effect.gen(function*() {
      const offer = yield* Queue.take(toBob)
      if (!Predicate.isTagged(offer, "Offer")) return yield* Effect.die(new Error(`the first signal must be the offer, got ${offer._tag}`))
      const bob = yield* PeerActor.make({
        remoteId: "alice",
        config: yield* configFor("bob", stunUrl),
        role: { _tag: "Answerer", requestId, offerSdp: offer.sdp },
        signal: (m) => Predicate.isTagged(m, "Offer") ? Effect.void : alice.receive(m)
      })
      yield* Deferred.succeed(bobReady, bob)
      yield* Effect.forkScoped(bob.run)
      for (;;) {
        const message = yield* Queue.take(toBob)
        if (!Predicate.isTagged(message, "Offer")) yield* bob.receive(message)
      }
    }))
    yield* Effect.forkScoped(alice.run)
    const bob = yield* Deferred.await(bobReady)
    yield* Effect.all([alice.connected, bob.connected], { concurrency: 2 }).pipe(Effect.timeout("30 seconds"))
    return { alice, bob, config: aliceConfig }
  })

/**
 * {@link connectedActors}, on a fresh pair up to three times. werift 0.25.2's DTLS client fails the
 * handshake when a HelloVerifyRequest arrives twice (a retransmission: `Flight3.exec` throws when flight 3
 * already ran), which two in-process peers on a machine under load 20-30 hit in about one set-up in five.
 * These tests are about media; a failed attempt is closed before the next.
 */
const connectedActorsRetried = (stunUrl: string) =>
  Effect.gen(function*() {
    const attempt = yield* Scope.fork(yield* Effect.scope)
    return yield* connectedActors(stunUrl).pipe(Scope.provide(attempt), Effect.tapError(() => Scope.close(attempt, Exit.void)))
  }).pipe(Effect.retry({ times: 2, while: (error) => error._tag === "ConnectionFailed" }))

/** Two connected actors with media attached on both ends, both with the transport's settings overridden by `settings`. */
export const peerMediaPair = (settings: Partial<TransportSettings> = {}) =>
  Effect.gen(function*() {
    const { alice, bob, config } = yield* connectedActorsRetried(yield* stunServer)
    const current = { ...initialSettings(config), ...settings }
    return { alice: yield* withMedia(alice, current), bob: yield* withMedia(bob, current) }
  })
