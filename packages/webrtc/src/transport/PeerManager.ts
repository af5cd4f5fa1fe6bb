/**
 * The transport's peers: one supervised PeerActor fiber per remote (a `FiberMap` keyed by peer id), the
 * negotiation routing between them and signaling, glare resolution, the accept policy and `max_peers`,
 * automatic re-connection of failed connections and each peer's circuit breaker.
 *
 * Re-connection: when a live connection fails by itself (not closed by either side, the peer still in
 * signaling), the side that made its offer offers again on a fresh `RTCPeerConnection`, with the config's
 * reconnect backoff; the other side keeps the peer's place (max_peers, accept policy) and answers. Users keep
 * the same peer id throughout: incoming media and data-channel streams are per transport, not per connection,
 * and each peer's data-channel `DeliveryLedger` outlives its connections, so the new channel re-sends what the
 * failed one left unacknowledged and no message is lost or delivered twice.
 *
 * @since 0.1.0
 */
import { Clock, Deferred, Effect, Exit, Fiber, FiberMap, Match, Option, Predicate, Result, type Scope, Stream } from "effect"
import type { ReceivedDataChannelMessage } from "../datachannel/DataChannelMessage.ts"
import { defaultDataChannelOptions } from "../datachannel/DataChannelOptions.ts"
import { DeliveryLedger } from "../datachannel/DeliveryLedger.ts"
import type { WebRtcTransportConfig } from "../config/WebRtcTransportConfig.ts"
import { CircuitOpen, ConnectionFailed, ConnectionTimeout, MaxPeersExceeded } from "../errors.ts"
import * as CircuitBreaker from "../peer/CircuitBreaker.ts"
import * as PeerActor from "../peer/PeerActor.ts"
import type { CandidateSignal, OutgoingSignal } from "../peer/PeerSignal.ts"
import { backoffDelayMs } from "../signaling/ReconnectPolicy.ts"
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
  /** Whether that close reports a failure (the remote vanished, the attempt timed out) rather than a hang-up. */
  closedByFailure: boolean
  /** Whether this connection reached Connected. */
  connected: boolean
  /**
   * The role of the live connection this attempt replaced (the remote re-offered before we saw that
   * connection fail), handed down across replacements: if the attempt fails, the peer is re-connected in that
   * role rather than reported failed.
   */
  readonly continues: PeerActor.PeerRole | undefined
}

/** A peer whose live connection failed and is being re-established. */
interface Reconnection {
  /** Attempts made so far (offers answered, on the answering side). */
  attempts: number
  /** Completes when the peer is connected again; fails when re-connection ends without it. */
  readonly back: Deferred.Deferred<void, ConnectionFailed>
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
  const breakerPolicy = config.circuitBreaker
  const fibers = yield* FiberMap.make<string, void>()
  const slots = new Map<string, Slot>()
  const reconnectors = yield* FiberMap.make<string, void>()
  const reconnections = new Map<string, Reconnection>()
  /** Breakers that are not plainly closed (a peer with no failures has none). */
  const breakers = new Map<string, CircuitBreaker.CircuitState>()
  const lastCloseReason = new Map<string, string>()
  const earlyCandidates = new Map<string, Array<CandidateSignal>>()
  /** Each peer's data-channel ledger, from its first connection until it is gone for good. */
  const ledgers = new Map<string, DeliveryLedger>()
  let requestCounter = 0

  const has = (remoteId: string) => slots.has(remoteId) || reconnections.has(remoteId)
  const peerCount = () => new Set([...slots.keys(), ...reconnections.keys()]).size

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

  const breakerOf = (remoteId: string) => breakers.get(remoteId) ?? CircuitBreaker.closed

  const ledgerOf = (remoteId: string) => {
    const existing = ledgers.get(remoteId)
    if (existing !== undefined) return existing
    const ledger = new DeliveryLedger(defaultDataChannelOptions.maxRetainedBytes)
    ledgers.set(remoteId, ledger)
    return ledger
  }

  /** The peer is gone for good: its ledger goes with it, the final event goes out. */
  const ended = (remoteId: string, reason: string, failure: boolean) => {
    ledgers.delete(remoteId)
    return publish(failure ? { _tag: "PeerFailed", peerId: remoteId, reason } : { _tag: "PeerDisconnected", peerId: remoteId, reason })
  }

  /** Feeds one attempt's outcome to the peer's breaker and reports it opening or closing. */
  const recordOutcome = (remoteId: string, outcome: "Success" | "Failure") =>
    Effect.gen(function*() {
      const now = yield* Clock.currentTimeMillis
      const before = breakerOf(remoteId)
      const after = outcome === "Success"
        ? CircuitBreaker.recordSuccess(breakerPolicy, before, now)
        : CircuitBreaker.recordFailure(breakerPolicy, before, now)
      if (after === CircuitBreaker.closed) breakers.delete(remoteId)
      else breakers.set(remoteId, after)
      const change = CircuitBreaker.transition(breakerPolicy, before, after, now)
      if (change === "Opened") {
        const failures = before._tag === "Closed" ? before.failures + 1 : 1
        yield* publish({ _tag: "CircuitOpened", peerId: remoteId, failures, retryAfterMs: breakerPolicy.recoveryMs })
      } else if (change === "Closed") {
        yield* publish({ _tag: "CircuitClosed", peerId: remoteId })
      }
    })

  /** A connection reached Connected: report it, and end the peer's re-connection if one was under way. */
  const onConnected = (remoteId: string, slot: Slot) =>
    Effect.gen(function*() {
      slot.connected = true
      yield* publish({ _tag: "PeerConnected", peerId: remoteId })
      yield* recordOutcome(remoteId, "Success")
      const reconnection = reconnections.get(remoteId)
      if (reconnection === undefined || slots.get(remoteId) !== slot) return
      reconnections.delete(remoteId)
      yield* Deferred.succeed(reconnection.back, undefined)
      yield* publish({ _tag: "PeerReconnected", peerId: remoteId, attempts: Math.max(1, reconnection.attempts) })
    })

  /** Starts (or replaces) the actor for `remoteId`; a replaced attempt is interrupted, its connection closed. */
  const startActor = (remoteId: string, role: PeerActor.PeerRole): Effect.Effect<void> =>
    Effect.gen(function*() {
      const previous = slots.get(remoteId)
      const slot: Slot = {
        role,
        ready: yield* Deferred.make<PeerActor.PeerActor, ConnectionFailed>(),
        actor: undefined,
        closeReason: undefined,
        closedByFailure: false,
        connected: false,
        continues: previous?.connected ? previous.role : previous?.continues
      }
      if (previous !== undefined) previous.closeReason = "superseded"
      slots.set(remoteId, slot)
      const early = earlyCandidates.get(role.requestId) ?? []
      earlyCandidates.delete(role.requestId)

      const lifetime = Effect.gen(function*() {
        const actor = yield* PeerActor.make({ remoteId, config, role, signal: signalTo(remoteId), ledger: ledgerOf(remoteId) })
        yield* attachMedia(actor)
        yield* Effect.forEach(early, actor.receive, { discard: true })
        slot.actor = actor
        yield* Deferred.succeed(slot.ready, actor)
        if (actor.dataChannel !== undefined) {
          yield* Effect.forkScoped(Stream.runForEach(actor.dataChannel.messages, receive))
        }
        yield* Effect.forkScoped(actor.connected.pipe(Effect.andThen(onConnected(remoteId, slot)), Effect.ignore))
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
            const closedFromOutside = slot.closeReason !== undefined
            if (!slot.connected && (!closedFromOutside || slot.closedByFailure)) yield* recordOutcome(remoteId, "Failure")
            // An attempt of a re-connection under way: its reconnector decides what comes next.
            if (reconnections.has(remoteId)) return
            // Only a connection that failed by itself comes back (not one interrupted with the transport).
            const failedByItself = !closedFromOutside && Option.isSome(Exit.findErrorOption(exit))
            const liveRole = slot.connected ? slot.role : slot.continues
            if (failedByItself && liveRole !== undefined && config.reconnect.maxRetries > 0) {
              return yield* startReconnecting(remoteId, liveRole, reason)
            }
            yield* ended(remoteId, reason, slot.closeReason === undefined || slot.closedByFailure)
          })
        ),
        // The exit is fully handled above: the fiber itself ends quietly.
        Effect.ignore
      )
      yield* FiberMap.run(fibers, remoteId, lifetime)
    }).pipe(
      // A half-started attempt (slot set, no fiber) would hold the peer's place for ever.
      Effect.uninterruptible
    )

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

  /** Closes the current connection attempt (or connection) to `remoteId`, if any. */
  const closeAttempt = (remoteId: string, reason: string, failure = false) =>
    Effect.gen(function*() {
      const slot = slots.get(remoteId)
      if (slot === undefined) return
      slot.closeReason = reason
      slot.closedByFailure = failure
      yield* FiberMap.remove(fibers, remoteId)
    })

  /**
   * Ends a re-connection (already taken out of `reconnections`) and the peer with it: waiting callers fail,
   * the final event goes out (by the attempt's exit, if one is under way).
   */
  const endReconnection = (remoteId: string, reconnection: Reconnection, reason: string, failure: boolean) =>
    Effect.gen(function*() {
      yield* Deferred.fail(reconnection.back, new ConnectionFailed({ peerId: remoteId, message: reason }))
      if (failure) yield* publish({ _tag: "PeerReconnectFailed", peerId: remoteId, attempts: reconnection.attempts, reason })
      if (slots.has(remoteId)) return yield* closeAttempt(remoteId, reason, failure)
      lastCloseReason.set(remoteId, reason)
      yield* ended(remoteId, reason, failure)
    })

  /** Closes the peer for good: stops its re-connection, if any, then closes its connection. */
  const close = (remoteId: string, reason: string, failure = false) =>
    Effect.gen(function*() {
      const reconnection = reconnections.get(remoteId)
      if (reconnection === undefined) return yield* closeAttempt(remoteId, reason, failure)
      reconnections.delete(remoteId)
      yield* FiberMap.remove(reconnectors, remoteId)
      yield* endReconnection(remoteId, reconnection, reason, failure)
    })

  /** Run by the reconnector itself when it runs out of attempts: the peer fails for good, the remote hears of it. */
  const giveUp = (remoteId: string, reconnection: Reconnection, reason: string) =>
    Effect.gen(function*() {
      if (reconnections.get(remoteId) !== reconnection) return
      reconnections.delete(remoteId)
      const attempts = `${reconnection.attempts} attempt${reconnection.attempts === 1 ? "" : "s"}`
      const message = `re-connection gave up after ${attempts}: ${reason}`
      yield* link.disconnect({ to: remoteId, reason: "network_error", details: message }).pipe(Effect.ignore)
      yield* endReconnection(remoteId, reconnection, message, true)
    })

  /** The delay before re-connection attempt `attempt`, never while the peer's breaker refuses attempts. */
  const reconnectDelayMs = (remoteId: string, attempt: number) =>
    Effect.map(Clock.currentTimeMillis, (now) =>
      Math.max(
        Math.round(backoffDelayMs({ ...config.reconnect, retries: config.reconnect.maxRetries }, attempt, Math.random())),
        CircuitBreaker.retryAfterMs(breakerPolicy, breakerOf(remoteId), now)
      ))

  /** Whether the re-connection ended (the peer is back, or it was closed) within `withinMs`. */
  const endsWithin = (reconnection: Reconnection, withinMs: number) =>
    Deferred.await(reconnection.back).pipe(Effect.timeoutOption(withinMs), Effect.map(Option.isSome), Effect.orElseSucceed(() => true))

  /** The side that made the original offer: offers again on fresh connections until one connects. */
  const reoffer = (remoteId: string, reconnection: Reconnection, firstReason: string): Effect.Effect<void> =>
    Effect.gen(function*() {
      let reason = firstReason
      for (let attempt = 1; attempt <= config.reconnect.maxRetries; attempt++) {
        const delayMs = yield* reconnectDelayMs(remoteId, attempt)
        yield* publish({ _tag: "PeerReconnecting", peerId: remoteId, attempt, delayMs, reason })
        // The remote may have offered meanwhile (its user called connectPeer): then that connection is it.
        if (yield* endsWithin(reconnection, delayMs)) return
        reconnection.attempts = attempt
        if (!slots.has(remoteId)) yield* startActor(remoteId, { _tag: "Offerer", requestId: newRequestId() })
        const outcome = yield* awaitConnected(remoteId).pipe(
          Effect.timeoutOrElse({
            duration: config.connectTimeoutMs,
            orElse: () =>
              closeAttempt(remoteId, "re-connection attempt timed out", true).pipe(
                Effect.andThen(Effect.fail(new ConnectionFailed({ peerId: remoteId, message: `no connection within ${config.connectTimeoutMs} ms` })))
              )
          }),
          Effect.result
        )
        if (Result.isSuccess(outcome)) return
        reason = outcome.failure.message
      }
      yield* giveUp(remoteId, reconnection, reason)
    })

  /**
   * The answering side: keeps the peer's place and waits for the remote's offers for as long as the remote's
   * attempts can take (every backoff delay at its longest, plus a connect timeout each), and one connect
   * timeout more: the remote may notice the failure later than we did. It normally hears of the remote giving
   * up first (a `peer.disconnect` with reason `network_error`).
   */
  const awaitReoffer = (remoteId: string, reconnection: Reconnection, reason: string): Effect.Effect<void> =>
    Effect.gen(function*() {
      const policy = { ...config.reconnect, retries: config.reconnect.maxRetries }
      let budgetMs = config.connectTimeoutMs
      for (let attempt = 1; attempt <= policy.retries; attempt++) budgetMs += backoffDelayMs(policy, attempt, 1) + config.connectTimeoutMs
      budgetMs = Math.round(budgetMs)
      yield* publish({ _tag: "PeerReconnecting", peerId: remoteId, attempt: 0, delayMs: budgetMs, reason })
      if (!(yield* endsWithin(reconnection, budgetMs))) {
        yield* giveUp(remoteId, reconnection, `no connection from ${remoteId} within ${budgetMs} ms`)
      }
    })

  /** A live connection failed by itself: re-establish it under the same peer id. */
  const startReconnecting = (remoteId: string, role: PeerActor.PeerRole, reason: string): Effect.Effect<void> =>
    Effect.gen(function*() {
      const reconnection: Reconnection = { attempts: 0, back: yield* Deferred.make<void, ConnectionFailed>() }
      reconnections.set(remoteId, reconnection)
      const reconnect = Predicate.isTagged(role, "Offerer") ? reoffer : awaitReoffer
      yield* FiberMap.run(reconnectors, remoteId, reconnect(remoteId, reconnection, reason))
    })

  const onOffer = (from: string, requestId: string, sdp: string) =>
    Effect.gen(function*() {
      const existing = slots.get(from)
      if (existing !== undefined && Predicate.isTagged(existing.role, "Offerer")) {
        const state = existing.actor === undefined ? "New" : yield* existing.actor.state
        // Glare: the lower id ignores the incoming offer, the higher one abandons its own and answers.
        if (state !== "Connected" && selfId < from) return
      }
      // A peer being re-connected keeps its place: its offers are answered whatever the policy.
      if (!has(from) && (config.acceptPolicy === "reject" || peerCount() >= config.maxPeers)) {
        yield* link.disconnect({
          to: from,
          reason: "max_peers",
          details: config.acceptPolicy === "reject" ? "not accepting connections" : `limit of ${config.maxPeers} peers reached`
        })
        return
      }
      const reconnection = reconnections.get(from)
      if (reconnection !== undefined) reconnection.attempts++
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
      // A remote that gives up re-connecting hangs up with a network reason: the peer failed.
      PeerDisconnected: ({ from, reason }) => close(from, `${from} disconnected: ${reason}`, reconnections.has(from) && reason !== "user_requested"),
      // Gone without hanging up (socket dropped, pongs missed): the process or its network died.
      PeerLeft: ({ peerId, reason }) => close(peerId, `${peerId} left signaling: ${reason}`, reason !== "user_requested"),
      PeerAnnounced: () => Effect.void,
      Reconnecting: () => Effect.void,
      Reconnected: () => Effect.void,
      LinkLost: () => Effect.void
    })

  const connectTimeout = (remoteId: string) =>
    new ConnectionTimeout({
      peerId: remoteId,
      afterMs: config.connectTimeoutMs,
      message: `no connection to ${remoteId} within ${config.connectTimeoutMs} ms`
    })

  /**
   * Offers to `remoteId` (or joins the attempt or re-connection already under way) and waits for Connected;
   * fails fast with `CircuitOpen` while the peer's breaker is open.
   */
  const connect = (remoteId: string): Effect.Effect<void, ConnectionFailed | ConnectionTimeout | MaxPeersExceeded | CircuitOpen> =>
    Effect.gen(function*() {
      const reconnection = reconnections.get(remoteId)
      if (reconnection !== undefined) {
        return yield* Deferred.await(reconnection.back).pipe(
          Effect.timeoutOrElse({ duration: config.connectTimeoutMs, orElse: () => Effect.fail(connectTimeout(remoteId)) })
        )
      }
      if (!slots.has(remoteId)) {
        const retryAfterMs = CircuitBreaker.retryAfterMs(breakerPolicy, breakerOf(remoteId), yield* Clock.currentTimeMillis)
        if (retryAfterMs > 0) {
          return yield* new CircuitOpen({
            peerId: remoteId,
            retryAfterMs,
            message: `not connecting to ${remoteId}: its last ${breakerPolicy.failureThreshold} attempts failed, next try in ${retryAfterMs} ms`
          })
        }
        if (peerCount() >= config.maxPeers) {
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
          orElse: () => closeAttempt(remoteId, "connect timeout", true).pipe(Effect.andThen(Effect.fail(connectTimeout(remoteId))))
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
    for (const remoteId of new Set([...slots.keys(), ...reconnections.keys()])) {
      const slot = slots.get(remoteId)
      if (slot !== undefined) slot.closeReason = "shutdown"
      yield* link.disconnect({ to: remoteId, reason: "user_requested", details: "shutdown" })
    }
    reconnections.clear()
    yield* FiberMap.clear(reconnectors)
    yield* FiberMap.clear(fibers)
  })

  return { connect, disconnect, handle, actorOf, actors, closeAll, has }
})

/** The peer manager of one started transport. */
export type PeerManager = Effect.Success<ReturnType<typeof make>>
