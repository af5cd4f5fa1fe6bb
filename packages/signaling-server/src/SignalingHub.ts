/**
 * The server's brain: binds peer ids to connections and answers or routes every frame, exactly as
 * `signaling-protocol.md` says. Plain synchronous code on the hot path; timers (liveness, grace periods)
 * are fibers forked through `fork`, so the server's Scope owns and ends them.
 *
 * @since 0.1.0
 */
import { randomBytes } from "node:crypto"
import { performance } from "node:perf_hooks"
import {
  AnnounceParams, candidateProblem, DisconnectParams, encodeError, encodeNotification, encodeResult, ErrorCode,
  IceCandidateParams, type LeftReason, Method, paramsDecoder, parseFrame, type RpcError, rpcError, type RpcId,
  sdpProblem, SessionDescriptionParams
} from "@remotemedia/signaling-protocol"
import { Effect, type Fiber, Result } from "effect"
import type { WebSocket } from "ws"
import { ClientConnection } from "./ClientConnection.ts"
import { PeerRegistry, type Registration } from "./PeerRegistry.ts"
import { RateLimiter } from "./RateLimiter.ts"
import type { ResolvedServerOptions } from "./ServerOptions.ts"
import { tokenProblem } from "./Token.ts"

/** Close codes the server uses (`signaling-protocol.md`, "Liveness" and "Auth"). */
export const CloseCode = {
  Normal: 1000,
  GoingAway: 1001,
  PolicyViolation: 1008,
  TooBig: 1009,
  Replaced: 4000,
  MissedPongs: 4001,
  Idle: 4002
} as const

/** Runs an effect as a fiber owned by the server's Scope. */
export type Fork = (effect: Effect.Effect<void>) => Fiber.Fiber<void, never>

const decodeAnnounce = paramsDecoder(AnnounceParams)
const decodeDescription = paramsDecoder(SessionDescriptionParams)
const decodeCandidate = paramsDecoder(IceCandidateParams)
const decodeDisconnect = paramsDecoder(DisconnectParams)

/** What a handler gives back: a result, an error, or nothing (notifications). */
type Reply = { readonly result: unknown } | { readonly error: RpcError } | undefined
const ok = (result: unknown): Reply => ({ result })
const fail = (code: ErrorCode, message: string, data?: unknown): Reply => ({ error: rpcError(code, message, data) })

export class SignalingHub {
  readonly #options: ResolvedServerOptions
  readonly #fork: Fork
  readonly #registry = new PeerRegistry()
  readonly #connections = new Set<ClientConnection>()

  constructor(options: ResolvedServerOptions, fork: Fork) {
    this.#options = options
    this.#fork = fork
  }

  get peerCount(): number {
    return this.#registry.size
  }

  get connectionCount(): number {
    return this.#connections.size
  }

  /** Takes charge of a freshly accepted socket. */
  accept(socket: WebSocket): void {
    const { rateLimit, rateWindowMs } = this.#options
    const connection = new ClientConnection(socket, new RateLimiter(rateLimit, rateWindowMs), performance.now())
    this.#connections.add(connection)
    socket.on("message", (data, isBinary) => {
      connection.lastDataAt = performance.now()
      // Binary frames are not JSON-RPC text frames: treat them as unparsable.
      this.#receive(connection, isBinary ? "" : data.toString())
    })
    socket.on("pong", () => {
      connection.missedPongs = 0
    })
    // Errors (e.g. an oversize frame, closed by ws with 1009) are followed by "close".
    socket.on("error", () => undefined)
    socket.on("close", (code) => {
      this.#connections.delete(connection)
      connection.liveness?.interruptUnsafe()
      const reason: LeftReason = code === CloseCode.Normal || code === CloseCode.GoingAway ? "user_requested" : "network_error"
      this.#detach(connection, connection.closeReason ?? reason)
    })
    connection.liveness = this.#fork(this.#liveness(connection))
  }

  /** Closes every connection with `code` (1001 at shutdown). */
  closeAll(code: number, reason: string): void {
    for (const connection of this.#connections) connection.close(code, reason)
  }

  /** Sockets still open (for the shutdown wait). */
  sockets(): Array<WebSocket> {
    return Array.from(this.#connections, (c) => c.socket)
  }

  #liveness(connection: ClientConnection): Effect.Effect<void> {
    const { pingIntervalMs, maxMissedPongs, idleTimeoutMs } = this.#options
    const evict = (code: number, reason: string) => Effect.sync(() => this.#evict(connection, code, reason))
    // Each tick: give up if the last `maxMissedPongs` pings went unanswered, else ping again.
    const ping = Effect.gen(function*() {
      while (true) {
        yield* Effect.sleep(pingIntervalMs)
        if (connection.missedPongs >= maxMissedPongs) return yield* evict(CloseCode.MissedPongs, "missed pongs")
        connection.missedPongs++
        connection.socket.ping()
      }
    })
    const idle = Effect.gen(function*() {
      while (true) {
        const remaining = connection.lastDataAt + idleTimeoutMs - performance.now()
        if (remaining <= 0) return yield* evict(CloseCode.Idle, "idle")
        yield* Effect.sleep(remaining)
      }
    })
    return Effect.raceFirst(ping, idle)
  }

  /** The server gives up on a connection: close it, and start its peer's grace period now. */
  #evict(connection: ClientConnection, code: number, reason: string): void {
    connection.closeReason = "timeout"
    connection.close(code, reason)
    this.#detach(connection, "timeout")
  }

  #receive(connection: ClientConnection, text: string): void {
    const frame = parseFrame(text)
    const allowed = connection.limiter.tryAcquire(performance.now())
    switch (frame.kind) {
      case "Request": {
        if (!allowed) return connection.send(encodeError(frame.id, rpcError(ErrorCode.RateLimited, "rate limit exceeded")))
        return this.#answer(connection, frame.id, this.#request(connection, frame.method, frame.params, true))
      }
      case "Notification": {
        if (allowed) this.#request(connection, frame.method, frame.params, false)
        return
      }
      case "Invalid": {
        const error = allowed ? frame.error : rpcError(ErrorCode.RateLimited, "rate limit exceeded")
        return connection.send(encodeError(frame.id, error))
      }
      // Clients never answer anything the server sends, and malformed notifications are dropped.
      case "Success":
      case "Failure":
      case "Ignored":
        return
    }
  }

  #answer(connection: ClientConnection, id: RpcId, reply: Reply): void {
    if (reply === undefined) return
    connection.send("error" in reply ? encodeError(id, reply.error) : encodeResult(id, reply.result))
    if ("error" in reply && reply.error.code === ErrorCode.Unauthorized) connection.close(CloseCode.PolicyViolation, "unauthorized")
  }

  /** Handles one method call; `isRequest` is false for notifications, whose replies are discarded. */
  #request(connection: ClientConnection, method: string, params: unknown, isRequest: boolean): Reply {
    if (method === Method.announce) return isRequest ? this.#announce(connection, params) : undefined
    const isKnown = method === Method.offer || method === Method.answer || method === Method.iceCandidate ||
      method === Method.disconnect || method === Method.list
    if (!isKnown) return fail(ErrorCode.MethodNotFound, `unknown method ${method}`)
    const self = connection.peerId === undefined ? undefined : this.#registry.get(connection.peerId)
    if (self === undefined || self.connection !== connection) return fail(ErrorCode.NotAnnounced, "call peer.announce first")
    switch (method) {
      case Method.list:
        return isRequest ? ok({ peers: this.#registry.entries() }) : undefined
      case Method.offer:
      case Method.answer:
        return isRequest ? this.#description(self, method, params) : undefined
      case Method.iceCandidate:
        return this.#candidate(self, params)
      case Method.disconnect:
        return this.#disconnect(self, params)
    }
  }

  #announce(connection: ClientConnection, params: unknown): Reply {
    const decoded = decodeAnnounce(params)
    if (Result.isFailure(decoded)) return { error: decoded.failure }
    const p = decoded.success
    if (connection.peerId !== undefined) {
      if (connection.peerId !== p.peer_id) return fail(ErrorCode.InvalidParams, `params.peer_id: this connection is already announced as ${connection.peerId}`)
      const self = this.#registry.get(p.peer_id)
      if (self !== undefined && self.connection === connection) return ok(this.#registered(self))
    }
    if (this.#options.secret !== undefined) {
      const problem = tokenProblem(this.#options.secret, p.token, p.peer_id, Date.now() / 1000)
      if (problem !== undefined) return fail(ErrorCode.Unauthorized, problem)
    }
    const existing = this.#registry.get(p.peer_id)
    if (existing !== undefined) {
      if (p.session_key === undefined || p.session_key !== existing.sessionKey) {
        return fail(ErrorCode.PeerIdTaken, `peer_id ${p.peer_id} is taken`)
      }
      // The rightful owner is back: take the id over from its grace period or from its stale connection.
      existing.grace?.interruptUnsafe()
      existing.grace = undefined
      const stale = existing.connection
      if (stale !== undefined && stale !== connection) {
        stale.detached = true
        stale.close(CloseCode.Replaced, "replaced by a re-announce")
      }
      existing.connection = connection
      existing.entry = { ...existing.entry, capabilities: p.capabilities, user_data: p.user_data ?? {} }
      connection.peerId = p.peer_id
      return ok(this.#registered(existing))
    }
    if (this.#registry.size >= this.#options.maxPeers) {
      return fail(ErrorCode.SessionLimitExceeded, `server full (${this.#options.maxPeers} peers)`)
    }
    const entry = { peer_id: p.peer_id, capabilities: p.capabilities, user_data: p.user_data ?? {}, announced_at: new Date().toISOString() }
    const registration = this.#registry.add(entry, randomBytes(18).toString("base64url"), connection)
    connection.peerId = p.peer_id
    this.#broadcast(p.peer_id, encodeNotification(Method.announced, entry))
    return ok(this.#registered(registration))
  }

  #registered(self: Registration) {
    return {
      status: "registered",
      peer_id: self.entry.peer_id,
      server_time: new Date().toISOString(),
      session_key: self.sessionKey,
      peers: this.#registry.others(self.entry.peer_id)
    }
  }

  /** Finds the live receiver of a routed message, or the error for the sender. */
  #target(self: Registration, to: string, from: string | undefined): Registration | Reply {
    if (from !== undefined && from !== self.entry.peer_id) return fail(ErrorCode.InvalidParams, `params.from: must be your own peer_id (${self.entry.peer_id}) or absent`)
    const target = this.#registry.get(to)
    if (target === undefined) return fail(ErrorCode.PeerNotFound, `peer ${to} is not registered`)
    if (target.connection === undefined) return fail(ErrorCode.PeerNotFound, `peer ${to} is reconnecting`, { reason: "reconnecting" })
    return target
  }

  #description(self: Registration, method: typeof Method.offer | typeof Method.answer, params: unknown): Reply {
    const decoded = decodeDescription(params)
    if (Result.isFailure(decoded)) return { error: decoded.failure }
    const p = decoded.success
    const target = this.#target(self, p.to, p.from)
    if (!isRegistration(target)) return target
    const invalid = method === Method.offer ? ErrorCode.OfferInvalid : ErrorCode.AnswerInvalid
    const problem = sdpProblem(p.sdp)
    if (problem !== undefined) return fail(invalid, problem)
    if (method === Method.offer) {
      this.#registry.recordOffer(self, p.to, p.request_id)
    } else if (!this.#registry.takeOffer(target, self.entry.peer_id, p.request_id)) {
      return fail(ErrorCode.AnswerInvalid, `no offer from ${p.to} with request_id ${p.request_id}`)
    }
    target.connection?.send(encodeNotification(method, {
      from: self.entry.peer_id, sdp: p.sdp, can_trickle_ice_candidates: p.can_trickle_ice_candidates, request_id: p.request_id
    }))
    return ok({ status: "forwarded", request_id: p.request_id })
  }

  #candidate(self: Registration, params: unknown): Reply {
    const decoded = decodeCandidate(params)
    if (Result.isFailure(decoded)) return fail(ErrorCode.IceCandidateInvalid, decoded.failure.message)
    const p = decoded.success
    const problem = candidateProblem(p.candidate, p.sdp_mid, p.sdp_m_line_index)
    if (problem !== undefined) return fail(ErrorCode.IceCandidateInvalid, problem)
    const target = this.#target(self, p.to, p.from)
    if (!isRegistration(target)) return target
    target.connection?.send(encodeNotification(Method.iceCandidate, {
      from: self.entry.peer_id, candidate: p.candidate, sdp_mid: p.sdp_mid, sdp_m_line_index: p.sdp_m_line_index, request_id: p.request_id
    }))
    return ok({ status: "forwarded", request_id: p.request_id })
  }

  #disconnect(self: Registration, params: unknown): Reply {
    const decoded = decodeDisconnect(params)
    if (Result.isFailure(decoded)) return { error: decoded.failure }
    const p = decoded.success
    const target = this.#target(self, p.to, p.from)
    if (!isRegistration(target)) return target
    const notification = p.details === undefined
      ? { from: self.entry.peer_id, reason: p.reason }
      : { from: self.entry.peer_id, reason: p.reason, details: p.details }
    target.connection?.send(encodeNotification(Method.disconnected, notification))
    return ok({ status: "forwarded" })
  }

  /** The connection is gone: end its peer now (clean close) or after the grace period. */
  #detach(connection: ClientConnection, reason: LeftReason): void {
    if (connection.detached) return
    connection.detached = true
    const peerId = connection.peerId
    const registration = peerId === undefined ? undefined : this.#registry.get(peerId)
    if (registration === undefined || registration.connection !== connection) return
    registration.connection = undefined
    if (reason === "user_requested") return this.#leave(registration, reason)
    registration.grace = this.#fork(
      Effect.sleep(this.#options.gracePeriodMs).pipe(Effect.andThen(Effect.sync(() => this.#leave(registration, reason))))
    )
  }

  #leave(registration: Registration, reason: LeftReason): void {
    const peerId = registration.entry.peer_id
    if (this.#registry.get(peerId) !== registration) return
    this.#registry.delete(peerId)
    for (const other of this.#registry.values()) other.offers.delete(peerId)
    this.#broadcast(peerId, encodeNotification(Method.left, { peer_id: peerId, reason }))
  }

  /** Sends one encoded notification to every live peer but `except`. */
  #broadcast(except: string, text: string): void {
    for (const r of this.#registry.values()) if (r.entry.peer_id !== except) r.connection?.send(text)
  }
}

const isRegistration = (u: Registration | Reply): u is Registration => u !== undefined && "sessionKey" in u
