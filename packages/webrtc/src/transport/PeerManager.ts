/**
 * The transport's peers: one supervised PeerActor fiber per remote (a `FiberMap` keyed by peer id), the
 * negotiation routing between them and signaling, glare resolution, the accept policy and `max_peers`.
 *
 * @since 0.1.0
 */
import { Deferred, Effect, Exit, Fiber, FiberMap, Match, Option, Predicate, type Scope, Stream } from "effect"
import type { ReceivedDataChannelMessage } from "../datachannel/DataChannelMessage.ts"
import type { WebRtcTransportConfig } from "../config/WebRtcTransportConfig.ts"
import { ConnectionFailed, ConnectionTimeout, MaxPeersExceeded } from "../errors.ts"
import * as PeerActor from "../peer/PeerActor.ts"
import type { CandidateSignal, OutgoingSignal } from "../peer/PeerSignal.ts"
import type { SignalingClient, SignalingEvent } from "./SignalingLink.ts"
import type { TransportEvent } from "./TransportEvent.ts"

/** One connection attempt (or live connection) to a remote. */
interface Slot {
  readonly role: PeerActor.PeerRole
  /** Completes once the actor exists; fails when the attempt ends before. */
  readonly ready: Deferred.Deferred<PeerActor.PeerActor, ConnectionFailed>
  actor: PeerActor.PeerActor | undefined
  /** Set when it is closed from outside (by us, the remote or signaling), before the fiber is interrupted. */
  closeReason: string | undefined
  /** Whether that close reports a failure (the remote vanished) rather than a hang-up. */
  closedByFailure: boolean
}

/** Remote candidates that came before their offer, per request id; bounded against a flooding sender. */
const maxEarlyRequests = 64
const maxEarlyCandidatesPerRequest = 64

/** Options of {@link make}. */
export interface PeerManagerOptions {
  readonly config: WebRtcTransportConfig
  readonly link: SignalingClient
  readonly publish: (event: TransportEvent) => Effect.Effect<void>
  /** Where every peer's received data-channel messages go. */
  readonly receive: (message: ReceivedDataChannelMessage) => Effect.Effect<void>
  /** Sets up a new peer's media before it negotiates; what it starts lives as long as the peer. */
  readonly attachMedia: (actor: PeerActor.PeerActor) => Effect.Effect<void, never, Scope.Scope>
}

/** Makes the peer manager; closing the scope closes every peer connection. */
export const make = Effect.fn("PeerManager.make")(function*(options: PeerManagerOptions) {
  const { config, link, publish, receive, attachMedia } = options
  const selfId = config.peerId
  const fibers = yield* FiberMap.make<string, void>()
  const slots = new Map<string, Slot>()
  const lastCloseReason = new Map<string, string>()
  const earlyCandidates = new Map<string, Array<CandidateSignal>>()
  let requestCounter = 0

  const newRequestId = () => `${selfId}-${(++requestCounter).toString(36)}-${Math.random().toString(36).slice(2, 8)}`

  const signalTo = (remoteId: string) => (message: OutgoingSignal): Effect.Effect<void, ConnectionFailed> => {
    const failed = (what: string) => (error: { readonly message: string }) =>
      new ConnectionFailed({ peerId: remoteId, message: `signaling ${what} to ${remoteId} failed: ${error.message}` })
    const description = (sdp: string, requestId: string) => ({ to: remoteId, sdp, canTrickle: true, requestId })
    return Match.valueTags(message, {
      Offer: ({ sdp, requestId }) => link.offer(description(sdp, requestId)).pipe(Effect.mapError(failed("offer"))),
      Answer: ({ sdp, requestId }) => link.answer(description(sdp, requestId)).pipe(Effect.mapError(failed("answer"))),
      Candidate: ({ candidate, sdpMid, sdpMLineIndex, requestId }) =>
        link.iceCandidate({ to: remoteId, candidate, sdpMid, sdpMLineIndex, requestId })
    })
  }

  /** Starts (or replaces) the actor for `remoteId`; a replaced attempt is interrupted, its connection closed. */
  const startActor = (remoteId: string, role: PeerActor.PeerRole) =>
    Effect.gen(function*() {
      const slot: Slot = {
        role,
        ready: yield* Deferred.make<PeerActor.PeerActor, ConnectionFailed>(),
        actor: undefined,
        closeReason: undefined,
        closedByFailure: false
      }
      const previous = slots.get(remoteId)
      if (previous !== undefined) previous.closeReason = "superseded"
      slots.set(remoteId, slot)
      const early = earlyCandidates.get(role.requestId) ?? []
      earlyCandidates.delete(role.requestId)

      const lifetime = Effect.gen(function*() {
        const actor = yield* PeerActor.make({ remoteId, config, role, signal: signalTo(remoteId) })
        yield* attachMedia(actor)
        yield* Effect.forEach(early, actor.receive, { discard: true })
        slot.actor = actor
        yield* Deferred.succeed(slot.ready, actor)
        if (actor.dataChannel !== undefined) {
          yield* Effect.forkScoped(Stream.runForEach(actor.dataChannel.messages, receive))
        }
        yield* Effect.forkScoped(actor.connected.pipe(
          Effect.andThen(publish({ _tag: "PeerConnected", peerId: remoteId })),
          Effect.ignore
        ))
        return yield* actor.run
      }).pipe(
        Effect.scoped,
        Effect.onExit((exit) =>
          Effect.gen(function*() {
            const reason = slot.closeReason ??
              (Exit.isFailure(exit)
                ? Option.match(Exit.findErrorOption(exit), { onNone: () => "interrupted", onSome: (e) => e.message })
                : "closed")
            yield* Deferred.fail(slot.ready, new ConnectionFailed({ peerId: remoteId, message: reason }))
            if (slots.get(remoteId) !== slot) return
            slots.delete(remoteId)
            lastCloseReason.set(remoteId, reason)
            yield* publish(
              slot.closeReason === undefined || slot.closedByFailure
                ? { _tag: "PeerFailed", peerId: remoteId, reason }
                : { _tag: "PeerDisconnected", peerId: remoteId, reason }
            )
          })
        ),
        // The exit is fully handled above: the fiber itself ends quietly.
        Effect.ignore
      )
      yield* FiberMap.run(fibers, remoteId, lifetime)
    })

  /** Waits until the connection to `remoteId` is up, following glare replacements of the attempt. */
  const awaitConnected = (remoteId: string): Effect.Effect<void, ConnectionFailed> =>
    Effect.suspend(() => {
      const slot = slots.get(remoteId)
      if (slot === undefined) {
        return Effect.fail(new ConnectionFailed({
          peerId: remoteId,
          message: `connection to ${remoteId} closed: ${lastCloseReason.get(remoteId) ?? "unknown reason"}`
        }))
      }
      return Deferred.await(slot.ready).pipe(
        Effect.flatMap((actor) => actor.connected),
        Effect.catch((error) =>
          Effect.gen(function*() {
            // A failed attempt reports before its fiber has released the slot: wait for that, so a retry
            // right after this failure starts afresh instead of finding the dead attempt.
            const attempt = slots.get(remoteId) === slot ? yield* FiberMap.get(fibers, remoteId) : Option.none()
            if (Option.isSome(attempt)) yield* Fiber.await(attempt.value)
            const current = slots.get(remoteId)
            if (current !== undefined && current !== slot) return yield* awaitConnected(remoteId)
            return yield* Effect.fail(
              slot.closeReason === undefined
                ? error
                : new ConnectionFailed({ peerId: remoteId, message: `connection to ${remoteId} closed: ${slot.closeReason}` })
            )
          })
        )
      )
    })

  const close = (remoteId: string, reason: string, failure = false) =>
    Effect.gen(function*() {
      const slot = slots.get(remoteId)
      if (slot === undefined) return
      slot.closeReason = reason
      slot.closedByFailure = failure
      yield* FiberMap.remove(fibers, remoteId)
    })

  const onOffer = (from: string, requestId: string, sdp: string) =>
    Effect.gen(function*() {
      const existing = slots.get(from)
      if (existing !== undefined && Predicate.isTagged(existing.role, "Offerer")) {
        const state = existing.actor === undefined ? "New" : yield* existing.actor.state
        // Glare: the lower id ignores the incoming offer, the higher one abandons its own and answers.
        if (state !== "Connected" && selfId < from) return
      }
      if (existing === undefined && (config.acceptPolicy === "reject" || slots.size >= config.maxPeers)) {
        yield* link.disconnect({
          to: from,
          reason: "max_peers",
          details: config.acceptPolicy === "reject" ? "not accepting connections" : `limit of ${config.maxPeers} peers reached`
        })
        return
      }
      // Otherwise: a fresh connection object answers (field notes pitfall 14), replacing any older one.
      yield* startActor(from, { _tag: "Answerer", requestId, offerSdp: sdp })
    })

  const deliver = (from: string, signal: Parameters<PeerActor.PeerActor["receive"]>[0]) =>
    Effect.gen(function*() {
      const slot = slots.get(from)
      if (slot !== undefined && slot.role.requestId === signal.requestId) {
        // The actor may still be starting: wait for it rather than buffer (keeps the remote's order).
        return yield* Deferred.await(slot.ready).pipe(Effect.flatMap((actor) => actor.receive(signal)), Effect.ignore)
      }
      if (!Predicate.isTagged(signal, "Candidate")) return
      const buffered = earlyCandidates.get(signal.requestId)
      if (buffered !== undefined) {
        if (buffered.length < maxEarlyCandidatesPerRequest) buffered.push(signal)
      } else if (earlyCandidates.size < maxEarlyRequests) {
        earlyCandidates.set(signal.requestId, [signal])
      }
    })

  /** Routes one server push. */
  const handle = (event: SignalingEvent): Effect.Effect<void> =>
    Match.valueTags(event, {
      OfferReceived: ({ from, requestId, sdp }) => onOffer(from, requestId, sdp),
      AnswerReceived: ({ from, requestId, sdp }) => deliver(from, { _tag: "Answer", requestId, sdp }),
      IceCandidateReceived: ({ from, requestId, candidate, sdpMid, sdpMLineIndex }) =>
        deliver(from, { _tag: "Candidate", requestId, candidate, sdpMid, sdpMLineIndex }),
      PeerDisconnected: ({ from, reason }) => close(from, `${from} disconnected: ${reason}`),
      // Gone without hanging up (socket dropped, pongs missed): the process or its network died.
      PeerLeft: ({ peerId, reason }) => close(peerId, `${peerId} left signaling: ${reason}`, reason !== "user_requested"),
      PeerAnnounced: () => Effect.void,
      Reconnecting: () => Effect.void,
      Reconnected: () => Effect.void,
      LinkLost: () => Effect.void
    })

  /** Offers to `remoteId` (or joins the attempt already under way) and waits for Connected. */
  const connect = (remoteId: string): Effect.Effect<void, ConnectionFailed | ConnectionTimeout | MaxPeersExceeded> =>
    Effect.gen(function*() {
      if (!slots.has(remoteId)) {
        if (slots.size >= config.maxPeers) {
          return yield* new MaxPeersExceeded({
            maxPeers: config.maxPeers,
            message: `cannot connect to ${remoteId}: already at max_peers (${config.maxPeers})`
          })
        }
        yield* startActor(remoteId, { _tag: "Offerer", requestId: newRequestId() })
      }
      yield* awaitConnected(remoteId).pipe(
        Effect.timeoutOrElse({
          duration: config.connectTimeoutMs,
          orElse: () =>
            close(remoteId, "connect timeout").pipe(Effect.andThen(Effect.fail(new ConnectionTimeout({
              peerId: remoteId,
              afterMs: config.connectTimeoutMs,
              message: `no connection to ${remoteId} within ${config.connectTimeoutMs} ms`
            }))))
        })
      )
    })

  /** The actor of a peer whose negotiation has started, if any. */
  const actorOf = (remoteId: string): PeerActor.PeerActor | undefined => slots.get(remoteId)?.actor

  /** Every actor, connected or still negotiating. */
  const actors = (): ReadonlyArray<PeerActor.PeerActor> =>
    Array.from(slots.values(), (slot) => slot.actor).filter((actor) => actor !== undefined)

  /** Tells the remote through signaling, then closes the connection (DTLS close_notify). */
  const disconnect = (remoteId: string) =>
    link.disconnect({ to: remoteId, reason: "user_requested" }).pipe(Effect.andThen(close(remoteId, "user_requested")))

  /** Tells every remote, then closes every connection (with DTLS close_notify), waiting for all of them. */
  const closeAll = Effect.gen(function*() {
    for (const [remoteId, slot] of slots) {
      slot.closeReason = "shutdown"
      yield* link.disconnect({ to: remoteId, reason: "user_requested", details: "shutdown" })
    }
    yield* FiberMap.clear(fibers)
  })

  return { connect, disconnect, handle, actorOf, actors, closeAll, has: (remoteId: string) => slots.has(remoteId) }
})

/** The peer manager of one started transport. */
export type PeerManager = Effect.Success<ReturnType<typeof make>>
