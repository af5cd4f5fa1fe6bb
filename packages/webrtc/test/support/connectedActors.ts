/**
 * Two `PeerActor`s in one process, negotiated over an in-memory signal path: a connection without the
 * transport (signaling, PeerManager) around it.
 */
import { Deferred, Effect, Predicate, Queue } from "effect"
import { decodeConfig } from "../../src/config/WebRtcTransportConfig.ts"
import * as PeerActor from "../../src/peer/PeerActor.ts"
import type { OutgoingSignal } from "../../src/peer/PeerSignal.ts"

/** The config of one actor: loopback candidates, our STUN responder, sender reports every second. */
export const configFor = (peerId: string, stunUrl: string) =>
  decodeConfig({ signalingUrl: "ws://127.0.0.1:1", peerId, stunServers: [stunUrl], candidateHosts: "loopback", rtcpIntervalMs: 1_000 })

/**
 * Two actors, alice (offerer) and bob, negotiated over an in-memory signal path and connected (30 s at
 * most, for a loaded machine).
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
