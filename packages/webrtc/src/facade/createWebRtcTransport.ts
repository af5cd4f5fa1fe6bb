/**
 * The Promise facade: `createWebRtcTransport(config)` for programs that do not use Effect. Every method
 * runs the one `WebRtcTransport` service (held by a `ManagedRuntime`, not copied) and returns a Promise;
 * streams are async iterators. A failed call rejects with the tagged error instance itself
 * (`instanceof PeerNotFound`, `error._tag === "PeerNotFound"`, `error.message`).
 *
 * ```ts
 * const transport = await createWebRtcTransport({ signalingUrl, peerId: "alice", stunServers: [stunUrl] })
 * await using _ = transport
 * const messages = transport.dataChannelMessages()
 * await transport.start()
 * await transport.connectPeer("bob")
 * for await (const { peerId, message } of messages) console.log(peerId, message)
 * ```
 *
 * @since 0.1.0
 */
import { Effect, type Fiber, ManagedRuntime, type Stream } from "effect"
import { Manifest, type RuntimeData, type TransportData } from "@remotemedia/runtime-core"
import type { ConfigOptions, TransportSettings } from "../config/ConfigOptions.ts"
import type { WebRtcTransportConfig, WebRtcTransportConfigInput } from "../config/WebRtcTransportConfig.ts"
import type { DataChannelMessage, ReceivedDataChannelMessage } from "../datachannel/DataChannelMessage.ts"
import type { InvalidConfig } from "../errors.ts"
import type { BroadcastStats } from "../media/BroadcastStats.ts"
import type { IncomingMedia } from "../media/IncomingMedia.ts"
import type { SessionOptions } from "../session/SessionOptions.ts"
import type { PeerInfo } from "../transport/PeerInfo.ts"
import type { TransportEvent } from "../transport/TransportEvent.ts"
import { WebRtcTransport, type WebRtcTransportService } from "../transport/WebRtcTransport.ts"
import { StreamSessionClient } from "./StreamSessionClient.ts"
import { type RunFork, subscribe, type Subscription } from "./Subscription.ts"

/** Per-call options: an `AbortSignal` interrupts the call (it then rejects). */
export interface CallOptions {
  readonly signal?: AbortSignal
}

/** A `WebRtcTransport` driven with Promises. Close it (or `await using` it) to shut everything down. */
export class WebRtcTransportClient implements AsyncDisposable {
  readonly #runtime: ManagedRuntime.ManagedRuntime<WebRtcTransport, InvalidConfig>
  readonly #subscriptions = new Set<Subscription<unknown>>()
  readonly #runFork: RunFork
  /** The Effect service behind this client, for code that mixes both styles. */
  readonly service: WebRtcTransportService

  private constructor(runtime: ManagedRuntime.ManagedRuntime<WebRtcTransport, InvalidConfig>, service: WebRtcTransportService) {
    this.#runtime = runtime
    this.service = service
    // The layer is built by now, so its InvalidConfig can no longer appear in a fiber's error channel.
    this.#runFork = <A, E>(effect: Effect.Effect<A, E>) => runtime.runFork(effect) as Fiber.Fiber<A, E>
  }

  /** @internal Use {@link createWebRtcTransport}. */
  static async create(config: WebRtcTransportConfigInput): Promise<WebRtcTransportClient> {
    const runtime = ManagedRuntime.make(WebRtcTransport.layer(config))
    try {
      return new WebRtcTransportClient(runtime, await runtime.runPromise(WebRtcTransport))
    } catch (error) {
      await runtime.dispose()
      throw error
    }
  }

  /** The validated configuration, every default filled in. */
  get config(): WebRtcTransportConfig {
    return this.service.config
  }

  /** Connects to signaling and announces this peer. */
  start(options?: CallOptions): Promise<void> {
    return this.#run(this.service.start, options)
  }

  /** Closes every peer connection and the signaling link (within 5 s). Idempotent. */
  shutdown(options?: CallOptions): Promise<void> {
    return this.#run(this.service.shutdown, options)
  }

  /** Connects to `peerId` and resolves with its id once the connection is up. */
  connectPeer(peerId: string, options?: CallOptions): Promise<string> {
    return this.#run(this.service.connectPeer(peerId), options)
  }

  /** Closes the connection to `peerId` (within 2 s). */
  disconnectPeer(peerId: string, options?: CallOptions): Promise<void> {
    return this.#run(this.service.disconnectPeer(peerId), options)
  }

  /** The connected peers and their metrics. */
  listPeers(options?: CallOptions): Promise<ReadonlyArray<PeerInfo>> {
    return this.#run(this.service.listPeers, options)
  }

  /** Sends a message on the peer's reliable, ordered data channel. */
  sendDataChannelMessage(peerId: string, message: DataChannelMessage, options?: CallOptions): Promise<void> {
    return this.#run(this.service.sendDataChannelMessage(peerId, message), options)
  }

  /** Sends audio (48 kHz f32, any chunk length) or an I420 video frame to one peer's media track. */
  sendToPeer(peerId: string, data: RuntimeData, options?: CallOptions): Promise<void> {
    return this.#run(this.service.sendToPeer(peerId, data), options)
  }

  /** Sends to every connected peer (encoding once per codec group); the stats list who did not get it. */
  broadcast(data: RuntimeData, options?: CallOptions): Promise<BroadcastStats> {
    return this.#run(this.service.broadcast(data), options)
  }

  /** Decoded audio and video from every peer (after its jitter buffer and sync), from now on. */
  incoming(): Subscription<IncomingMedia> {
    return this.#subscribe(this.service.incoming)
  }

  /** Data-channel messages from every peer, from now on. */
  dataChannelMessages(): Subscription<ReceivedDataChannelMessage> {
    return this.#subscribe(this.service.dataChannelMessages)
  }

  /** Peer and signaling events, from now on. */
  events(): Subscription<TransportEvent> {
    return this.#subscribe(this.service.events)
  }

  /** Runs one input through `manifest` locally (no peers) and resolves with its output (30 s limit). */
  execute(manifest: Manifest, input: TransportData, options?: CallOptions): Promise<TransportData> {
    return this.#run(this.service.execute(manifest, input), options)
  }

  /**
   * Starts a streaming session of `manifest`: peers' media flows in, outputs flow back to peers by its
   * routing (e.g. a Mixer in mix-minus mode sends each peer the mix of the others).
   */
  async stream(manifest: Manifest, sessionOptions?: SessionOptions, options?: CallOptions): Promise<StreamSessionClient> {
    return new StreamSessionClient(await this.#run(this.service.stream(manifest, sessionOptions), options), this.#runFork)
  }

  /** Validates and applies `options` (`InvalidOption` names a bad field; nothing changes then). */
  configure(options: ConfigOptions, callOptions?: CallOptions): Promise<TransportSettings> {
    return this.#run(this.service.configure(options), callOptions)
  }

  /** The media settings in force. */
  settings(): Promise<TransportSettings> {
    return this.#run(this.service.settings, undefined)
  }

  /** Every settings change, starting with the current settings. */
  settingsChanges(): Subscription<TransportSettings> {
    return this.#subscribe(this.service.settingsChanges)
  }

  /** Shuts the transport down, ends every subscription and releases the runtime. Idempotent. */
  async close(): Promise<void> {
    await Promise.all([...this.#subscriptions].map((subscription) => subscription.close()))
    await this.#runtime.dispose()
  }

  [Symbol.asyncDispose](): Promise<void> {
    return this.close()
  }

  // runPromise rejects with the failure value itself (no wrapper), so callers catch the tagged error.
  #run<A, E>(effect: Effect.Effect<A, E>, options: CallOptions | undefined): Promise<A> {
    return this.#runtime.runPromise(effect, options?.signal === undefined ? undefined : { signal: options.signal })
  }

  #subscribe<A, E>(stream: Stream.Stream<A, E>): Subscription<A> {
    const subscription = subscribe(this.#runFork, stream, () => this.#subscriptions.delete(subscription))
    this.#subscriptions.add(subscription)
    return subscription
  }
}

/**
 * Builds a transport for Promise users; rejects with `InvalidConfig` naming the bad field. Call `start()`
 * next, and `close()` when done.
 */
export const createWebRtcTransport = (config: WebRtcTransportConfigInput): Promise<WebRtcTransportClient> =>
  WebRtcTransportClient.create(config)

/**
 * Parses a pipeline manifest (JSON text or an already-parsed object, in the contract's or the v1 form);
 * rejects with `InvalidManifest` naming the problem.
 */
export const parseManifest = (manifest: string | object): Promise<Manifest> =>
  Effect.runPromise(typeof manifest === "string" ? Manifest.fromJson(manifest) : Manifest.fromUnknown(manifest))
