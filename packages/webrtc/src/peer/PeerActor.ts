/**
 * One remote peer: owns its werift `RTCPeerConnection`, negotiates it (offer or answer, trickle ICE with
 * per-request candidate buffering), watches its state, samples its stats, and closes it when its scope
 * closes. Everything else talks to it through `receive` (typed signals in) and the `signal` sink (out).
 *
 * @since 0.1.0
 */
import { Deferred, Duration, Effect, Exit, Option, Predicate, Queue, Ref, Schedule } from "effect"
import { RTCPeerConnection, type RTCRtpTransceiver } from "werift"
import type { WebRtcTransportConfig } from "../config/WebRtcTransportConfig.ts"
import { defaultDataChannelOptions } from "../datachannel/DataChannelOptions.ts"
import type { DeliveryLedger } from "../datachannel/DeliveryLedger.ts"
import * as ReliableDataChannel from "../datachannel/ReliableDataChannel.ts"
import { ConnectionFailed } from "../errors.ts"
import { type ConnectionQualityMetrics, makeMetricsSampler } from "./ConnectionMetrics.ts"
import { packetsHeard, SilenceDetector, silenceBeforeDisconnectedMs } from "./PathLiveness.ts"
import { type CandidateSignal, type IncomingSignal, isMdnsCandidate, type OutgoingSignal, toWireCandidate } from "./PeerSignal.ts"
import { rtcConfiguration } from "./rtcConfiguration.ts"

/** Contract `ConnectionState`. */
export type ConnectionState = "New" | "Connecting" | "Connected" | "Failed" | "Closed"

/** How this side starts the negotiation. */
export type PeerRole =
  | { readonly _tag: "Offerer"; readonly requestId: string }
  | { readonly _tag: "Answerer"; readonly requestId: string; readonly offerSdp: string }

/** How long ICE may stay `disconnected` before the peer counts as gone. */
const disconnectedGrace = Duration.seconds(4)

/** Options of {@link make}. */
export interface PeerActorOptions {
  readonly remoteId: string
  readonly config: WebRtcTransportConfig
  readonly role: PeerRole
  /** Delivers a negotiation message to the remote (through signaling). */
  readonly signal: (message: OutgoingSignal) => Effect.Effect<void, ConnectionFailed>
  /** The data channel's ledger of earlier connections to the same remote, to resume where they stopped. */
  readonly ledger?: DeliveryLedger
}

/** A running peer. */
export interface PeerActor {
  readonly remoteId: string
  /** The request id of the offer this connection was negotiated from. */
  readonly requestId: string
  readonly connection: RTCPeerConnection
  /** Opus, sendrecv: the media phase attaches its track here. */
  readonly audio: RTCRtpTransceiver
  /** VP9 / H.264 / VP8, sendrecv. */
  readonly video: RTCRtpTransceiver
  /** The reliable, ordered, negotiated data channel; absent when disabled in config. */
  readonly dataChannel: ReliableDataChannel.ReliableDataChannel | undefined
  /** Hands a negotiation message from the remote to the actor. */
  readonly receive: (message: IncomingSignal) => Effect.Effect<void>
  /** Succeeds when the connection is Connected; fails if it fails first. */
  readonly connected: Effect.Effect<void, ConnectionFailed>
  readonly state: Effect.Effect<ConnectionState>
  /** The last sampled metrics; never waits. */
  readonly metrics: Effect.Effect<ConnectionQualityMetrics>
  /** Metrics read now, within a bound (the last sampled ones when werift does not answer in time). */
  readonly currentMetrics: Effect.Effect<ConnectionQualityMetrics>
  /** Unix epoch ms of the transition to Connected, 0 before. */
  readonly connectedAt: Effect.Effect<number>
  /**
   * Negotiates, then serves the connection until it fails or is closed by the remote; fails with
   * `ConnectionFailed` then. Interrupting it (closing the scope) closes the connection.
   */
  readonly run: Effect.Effect<never, ConnectionFailed>
}

const fromPromise = <A>(remoteId: string, what: string, promise: () => Promise<A>) =>
  Effect.tryPromise({
    try: promise,
    catch: (cause) => new ConnectionFailed({ peerId: remoteId, message: `${what} failed: ${String(cause)}` })
  })

/** Creates the connection (closed again with the scope) and the actor around it; `run` starts it. */
export const make = Effect.fn("PeerActor.make")(function*(options: PeerActorOptions) {
  const { remoteId, config, role, signal } = options
  const failed = (message: string) => new ConnectionFailed({ peerId: remoteId, message })
  const connection = yield* Effect.acquireRelease(
    Effect.sync(() => new RTCPeerConnection(rtcConfiguration(config))),
    (pc) => Effect.promise(() => pc.close()).pipe(Effect.timeout("2 seconds"), Effect.ignore)
  )
  const audio = connection.addTransceiver("audio", { direction: "sendrecv" })
  const video = connection.addTransceiver("video", { direction: "sendrecv" })
  // Negotiated with a fixed id on both sides, so it exists before the offer (field notes pitfall 13).
  const dataChannel = config.enableDataChannel
    ? yield* ReliableDataChannel.open(connection, remoteId, defaultDataChannelOptions, options.ledger)
    : undefined

  const inbox = yield* Queue.unbounded<IncomingSignal>()
  const localCandidates = yield* Queue.unbounded<CandidateSignal>()
  const stateChanges = yield* Queue.unbounded<string>()
  const connected = yield* Deferred.make<void, ConnectionFailed>()
  // Closed before `run` ever started (the attempt was abandoned): whoever waits for Connected learns it now.
  yield* Effect.addFinalizer(() => Deferred.fail(connected, failed("connection closed before it was established")))
  const state = yield* Ref.make<ConnectionState>("New")
  const connectedAt = yield* Ref.make(0)
  const metrics = makeMetricsSampler(connection, { intervalMs: 1_000, windowMs: config.rtcpIntervalMs, readTimeoutMs: 500 })

  const onCandidate = connection.onIceCandidate.subscribe((candidate) => {
    Queue.offerUnsafe(localCandidates, {
      _tag: "Candidate",
      requestId: role.requestId,
      candidate: candidate === undefined ? "" : toWireCandidate(candidate.candidate),
      sdpMid: candidate?.sdpMid ?? null,
      sdpMLineIndex: candidate?.sdpMLineIndex ?? null
    })
  })
  const onState = connection.connectionStateChange.subscribe((s) => void Queue.offerUnsafe(stateChanges, s))
  yield* Effect.addFinalizer(() => Effect.sync(() => {
    onCandidate.unSubscribe()
    onState.unSubscribe()
  }))

  const addCandidate = (message: CandidateSignal) =>
    // End-of-candidates and mDNS names are dropped on purpose (pitfalls 11 and 4): the pair still forms
    // through the other candidates or peer-reflexive ones.
    message.candidate === "" || isMdnsCandidate(message.candidate)
      ? Effect.void
      : fromPromise(remoteId, "addIceCandidate", () =>
        connection.addIceCandidate({
          candidate: message.candidate,
          ...(message.sdpMid === null ? {} : { sdpMid: message.sdpMid }),
          ...(message.sdpMLineIndex === null ? {} : { sdpMLineIndex: message.sdpMLineIndex })
        })).pipe(Effect.catch((error) => Effect.logDebug("remote candidate rejected", error.message)))

  /** Remote candidates wait here until the remote description is set (they may arrive first). */
  const pending: Array<CandidateSignal> = []
  let remoteDescriptionSet = false

  const applyRemote = (type: "offer" | "answer", sdp: string) =>
    fromPromise(remoteId, `setRemoteDescription(${type})`, () => connection.setRemoteDescription({ type, sdp })).pipe(
      Effect.andThen(Effect.suspend(() => {
        remoteDescriptionSet = true
        return Effect.forEach(pending.splice(0), addCandidate, { discard: true })
      }))
    )

  const handle = (message: IncomingSignal): Effect.Effect<void, ConnectionFailed> => {
    if (message.requestId !== role.requestId) return Effect.void // a stale or abandoned negotiation
    if (Predicate.isTagged(message, "Candidate")) {
      if (remoteDescriptionSet) return addCandidate(message)
      pending.push(message)
      return Effect.void
    }
    return Predicate.isTagged(role, "Offerer") && !remoteDescriptionSet ? applyRemote("answer", message.sdp) : Effect.void
  }

  const negotiate = Effect.gen(function*() {
    yield* Ref.set(state, "Connecting")
    if (Predicate.isTagged(role, "Offerer")) {
      const offer = yield* fromPromise(remoteId, "createOffer", () => connection.createOffer())
      yield* fromPromise(remoteId, "setLocalDescription(offer)", () => connection.setLocalDescription(offer))
      yield* signal({ _tag: "Offer", requestId: role.requestId, sdp: connection.localDescription?.sdp ?? offer.sdp })
    } else {
      yield* applyRemote("offer", role.offerSdp)
      const answer = yield* fromPromise(remoteId, "createAnswer", () => connection.createAnswer())
      yield* fromPromise(remoteId, "setLocalDescription(answer)", () => connection.setLocalDescription(answer))
      yield* signal({ _tag: "Answer", requestId: role.requestId, sdp: connection.localDescription?.sdp ?? answer.sdp })
    }
  })

  /** Connection states → our state; ends (failing) when the connection fails or closes. */
  const watchState = Effect.gen(function*() {
    while (true) {
      const next = yield* Queue.take(stateChanges)
      if (next === "connected") {
        yield* Ref.set(state, "Connected")
        yield* Ref.update(connectedAt, (at) => at === 0 ? Date.now() : at)
        yield* Deferred.succeed(connected, undefined)
      } else if (next === "failed" || next === "closed") {
        yield* Ref.set(state, next === "failed" ? "Failed" : "Closed")
        return yield* failed(`connection ${next}`)
      } else if (next === "disconnected") {
        // ICE may recover; if it stays disconnected the remote is gone.
        const recovered = yield* Queue.take(stateChanges).pipe(Effect.timeoutOption(disconnectedGrace))
        const next = Option.getOrElse(recovered, () => "disconnected")
        if (next !== "connected") {
          yield* Ref.set(state, "Failed")
          return yield* failed(`connection lost (ICE ${next})`)
        }
        yield* Queue.offer(stateChanges, next)
      }
    }
  })

  /** A silent ICE path reads as `disconnected` (and packets again as `connected`), as a browser would report it. */
  const watchLiveness = Effect.gen(function*() {
    const detector = new SilenceDetector(silenceBeforeDisconnectedMs)
    yield* Effect.sync(() => {
      const change = detector.observe(packetsHeard(connection), Date.now())
      if (change !== undefined) Queue.offerUnsafe(stateChanges, change === "silent" ? "disconnected" : "connected")
    }).pipe(Effect.repeat(Schedule.spaced("500 millis")))
  })

  const terminated = yield* Deferred.make<never, ConnectionFailed>()
  const terminate = (error: ConnectionFailed) => Deferred.fail(terminated, error)

  const run = Effect.gen(function*() {
    yield* Effect.forkScoped(watchState.pipe(Effect.catch(terminate)))
    yield* negotiate
    // Forward local candidates only after our description went out: simple receivers see the SDP first.
    yield* Effect.forkScoped(
      Queue.take(localCandidates).pipe(Effect.flatMap(signal), Effect.forever, Effect.catch(terminate))
    )
    yield* Effect.forkScoped(Queue.take(inbox).pipe(Effect.flatMap(handle), Effect.forever, Effect.catch(terminate)))
    // An offerer's attempt is timed by whoever made the offer (connectPeer, the reconnector); an answer
    // has nobody waiting for it, and an offer whose connection never comes would hold a place for ever.
    if (Predicate.isTagged(role, "Answerer")) {
      yield* Effect.forkScoped(Deferred.await(connected).pipe(
        Effect.timeoutOrElse({
          duration: config.connectTimeoutMs,
          orElse: () => terminate(failed(`no connection within ${config.connectTimeoutMs} ms of answering`))
        }),
        Effect.ignore
      ))
    }
    yield* Effect.forkScoped(Deferred.await(connected).pipe(Effect.andThen(metrics.run), Effect.ignore))
    yield* Effect.forkScoped(Deferred.await(connected).pipe(Effect.andThen(watchLiveness), Effect.ignore))
    return yield* Deferred.await(terminated)
  }).pipe(
    Effect.scoped,
    // Whoever waits for Connected learns why it never came.
    Effect.onExit((exit) =>
      Deferred.fail(
        connected,
        Option.getOrElse(Exit.findErrorOption(exit), () => failed("connection closed before it was established"))
      )
    )
  )

  return {
    remoteId,
    requestId: role.requestId,
    connection,
    audio,
    video,
    dataChannel,
    receive: (message) => Queue.offer(inbox, message).pipe(Effect.asVoid),
    connected: Deferred.await(connected),
    state: Ref.get(state),
    metrics: metrics.latest,
    currentMetrics: metrics.current,
    connectedAt: Ref.get(connectedAt),
    run
  } satisfies PeerActor
})
