/**
 * A bare JSON-RPC WebSocket client for server tests: it sends whatever it is told (valid or not) and
 * sorts what comes back into responses and notifications.
 */
import { Deferred, Effect, Exit, Queue, type Scope } from "effect"
import { WebSocket } from "ws"

export interface RawClient {
  readonly socket: WebSocket
  /** Sends a raw string, or JSON-encodes anything else. */
  readonly send: (frame: unknown) => Effect.Effect<void>
  /** The next response (a frame with `result` or `error`), within 5 s. */
  readonly response: Effect.Effect<Record<string, unknown>>
  /** The next notification from the server, within 5 s. */
  readonly notification: Effect.Effect<{ readonly method: string; readonly params: Record<string, unknown> }>
  /** Sends a request with `id` and returns its response. */
  readonly request: (method: string, params: unknown, id?: number | string) => Effect.Effect<Record<string, unknown>>
  /** Announces `peerId` and returns the result (dies on an error answer). */
  readonly announce: (peerId: string, extra?: Record<string, unknown>) => Effect.Effect<Record<string, unknown>>
  /** Close code, once the socket closed. */
  readonly closed: Effect.Effect<number>
  /** WebSocket pings received so far. */
  readonly pings: Effect.Effect<number>
  /** Notifications received so far and not yet taken. */
  readonly pendingNotifications: Effect.Effect<number>
}

let nextId = 1

const within = <A>(what: string, effect: Effect.Effect<A>) =>
  effect.pipe(Effect.timeoutOrElse({ duration: "5 seconds", orElse: () => Effect.die(new Error(`timed out waiting for ${what}`)) }))

/** Opens a client; `autoPong: false` makes it deaf to pings (a dead peer, for the liveness rule). */
export const connectRaw = (url: string, options: { readonly autoPong?: boolean } = {}): Effect.Effect<RawClient, never, Scope.Scope> =>
  Effect.gen(function*() {
    const responses = yield* Queue.unbounded<Record<string, unknown>>()
    const notifications = yield* Queue.unbounded<{ method: string; params: Record<string, unknown> }>()
    const closed = yield* Deferred.make<number>()
    let pings = 0
    const socket = yield* Effect.acquireRelease(
      Effect.callback<WebSocket>((resume) => {
        const ws = new WebSocket(url, { autoPong: options.autoPong ?? true })
        ws.on("message", (data) => {
          const frame = JSON.parse(data.toString()) as Record<string, unknown>
          if ("id" in frame) Queue.offerUnsafe(responses, frame)
          else Queue.offerUnsafe(notifications, { method: frame["method"] as string, params: frame["params"] as Record<string, unknown> })
        })
        ws.on("ping", () => void pings++)
        ws.on("close", (code) => Deferred.doneUnsafe(closed, Exit.succeed(code)))
        ws.on("error", () => undefined)
        ws.once("open", () => resume(Effect.succeed(ws)))
      }),
      (ws) => Effect.sync(() => ws.terminate())
    )
    const send = (frame: unknown) => Effect.sync(() => socket.send(typeof frame === "string" ? frame : JSON.stringify(frame)))
    const response = within("a response", Queue.take(responses))
    const request = (method: string, params: unknown, id: number | string = nextId++) =>
      Effect.gen(function*() {
        yield* send({ jsonrpc: "2.0", id, method, params })
        const reply = yield* response
        if (reply["id"] !== id) return yield* Effect.die(new Error(`expected the answer to ${id}, got ${JSON.stringify(reply)}`))
        return reply
      })
    return {
      socket,
      send,
      response,
      notification: within("a notification", Queue.take(notifications)),
      request,
      announce: (peerId, extra = {}) =>
        Effect.gen(function*() {
          const reply = yield* request("peer.announce", { peer_id: peerId, capabilities: ["audio", "video", "data"], ...extra })
          if (!("result" in reply)) return yield* Effect.die(new Error(`announce of ${peerId} failed: ${JSON.stringify(reply)}`))
          return reply["result"] as Record<string, unknown>
        }),
      closed: within("the close", Deferred.await(closed)),
      pings: Effect.sync(() => pings),
      pendingNotifications: Queue.size(notifications)
    }
  })

export const SDP = "v=0\r\no=- 1 2 IN IP4 127.0.0.1\r\ns=-\r\nt=0 0\r\nm=application 9 UDP/DTLS/SCTP webrtc-datachannel\r\n"
export const CANDIDATE = "candidate:1 1 udp 2130706431 127.0.0.1 50000 typ host"

/** The error code of a response, or undefined for a result. */
export const errorCode = (reply: Record<string, unknown>): number | undefined =>
  (reply["error"] as { code?: number } | undefined)?.code

/** Waits until `condition` holds, checking every 5 ms, failing loudly after 5 s. */
export const until = (what: string, condition: Effect.Effect<boolean>) =>
  within(what, Effect.gen(function*() {
    while (!(yield* condition)) yield* Effect.sleep(5)
  }))

/**
 * A peer "watcher" and a peer `peerId`, both announced, the watcher past the `peer.announced` of the
 * other. `autoPong: false` makes the other deaf to pings.
 */
export const watcherAnd = (url: string, peerId: string, options: { readonly autoPong?: boolean } = {}) =>
  Effect.gen(function*() {
    const watcher = yield* connectRaw(url)
    const other = yield* connectRaw(url, options)
    yield* watcher.announce("watcher")
    const registered = yield* other.announce(peerId)
    const announced = yield* watcher.notification
    if (announced.params["peer_id"] !== peerId) return yield* Effect.die(new Error(`expected ${peerId}'s announce, got ${JSON.stringify(announced)}`))
    return { watcher, other, registered }
  })
