/**
 * A tiny STUN server on UDP (binding requests only), so tests and the demo have a local STUN url for the
 * contract's non-empty `stun_servers` and werift never reaches for a public one.
 *
 * @since 0.1.0
 */
import { createSocket, type Socket } from "node:dgram"
import type { AddressInfo } from "node:net"
import { Context, Effect, Layer, Schema } from "effect"
import { bindingRequestId, bindingSuccess } from "./StunMessage.ts"

/** The UDP socket could not be bound. */
export class StunStartError extends Schema.TaggedError<StunStartError>()("StunStartError", { message: Schema.String }) {}

export interface StunResponderOptions {
  /** Default `127.0.0.1`. */
  readonly host?: string
  /** Default 0 (a free port). */
  readonly port?: number
}

export interface StunResponderShape {
  /** `stun:host:port`, ready for an `iceServers` entry. */
  readonly url: string
  readonly port: number
  /** Binding requests answered so far. */
  readonly answered: Effect.Effect<number>
}

const bind = (host: string, port: number) =>
  Effect.callback<Socket, StunStartError>((resume) => {
    const socket = createSocket(host.includes(":") ? "udp6" : "udp4")
    const onError = (error: Error) => {
      socket.close()
      resume(Effect.fail(new StunStartError({ message: `cannot bind udp ${host}:${port}: ${error.message}` })))
    }
    socket.once("error", onError)
    socket.bind(port, host, () => {
      socket.off("error", onError)
      resume(Effect.succeed(socket))
    })
  })

/** Starts a STUN responder in the current Scope. */
export const makeStunResponder = Effect.fn("StunResponder.make")(function*(options?: StunResponderOptions) {
  const host = options?.host ?? "127.0.0.1"
  const socket = yield* Effect.acquireRelease(bind(host, options?.port ?? 0), (socket) =>
    Effect.callback<void>((resume) => {
      socket.close(() => resume(Effect.void))
    }))
  let answered = 0
  socket.on("message", (message, remote) => {
    const transactionId = bindingRequestId(message)
    if (transactionId === undefined) return
    answered++
    socket.send(bindingSuccess(transactionId, remote.address, remote.port), remote.port, remote.address)
  })
  // A send to a vanished client must not take the responder down.
  socket.on("error", () => undefined)
  const port = (socket.address() as AddressInfo).port
  return StunResponder.of({
    url: `stun:${host.includes(":") ? `[${host}]` : host}:${port}`,
    port,
    answered: Effect.sync(() => answered)
  })
})

/** A running STUN responder. */
export class StunResponder extends Context.Service<StunResponder, StunResponderShape>()("@remotemedia/signaling-server/StunResponder") {
  static readonly layer = (options?: StunResponderOptions): Layer.Layer<StunResponder, StunStartError> =>
    Layer.effect(StunResponder, makeStunResponder(options))
}
