/**
 * Streaming sessions over an in-memory mesh: the transport's session router with its network replaced by
 * queues. Media "received" from a peer goes in with {@link InMemoryMesh.receive}; what the sessions send to a
 * peer comes out of {@link InMemoryMesh.takeSent}. Everything between is the code a `WebRtcTransport` runs:
 * per-peer or shared pipelines, output routing, per-destination queues, lanes opened and closed as peers
 * join and leave.
 *
 * For testing a pipeline's routing without connections or codecs, and for measuring the router's own cost
 * per frame (through a transport, a received frame's cost cannot be told apart from the jitter buffer's
 * delay).
 *
 * ```ts
 * const mesh = yield* makeInMemoryMesh({ peers: ["alice", "bob"] })
 * const session = yield* mesh.stream(manifest)
 * yield* mesh.receive("alice", audio(samples, 48_000))
 * const [processed] = yield* mesh.takeSent("alice")
 * ```
 *
 * @since 0.1.0
 */
import { Effect, PubSub, Queue, type Scope, Stream } from "effect"
import type { InvalidManifest, Manifest, RuntimeData, SessionCreationFailed } from "@remotemedia/runtime-core"
import { PeerIdPattern } from "../config/WebRtcTransportConfig.ts"
import { InvalidPeerId, PeerNotConnected } from "../errors.ts"
import type { SessionOptions } from "./SessionOptions.ts"
import * as SessionRegistry from "./SessionRegistry.ts"
import type { IncomingFrame, MembershipChange, RoutedSession } from "./SessionRouter.ts"

/** Options of {@link makeInMemoryMesh}. */
export interface InMemoryMeshOptions {
  /**
   * The local peer's id: `sendInput` without `peer_id` comes from it, outputs for it stay local. Default
   * `"local"`. Peer ids are the transport's: `^[A-Za-z0-9_-]{1,64}$`.
   */
  readonly localPeerId?: string | undefined
  /** Peers connected from the start. More join with {@link InMemoryMesh.join}. */
  readonly peers?: ReadonlyArray<string> | undefined
}

/** A local peer with its sessions, and in-memory peers around it. */
export interface InMemoryMesh {
  readonly localPeerId: string
  /** As `WebRtcTransport.stream`: the live session for `manifest`, started if there is none. */
  readonly stream: (manifest: Manifest, options?: SessionOptions) => Effect.Effect<RoutedSession, InvalidManifest | SessionCreationFailed>
  /** As `WebRtcTransport.execute`: one input through `manifest`, locally. */
  readonly execute: SessionRegistry.SessionRegistry["execute"]
  /** The live sessions. */
  readonly sessions: Effect.Effect<ReadonlyArray<RoutedSession>>
  /**
   * Media received from `peerId`, as the transport's receive path hands it over after sync. `releasedAtMs`
   * (Unix ms, when the peer's jitter buffer released it) dates audio that has no `timestampUs` on the
   * receiving side's playout clock, as the transport does. Accepted whether or not `peerId` is connected: a
   * peer's last frames still arrive after it hangs up.
   */
  readonly receive: (
    peerId: string,
    data: RuntimeData,
    options?: { readonly releasedAtMs?: number }
  ) => Effect.Effect<void, InvalidPeerId>
  /** `peerId` connects (again): sessions send to it, and a per-peer session opens its pipeline on its next frame. */
  readonly join: (peerId: string) => Effect.Effect<void, InvalidPeerId>
  /** `peerId` disconnects: per-peer sessions close its pipeline; sends to it fail with `PeerNotConnected`. */
  readonly leave: (peerId: string) => Effect.Effect<void, InvalidPeerId>
  /**
   * The next `count` frames (default 1) the sessions sent to `peerId`, in order, waiting for them; a broadcast
   * reaches every connected peer. Add a timeout where waiting forever would be a bug.
   */
  readonly takeSent: (peerId: string, count?: number) => Effect.Effect<ReadonlyArray<RuntimeData>>
  /** How many frames sent to `peerId` wait to be taken. */
  readonly pendingSent: (peerId: string) => Effect.Effect<number>
  /** Live subscriptions of sessions to the received media and to membership: 0 once every session is closed. */
  readonly subscriptions: Effect.Effect<number>
}

/** `peerId` if the transport could have it (the router keys "every peer" by a `*` no peer id contains). */
const validPeerId = (peerId: string): Effect.Effect<string, InvalidPeerId> =>
  PeerIdPattern.test(peerId)
    ? Effect.succeed(peerId)
    : Effect.fail(new InvalidPeerId({ peerId, message: `invalid peer id ${JSON.stringify(peerId)}: must match ${PeerIdPattern.source}` }))

/**
 * Makes an in-memory mesh for the current scope (closing the scope closes its sessions). Pipelines run on the
 * context's `PipelineRunner` when there is one (custom nodes), or else on one with the built-in nodes. Fails
 * with `InvalidPeerId` naming the first peer id that is not one.
 */
export const makeInMemoryMesh = (options: InMemoryMeshOptions = {}): Effect.Effect<InMemoryMesh, InvalidPeerId, Scope.Scope> =>
  Effect.gen(function*() {
    const localPeerId = yield* validPeerId(options.localPeerId ?? "local")
    yield* Effect.forEach(options.peers ?? [], validPeerId, { discard: true })
    const incoming = yield* PubSub.unbounded<IncomingFrame>()
    const membership = yield* PubSub.unbounded<MembershipChange>()
    const connected = new Set(options.peers)
    const outboxes = new Map<string, Queue.Queue<RuntimeData>>()
    let subscriptions = 0

    const outbox = (peerId: string) =>
      Effect.suspend(() => {
        const queue = outboxes.get(peerId)
        if (queue !== undefined) return Effect.succeed(queue)
        return Effect.map(Queue.unbounded<RuntimeData>(), (created) => {
          outboxes.set(peerId, created)
          return created
        })
      })
    const counted = <A>(stream: Stream.Stream<A>) =>
      stream.pipe(Stream.onStart(Effect.sync(() => subscriptions++)), Stream.ensuring(Effect.sync(() => subscriptions--)))
    const deliver = (peerId: string, data: RuntimeData) =>
      Effect.suspend(() =>
        connected.has(peerId)
          ? Effect.flatMap(outbox(peerId), (queue) => Queue.offer(queue, data))
          : Effect.fail(new PeerNotConnected({ peerId, message: `${peerId} is not connected to the in-memory mesh` }))
      )
    const announce = (change: MembershipChange, apply: () => void) =>
      validPeerId(change.peerId).pipe(
        Effect.andThen(() => {
          apply()
          return PubSub.publish(membership, change)
        }),
        Effect.asVoid
      )

    const registry = yield* SessionRegistry.make(yield* SessionRegistry.resolveRunner, {
      localPeerId,
      incoming: counted(Stream.fromPubSub(incoming)),
      membership: counted(Stream.fromPubSub(membership)),
      sendToPeer: deliver,
      broadcast: (data) => Effect.forEach([...connected], (peerId) => deliver(peerId, data), { discard: true })
    })

    return {
      localPeerId,
      stream: registry.stream,
      execute: registry.execute,
      sessions: registry.sessions,
      receive: (peerId, data, receiveOptions) =>
        validPeerId(peerId).pipe(
          Effect.andThen(PubSub.publish(incoming, { peerId, data, releasedAtMs: receiveOptions?.releasedAtMs })),
          Effect.asVoid
        ),
      join: (peerId) => announce({ _tag: "Joined", peerId }, () => connected.add(peerId)),
      leave: (peerId) => announce({ _tag: "Left", peerId }, () => connected.delete(peerId)),
      takeSent: (peerId, count = 1) => Effect.flatMap(outbox(peerId), (queue) => Queue.takeN(queue, count)),
      pendingSent: (peerId) => Effect.flatMap(outbox(peerId), Queue.size),
      subscriptions: Effect.sync(() => subscriptions)
    } satisfies InMemoryMesh
  })
