/**
 * One `remotemedia-peer` run: join the mesh, connect (or wait to be connected), exchange data and media,
 * report once a second, and end on `--duration`, a signal or the first fatal problem, with a summary and
 * the outcome as a typed error.
 *
 * @since 0.1.0
 */
import { readFileSync } from "node:fs"
import { type Audio, Manifest, type RuntimeData, type Video } from "@remotemedia/runtime-core"
import { Cause, Deferred, Effect, Exit, Match, Option, Predicate, Schedule, Stream } from "effect"
import {
  ConnectionFailed,
  type DataChannelMessage,
  makeWebRtcTransport,
  type ReceivedDataChannelMessage,
  type TransportEvent,
  type WebRtcTransportService
} from "@remotemedia/webrtc"
import { type CliError, exitCode, ExitCode, ExpectationUnmet, PeerFailure, RunFailed, SignalingUnavailable, UsageError } from "../CliError.ts"
import { patternFeed, toneFeed } from "../media/GeneratedMedia.ts"
import { openMediaFile } from "../media/MediaFile.ts"
import { makeRecorder } from "../media/Recorder.ts"
import type { CliOptions } from "../options/CliOptions.ts"
import type { Reporter } from "../output/Reporter.ts"
import { unmetExpectation } from "../stats/Expectations.ts"
import { countMedia, PeerTallies } from "../stats/PeerTally.ts"
import { statsReport } from "../stats/StatsReport.ts"
import { configUsageError, transportConfig } from "./transportConfig.ts"

/** The outside world of a run (the process's, or a test's). */
export interface RunIo {
  readonly reporter: Reporter
  /** Lines to send as text messages (interactive mode). */
  readonly inputLines: Stream.Stream<string> | undefined
  /** Completes when the user asks the run to stop (SIGINT / SIGTERM). */
  readonly stopRequested: Effect.Effect<string>
}

/** A one-line, human-readable description of a data-channel message. */
const describe = (message: DataChannelMessage): string =>
  Match.valueTags(message, {
    Text: ({ payload }) => payload,
    Json: ({ payload }) => JSON.stringify(payload),
    Binary: ({ payload }) => `<${payload.byteLength} bytes>`
  })

const byteLength = (message: DataChannelMessage): number =>
  Match.valueTags(message, {
    Text: ({ payload }) => Buffer.byteLength(payload),
    Json: ({ payload }) => Buffer.byteLength(JSON.stringify(payload)),
    Binary: ({ payload }) => payload.byteLength
  })

/** Joins signaling; a refusal or an unreachable server is `SignalingUnavailable`. */
const join = (transport: WebRtcTransportService, url: string) =>
  transport.start.pipe(
    Effect.mapError((error) =>
      Predicate.isTagged(error, "SignalingError")
        ? new SignalingUnavailable({ url, message: `cannot join ${url}: ${error.message}` })
        : new RunFailed({ message: error.message })
    )
  )

/** Attempts at a `--connect` peer whose handshake fails (ICE or DTLS), one second apart. */
const connectAttempts = 3

/**
 * Offers to `peerId` and waits until connected. A handshake that fails is tried again (a first ICE/DTLS
 * handshake can fail on a loaded machine or a lossy path), up to {@link connectAttempts} in all; an attempt
 * the transport abandons (the remote vanished mid-handshake) counts as failed. A timeout is not retried:
 * `--connect-timeout` is the time the user gave.
 */
const connect = (transport: WebRtcTransportService, peerId: string, reporter: Reporter) => {
  let failures = 0
  return transport.connectPeer(peerId).pipe(
    Effect.catchCause((cause) =>
      Cause.hasInterruptsOnly(cause)
        ? Effect.fail(new ConnectionFailed({ peerId, message: "the attempt was abandoned" }))
        : Effect.failCause(cause)
    ),
    Effect.tapError((error) =>
      Effect.sync(() => {
        if (!Predicate.isTagged(error, "ConnectionFailed") || ++failures === connectAttempts) return
        reporter.event(`connecting to ${peerId} failed (${error.message}), trying again (attempt ${failures + 1} of ${connectAttempts})`)
      })
    ),
    Effect.retry({ times: connectAttempts - 1, while: (error) => Predicate.isTagged(error, "ConnectionFailed"), schedule: Schedule.spaced("1 second") }),
    Effect.mapError((error) =>
      Predicate.isTagged(error, "InvalidPeerId")
        ? new UsageError({ message: `--connect: ${error.message}` })
        : new PeerFailure({ peerId, message: `cannot connect to ${peerId}: ${error.message}` })
    )
  )
}

/** `--pipeline FILE` as a manifest; an unreadable or invalid file is a usage error naming it. */
const readManifest = (path: string) =>
  Effect.try({
    try: () => readFileSync(path, "utf8"),
    catch: (error) => new UsageError({ message: `--pipeline ${path}: cannot read: ${error instanceof Error ? error.message : String(error)}` })
  }).pipe(
    Effect.flatMap((text) => Manifest.fromJson(text).pipe(Effect.mapError((error) => new UsageError({ message: `--pipeline ${path}: ${error.message}` }))))
  )

/** The media `--tone`, `--pattern` or `--send` asks for, as streams to broadcast. */
const mediaFeeds = (media: CliOptions["media"]) =>
  Effect.gen(function*() {
    if (media === undefined) return []
    if (media._tag === "File") {
      const file = yield* openMediaFile(media.path)
      return [file.audio, file.video].filter((feed) => feed !== undefined)
    }
    const feeds: Array<Stream.Stream<RuntimeData, RunFailed>> = []
    if (media.toneHz !== undefined) feeds.push(toneFeed(media.toneHz))
    if (media.pattern !== undefined) feeds.push(patternFeed(media.pattern))
    return feeds
  })

/**
 * Runs a peer until `--duration` passes, the user stops it, or a peer / the signaling link fails. Prints
 * the summary once joined; fails with the error that decides the exit code.
 */
export const runPeer = Effect.fn("runPeer")(function*(options: CliOptions, io: RunIo) {
  const { reporter } = io
  const tallies = new PeerTallies()
  const fatal = yield* Deferred.make<never, CliError>()
  const firstPeer = yield* Deferred.make<void>()
  const runScope = yield* Effect.scope
  const transport = yield* makeWebRtcTransport(transportConfig(options)).pipe(Effect.mapError(configUsageError))
  if (options.bitrateKbps !== undefined) {
    yield* transport.configure({ targetBitrateKbps: options.bitrateKbps }).pipe(
      Effect.mapError((error) => new UsageError({ message: `--bitrate: ${error.message}` }))
    )
  }
  const manifest = options.pipeline === undefined ? undefined : yield* readManifest(options.pipeline)
  const feeds = yield* mediaFeeds(options.media)
  const recorder = options.recordDir === undefined ? undefined : yield* makeRecorder(options.recordDir)
  /** Runs `effect` in the background; its failure ends the run. */
  const supervise = <E extends CliError>(effect: Effect.Effect<unknown, E>) =>
    effect.pipe(Effect.catch((error) => Deferred.fail(fatal, error)), Effect.forkScoped({ startImmediately: true }))

  const send = (peerId: string, message: DataChannelMessage) =>
    transport.sendDataChannelMessage(peerId, message).pipe(
      Effect.tap(() =>
        Effect.sync(() => {
          const tally = tallies.get(peerId)
          if (tally !== undefined) tally.dataSent++
        })
      ),
      Effect.catch((error) => Effect.sync(() => reporter.event(`could not send to ${peerId}: ${error.message}`)))
    )

  const sendToAll = (message: DataChannelMessage) =>
    Effect.forEach(tallies.all().filter((peer) => peer.state === "Connected"), (peer) => send(peer.peerId, message), {
      discard: true
    })

  const onEvent = (event: TransportEvent): Effect.Effect<void> =>
    Match.valueTags(event, {
      PeerAnnounced: ({ peer }) => Effect.sync(() => reporter.event(`${peer.peerId} joined signaling`)),
      PeerConnected: ({ peerId }) =>
        Effect.gen(function*() {
          const tally = tallies.of(peerId, Date.now())
          tally.state = "Connected"
          tally.reason = undefined
          tally.connectedAtMs = Date.now()
          reporter.event(`connected to ${peerId}`)
          yield* Deferred.succeed(firstPeer, undefined)
          // In the background: the greeting waits for the data channel, events keep flowing meanwhile.
          if (options.say !== undefined) yield* Effect.forkIn(send(peerId, { _tag: "Text", payload: options.say }), runScope)
        }),
      PeerDisconnected: ({ peerId, reason }) => endLink(peerId, "Disconnected", reason, `disconnected from ${peerId} (${reason})`),
      PeerLeft: ({ peerId, reason }) =>
        tallies.get(peerId) === undefined
          ? Effect.sync(() => reporter.event(`${peerId} left signaling (${reason})`))
          : endLink(peerId, "Left", reason, `${peerId} left (${reason})`),
      // Fatal for a peer we were connected to; an attempt that fails before connecting is only reported (an
      // answering peer keeps serving and the offerer may try again; a --connect peer's attempts are `connect`'s).
      PeerFailed: ({ peerId, reason }) =>
        endLink(peerId, "Failed", reason, `connection to ${peerId} failed (${reason})`).pipe(
          Effect.andThen(
            tallies.get(peerId) === undefined
              ? Effect.void
              : Deferred.fail(fatal, new PeerFailure({ peerId, message: `peer ${peerId} failed: ${reason}` }))
          )
        ),
      PeerReconnecting: ({ attempt, delayMs, peerId, reason }) =>
        Effect.sync(() =>
          reporter.event(
            attempt === 0
              ? `connection to ${peerId} lost (${reason}), waiting for it to reconnect`
              : `connection to ${peerId} lost (${reason}), reconnecting (attempt ${attempt} in ${delayMs} ms)`
          )
        ),
      PeerReconnected: ({ attempts, peerId }) => Effect.sync(() => reporter.event(`reconnected to ${peerId} (${attempts} attempt(s))`)),
      PeerReconnectFailed: ({ attempts, peerId, reason }) =>
        Effect.sync(() => reporter.event(`gave up reconnecting to ${peerId} after ${attempts} attempt(s): ${reason}`)),
      CircuitOpened: ({ failures, peerId, retryAfterMs }) =>
        Effect.sync(() => reporter.event(`${peerId}: ${failures} failed attempts in a row, new ones refused for ${retryAfterMs} ms`)),
      CircuitClosed: ({ peerId }) => Effect.sync(() => reporter.event(`${peerId}: attempts allowed again`)),
      SignalingReconnecting: ({ attempt }) => Effect.sync(() => reporter.event(`signaling lost, reconnecting (attempt ${attempt})`)),
      SignalingReconnected: () => Effect.sync(() => reporter.event("signaling reconnected")),
      SignalingLost: () =>
        Deferred.fail(
          fatal,
          new SignalingUnavailable({ url: options.signalingUrl, message: `lost the signaling server ${options.signalingUrl}` })
        )
    }).pipe(Effect.asVoid)

  const endLink = (peerId: string, state: "Disconnected" | "Left" | "Failed", reason: string, line: string) =>
    Effect.sync(() => {
      const tally = tallies.get(peerId)
      if (tally !== undefined && tally.state !== "Failed") {
        tally.state = state
        tally.reason = reason
      }
      reporter.event(line)
    })

  const onMessage = ({ peerId, message }: ReceivedDataChannelMessage) =>
    Effect.gen(function*() {
      const tally = tallies.of(peerId, Date.now())
      tally.dataReceived++
      tally.dataBytesReceived += byteLength(message)
      reporter.event(`${peerId}: ${describe(message)}`)
      if (options.echo) yield* send(peerId, message)
    })

  const onMedia = ({ peerId, data }: { readonly peerId: string; readonly data: Audio | Video }) =>
    Effect.suspend(() => {
      countMedia(tallies.of(peerId, Date.now()), data)
      return recorder === undefined ? Effect.void : recorder.record(peerId, data)
    })

  const sendMedia = (data: RuntimeData) =>
    transport.broadcast(data).pipe(
      Effect.catchTag("NoPeersConnected", () => Effect.void),
      Effect.mapError((error) => new RunFailed({ message: `cannot send media: ${error.message}` }))
    )

  // Subscribe before start so that no event, message or frame is missed.
  yield* transport.events.pipe(Stream.runForEach(onEvent), Effect.forkScoped({ startImmediately: true }))
  yield* transport.dataChannelMessages.pipe(Stream.runForEach(onMessage), Effect.forkScoped({ startImmediately: true }))
  yield* supervise(transport.incoming.pipe(Stream.runForEach(onMedia)))

  yield* join(transport, options.signalingUrl)
  const startedAtMs = Date.now()
  reporter.event(`joined ${options.signalingUrl} as ${options.peerId}`)
  // Media starts with the first connection: a file is played to someone, not into the void.
  for (const feed of feeds) yield* supervise(Deferred.await(firstPeer).pipe(Effect.andThen(Stream.runForEach(feed, sendMedia))))
  if (manifest !== undefined) {
    const session = yield* transport.stream(manifest).pipe(
      Effect.mapError((error) => new RunFailed({ message: `--pipeline: ${error.message}` }))
    )
    reporter.event(`pipeline ${manifest.name ?? options.pipeline} running (${session.routing} routing)`)
    yield* supervise(session.done.pipe(Effect.mapError((error) => new RunFailed({ message: `pipeline failed: ${error.message}` }))))
  }

  // listPeers bounds its own stats reads, so a report (and the end of a run) never waits on werift.
  const report = transport.listPeers.pipe(
    Effect.orElseSucceed(() => []),
    Effect.map((connected) => statsReport(options.peerId, startedAtMs, Date.now(), tallies.all(), connected))
  )
  yield* Effect.forever(Effect.sleep("1 second").pipe(Effect.andThen(report), Effect.map(reporter.stats))).pipe(
    Effect.forkScoped
  )
  if (io.inputLines !== undefined) {
    yield* io.inputLines.pipe(
      Stream.runForEach((line) => sendToAll({ _tag: "Text", payload: line })),
      Effect.forkScoped
    )
  }

  const connectAll = Effect.forEach(options.connect, (peerId) => connect(transport, peerId, reporter), {
    concurrency: "unbounded",
    discard: true
  })
  // --duration counts from when every --connect peer is connected (connecting has its own timeout), so a
  // slow handshake never eats into the time asked for.
  const outcome = yield* Effect.raceAllFirst([
    connectAll.pipe(Effect.andThen(options.durationS === undefined ? Effect.never : Effect.sleep(options.durationS * 1000))),
    Deferred.await(fatal),
    io.stopRequested.pipe(Effect.asVoid)
  ]).pipe(Effect.exit)

  const final = yield* report
  yield* transport.shutdown.pipe(Effect.catch((error) => Effect.sync(() => reporter.event(error.message))))
  const unmet = unmetExpectation(options, tallies.all())
  const failure: CliError | undefined = Exit.isFailure(outcome)
    ? Option.getOrElse(Exit.findErrorOption(outcome), () => new RunFailed({ message: "the run was interrupted" }))
    : unmet === undefined
    ? undefined
    : new ExpectationUnmet({ message: unmet })
  reporter.summary({
    ...final,
    type: "summary",
    exitCode: failure === undefined ? ExitCode.Ok : exitCode(failure),
    error: failure?.message ?? null
  })
  if (failure !== undefined) return yield* failure
})
