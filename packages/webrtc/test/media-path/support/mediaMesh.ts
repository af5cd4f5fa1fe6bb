/**
 * Helpers for media-path tests: connected transports over the real signaling server, a real-time tone
 * sender, and collectors for what arrives on `incoming`.
 */
import { audio, type Audio, type Video } from "@remotemedia/runtime-core"
import { makeSineTone } from "@remotemedia/signals"
import { type Duration, Effect, Fiber, Stream } from "effect"
import type { IncomingMedia } from "../../../src/media/IncomingMedia.ts"
import type { WebRtcTransportService } from "../../../src/transport/WebRtcTransport.ts"
import { signalingEnv } from "../../support/signalingEnv.ts"
import { startedTransport } from "../../support/testTransport.ts"

/**
 * Connection set-up may take well over the default 10 s on the shared 2-core machine when other suites
 * run: media tests are about media, so they give it 30 s.
 */
export const patient = { connectTimeoutMs: 30_000 } as const

/** Transports named `names`, the first connected to every other one. */
export const star = (names: ReadonlyArray<string>) =>
  Effect.gen(function*() {
    const urls = yield* signalingEnv()
    const transports = yield* Effect.forEach(names, (name) => startedTransport(name, urls, patient))
    const [hub, ...others] = transports
    yield* Effect.forEach(others, (other) => hub!.connectPeer(other.config.peerId), { concurrency: "unbounded" })
    return transports
  })

/** Starts collecting `count` incoming frames of `kind` from `from` now; the effect waits for them (20 s by default). */
export const collect = <K extends "Audio" | "Video">(transport: WebRtcTransportService, from: string, kind: K, count: number, timeout: Duration.Input = "20 seconds") =>
  transport.incoming.pipe(
    Stream.filter((m): m is IncomingMedia & { data: Extract<Audio | Video, { _tag: K }> } => m.peerId === from && m.data._tag === kind),
    Stream.take(count),
    Stream.runCollect,
    Effect.timeout(timeout),
    Effect.forkScoped({ startImmediately: true }),
    Effect.map(Fiber.join)
  )

/** Sends `frames` × 20 ms of a 440 Hz tone in real time through `send`; returns what was sent. */
export const sendTone = <E>(frames: number, send: (chunk: Audio) => Effect.Effect<unknown, E>) =>
  Effect.gen(function*() {
    const tone = makeSineTone({ frequency: 440, sampleRate: 48_000, amplitude: 0.5 })
    const sent: Array<Float32Array> = []
    for (let i = 0; i < frames; i++) {
      const chunk = tone.next(960)
      sent.push(chunk)
      yield* send(audio(chunk, 48_000, 1))
      // A live source produces 20 ms of audio every 20 ms.
      yield* Effect.sleep("20 millis")
    }
    return sent
  })
