/**
 * Where the time of an audio send goes, one 20 ms mono frame per call, each call alternating with its
 * baseline on the same frame at the rate of a live source (one frame every 20 ms):
 *
 * - one connection's media path (`PeerMedia.sendAudio`: framer, Opus, packetizer, track rewrite, werift)
 *   against raw werift (bare libopus encode, our packetizer, `RTCRtpSender.sendRtp` on the same sender);
 * - `sendToPeer` to one peer and `broadcast` to PEERS peers through the transport, against the bare encode.
 *
 * Every peer runs in this process on loopback:
 *
 *   scripts/netns node --conditions=source packages/webrtc/bench/audioSend.bench.ts
 *
 * FRAMES (default 500) frames per figure after 20 warm-up frames; PEERS (default 10) for the broadcast.
 *
 * Besides time, it counts the Effect operations a call runs (the fiber's op counter, median over calls): a
 * fiber yields to the event loop every 2048 operations, and a call that yields waits behind every other
 * callback in the process, so fewer operations per call means fewer calls that take a whole turn.
 */
import { performance } from "node:perf_hooks"
import opus from "@discordjs/opus"
import { audio } from "@remotemedia/runtime-core"
import { makeSineTone } from "@remotemedia/signals"
import { Effect, Stream } from "effect"
import type { RTCRtpSender } from "werift"
import { makePacketizer } from "../src/media/rtp/Packetizer.ts"
import { makeRtpClock } from "../src/media/rtp/RtpClock.ts"
import type { WebRtcTransportService } from "../src/transport/WebRtcTransport.ts"
import { peerMediaPair } from "../test/media-path/support/peerMediaPair.ts"
import { signalingEnv } from "../test/support/signalingEnv.ts"
import { startedTransport } from "../test/support/testTransport.ts"

const FRAMES = Number(process.env.FRAMES ?? 500)
const PEERS = Number(process.env.PEERS ?? 10)
const WARMUP = 20

const percentile = (sorted: ReadonlyArray<number>, p: number) => sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))]!

const row = (name: string, samples: ReadonlyArray<number>) => {
  const sorted = [...samples].sort((a, b) => a - b)
  const f = (n: number) => n.toFixed(3)
  console.log(`  ${name.padEnd(24)} median ${f(percentile(sorted, 50))} ms  p90 ${f(percentile(sorted, 90))}  p99 ${f(percentile(sorted, 99))}  ` +
    `min-max ${f(sorted[0]!)}-${f(sorted.at(-1)!)}  (n=${samples.length})`)
}

const tone = makeSineTone({ frequency: 440, sampleRate: 48_000, amplitude: 0.5 })
const chunks = Array.from({ length: 50 }, () => tone.next(960))
const pcm = chunks.map((chunk) => {
  const out = Buffer.alloc(chunk.length * 2)
  chunk.forEach((s, i) => out.writeInt16LE(Math.round(s * 32767), i * 2))
  return out
})

const bareEncoder = new opus.OpusEncoder(48_000, 1)
const bareEncode = (i: number) => void bareEncoder.encode(pcm[i % pcm.length]!)

/** `send` and `baseline` alternating, one frame per 20 ms; prints both. */
const measure = (name: string, send: (frame: Float32Array) => Effect.Effect<unknown, unknown>, baseline: (i: number) => void = bareEncode) =>
  Effect.gen(function*() {
    const bareMs: Array<number> = []
    const oursMs: Array<number> = []
    const ops: Array<number> = []
    const opCount = Effect.withFiber((fiber) => Effect.succeed(fiber.currentOpCount))
    const started = performance.now()
    for (let i = 0; i < WARMUP + FRAMES; i++) {
      let t = performance.now()
      baseline(i)
      const b = performance.now() - t
      const opsBefore = yield* opCount
      t = performance.now()
      yield* send(chunks[i % chunks.length]!)
      const o = performance.now() - t
      const opsAfter = yield* opCount
      if (i >= WARMUP) {
        bareMs.push(b)
        oursMs.push(o)
        // A call that yielded restarted the counter: it says nothing about the call's size.
        if (opsAfter > opsBefore) ops.push(opsAfter - opsBefore)
      }
      const wait = started + (i + 1) * 20 - performance.now()
      if (wait > 0) yield* Effect.sleep(`${wait} millis`)
    }
    console.log(name)
    row(baseline === bareEncode ? "bare libopus encode" : "baseline", bareMs)
    row("ours", oursMs)
    const over = oursMs.map((o, i) => o - bareMs[i]!).sort((a, b) => a - b)
    console.log(`  over ${baseline === bareEncode ? "bare" : "baseline"}: median ${percentile(over, 50).toFixed(3)} ms, p99 ${percentile(over, 99).toFixed(3)} ms; ` +
      `Effect operations per call: median ${percentile(ops.sort((a, b) => a - b), 50)}`)
  })

/** Bare encode, our packetizer and werift's `sendRtp` on `sender`: what any werift application pays. */
const rawWeriftSend = (sender: RTCRtpSender) => {
  const packetizer = makePacketizer("opus")
  const clock = makeRtpClock(48_000)
  return (i: number) => {
    for (const packet of packetizer.packetize(bareEncoder.encode(pcm[i % pcm.length]!), clock.timestampAt(i * 20_000), false)) {
      sender.sendRtp(packet).catch(() => undefined)
    }
  }
}

const program = Effect.gen(function*() {
  const { alice } = yield* peerMediaPair()
  yield* measure("one connection: PeerMedia.sendAudio vs raw werift (encode + packetize + sendRtp)", (frame) => alice.media.sendAudio(audio(frame, 48_000)), rawWeriftSend(alice.actor.audio.sender))
  const urls = yield* signalingEnv()
  const hub = yield* startedTransport("hub", urls, { connectTimeoutMs: 30_000 })
  const peers: Array<WebRtcTransportService> = []
  for (let i = 0; i < PEERS; i++) {
    const peer = yield* startedTransport(`peer${i}`, urls, { connectTimeoutMs: 30_000 })
    yield* Effect.forkScoped(Stream.runDrain(peer.incoming))
    yield* hub.connectPeer(peer.config.peerId)
    peers.push(peer)
  }
  yield* measure("audio sendToPeer, one 20 ms frame", (frame) => hub.sendToPeer("peer0", audio(frame, 48_000)))
  yield* measure(`audio broadcast to ${PEERS}, one 20 ms frame`, (frame) => hub.broadcast(audio(frame, 48_000)))
})

await Effect.runPromise(Effect.scoped(program))
