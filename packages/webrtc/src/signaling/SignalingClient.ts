/**
 * The transport's link to the signaling server: one supervised fiber owns the WebSocket, correlates
 * requests with responses, publishes every inbound notification, and reconnects (re-announcing with the
 * `session_key`) when the link drops. Frames sent while reconnecting wait in order in an outbox.
 *
 * @since 0.1.0
 */
import {
  type AnnounceParams, AnnounceResult, type Capability, type DisconnectReason, encodeNotification, encodeRequest,
  ErrorCode, ListResult, Method, PEER_ID_PATTERN, parseFrame, type RpcError
} from "@remotemedia/signaling-protocol"
import { Deferred, Effect, Exit, Predicate, PubSub, Result, Schema, type Scope, Stream } from "effect"
import { WebSocket } from "ws"
import { PeerNotFound, SignalingError } from "../errors.ts"
import { PendingRequests } from "./PendingRequests.ts"
import { backoffDelayMs, defaultReconnectPolicy, type ReconnectPolicy } from "./ReconnectPolicy.ts"
import { fromWirePeerEntry, type PeerEntry, type SignalingEvent, toSignalingEvent } from "./SignalingEvent.ts"

export interface SignalingClientConfig {
  /** `ws://…` or `wss://…` of the signaling server. */
  readonly url: string
  readonly peerId: string
  readonly capabilities: ReadonlyArray<Capability>
  /** A JSON object of at most 1 KiB, shown to other peers. */
  readonly userData?: Record<string, unknown>
  /** Announce token, when the server has a secret. */
  readonly token?: string
  /** Timeout of each request, announce included. Default 10 000 ms. */
  readonly requestTimeoutMs?: number
  /** A link that delivers nothing (no frame, no ping) for this long is dead. Default 30 000 ms. */
  readonly silenceTimeoutMs?: number
  /**
   * Sends a `peer.list` after this long without any request, because the server closes links that send
   * no data for 5 minutes (pongs do not count). Default 60 000 ms.
   */
  readonly keepAliveMs?: number
  /** Retry policy after a drop; fields not given keep their defaults. */
  readonly reconnect?: Partial<ReconnectPolicy>
}

export interface SignalingClient {
  readonly peerId: string
  /** Current registry view: the announce result, kept up to date by `peer.announced` / `peer.left`. */
  readonly peers: Effect.Effect<ReadonlyArray<PeerEntry>>
  /** Asks the server for every registered peer, this one included. */
  readonly list: Effect.Effect<ReadonlyArray<PeerEntry>, SignalingError>
  readonly offer: (p: DescriptionParams) => Effect.Effect<void, SignalingError | PeerNotFound>
  readonly answer: (p: DescriptionParams) => Effect.Effect<void, SignalingError | PeerNotFound>
  /** Sends a candidate (`""` = end of candidates); fire-and-forget, queued while reconnecting. */
  readonly iceCandidate: (p: IceCandidateParams) => Effect.Effect<void>
  readonly disconnect: (p: { readonly to: string; readonly reason: DisconnectReason; readonly details?: string }) => Effect.Effect<void>
  /** Subscribes now (so nothing published afterwards is missed) and returns the event stream. */
  readonly subscribe: Effect.Effect<Stream.Stream<SignalingEvent>, never, Scope.Scope>
}

export interface DescriptionParams {
  readonly to: string
  readonly sdp: string
  readonly requestId: string
  readonly canTrickle: boolean
}

export interface IceCandidateParams {
  readonly to: string
  readonly candidate: string
  readonly sdpMid: string | null
  readonly sdpMLineIndex: number | null
  readonly requestId: string
}

type Waiter = Deferred.Deferred<unknown, SignalingError>

/** One open WebSocket and the Deferred that completes with its close code. */
interface Link {
  readonly socket: WebSocket
  readonly closed: Deferred.Deferred<number>
  lastHeardAt: number
  lastSentAt: number
}

/** A frame waiting for a link; `request` ties it to its pending request. */
interface Outgoing {
  readonly text: string
  readonly request: number | undefined
}

const CLOSE_WAIT_MS = 1000

const signalingError = (error: RpcError): SignalingError =>
  new SignalingError({ code: error.code, message: `signaling server: ${error.message} (${error.code})` })

const linkLost = new SignalingError({ message: "signaling link lost" })

/** Errors after which reconnecting cannot help. */
const isFatal = (error: SignalingError): boolean =>
  error.code === ErrorCode.PeerIdTaken || error.code === ErrorCode.Unauthorized || error.code === ErrorCode.InvalidParams

const decodeAnnounceResult = Schema.decodeUnknownResult(AnnounceResult)
const decodeListResult = Schema.decodeUnknownResult(ListResult)

/**
 * Connects, announces and returns once registered; fails with `SignalingError` when the server is
 * unreachable or refuses the announce. The client's fiber lives in the caller's Scope; closing the Scope
 * closes the socket with 1000.
 */
export const make = Effect.fn("SignalingClient.make")(function*(config: SignalingClientConfig) {
  if (!PEER_ID_PATTERN.test(config.peerId)) {
    return yield* new SignalingError({ message: `peerId ${JSON.stringify(config.peerId)} must match ${PEER_ID_PATTERN.source}` })
  }
  const policy: ReconnectPolicy = { ...defaultReconnectPolicy, ...config.reconnect }
  const requestTimeoutMs = config.requestTimeoutMs ?? 10_000
  const silenceTimeoutMs = config.silenceTimeoutMs ?? 30_000
  const keepAliveMs = config.keepAliveMs ?? 60_000

  const events = yield* PubSub.unbounded<SignalingEvent>()
  const pending = new PendingRequests<Waiter>()
  const peers = new Map<string, PeerEntry>()
  let outbox: Array<Outgoing> = []
  let link: Link | undefined
  let sessionKey: string | undefined
  let lost = false

  const publish = (event: SignalingEvent) => void PubSub.publishUnsafe(events, event)

  const onText = (current: Link, text: string): void => {
    current.lastHeardAt = performance.now()
    const frame = parseFrame(text)
    switch (frame.kind) {
      case "Success": {
        const entry = pending.take(frame.id)
        if (entry !== undefined) Deferred.doneUnsafe(entry.waiter, Exit.succeed(frame.result))
        return
      }
      case "Failure": {
        const entry = pending.take(frame.id)
        if (entry !== undefined) Deferred.doneUnsafe(entry.waiter, Exit.fail(signalingError(frame.error)))
        return
      }
      case "Notification": {
        const event = toSignalingEvent(frame.method, frame.params)
        if (event === undefined) return
        if (Predicate.isTagged(event, "PeerAnnounced")) peers.set(event.peer.peerId, event.peer)
        if (Predicate.isTagged(event, "PeerLeft")) peers.delete(event.peerId)
        return publish(event)
      }
      default:
        return
    }
  }

  /** Writes `frame` on the live link (true), or queues it until there is one (false). */
  const send = (frame: Outgoing): boolean => {
    if (lost) return false
    if (link === undefined || link.socket.readyState !== WebSocket.OPEN) {
      outbox.push(frame)
      return false
    }
    link.socket.send(frame.text)
    link.lastSentAt = performance.now()
    return true
  }

  const flush = (current: Link): void => {
    const queued = outbox
    outbox = []
    for (const frame of queued) {
      // A request that timed out while queued is not sent at all.
      if (frame.request !== undefined && !pending.markSent(frame.request)) continue
      current.socket.send(frame.text)
    }
  }

  const failSent = (error: SignalingError): void => {
    for (const entry of pending.takeSent()) Deferred.doneUnsafe(entry.waiter, Exit.fail(error))
  }

  /** A request on the live link (or queued for the next one). */
  const call = (method: string, params: unknown, onSocket?: WebSocket) =>
    Effect.gen(function*() {
      if (lost) return yield* linkLost
      const waiter = yield* Deferred.make<unknown, SignalingError>()
      const entry = pending.add(waiter)
      const text = encodeRequest(entry.id, method, params)
      if (onSocket !== undefined) {
        entry.sent = true
        onSocket.send(text)
      } else {
        entry.sent = send({ text, request: entry.id })
      }
      return yield* Deferred.await(waiter).pipe(
        Effect.timeoutOrElse({
          duration: requestTimeoutMs,
          orElse: () => Effect.fail(new SignalingError({ message: `${method} got no answer within ${requestTimeoutMs} ms` }))
        }),
        Effect.ensuring(Effect.sync(() => {
          pending.take(entry.id)
          outbox = outbox.filter((frame) => frame.request !== entry.id)
        }))
      )
    })

  const openSocket = Effect.callback<WebSocket, SignalingError>((resume) => {
    const socket = new WebSocket(config.url, { perMessageDeflate: false, handshakeTimeout: requestTimeoutMs })
    const onError = (error: Error) => resume(Effect.fail(new SignalingError({ message: `cannot reach ${config.url}: ${error.message}` })))
    socket.once("error", onError)
    socket.once("open", () => {
      socket.off("error", onError)
      resume(Effect.succeed(socket))
    })
    return Effect.sync(() => socket.terminate())
  })

  /** Opens a socket and announces on it (re-announcing with the session key after the first time). */
  const connect = Effect.gen(function*() {
    const socket = yield* openSocket
    return yield* announceOn(socket).pipe(
      // Interrupted (the scope is closing) or refused: the socket must not outlive the attempt.
      Effect.onExit((exit) => Exit.isSuccess(exit) ? Effect.void : Effect.sync(() => socket.terminate()))
    )
  })

  const announceOn = (socket: WebSocket) => Effect.gen(function*() {
    const closed = yield* Deferred.make<number>()
    const current: Link = { socket, closed, lastHeardAt: performance.now(), lastSentAt: performance.now() }
    socket.on("message", (data) => onText(current, data.toString()))
    socket.on("ping", () => {
      current.lastHeardAt = performance.now()
    })
    socket.on("error", () => undefined)
    socket.on("close", (code) => {
      Deferred.doneUnsafe(closed, Exit.succeed(code))
    })
    const params: AnnounceParams = {
      peer_id: config.peerId,
      capabilities: config.capabilities,
      ...(config.userData === undefined ? {} : { user_data: config.userData }),
      ...(config.token === undefined ? {} : { token: config.token }),
      ...(sessionKey === undefined ? {} : { session_key: sessionKey })
    }
    const droppedDuringAnnounce = Deferred.await(closed).pipe(
      Effect.andThen(Effect.fail(new SignalingError({ message: "the signaling link closed during announce" })))
    )
    const raw = yield* call(Method.announce, params, socket).pipe(Effect.raceFirst(droppedDuringAnnounce))
    const result = decodeAnnounceResult(raw)
    if (Result.isFailure(result)) {
      return yield* new SignalingError({ message: `malformed announce result: ${result.failure.message}` })
    }
    const isReconnect = sessionKey !== undefined
    // The same key back means the server kept our session; a new one means it forgot everyone (restarted).
    const resumed = isReconnect && result.success.session_key === sessionKey
    sessionKey = result.success.session_key
    const before = new Map(peers)
    peers.clear()
    for (const entry of result.success.peers) peers.set(entry.peer_id, fromWirePeerEntry(entry))
    // Whoever came or went while the link was down is reported as if it had been seen live. Only a server
    // that kept our session knows who left: on a restarted one, the others may not have re-announced yet.
    if (isReconnect) {
      for (const [peerId, peer] of peers) if (!before.has(peerId)) publish({ _tag: "PeerAnnounced", peer })
      if (resumed) {
        for (const peerId of before.keys()) if (!peers.has(peerId)) publish({ _tag: "PeerLeft", peerId, reason: "network_error" })
      }
    }
    link = current
    flush(current)
    return current
  })

  /** Completes when `current` closes or falls silent (then it is cut); keeps it alive meanwhile. */
  const watch = (current: Link) =>
    Effect.raceAll([
      Deferred.await(current.closed),
      Effect.gen(function*() {
        while (true) {
          const remaining = current.lastHeardAt + silenceTimeoutMs - performance.now()
          if (remaining <= 0) {
            current.socket.terminate()
            return -1
          }
          yield* Effect.sleep(remaining)
        }
      }),
      Effect.gen(function*() {
        while (true) {
          const remaining = current.lastSentAt + keepAliveMs - performance.now()
          if (remaining <= 0) yield* Effect.ignore(call(Method.list, {}))
          else yield* Effect.sleep(remaining)
        }
      })
    ])

  const reconnect = Effect.gen(function*() {
    for (let attempt = 1; attempt <= policy.retries; attempt++) {
      publish({ _tag: "Reconnecting", attempt })
      yield* Effect.sleep(backoffDelayMs(policy, attempt, Math.random()))
      const result = yield* Effect.result(connect)
      if (Result.isSuccess(result)) {
        publish({ _tag: "Reconnected" })
        return result.success
      }
      if (isFatal(result.failure)) break
    }
    return undefined
  })

  const supervise = (first: Link) =>
    Effect.gen(function*() {
      let current: Link | undefined = first
      while (current !== undefined) {
        yield* watch(current)
        link = undefined
        failSent(new SignalingError({ message: "the signaling link dropped before the server answered" }))
        current = yield* reconnect
      }
      lost = true
      outbox = []
      for (const entry of pending.takeAll()) Deferred.doneUnsafe(entry.waiter, Exit.fail(linkLost))
      publish({ _tag: "LinkLost" })
    })

  const first = yield* connect
  yield* Effect.addFinalizer(() =>
    Effect.gen(function*() {
      const current = link
      link = undefined
      if (current !== undefined && current.socket.readyState === WebSocket.OPEN) {
        current.socket.close(1000)
        yield* Deferred.await(current.closed).pipe(Effect.timeout(CLOSE_WAIT_MS), Effect.ignore)
      }
      current?.socket.terminate()
      yield* PubSub.shutdown(events)
    })
  )
  yield* Effect.forkScoped(supervise(first))

  const description = (method: typeof Method.offer | typeof Method.answer) => (p: DescriptionParams) =>
    call(method, { to: p.to, sdp: p.sdp, can_trickle_ice_candidates: p.canTrickle, request_id: p.requestId }).pipe(
      Effect.asVoid,
      Effect.catchIf(
        (e): e is SignalingError => e.code === ErrorCode.PeerNotFound,
        (e) => Effect.fail(new PeerNotFound({ peerId: p.to, message: e.message }))
      )
    )

  const client: SignalingClient = {
    peerId: config.peerId,
    peers: Effect.sync(() => Array.from(peers.values())),
    list: call(Method.list, {}).pipe(
      Effect.flatMap((raw) => {
        const result = decodeListResult(raw)
        return Result.isSuccess(result)
          ? Effect.succeed(result.success.peers.map(fromWirePeerEntry))
          : Effect.fail(new SignalingError({ message: `malformed peer.list result: ${result.failure.message}` }))
      })
    ),
    offer: description(Method.offer),
    answer: description(Method.answer),
    iceCandidate: (p) => Effect.sync(() => send({
      text: encodeNotification(Method.iceCandidate, {
        to: p.to, candidate: p.candidate, sdp_mid: p.sdpMid, sdp_m_line_index: p.sdpMLineIndex, request_id: p.requestId
      }),
      request: undefined
    })),
    disconnect: (p) => Effect.sync(() => send({
      text: encodeNotification(Method.disconnect, p.details === undefined ? { to: p.to, reason: p.reason } : { to: p.to, reason: p.reason, details: p.details }),
      request: undefined
    })),
    subscribe: Effect.map(PubSub.subscribe(events), Stream.fromSubscription)
  }
  return client
})
