/**
 * `WebRtcTransport`: the service users compose into their programs. Lifecycle (start/shutdown), the peer
 * mesh (connect/disconnect/list), data-channel messages and events. Media routing, sessions and
 * `configure` join the same service in later phases.
 *
 * @since 0.1.0
 */
import { Context, Effect, Exit, Layer, Match, PubSub, Ref, Scope, Semaphore, Stream, SubscriptionRef } from "effect"
import type {
  ExecuteError,
  InvalidManifest,
  Manifest,
  PipelineTransport,
  RuntimeData,
  SessionCreationFailed,
  TransportData
} from "@remotemedia/runtime-core"
import type { Capability } from "@remotemedia/signaling-protocol"
import { applyOptions, type ConfigOptions, decodeOptions, initialSettings, type TransportSettings } from "../config/ConfigOptions.ts"
import {
  decodeConfig,
  PeerIdPattern,
  type WebRtcTransportConfig,
  type WebRtcTransportConfigInput
} from "../config/WebRtcTransportConfig.ts"
import type { DataChannelMessage, ReceivedDataChannelMessage } from "../datachannel/DataChannelMessage.ts"
import type { DataChannelSendError } from "../datachannel/ReliableDataChannel.ts"
import {
  AlreadyConnected,
  AlreadyDisconnected,
  AlreadyShutdown,
  AlreadyStarted,
  type CircuitOpen,
  ClosureTimeout,
  type ConnectionFailed,
  type ConnectionTimeout,
  DataChannelNotAvailable,
  type InvalidDataType,
  type InvalidConfig,
  type InvalidOption,
  InvalidPeerId,
  type MaxPeersExceeded,
  type NoPeersConnected,
  NotStarted,
  PeerNotConnected,
  PeerNotFound,
  type SignalingError
} from "../errors.ts"
import type { BroadcastStats } from "../media/BroadcastStats.ts"
import type { IncomingMedia } from "../media/IncomingMedia.ts"
import * as MediaEngine from "../media/MediaEngine.ts"
import type { SessionOptions } from "../session/SessionOptions.ts"
import * as SessionRegistry from "../session/SessionRegistry.ts"
import type { RoutedSession } from "../session/SessionRouter.ts"
import { transportSessionIo } from "../session/TransportSessionIo.ts"
import type { PeerActor } from "../peer/PeerActor.ts"
import { mergeBufferStats } from "../sync/MergedBufferStats.ts"
import * as PeerManager from "./PeerManager.ts"
import type { PeerInfo } from "./PeerInfo.ts"
import { type PeerEntry, SignalingConnector } from "./SignalingLink.ts"
import type { TransportEvent } from "./TransportEvent.ts"

/** The transport's operations. Every method is safe to call concurrently. */
export interface WebRtcTransportService extends PipelineTransport<AlreadyShutdown> {
  readonly config: WebRtcTransportConfig
  /** Connects to signaling and announces this peer. */
  readonly start: Effect.Effect<void, AlreadyStarted | AlreadyShutdown | SignalingError>
  /** Closes every peer connection and the signaling link, within 5 s. Idempotent. */
  readonly shutdown: Effect.Effect<void, ClosureTimeout>
  /**
   * Offers to `peerId` with trickle ICE and resolves with its id once Connected (or joins an attempt or an
   * automatic re-connection already under way, in either direction, e.g. glare). Fails fast with
   * `CircuitOpen` while the peer's circuit breaker is open (config `circuitBreaker`).
   */
  readonly connectPeer: (peerId: string) => Effect.Effect<
    string,
    | InvalidPeerId
    | NotStarted
    | AlreadyShutdown
    | PeerNotFound
    | AlreadyConnected
    | MaxPeersExceeded
    | CircuitOpen
    | ConnectionFailed
    | ConnectionTimeout
    | SignalingError
  >
  /** Closes the connection to `peerId` within 2 s and tells it through signaling; it may connect again later. */
  readonly disconnectPeer: (
    peerId: string
  ) => Effect.Effect<void, InvalidPeerId | NotStarted | AlreadyShutdown | PeerNotFound | AlreadyDisconnected | ClosureTimeout>
  /**
   * The Connected peers, with their metrics (read at call time), sync state and jitter buffers. Returns within
   * about half a second: a peer whose stats werift does not deliver in time keeps its last sampled figures.
   */
  readonly listPeers: Effect.Effect<ReadonlyArray<PeerInfo>, NotStarted | AlreadyShutdown>
  /** Sends on the peer's reliable, ordered data channel; waits while its in-flight window is full. */
  readonly sendDataChannelMessage: (
    peerId: string,
    message: DataChannelMessage
  ) => Effect.Effect<void, NotStarted | AlreadyShutdown | PeerNotFound | PeerNotConnected | DataChannelSendError>
  /**
   * Sends audio (48 kHz f32, any chunk length: framed into 20 ms Opus frames) or an I420 video frame to one
   * peer on its media track; RTP timestamps follow the media clock and stay continuous across calls. A
   * peer's track carries the most recent source: this peer's own stream or a broadcast.
   */
  readonly sendToPeer: (
    peerId: string,
    data: RuntimeData
  ) => Effect.Effect<void, NotStarted | AlreadyShutdown | PeerNotFound | PeerNotConnected | MediaEngine.MediaSendError>
  /**
   * Sends to every Connected peer, encoding once per (codec, bitrate) group and fanning the packets out in
   * parallel; peers that could not be served are listed in the stats, never failing the call.
   */
  readonly broadcast: (
    data: RuntimeData
  ) => Effect.Effect<BroadcastStats, NotStarted | AlreadyShutdown | NoPeersConnected | InvalidDataType>
  /** Decoded media from every peer after its SyncManager. Subscribe before it arrives. */
  readonly incoming: Stream.Stream<IncomingMedia>
  /** Messages received from every peer, tagged with the sender's id. Subscribe before they arrive. */
  readonly dataChannelMessages: Stream.Stream<ReceivedDataChannelMessage>
  /** Peer and signaling events. */
  readonly events: Stream.Stream<TransportEvent>
  /**
   * Runs one input through `manifest` locally, without peers (the context's `PipelineRunner`, or the built-in
   * nodes), and returns its output; fails with `PipelineTimeout` after 30 s.
   */
  readonly execute: (manifest: Manifest, input: TransportData) => Effect.Effect<TransportData, ExecuteError>
  /**
   * The live streaming session for `manifest`, started if there is none (one session per manifest): every
   * peer's received media flows in with metadata `peer_id`, and outputs flow back out by the session's
   * routing, the manifest's or `options.routing` (see `SessionOptions`). Closed by `shutdown`.
   */
  readonly stream: (
    manifest: Manifest,
    options?: SessionOptions
  ) => Effect.Effect<RoutedSession, InvalidManifest | SessionCreationFailed | AlreadyShutdown>
  /**
   * Validates `options` (an `InvalidOption` names the first bad field, and nothing changes) and applies them;
   * returns the settings now in force. The video bitrate target and adaptive bitrate apply to live
   * connections within a second, the rest from the next connection on (table in `ConfigOptions`).
   */
  readonly configure: (options: ConfigOptions) => Effect.Effect<TransportSettings, InvalidOption | AlreadyShutdown>
  /** The media settings in force (after `configure`). */
  readonly settings: Effect.Effect<TransportSettings>
  /** Every settings change, starting with the current settings: the media path follows these. */
  readonly settingsChanges: Stream.Stream<TransportSettings>
}

type Lifecycle =
  | { readonly status: "Idle" }
  | {
    readonly status: "Started"
    readonly scope: Scope.Closeable
    readonly manager: PeerManager.PeerManager
    readonly known: Map<string, PeerEntry>
    readonly refreshKnown: Effect.Effect<void, SignalingError>
  }
  | { readonly status: "ShutDown" }

const shutdownTimeoutMs = 5_000
const disconnectTimeoutMs = 2_000

const capabilitiesOf = (config: WebRtcTransportConfig): ReadonlyArray<Capability> =>
  config.enableDataChannel ? ["audio", "video", "data"] : ["audio", "video"]

/**
 * Builds a transport for the current scope (closing it shuts the transport down). Fails with
 * `InvalidConfig` naming the bad field.
 */
export const make = Effect.fn("WebRtcTransport.make")(function*(input: WebRtcTransportConfigInput) {
  const config = yield* decodeConfig(input)
  const connectSignaling = yield* SignalingConnector
  const transportScope = yield* Effect.scope
  const events = yield* PubSub.unbounded<TransportEvent>()
  const messages = yield* PubSub.unbounded<ReceivedDataChannelMessage>()
  const lifecycle = yield* Ref.make<Lifecycle>({ status: "Idle" })
  const runner = yield* SessionRegistry.resolveRunner
  const settings = yield* SubscriptionRef.make(initialSettings(config))
  const media = yield* MediaEngine.make(SubscriptionRef.get(settings))
  // start and shutdown never interleave: each sees the other's finished state.
  const lifecycleLock = yield* Semaphore.make(1)


  const started = Effect.gen(function*() {
    const state = yield* Ref.get(lifecycle)
    if (state.status === "Started") return state
    return yield* state.status === "Idle"
      ? new NotStarted({ message: "the transport is not started: call start first" })
      : new AlreadyShutdown({ message: "the transport has been shut down" })
  })

  const validPeerId = (peerId: string) =>
    PeerIdPattern.test(peerId) && peerId !== config.peerId
      ? Effect.succeed(peerId)
      : Effect.fail(new InvalidPeerId({
        peerId,
        message: peerId === config.peerId
          ? `cannot connect to ourselves (${peerId})`
          : `invalid peer id ${JSON.stringify(peerId)}: must match ^[A-Za-z0-9_-]{1,64}$`
      }))

  const start = Effect.gen(function*() {
    const state = yield* Ref.get(lifecycle)
    if (state.status === "Started") return yield* new AlreadyStarted({ message: "the transport is already started" })
    if (state.status === "ShutDown") return yield* new AlreadyShutdown({ message: "the transport has been shut down" })
    const scope = yield* Scope.fork(transportScope)
    const build = Effect.gen(function*() {
      const link = yield* connectSignaling({
        url: config.signalingUrl,
        peerId: config.peerId,
        ...(config.token === undefined ? {} : { token: config.token }),
        capabilities: capabilitiesOf(config),
        reconnect: {
          retries: config.reconnect.maxRetries,
          initialDelayMs: config.reconnect.initialDelayMs,
          maxDelayMs: config.reconnect.maxDelayMs,
          multiplier: config.reconnect.multiplier,
          jitter: config.reconnect.jitter
        }
      })
      const signalingEvents = yield* link.subscribe
      const known = new Map((yield* link.peers).map((peer): [string, PeerEntry] => [peer.peerId, peer]))
      const manager = yield* PeerManager.make({
        config,
        link,
        publish: (event) => PubSub.publish(events, event).pipe(Effect.asVoid),
        receive: (message) => PubSub.publish(messages, message).pipe(Effect.asVoid),
        attachMedia: media.attach
      })
      yield* signalingEvents.pipe(
        Stream.runForEach((event) =>
          Match.valueTags(event, {
            PeerAnnounced: ({ peer }) => {
              known.set(peer.peerId, peer)
              return PubSub.publish(events, { _tag: "PeerAnnounced", peer })
            },
            PeerLeft: (left) => {
              known.delete(left.peerId)
              return manager.handle(left).pipe(
                Effect.andThen(PubSub.publish(events, { _tag: "PeerLeft", peerId: left.peerId, reason: left.reason }))
              )
            },
            Reconnecting: ({ attempt }) => PubSub.publish(events, { _tag: "SignalingReconnecting", attempt }),
            Reconnected: () => PubSub.publish(events, { _tag: "SignalingReconnected" }),
            LinkLost: () => PubSub.publish(events, { _tag: "SignalingLost" }),
            OfferReceived: manager.handle,
            AnswerReceived: manager.handle,
            IceCandidateReceived: manager.handle,
            PeerDisconnected: manager.handle
          })
        ),
        Effect.forkScoped
      )
      const refreshKnown = link.list.pipe(Effect.map((peers) => {
        known.clear()
        for (const peer of peers) if (peer.peerId !== config.peerId) known.set(peer.peerId, peer)
      }))
      yield* Ref.set(lifecycle, { status: "Started", scope, manager, known, refreshKnown })
    })
    yield* build.pipe(
      Scope.provide(scope),
      Effect.tapError(() => Scope.close(scope, Exit.void))
    )
  }).pipe(lifecycleLock.withPermits(1))

  const shutdown = Effect.gen(function*() {
    const state = yield* Ref.getAndSet(lifecycle, { status: "ShutDown" })
    yield* sessions.closeAll
    if (state.status !== "Started") return
    yield* state.manager.closeAll.pipe(
      Effect.andThen(Scope.close(state.scope, Exit.void)),
      Effect.timeoutOrElse({
        duration: shutdownTimeoutMs,
        orElse: () => Effect.fail(new ClosureTimeout({ afterMs: shutdownTimeoutMs, message: `shutdown took over ${shutdownTimeoutMs} ms` }))
      })
    )
  }).pipe(lifecycleLock.withPermits(1))
  yield* Effect.addFinalizer(() => Effect.ignore(shutdown))

  const connectPeer = (peerId: string) =>
    Effect.gen(function*() {
      yield* validPeerId(peerId)
      const state = yield* started
      const actor = state.manager.actorOf(peerId)
      if (actor !== undefined && (yield* actor.state) === "Connected") {
        return yield* new AlreadyConnected({ peerId, message: `already connected to ${peerId}` })
      }
      if (!state.manager.has(peerId) && !state.known.has(peerId)) {
        yield* state.refreshKnown
        if (!state.known.has(peerId)) {
          return yield* new PeerNotFound({ peerId, message: `peer ${peerId} is not registered with signaling` })
        }
      }
      yield* state.manager.connect(peerId)
      return peerId
    }).pipe(Effect.withSpan("WebRtcTransport.connectPeer", { attributes: { "peer.id": peerId } }))

  const disconnectPeer = (peerId: string) =>
    Effect.gen(function*() {
      yield* validPeerId(peerId)
      const state = yield* started
      if (!state.manager.has(peerId)) {
        return yield* state.known.has(peerId)
          ? new AlreadyDisconnected({ peerId, message: `not connected to ${peerId}` })
          : new PeerNotFound({ peerId, message: `unknown peer ${peerId}` })
      }
      yield* state.manager.disconnect(peerId).pipe(
        Effect.timeoutOrElse({
          duration: disconnectTimeoutMs,
          orElse: () =>
            Effect.fail(new ClosureTimeout({ afterMs: disconnectTimeoutMs, message: `closing ${peerId} took over ${disconnectTimeoutMs} ms` }))
        })
      )
    }).pipe(Effect.withSpan("WebRtcTransport.disconnectPeer", { attributes: { "peer.id": peerId } }))

  // Every peer is read at once, and each stats read is bounded (`PeerActor.currentMetrics`): a peer that
  // werift does not answer for is reported with its last sampled figures, never holding up the others.
  const listPeers = Effect.gen(function*() {
    const state = yield* started
    const peers = yield* Effect.forEach(
      state.manager.actors(),
      (actor) => Effect.flatMap(actor.state, (connectionState) => connectionState === "Connected" ? peerInfo(state, actor) : Effect.succeed(undefined)),
      { concurrency: "unbounded" }
    )
    return peers.filter((peer) => peer !== undefined)
  })

  /** A connected peer's snapshot: metrics with the media path's figures, sync state and jitter buffers. */
  const peerInfo = (state: Extract<Lifecycle, { status: "Started" }>, actor: PeerActor) =>
    Effect.gen(function*() {
      const metrics = yield* actor.currentMetrics
      const figures = yield* media.info(actor)
      const receivedStreams = yield* (media.mediaOf(actor)?.receivedStreams ?? Effect.succeed([]))
      const { syncState, ...measured } = figures ?? { syncState: "Unsynced" as const }
      return {
        peerId: actor.remoteId,
        connectionState: "Connected",
        capabilities: state.known.get(actor.remoteId)?.capabilities ?? [],
        connectedAt: new Date(yield* actor.connectedAt),
        metrics: { ...metrics, ...measured },
        syncState,
        jitterBuffer: mergeBufferStats(receivedStreams.map((stream) => stream.buffer)),
        receivedStreams
      } satisfies PeerInfo
    })

  const connectedActor = (peerId: string) =>
    Effect.gen(function*() {
      const state = yield* started
      const actor = state.manager.actorOf(peerId)
      if (actor === undefined && !state.manager.has(peerId)) return yield* new PeerNotFound({ peerId, message: `not connected to ${peerId}` })
      if (actor === undefined || (yield* actor.state) !== "Connected") {
        return yield* new PeerNotConnected({ peerId, message: `the connection to ${peerId} is not established yet (or being re-established)` })
      }
      return actor
    })

  const sendToPeer = (peerId: string, data: RuntimeData) =>
    connectedActor(peerId).pipe(Effect.flatMap((actor) => media.sendToPeer(actor, data)))

  const broadcast = (data: RuntimeData) =>
    Effect.gen(function*() {
      const state = yield* started
      const connected = yield* Effect.filter(state.manager.actors(), (actor) => Effect.map(actor.state, (s) => s === "Connected"))
      return yield* media.broadcast(connected, data)
    })

  const sessions = yield* SessionRegistry.make(
    runner,
    transportSessionIo({ localPeerId: config.peerId, incoming: media.incoming, events: Stream.fromPubSub(events), sendToPeer, broadcast })
  )
  const stream = (manifest: Manifest, options?: SessionOptions) =>
    Effect.gen(function*() {
      if ((yield* Ref.get(lifecycle)).status === "ShutDown") {
        return yield* new AlreadyShutdown({ message: "the transport has been shut down" })
      }
      return yield* sessions.stream(manifest, options)
    }).pipe(Effect.withSpan("WebRtcTransport.stream"))

  const sendDataChannelMessage = (peerId: string, message: DataChannelMessage) =>
    Effect.gen(function*() {
      const actor = yield* connectedActor(peerId)
      if (actor.dataChannel === undefined) {
        return yield* new DataChannelNotAvailable({ peerId, message: "data channels are disabled in this transport's config" })
      }
      yield* actor.dataChannel.send(message)
    })

  const configure = (options: ConfigOptions) =>
    Effect.gen(function*() {
      if ((yield* Ref.get(lifecycle)).status === "ShutDown") {
        return yield* new AlreadyShutdown({ message: "the transport has been shut down" })
      }
      const valid = yield* decodeOptions(options)
      return yield* SubscriptionRef.updateAndGet(settings, (current) => applyOptions(current, valid))
    }).pipe(Effect.withSpan("WebRtcTransport.configure"))

  return {
    config,
    start,
    shutdown,
    connectPeer,
    disconnectPeer,
    listPeers,
    sendDataChannelMessage,
    sendToPeer,
    broadcast,
    incoming: media.incoming,
    dataChannelMessages: Stream.fromPubSub(messages),
    events: Stream.fromPubSub(events),
    execute: runner.executeUnary,
    stream,
    configure,
    settings: SubscriptionRef.get(settings),
    settingsChanges: SubscriptionRef.changes(settings)
  } satisfies WebRtcTransportService
})

/** The transport as a service: `yield* WebRtcTransport` inside a program given `WebRtcTransport.layer(config)`. */
export class WebRtcTransport extends Context.Service<WebRtcTransport, WebRtcTransportService>()(
  "@remotemedia/webrtc/WebRtcTransport"
) {
  /** A transport for the layer's lifetime; it still needs `start`. */
  static readonly layer = (
    config: WebRtcTransportConfigInput
  ): Layer.Layer<WebRtcTransport, InvalidConfig> => Layer.effect(WebRtcTransport, make(config))
}
