/**
 * The demo conference: an embedded signaling server and STUN responder on loopback, a full mesh of
 * transports (alice, bob, carol, ...), chat lines between every pair, and (with `browser`) headless
 * Chromium joining through the web-client page. Samples every peer's figures once a second for the live
 * view and returns the final figures and the verdict. Everything it opens closes with its scope.
 *
 * @since 0.1.0
 */
import { Clock, Effect, Fiber, Predicate, Schedule, Stream } from "effect"
import { make as makeSignalingServer, makeStunResponder } from "@remotemedia/signaling-server"
import { makeWebClientServer, openInChromium, pageUrl } from "@remotemedia/web-client"
import { Manifest } from "@remotemedia/runtime-core"
import { makeWebRtcTransport, type WebRtcTransportService } from "@remotemedia/webrtc"
import { browserFigures, type BrowserFigures } from "./BrowserFigures.ts"
import { acceptChatLine, type ChatExpectations, chatLine } from "./ChatLine.ts"
import { type DemoOptions, DemoResolutions, peerNames } from "./DemoOptions.ts"
import { makeMediaReceipts, type MediaReceipts } from "./MediaReceipts.ts"
import { browserToneHz, conferenceManifest, receiveMedia, sendMedia, videoLoop, voiceFundamentals } from "./MediaFlow.ts"
import { linkFigures, type PeerFigures, peerRow, type PeerRow } from "./PeerFigures.ts"
import { type Expectations, judge, type SenderExpectation, type Verdict } from "./Verdict.ts"

/** The peer id the browser page joins as. */
export const browserPeerId = "browser"

/** One sample of every peer's row, for the report's charts. */
export interface Tick {
  readonly atMs: number
  readonly rows: ReadonlyArray<PeerRow>
}

/** What a finished conference returns. */
export interface ConferenceResult {
  readonly signalingUrl: string
  readonly durationMs: number
  readonly peers: ReadonlyArray<PeerFigures>
  readonly browser: BrowserFigures | undefined
  readonly history: ReadonlyArray<Tick>
  readonly verdict: Verdict
}

/** One transport of the mesh and its chat counters. */
interface Participant {
  readonly peerId: string
  readonly transport: WebRtcTransportService
  readonly nextSeq: Map<string, number>
  readonly expected: ChatExpectations
  readonly receipts: MediaReceipts
  sent: number
  received: number
  corrupted: number
}

/** How long chat keeps quiet at the end so that every line sent can arrive before the verdict. */
const drainMs = 1_500

/** The page's canvas size (web-client `media.js`). */
const browserResolution = "640x360"


const figuresOf = (participant: Participant, expectedLinks: number) =>
  participant.transport.listPeers.pipe(
    Effect.orElseSucceed(() => []),
    Effect.map((infos): PeerFigures => ({
      peerId: participant.peerId,
      expectedLinks,
      links: infos.map(linkFigures),
      chat: { sent: participant.sent, received: participant.received, corrupted: participant.corrupted },
      media: participant.receipts.summary()
    }))
  )

/** Runs the conference for `options.durationSeconds`; `onTick` sees every sample (the live view). */
export const runConference = Effect.fn("Demo.runConference")(function*(
  options: DemoOptions,
  onTick: (tick: Tick) => Effect.Effect<void>
) {
  const startedAt = yield* Clock.currentTimeMillis
  const signaling = yield* makeSignalingServer()
  const stun = yield* makeStunResponder()
  const names = peerNames(options.peers)
  const participants: Array<Participant> = []
  for (const peerId of names) {
    const transport = yield* makeWebRtcTransport({
      signalingUrl: signaling.url,
      peerId,
      stunServers: [stun.url],
      candidateHosts: "loopback",
      videoCodec: options.codec,
      rtcpIntervalMs: 1_000
    })
    participants.push({
      peerId, transport, nextSeq: new Map(), expected: new Map(), receipts: makeMediaReceipts(), sent: 0, received: 0, corrupted: 0
    })
  }
  const { width, height } = DemoResolutions[options.resolution]
  const expectations: Expectations = {
    host: names[0]!,
    senders: new Map<string, SenderExpectation>([
      ...names.map((peerId, index) => [peerId, { fundamentalHz: voiceFundamentals[index]!, resolution: `${width}x${height}` }] as const),
      ...(options.browser ? [[browserPeerId, { fundamentalHz: browserToneHz, resolution: browserResolution, mayScaleDown: true }] as const] : [])
    ]),
    toneTolerance: 0.04
  }
  const expectedLinks = names.length - 1 + (options.browser ? 1 : 0)

  // Subscribed before anything connects: no line or frame can be missed.
  for (const participant of participants) {
    yield* receiveMedia(participant.transport, participant.receipts).pipe(Effect.forkScoped({ startImmediately: true }))
    yield* participant.transport.dataChannelMessages.pipe(
      Stream.runForEach(({ peerId, message }) =>
        Effect.sync(() => {
          if (peerId === browserPeerId) return
          const ok = Predicate.isTagged(message, "Text") && acceptChatLine(participant.expected, peerId, message.payload)
          if (ok) participant.received++
          else participant.corrupted++
        })
      ),
      Effect.forkScoped({ startImmediately: true })
    )
  }

  yield* Effect.forEach(participants, ({ transport }) => transport.start, { concurrency: "unbounded", discard: true })
  // One offer per pair: the earlier peer calls the later one.
  yield* Effect.forEach(
    participants.flatMap((caller, index) => participants.slice(index + 1).map((callee) => [caller, callee] as const)),
    ([caller, callee]) => caller.transport.connectPeer(callee.peerId),
    { concurrency: "unbounded", discard: true }
  )

  // Fails with BrowserUnavailable when Chromium is missing: asked for, the browser is never skipped silently.
  const page = options.browser
    ? yield* Effect.gen(function*() {
      const server = yield* makeWebClientServer()
      return yield* openInChromium(pageUrl(server.url, { signalingUrl: signaling.url, stunUrl: stun.url, peerId: browserPeerId, toneHz: browserToneHz }))
    })
    : undefined

  // The first peer hosts the conference: guests talk to it, and its NoiseGate -> Gain -> Mixer (mix-minus)
  // session sends each guest the mix of the other guests. Video goes peer to peer.
  const host = participants[0]!
  yield* host.transport.stream(yield* Manifest.fromUnknown(conferenceManifest), { routing: "broadcast", media: ["audio"] })
  const frames = videoLoop(width, height, options.fps)
  const senders = yield* Effect.forEach(participants, ({ transport }, index) =>
    sendMedia(transport, {
      voice: index === 0 ? undefined : { fundamentalHz: voiceFundamentals[index]!, to: host.peerId },
      frames,
      fps: options.fps
    }).pipe(Effect.forkScoped))

  const sample = Effect.gen(function*() {
    const peers = yield* Effect.forEach(participants, (participant) => figuresOf(participant, expectedLinks))
    return { atMs: (yield* Clock.currentTimeMillis) - startedAt, peers }
  })
  const history: Array<Tick> = []
  const sampler = yield* sample.pipe(
    Effect.flatMap(({ atMs, peers }) => {
      const tick = { atMs, rows: peers.map(peerRow) }
      history.push(tick)
      return onTick(tick)
    }),
    Effect.repeat(Schedule.spaced("1 second")),
    Effect.forkScoped
  )

  // Every second each peer says its next line to every other connected peer (the browser included).
  const chatRound = Effect.forEach(participants, (participant) =>
    participant.transport.listPeers.pipe(
      Effect.orElseSucceed(() => []),
      Effect.flatMap((connected) =>
        Effect.forEach(connected, ({ peerId }) => {
          const seq = participant.nextSeq.get(peerId) ?? 0
          return participant.transport.sendDataChannelMessage(peerId, { _tag: "Text", payload: chatLine(participant.peerId, seq) }).pipe(
            Effect.tap(() =>
              Effect.sync(() => {
                participant.nextSeq.set(peerId, seq + 1)
                if (peerId !== browserPeerId) participant.sent++
              })
            ),
            Effect.ignore
          )
        }, { discard: true })
      )
    ), { concurrency: "unbounded", discard: true })
  const chatter = yield* chatRound.pipe(Effect.repeat(Schedule.spaced("1 second")), Effect.forkScoped)

  yield* Effect.sleep(Math.max(options.durationSeconds * 1_000 - drainMs, 0))
  yield* Fiber.interrupt(chatter)
  yield* Effect.sleep(drainMs)
  yield* Fiber.interrupt(sampler)
  yield* Fiber.interruptAll(senders)

  const final = yield* sample
  const browser = page === undefined ? undefined : yield* browserFigures(page)
  yield* Effect.forEach(participants, ({ transport }) => transport.shutdown.pipe(Effect.ignore), { concurrency: "unbounded", discard: true })
  return {
    signalingUrl: signaling.url,
    durationMs: final.atMs,
    peers: final.peers,
    browser,
    history,
    verdict: judge(final.peers, expectations)
  } satisfies ConferenceResult
})
