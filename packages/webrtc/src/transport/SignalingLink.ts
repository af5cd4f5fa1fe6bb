/**
 * How the transport reaches signaling: `SignalingConnector` connects and announces, yielding a
 * `SignalingClient` that lives as long as the given scope. By default it is the package's WebSocket
 * client; a test (or an app with its own signaling) provides another with `Effect.provideService` or
 * `Layer.succeed`.
 *
 * @since 0.1.0
 */
import { Context, type Effect, type Scope } from "effect"
import type { SignalingError } from "../errors.ts"
import {
  make as makeSignalingClient,
  type PeerEntry,
  type SignalingClient,
  type SignalingClientConfig,
  type SignalingEvent
} from "../signaling/index.ts"

export type { PeerEntry, SignalingClient, SignalingClientConfig, SignalingEvent }

/** Connects and announces; the client closes with the scope. */
export type Connect = (config: SignalingClientConfig) => Effect.Effect<SignalingClient, SignalingError, Scope.Scope>

/** The signaling connector; defaults to the WebSocket JSON-RPC client of `src/signaling`. */
export const SignalingConnector = Context.Reference<Connect>("@remotemedia/webrtc/SignalingConnector", {
  defaultValue: () => makeSignalingClient
})
