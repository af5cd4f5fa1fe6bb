/**
 * A stand-in for the transport's media path, for router tests: peers' received media are published by the
 * test, what the router sends lands in one queue per peer, joins and departures are announced by the test. It counts
 * live subscriptions, so a test can check that a closed session let go of the media streams.
 */
import { Effect, PubSub, Queue, Stream } from "effect"
import type { RuntimeData } from "@remotemedia/runtime-core"
import type { IncomingFrame, MembershipChange, SessionIo } from "../../src/session/SessionRouter.ts"

/** A mesh of `peers` around the local peer `localPeerId`. */
export const makeFakeMesh = (localPeerId: string, peers: ReadonlyArray<string>) =>
  Effect.gen(function*() {
    const incoming = yield* PubSub.unbounded<IncomingFrame>()
    const membership = yield* PubSub.unbounded<MembershipChange>()
    const announce = (change: MembershipChange) => PubSub.publish(membership, change)
    const connected = new Set(peers)
    const inbox = new Map<string, Queue.Queue<RuntimeData>>()
    for (const peer of peers) inbox.set(peer, yield* Queue.unbounded<RuntimeData>())
    let subscriptions = 0
    const counted = <A>(stream: Stream.Stream<A>) =>
      stream.pipe(Stream.onStart(Effect.sync(() => subscriptions++)), Stream.ensuring(Effect.sync(() => subscriptions--)))

    const deliver = (peerId: string, data: RuntimeData) =>
      connected.has(peerId)
        ? Queue.offer(inbox.get(peerId)!, data)
        : Effect.fail({ message: `not connected to ${peerId}` })

    const io: SessionIo = {
      localPeerId,
      incoming: counted(Stream.fromPubSub(incoming)),
      membership: counted(Stream.fromPubSub(membership)),
      sendToPeer: deliver,
      broadcast: (data) => Effect.forEach([...connected], (peer) => deliver(peer, data))
    }
    return {
      io,
      /** Media "received" from `peerId`. */
      receive: (peerId: string, data: RuntimeData) => PubSub.publish(incoming, { peerId, data }),
      /** `peerId` disconnects. */
      leave: (peerId: string) => Effect.suspend(() => {
        connected.delete(peerId)
        return announce({ _tag: "Left", peerId })
      }),
      /** `peerId` connects (again). */
      join: (peerId: string) => Effect.suspend(() => {
        connected.add(peerId)
        return announce({ _tag: "Joined", peerId })
      }),
      /** The next `n` frames the router sent to `peerId` (fails after 10 s). */
      takeSent: (peerId: string, n: number) =>
        Effect.replicateEffect(Queue.take(inbox.get(peerId)!), n).pipe(Effect.timeout("10 seconds")),
      /** What was sent to `peerId` and not taken yet. */
      pending: (peerId: string) => Queue.size(inbox.get(peerId)!),
      /** Live subscriptions to the incoming and membership streams. */
      subscriptions: () => subscriptions
    }
  })
