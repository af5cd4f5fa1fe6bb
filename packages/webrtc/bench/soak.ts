/**
 * Soak: a full mesh of PEERS transports in this process, every peer broadcasting a 440 Hz tone (20 ms Opus
 * frames) and sending sequence-numbered data-channel messages to every other peer, for DURATION_S seconds.
 * Not a CI test (it loads the machine): run it by hand.
 *
 *   scripts/netns node --conditions=source --expose-gc packages/webrtc/bench/soak.ts
 *   PEERS=10 DURATION_S=600 SAMPLE_S=10 DATA_PER_S=2 (defaults)
 *
 * Prints one row per sample (RSS, heap after GC, open handles, event-loop delay p99, traffic so far) next to
 * the idle baseline measured before the mesh formed, then the verdict: data messages lost or out of order
 * (per sender→receiver stream), audio frames received against sent, and the heap/handle drift over the run.
 */
import { monitorEventLoopDelay } from "node:perf_hooks"
import { audio } from "@remotemedia/runtime-core"
import { makeSineTone } from "@remotemedia/signals"
import { Effect, Fiber, Schedule, Stream } from "effect"
import type { WebRtcTransportService } from "../src/transport/WebRtcTransport.ts"
import { SequenceChecker, sequenced, sequenceOf } from "../test/reliability/support/sequencedMessages.ts"
import { signalingEnv } from "../test/support/signalingEnv.ts"
import { startedTransport } from "../test/support/testTransport.ts"

const PEERS = Number(process.env["PEERS"] ?? 10)
const DURATION_S = Number(process.env["DURATION_S"] ?? 600)
const SAMPLE_S = Number(process.env["SAMPLE_S"] ?? 10)
const DATA_PER_S = Number(process.env["DATA_PER_S"] ?? 2)

const collectGarbage = (globalThis as { gc?: () => void }).gc

interface Sample {
  readonly atS: number
  readonly rssMiB: number
  readonly heapMiB: number
  readonly handles: number
  readonly udp: number
  readonly timers: number
  readonly loopP99Ms: number
  readonly dataReceived: number
  readonly audioFrames: number
}

const mib = (bytes: number) => bytes / 2 ** 20

/** Least-squares slope of `ys` over `xs` (per unit of x). */
const slope = (xs: ReadonlyArray<number>, ys: ReadonlyArray<number>) => {
  const n = xs.length
  const mx = xs.reduce((a, b) => a + b, 0) / n
  const my = ys.reduce((a, b) => a + b, 0) / n
  const num = xs.reduce((acc, x, i) => acc + (x - mx) * ((ys[i] ?? 0) - my), 0)
  const den = xs.reduce((acc, x) => acc + (x - mx) ** 2, 0)
  return den === 0 ? 0 : num / den
}

const program = Effect.gen(function*() {
  const loopDelay = monitorEventLoopDelay({ resolution: 10 })
  loopDelay.enable()
  const startedAt = performance.now()
  const counters = { dataReceived: 0, audioFrames: 0 }

  const sample = (): Sample => {
    collectGarbage?.()
    const resources = process.getActiveResourcesInfo()
    const memory = process.memoryUsage()
    const row: Sample = {
      atS: (performance.now() - startedAt) / 1000,
      rssMiB: mib(memory.rss),
      heapMiB: mib(memory.heapUsed),
      handles: resources.length,
      udp: resources.filter((kind) => kind === "UDPWrap").length,
      timers: resources.filter((kind) => kind === "Timeout").length,
      loopP99Ms: loopDelay.percentile(99) / 1e6,
      ...counters
    }
    loopDelay.reset()
    return row
  }
  const print = (label: string, s: Sample) =>
    console.log(
      [label.padEnd(9), s.atS.toFixed(0).padStart(5), s.rssMiB.toFixed(1).padStart(8), s.heapMiB.toFixed(1).padStart(8),
        String(s.handles).padStart(8), String(s.udp).padStart(5), String(s.timers).padStart(7), s.loopP99Ms.toFixed(1).padStart(9),
        String(s.dataReceived).padStart(10), String(s.audioFrames).padStart(10)].join(" ")
    )

  const urls = yield* signalingEnv()
  console.log(`soak: ${PEERS} peers, full mesh, ${DURATION_S} s, audio 20 ms frames broadcast + ${DATA_PER_S} data msg/s per stream`)
  console.log(["", "t(s)", "rss MiB", "heap MiB", "handles", "udp", "timers", "loop p99", "data rx", "audio rx"].map((h, i) => i === 0 ? h.padEnd(9) : h.padStart(i >= 8 ? 10 : 8)).join(" "))
  const idle = sample()
  print("baseline", idle)

  const names = Array.from({ length: PEERS }, (_, i) => `soak${i}`)
  // A generous connect timeout: forming the mesh is not what is measured, and the machine may be busy.
  const peers: ReadonlyArray<WebRtcTransportService> = yield* Effect.forEach(names, (name) => startedTransport(name, urls, { connectTimeoutMs: 30_000 }))
  const pairs = names.flatMap((_, i) => names.slice(i + 1).map((b) => [i, b] as const))
  yield* Effect.forEach(pairs, ([i, b]) => peers[i]!.connectPeer(b), { concurrency: 4, discard: true })
  console.log(`mesh of ${pairs.length} connections formed in ${((performance.now() - startedAt) / 1000).toFixed(1)} s`)

  // Receivers: one sequence check per sender→receiver stream, and a count of decoded audio frames.
  const checkers = new Map<string, SequenceChecker>()
  const checkerFor = (from: string, to: string) => {
    const key = `${from}->${to}`
    const existing = checkers.get(key)
    if (existing !== undefined) return existing
    const created = new SequenceChecker()
    checkers.set(key, created)
    return created
  }
  for (const peer of peers) {
    yield* Effect.forkScoped(Stream.runForEach(peer.dataChannelMessages, ({ peerId, message }) =>
      Effect.sync(() => {
        counters.dataReceived++
        checkerFor(peerId, peer.config.peerId).accept(sequenceOf(message))
      })), { startImmediately: true })
    yield* Effect.forkScoped(Stream.runForEach(peer.incoming, () => Effect.sync(() => void counters.audioFrames++)), { startImmediately: true })
  }

  // Senders: a tone per peer, and a sequenced data stream to every other peer.
  const sent = new Map<string, number>()
  let audioFramesSent = 0
  const senders = yield* Effect.forEach(peers, (peer) =>
    Effect.gen(function*() {
      const tone = makeSineTone({ frequency: 440, sampleRate: 48_000 })
      const audioLoop = Effect.suspend(() => peer.broadcast(audio(tone.next(960), 48_000))).pipe(
        Effect.tap((stats) => Effect.sync(() => void (audioFramesSent += stats.sentCount))),
        Effect.ignore,
        Effect.repeat(Schedule.spaced("20 millis"))
      )
      const dataLoop = Effect.forEach(names.filter((name) => name !== peer.config.peerId), (to) =>
        Effect.suspend(() => {
          const key = `${peer.config.peerId}->${to}`
          const seq = sent.get(key) ?? 0
          return peer.sendDataChannelMessage(to, sequenced(seq)).pipe(Effect.tap(() => Effect.sync(() => sent.set(key, seq + 1))))
        }), { discard: true }).pipe(Effect.ignore, Effect.repeat(Schedule.spaced(`${Math.round(1000 / DATA_PER_S)} millis`)))
      return yield* Effect.forkScoped(Effect.all([audioLoop, dataLoop], { concurrency: 2, discard: true }))
    }))

  const samples: Array<Sample> = []
  const endAt = performance.now() + DURATION_S * 1000
  while (performance.now() < endAt) {
    yield* Effect.sleep(`${SAMPLE_S} seconds`)
    const s = sample()
    samples.push(s)
    print("sample", s)
  }
  yield* Fiber.interruptAll(senders)

  // Drain: every message a send completed for must arrive (wait for the counts, fail loudly after 30 s).
  const expected = [...sent.values()].reduce((a, b) => a + b, 0)
  yield* Effect.sync(() => [...checkers.values()].reduce((a, c) => a + c.received, 0)).pipe(
    Effect.repeat({ schedule: Schedule.spaced("200 millis"), until: (got) => got >= expected }),
    Effect.timeoutOption("30 seconds")
  )
  let lost = 0
  let disordered = 0
  for (const [key, count] of sent) {
    const checker = checkers.get(key) ?? new SequenceChecker()
    lost += count - checker.received
    disordered += checker.outOfOrder
  }
  const steady = samples.filter((s) => s.atS >= Math.min(60, DURATION_S / 3))
  const heapSlope = slope(steady.map((s) => s.atS / 60), steady.map((s) => s.heapMiB))
  const rssSlope = slope(steady.map((s) => s.atS / 60), steady.map((s) => s.rssMiB))
  const first = steady[0]
  const last = steady.at(-1)
  console.log(`data: ${expected} sent over ${sent.size} streams, ${expected - lost} received, ${lost} lost, ${disordered} out of order`)
  console.log(`audio: ${audioFramesSent} frame deliveries sent, ${counters.audioFrames} decoded frames received (${(100 * counters.audioFrames / Math.max(1, audioFramesSent)).toFixed(2)} %)`)
  console.log(`drift after warm-up: heap ${heapSlope.toFixed(3)} MiB/min, rss ${rssSlope.toFixed(3)} MiB/min; handles ${first?.handles} -> ${last?.handles}, udp ${first?.udp} -> ${last?.udp}`)
  console.log(`verdict: ${lost === 0 && disordered === 0 ? "no data lost or reordered" : "DATA LOST OR REORDERED"}`)
})

Effect.runPromise(Effect.scoped(program)).then(
  () => process.exit(0),
  (error: unknown) => {
    console.error(error)
    process.exit(1)
  }
)
