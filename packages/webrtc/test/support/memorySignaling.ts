/**
 * An in-process signaling hub implementing `SignalingConnector` for transport tests: it stamps `from`,
 * forwards in order, announces and lists peers, and reports departures, like the real server, without a
 * socket. Integration tests use the real server; this one isolates the transport's own logic.
 */
import { Effect, Layer, Queue, Stream } from "effect"
import { SignalingError } from "../../src/errors.ts"
import { type Connect, type PeerEntry, SignalingConnector, type SignalingEvent } from "../../src/transport/SignalingLink.ts"

interface Member {
  readonly entry: PeerEntry
  readonly inbox: Queue.Queue<SignalingEvent>
}

/** A hub; `layer` connects transports to it. */
export const makeMemorySignaling = Effect.sync(() => {
  const members = new Map<string, Member>()

  const broadcast = (from: string, event: SignalingEvent) =>
    Effect.forEach([...members.values()].filter((m) => m.entry.peerId !== from), (m) => Queue.offer(m.inbox, event), {
      discard: true
    })

  const forward = (to: string, event: SignalingEvent) =>
    Effect.suspend(() => {
      const member = members.get(to)
      return member === undefined
        ? Effect.fail(new SignalingError({ code: -32000, message: `peer ${to} not found` }))
        : Queue.offer(member.inbox, event).pipe(Effect.asVoid)
    })

  const connector: Connect = ({ peerId, capabilities }) =>
    Effect.gen(function*() {
      const inbox = yield* Queue.unbounded<SignalingEvent>()
      const entry: PeerEntry = { peerId, capabilities: [...capabilities], userData: {}, announcedAt: new Date().toISOString() }
      const peers = [...members.values()].map((m) => m.entry)
      members.set(peerId, { entry, inbox })
      yield* broadcast(peerId, { _tag: "PeerAnnounced", peer: entry })
      yield* Effect.addFinalizer(() =>
        Effect.suspend(() => {
          members.delete(peerId)
          return broadcast(peerId, { _tag: "PeerLeft", peerId, reason: "user_requested" })
        })
      )
      return {
        peerId,
        peers: Effect.succeed(peers),
        offer: ({ to, ...params }) => forward(to, { _tag: "OfferReceived", from: peerId, ...params }),
        answer: ({ to, ...params }) => forward(to, { _tag: "AnswerReceived", from: peerId, ...params }),
        iceCandidate: ({ to, ...params }) =>
          forward(to, { _tag: "IceCandidateReceived", from: peerId, ...params }).pipe(Effect.ignore),
        disconnect: ({ to, reason }) => forward(to, { _tag: "PeerDisconnected", from: peerId, reason }).pipe(Effect.ignore),
        list: Effect.sync(() => [...members.values()].map((m) => m.entry)),
        subscribe: Effect.succeed(Stream.fromQueue(inbox))
      }
    })
  return { layer: Layer.succeed(SignalingConnector, connector) }
})
