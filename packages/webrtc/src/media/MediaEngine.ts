/**
 * The transport's media engine: attaches a {@link PeerMedia} to every peer connection, sends to one peer,
 * broadcasts to all, and gathers every peer's synchronised incoming media into one stream.
 *
 * `broadcast` encodes once per group of peers that need the same bytes — same codec, same bitrate (audio:
 * one Opus group; video: by negotiated codec and each peer's adaptive bitrate) — and fans the packets out
 * to every member's track in parallel; one failing or full peer is reported in the stats and never holds
 * up the others. Groups no peer needs any more are closed (with their encoders) after the call.
 *
 * @since 0.1.0
 */
import type { Audio, RuntimeData, Video } from "@remotemedia/runtime-core"
import { Effect, Exit, Option, PubSub, Scope, Semaphore, Stream } from "effect"
import type { TransportSettings } from "../config/ConfigOptions.ts"
import { EncodingError, InvalidDataType, NoPeersConnected, type SendBufferFull } from "../errors.ts"
import type { PeerActor } from "../peer/PeerActor.ts"
import { raiseSocketBuffers } from "../peer/SocketBuffers.ts"
import { OpusCodec } from "./audio/OpusCodec.ts"
import type { BroadcastStats } from "./BroadcastStats.ts"
import type { IncomingMedia } from "./IncomingMedia.ts"
import { type EncodedBatch, makeAudioSource, makeVideoSource, type MediaSource } from "./MediaSource.ts"
import { attach as attachPeerMedia, type PeerMedia, type PeerMediaInfo } from "./PeerMedia.ts"
import { VideoCodec } from "./video/VideoCodec.ts"

/** Errors of sending media to one peer. */
export type MediaSendError = InvalidDataType | EncodingError | SendBufferFull

interface BroadcastGroup {
  readonly source: MediaSource<never>
  readonly encode: (data: RuntimeData) => Effect.Effect<EncodedBatch, InvalidDataType | EncodingError>
  readonly scope: Scope.Closeable
}

const unsupported = (data: RuntimeData) =>
  new InvalidDataType({ message: `only Audio and Video travel as media tracks, got ${data._tag} (use the data channel)` })

/** Builds the engine in the current scope (the transport's). */
export const make = Effect.fn("MediaEngine.make")(function*(settings: Effect.Effect<TransportSettings>) {
  const opus = Option.getOrUndefined(yield* Effect.serviceOption(OpusCodec)) ?? (yield* OpusCodec.pipe(Effect.provide(OpusCodec.layer)))
  const video = Option.getOrUndefined(yield* Effect.serviceOption(VideoCodec)) ?? (yield* VideoCodec.pipe(Effect.provide(VideoCodec.layer)))
  const engineScope = yield* Effect.scope
  const incoming = yield* PubSub.sliding<IncomingMedia>(1024)
  const peers = new Map<PeerActor, PeerMedia>()
  const groups = new Map<string, BroadcastGroup>()
  const groupsLock = yield* Semaphore.make(1)
  // One broadcast per kind at a time: its packets reach every track in the order they were encoded.
  const broadcastLocks = { Audio: yield* Semaphore.make(1), Video: yield* Semaphore.make(1) }

  const withCodecs = <A, E, R>(effect: Effect.Effect<A, E, R>) =>
    effect.pipe(Effect.provideService(OpusCodec, opus), Effect.provideService(VideoCodec, video))

  /** Media for `actor` for as long as the current (peer) scope lives. */
  const attach = (actor: PeerActor) =>
    Effect.gen(function*() {
      const media = yield* withCodecs(attachPeerMedia({ actor, settings, deliver: (m) => PubSub.publish(incoming, m).pipe(Effect.asVoid) }))
      peers.set(actor, media)
      yield* Effect.addFinalizer(() => Effect.sync(() => peers.delete(actor)))
      yield* actor.connected.pipe(Effect.andThen(Effect.sync(() => raiseSocketBuffers(actor.connection))), Effect.ignore, Effect.forkScoped)
    }).pipe(Effect.orDie)

  const mediaOf = (actor: PeerActor) => peers.get(actor)

  const sendToPeer = (actor: PeerActor, data: RuntimeData): Effect.Effect<void, MediaSendError> => {
    const media = peers.get(actor)
    if (media === undefined) return Effect.fail(new EncodingError({ codec: "none", message: `no media path to ${actor.remoteId}` }))
    if (data._tag === "Audio") return media.sendAudio(data)
    if (data._tag === "Video") return media.sendVideo(data.frame)
    return Effect.fail(unsupported(data))
  }

  const groupKey = (media: PeerMedia, data: RuntimeData): string | undefined =>
    data._tag === "Audio" ? "audio" : media.videoCodec() === undefined ? undefined : `${media.videoCodec()}@${media.videoBitrateBps()}`

  const makeGroup = (key: string, media: PeerMedia): Effect.Effect<BroadcastGroup> =>
    Effect.gen(function*() {
      const current = yield* settings
      const scope = yield* Scope.fork(engineScope)
      const codec = media.videoCodec()
      if (key === "audio" || codec === undefined) {
        const source = yield* withCodecs(makeAudioSource(current.audioBitrateKbps * 1000))
        return { source, scope, encode: (data: RuntimeData) => data._tag === "Audio" ? source.encode(data) : Effect.fail(unsupported(data)) }
      }
      const source = yield* withCodecs(makeVideoSource({
        codec,
        bitrateBps: media.videoBitrateBps(),
        fps: current.videoFramerateFps,
        maxResolution: Effect.map(settings, (now) => now.maxVideoResolution)
      })).pipe(Scope.provide(scope))
      return { source, scope, encode: (data: RuntimeData) => data._tag === "Video" ? source.encode(data.frame) : Effect.fail(unsupported(data)) }
    })

  const broadcast = (actors: ReadonlyArray<PeerActor>, data: RuntimeData): Effect.Effect<BroadcastStats, NoPeersConnected | InvalidDataType> =>
    data._tag === "Audio" || data._tag === "Video"
      ? broadcastMedia(actors, data).pipe(broadcastLocks[data._tag].withPermits(1))
      : Effect.fail(unsupported(data))

  const broadcastMedia = (actors: ReadonlyArray<PeerActor>, data: Audio | Video) =>
    Effect.gen(function*() {
      const startedAt = performance.now()
      const members = actors.flatMap((actor) => peers.get(actor) ?? [])
      if (members.length === 0) return yield* new NoPeersConnected({ message: "broadcast needs at least one connected peer" })
      const failedPeers: Array<readonly [string, string]> = []
      const byGroup = new Map<string, Array<PeerMedia>>()
      for (const media of members) {
        const key = groupKey(media, data)
        if (key === undefined) failedPeers.push([media.peerId, "no video codec negotiated yet"])
        else byGroup.set(key, [...(byGroup.get(key) ?? []), media])
      }
      const active = yield* Effect.forEach([...byGroup], ([key, group]) =>
        Effect.gen(function*() {
          const existing = groups.get(key)
          const made = existing ?? (yield* makeGroup(key, group[0]!))
          groups.set(key, made)
          return [key, made, group] as const
        }), { discard: false }).pipe(groupsLock.withPermits(1))
      let invalid: InvalidDataType | undefined
      // Groups encode in parallel (video encoders run in the thread pool); one group, as audio always is,
      // encodes in this fiber, without the cost of forking one.
      yield* Effect.forEach(active, ([, group, targets]) =>
        group.encode(data).pipe(
          Effect.matchEffect({
            onFailure: (error) =>
              Effect.sync(() => {
                if (error._tag === "InvalidDataType") invalid = error
                for (const media of targets) failedPeers.push([media.peerId, error.message])
              }),
            // A write never waits (audio goes out at once, video into the pacer's dropping queue), so the
            // fan-out is a plain loop: one full or failing peer cannot hold up the others.
            onSuccess: (batch) =>
              Effect.forEach(targets, (media) =>
                (data._tag === "Audio" ? media.audio : media.video).write(group.source, batch).pipe(
                  Effect.catch((error) => Effect.sync(() => failedPeers.push([media.peerId, error.message])))
                ), { discard: true })
          })
        ), { concurrency: active.length > 1 ? "unbounded" : 1, discard: true })
      if (invalid !== undefined) return yield* invalid
      // Groups of this kind that nobody needed now are gone: their peers left or changed bitrate.
      const sameKind = (key: string) => (key === "audio") === (data._tag === "Audio")
      for (const [key, group] of groups) {
        if (byGroup.has(key) || !sameKind(key)) continue
        groups.delete(key)
        yield* Scope.close(group.scope, Exit.void)
      }
      return {
        totalPeers: actors.length,
        sentCount: actors.length - failedPeers.length,
        failedCount: failedPeers.length,
        failedPeers,
        totalDurationMs: performance.now() - startedAt
      }
    })

  const info = (actor: PeerActor): Effect.Effect<PeerMediaInfo | undefined> => {
    const media = peers.get(actor)
    return media === undefined ? Effect.succeed(undefined) : media.info
  }

  return { attach, mediaOf, sendToPeer, broadcast, info, incoming: Stream.fromPubSub(incoming) }
})

/** The media engine of one transport. */
export type MediaEngine = Effect.Success<ReturnType<typeof make>>
