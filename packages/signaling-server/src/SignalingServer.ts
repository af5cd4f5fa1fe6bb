/**
 * The signaling server as an Effect service: a `ws` WebSocket server on `host:port` whose lifetime is
 * the Scope's. Closing the Scope closes every client with 1001, ends every timer and frees the port.
 *
 * @since 0.1.0
 */
import type { AddressInfo } from "node:net"
import { Context, Effect, FiberSet, Layer, Schema } from "effect"
import { WebSocketServer } from "ws"
import { resolveServerOptions, type SignalingServerOptions } from "./ServerOptions.ts"
import { CloseCode, SignalingHub } from "./SignalingHub.ts"

/** The server could not start (e.g. the port is taken). */
export class ServerStartError extends Schema.TaggedError<ServerStartError>()("ServerStartError", {
  message: Schema.String
}) {}

/** How long shutdown waits for clients to answer the 1001 close before cutting them off. */
const CLOSE_GRACE_MS = 1000

export interface SignalingServerShape {
  /** `ws://host:port`, ready for clients. */
  readonly url: string
  readonly port: number
  /** Registered peers (including those in their grace period) and open connections, right now. */
  readonly stats: Effect.Effect<{ readonly peers: number; readonly connections: number }>
}

const listen = (host: string, port: number, maxPayload: number) =>
  Effect.callback<WebSocketServer, ServerStartError>((resume) => {
    const wss = new WebSocketServer({ host, port, maxPayload, perMessageDeflate: false })
    const onError = (error: Error) => resume(Effect.fail(new ServerStartError({ message: `cannot listen on ${host}:${port}: ${error.message}` })))
    wss.once("error", onError)
    wss.once("listening", () => {
      wss.off("error", onError)
      resume(Effect.succeed(wss))
    })
  })

const shutdown = (wss: WebSocketServer, hub: SignalingHub) =>
  Effect.callback<void>((resume) => {
    const sockets = hub.sockets()
    hub.closeAll(CloseCode.GoingAway, "server shutting down")
    const cutOff = setTimeout(() => {
      for (const socket of sockets) socket.terminate()
    }, CLOSE_GRACE_MS)
    wss.close(() => {
      clearTimeout(cutOff)
      resume(Effect.void)
    })
  })

/** Starts a server in the current Scope. */
export const make = Effect.fn("SignalingServer.make")(function*(options?: SignalingServerOptions) {
  const resolved = resolveServerOptions(options)
  const fork = yield* FiberSet.makeRuntime<never, void, never>()
  const hub = new SignalingHub(resolved, fork)
  const wss = yield* Effect.acquireRelease(listen(resolved.host, resolved.port, resolved.maxMessageBytes), (wss) => shutdown(wss, hub))
  wss.on("connection", (socket) => hub.accept(socket))
  // After startup, listener errors (e.g. EMFILE) must not crash the process.
  wss.on("error", () => undefined)
  const port = (wss.address() as AddressInfo).port
  const host = resolved.host.includes(":") ? `[${resolved.host}]` : resolved.host
  return SignalingServer.of({
    url: `ws://${host}:${port}`,
    port,
    stats: Effect.sync(() => ({ peers: hub.peerCount, connections: hub.connectionCount }))
  })
})

/** The running signaling server. */
export class SignalingServer extends Context.Service<SignalingServer, SignalingServerShape>()("@remotemedia/signaling-server/SignalingServer") {
  /** A server for the layer's lifetime. */
  static readonly layer = (options?: SignalingServerOptions): Layer.Layer<SignalingServer, ServerStartError> =>
    Layer.effect(SignalingServer, make(options))
}
