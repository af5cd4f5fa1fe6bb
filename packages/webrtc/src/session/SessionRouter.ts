/**
 * The SessionRouter: one streaming session wired to the mesh. Peers' received media flow into the pipeline
 * with their `peer_id`; its outputs flow back out to peers (see `OutputRoute` for the rule).
 *
 * Shape (every fiber lives in the session's scope, so `close` releases all of it):
 * - an input fiber takes the received media (a sliding buffer, so a busy pipeline never stalls the
 *   transport's receive path) and feeds it in;
 * - `"sender"` routing runs one pipeline instance per peer (a lane, opened on the peer's first frame and
 *   closed when the peer leaves); `"broadcast"` runs one shared pipeline, opened at once;
 * - one pump fiber per pipeline routes its outputs; every output is also offered to the session's own
 *   `recvOutput`/`outputs` (a sliding buffer: an observer that does not read loses old outputs, it never
 *   slows routing down);
 * - one sender fiber per destination (each peer, and "every peer") with its own bounded queue: a slow or
 *   failing peer loses its own oldest frames and never holds the others up.
 *
 * A node failing ends the session: `done` and `recvOutput` fail with its `ExecutionError`, the session's
 * pipelines and fibers are released, and peers and other sessions are untouched. A failed send is counted
 * and logged, never fatal.
 *
 * @since 0.1.0
 */
import { Cause, Deferred, Effect, Exit, Fiber, FiberMap, Match, Queue, Scope, Semaphore, Stream } from "effect"
import {
  ExecutionError,
  isAudio,
  isVideo,
  type Manifest,
  PEER_ID,
  type PipelineRunner,
  type Routing,
  type RuntimeData,
  SessionClosed,
  type StreamSession,
  TransportData,
  type ValidationError
} from "@remotemedia/runtime-core"
import { routeOutput } from "./OutputRoute.ts"
import type { MediaKind } from "./SessionOptions.ts"
import { PlayoutClock } from "./PlayoutClock.ts"

/** One frame of media received from a peer. */
export interface IncomingFrame {
  readonly peerId: string
  readonly data: RuntimeData
  /** Local Unix ms at which the peer's SyncManager released the frame: dates audio without `timestampUs`. */
  readonly releasedAtMs?: number | undefined
}

/** A peer's connection came up or ended. */
export interface MembershipChange {
  readonly _tag: "Joined" | "Left"
  readonly peerId: string
}

/** What a router needs from the transport (tests give it fakes). */
export interface SessionIo {
  /** This transport's own peer id: inputs without `peer_id` come from it, outputs for it stay local. */
  readonly localPeerId: string
  /** Media received from peers, after sync. Each session subscribes when it starts. */
  readonly incoming: Stream.Stream<IncomingFrame>
  /** Peers connecting and leaving. */
  readonly membership: Stream.Stream<MembershipChange>
  readonly sendToPeer: (peerId: string, data: RuntimeData) => Effect.Effect<unknown, { readonly message: string }>
  readonly broadcast: (data: RuntimeData) => Effect.Effect<unknown, { readonly message: string }>
}

/** Counters of one session. */
export interface SessionStats {
  /** Inputs fed to the pipeline(s), from peers and from `sendInput`. */
  readonly inputs: number
  /** Outputs handed successfully to `sendToPeer` / `broadcast`. */
  readonly sent: number
  /** Outputs and inputs dropped: no destination, a slow peer's full queue, malformed received media. */
  readonly dropped: number
  /** Sends that failed (the peer left meanwhile, an encoder error, ...). */
  readonly failedSends: number
}

/** A streaming session wired to the mesh: a `StreamSession` plus what the router knows. */
export interface RoutedSession extends StreamSession {
  readonly routing: Routing
  /** Peers that have their own pipeline instance (`"sender"` routing). */
  readonly lanes: Effect.Effect<ReadonlyArray<string>>
  readonly stats: Effect.Effect<SessionStats>
  /** Succeeds when the session is closed (or finished after `endInput`), fails when a node failed. */
  readonly done: Effect.Effect<void, ExecutionError>
}

/** Options of {@link make}. */
export interface RouterOptions {
  readonly runner: PipelineRunner["Service"]
  /** The manifest, its routing already resolved against the session options. */
  readonly manifest: Manifest
  readonly media: ReadonlyArray<MediaKind>
  readonly io: SessionIo
}

/** Frames a destination's queue holds before its oldest is dropped: 1 s of 20 ms audio. */
const outboxCapacity = 50
/** Outputs kept for a session observer that reads slowly (or never). */
const observedCapacity = 256
/** Received frames waiting for a busy pipeline. */
const inboundCapacity = 64
/** The sender key of "every peer" (peer ids cannot contain `*`). */
const everyPeer = "*"

interface Lane {
  readonly pipeline: StreamSession
  readonly scope: Scope.Closeable
  readonly pump: Fiber.Fiber<void>
}

const kindOf = (data: RuntimeData): MediaKind | undefined => isAudio(data) ? "audio" : isVideo(data) ? "video" : undefined

/** Starts a routed session in the current scope; closing that scope closes the session. */
export const make = Effect.fnUntraced(function*(options: RouterOptions) {
  const { io, manifest, runner } = options
  const routing = manifest.routing
  const scope = yield* Effect.scope as Effect.Effect<Scope.Closeable>
  const sessionId = crypto.randomUUID()
  const counters = { inputs: 0, sent: 0, dropped: 0, failedSends: 0 }
  const observed = yield* Queue.sliding<TransportData, ExecutionError | Cause.Done>(observedCapacity)
  const ended = yield* Deferred.make<void, ExecutionError>()
  const lanes = new Map<string, Lane>()
  const outboxes = new Map<string, Queue.Queue<RuntimeData, Cause.Done>>()
  const senders = yield* FiberMap.make<string>()
  const laneLock = yield* Semaphore.make(1)
  let inputEnded = false

  yield* Effect.addFinalizer(() => Deferred.succeed(ended, undefined).pipe(Effect.andThen(Queue.end(observed))))
  /** Closes the session from one of its own fibers (which the close interrupts, hence detached). */
  const closeFromInside = Effect.asVoid(Effect.forkDetach(Scope.close(scope, Exit.void)))
  const fail = (error: ExecutionError) =>
    Deferred.fail(ended, error).pipe(
      Effect.andThen(Queue.fail(observed, error)),
      Effect.andThen(Effect.logWarning(`session ${sessionId} failed and was closed: ${error.message}`)),
      Effect.andThen(closeFromInside)
    )

  const sendLoop = (key: string, outbox: Queue.Queue<RuntimeData, Cause.Done>) =>
    Queue.take(outbox).pipe(
      Effect.flatMap((data) =>
        (key === everyPeer ? io.broadcast(data) : io.sendToPeer(key, data)).pipe(Effect.match({
          onSuccess: () => void counters.sent++,
          onFailure: () => void counters.failedSends++
        }))
      ),
      Effect.forever,
      Effect.catchIf(Cause.isDone, () => Effect.void)
    )

  const enqueue = (key: string, data: RuntimeData) =>
    Effect.gen(function*() {
      let outbox = outboxes.get(key)
      if (outbox === undefined) {
        outbox = yield* Queue.sliding<RuntimeData, Cause.Done>(outboxCapacity)
        outboxes.set(key, outbox)
        yield* FiberMap.run(senders, key, sendLoop(key, outbox))
      }
      if (Queue.sizeUnsafe(outbox) >= outboxCapacity) counters.dropped++
      Queue.offerUnsafe(outbox, data)
    })

  const dispatch = (lane: string | undefined) => (output: TransportData) => {
    Queue.offerUnsafe(observed, output)
    return Match.valueTags(routeOutput(output, routing, lane, io.localPeerId), {
      Peer: ({ peerId }) => enqueue(peerId, output.data),
      AllPeers: () => enqueue(everyPeer, output.data),
      Local: () => Effect.void,
      Nowhere: () => Effect.sync(() => void counters.dropped++)
    })
  }

  const openLane = (key: string, lanePeer: string | undefined) =>
    Effect.gen(function*() {
      const laneScope = yield* Scope.fork(scope)
      const pipeline = yield* Effect.acquireRelease(runner.createStreamSession(manifest), (p) => p.close).pipe(
        Scope.provide(laneScope)
      )
      const pump = yield* pipeline.outputs.pipe(
        Stream.runForEach(dispatch(lanePeer)),
        Effect.catch(fail),
        Effect.forkIn(laneScope, { startImmediately: true })
      )
      const lane: Lane = { pipeline, scope: laneScope, pump }
      lanes.set(key, lane)
      return lane
    })

  const laneFor = (source: string) =>
    routing === "broadcast"
      ? Effect.succeed(lanes.get(everyPeer)!)
      : laneLock.withPermits(1)(Effect.suspend(() => {
        const lane = lanes.get(source)
        return lane === undefined ? openLane(source, source) : Effect.succeed(lane)
      }))

  const closed = (why: string) => new SessionClosed({ sessionId, message: `session ${sessionId} ${why}` })

  /** Feeds one input from `source`; a lane that cannot open fails the session. */
  const feed = (source: string, input: TransportData): Effect.Effect<void, SessionClosed | ValidationError> =>
    Effect.suspend(() => {
      if (Deferred.isDoneUnsafe(ended)) return Effect.fail(closed("is closed"))
      return laneFor(source).pipe(
        Effect.catch((error) =>
          fail(new ExecutionError({ nodeId: "session", message: `could not start a pipeline for ${source}: ${error.message}` })).pipe(
            Effect.andThen(Effect.fail(closed(`failed: ${error.message}`)))
          )
        ),
        Effect.flatMap((lane) => {
          counters.inputs++
          return lane.pipeline.sendInput(input)
        }),
        Effect.catchTag("SessionClosed", () => Effect.fail(closed("is closed")))
      )
    })

  /**
   * Peers that left: frames of theirs still on the way (jitter buffers drain after the hang-up) are dropped
   * instead of opening a new lane, until the peer connects again.
   */
  const departed = new Set<string>()
  const clocks = new Map<string, PlayoutClock>()

  /** Dates received audio by its playout time (`PlayoutClock`) when it carries no timestamp of its own. */
  const dated = (frame: IncomingFrame): RuntimeData => {
    const { data, releasedAtMs } = frame
    if (!isAudio(data) || data.timestampUs !== undefined || releasedAtMs === undefined) return data
    let clock = clocks.get(frame.peerId)
    if (clock === undefined) {
      clock = new PlayoutClock()
      clocks.set(frame.peerId, clock)
    }
    const durationUs = Math.round((data.samples.length / data.channels / data.sampleRate) * 1e6)
    return { ...data, timestampUs: clock.date(releasedAtMs, durationUs) }
  }

  const leave = (peerId: string) =>
    Effect.gen(function*() {
      departed.add(peerId)
      clocks.delete(peerId)
      const lane = routing === "sender" ? lanes.get(peerId) : undefined
      if (lane !== undefined) {
        lanes.delete(peerId)
        yield* Scope.close(lane.scope, Exit.void)
      }
      outboxes.delete(peerId)
      yield* FiberMap.remove(senders, peerId)
    })

  if (routing === "broadcast") yield* openLane(everyPeer, undefined)

  const wanted = new Set(options.media)
  // Received frames wait in a sliding queue for a busy pipeline (the oldest are dropped, and counted): the
  // subscription itself never waits, so it is in place as soon as the session exists.
  const received = yield* Queue.sliding<TransportData, Cause.Done>(inboundCapacity)
  const receiveFiber = yield* io.incoming.pipe(
    Stream.runForEach((frame) =>
      Effect.sync(() => {
        const kind = kindOf(frame.data)
        if (kind === undefined || !wanted.has(kind)) return
        if (Queue.sizeUnsafe(received) >= inboundCapacity) counters.dropped++
        Queue.offerUnsafe(received, TransportData.make(dated(frame), { metadata: { [PEER_ID]: frame.peerId } }))
      })
    ),
    Effect.forkScoped({ startImmediately: true })
  )
  const inputFiber = yield* Queue.take(received).pipe(
    Effect.flatMap((input) => {
      const source = input.metadata[PEER_ID]!
      if (departed.has(source)) return Effect.sync(() => void counters.dropped++)
      return feed(source, input).pipe(
        // Malformed media from one peer is dropped; a closed pipeline means the session is ending anyway.
        Effect.catch(() => Effect.sync(() => void counters.dropped++))
      )
    }),
    Effect.forever,
    Effect.catchIf(Cause.isDone, () => Effect.void),
    Effect.forkScoped({ startImmediately: true })
  )
  yield* io.membership.pipe(
    Stream.runForEach((change) => change._tag === "Left" ? leave(change.peerId) : Effect.sync(() => void departed.delete(change.peerId))),
    Effect.forkScoped({ startImmediately: true })
  )

  /** After `endInput`: received frames are fed, pipelines flush, queued outputs are sent, the session closes. */
  const drainAndClose = Effect.gen(function*() {
    yield* Fiber.interrupt(receiveFiber)
    yield* Queue.end(received)
    yield* Fiber.await(inputFiber)
    const current = [...lanes.values()]
    yield* Effect.forEach(current, (lane) => lane.pipeline.endInput, { discard: true })
    yield* Effect.forEach(current, (lane) => Fiber.await(lane.pump), { discard: true })
    yield* Effect.forEach(outboxes.values(), Queue.end, { discard: true })
    yield* FiberMap.awaitEmpty(senders)
    yield* closeFromInside
  })

  const session: RoutedSession = {
    sessionId,
    manifest,
    routing,
    sendInput: (data) =>
      Effect.gen(function*() {
        if (inputEnded) return yield* closed("takes no more input: endInput was called")
        const source = data.metadata[PEER_ID]
        yield* feed(source ?? io.localPeerId, source === undefined ? TransportData.withMetadata(data, { [PEER_ID]: io.localPeerId }) : data)
      }),
    endInput: Effect.gen(function*() {
      if (inputEnded) return
      inputEnded = true
      yield* Effect.forkIn(drainAndClose, scope)
    }),
    recvOutput: Queue.take(observed).pipe(
      Effect.asSome,
      Effect.catchIf(Cause.isDone, () => Effect.succeedNone)
    ),
    outputs: Stream.fromQueue(observed),
    close: Scope.close(scope, Exit.void),
    isActive: Effect.map(Deferred.isDone(ended), (done) => !done),
    lanes: Effect.sync(() => routing === "sender" ? [...lanes.keys()] : []),
    stats: Effect.sync(() => ({ ...counters })),
    done: Deferred.await(ended)
  }
  return session
})
