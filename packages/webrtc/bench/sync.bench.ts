/**
 * Sync benchmark, each figure next to a baseline measured in the same run:
 *
 *   scripts/netns node --conditions=source packages/webrtc/bench/sync.bench.ts
 *
 * - jitter buffer: push + pop per 20 ms audio frame under jitter and 5 % reordering, against the bare
 *   minimum any receive queue pays (Array push + shift of the same frames).
 * - peer sync: the whole per-peer path (two jitter buffers, SR mappings, A/V aligner) per frame, against
 *   the jitter buffer alone.
 * - relay: UDP round trip through the netsim relay (no impairment) against the same echo sent directly.
 *
 * Per-frame costs are timed in batches of `BATCH` frames (ns per frame); round trips one at a time (µs).
 */
import { createSocket, type Socket } from "node:dgram"
import { performance } from "node:perf_hooks"
import { Effect } from "effect"
import { makeUdpRelay } from "@remotemedia/netsim"
import { type JitterFrame, makeJitterBuffer, PeerSync } from "../src/sync/index.ts"

const BATCH = 1000
const BATCHES = Number(process.env.BATCHES ?? 200)
const ROUND_TRIPS = Number(process.env.ROUND_TRIPS ?? 2000)

const percentile = (sorted: ReadonlyArray<number>, p: number) =>
  sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] ?? Number.NaN

const row = (name: string, unit: string, samples: ReadonlyArray<number>) => {
  const sorted = [...samples].sort((a, b) => a - b)
  const f = (n: number) => n.toFixed(1)
  console.log(`  ${name.padEnd(30)} median ${f(percentile(sorted, 50))} ${unit}  p90 ${f(percentile(sorted, 90))}  ` +
    `p99 ${f(percentile(sorted, 99))}  min-max ${f(sorted[0]!)}-${f(sorted.at(-1)!)}  (n=${samples.length})`)
}

/** Frames of a 20 ms audio stream with 0-15 ms arrival jitter and every 20th frame 30 ms late. */
const arrivals = Array.from({ length: BATCH }, (_, i) => {
  const jitter = (i * 7919) % 16 + (i % 20 === 0 ? 30 : 0)
  return { atMs: i * 20 + jitter, frame: { seq: i % 65_536, rtpTimestamp: i * 960, payload: i } satisfies JitterFrame<number> }
}).sort((a, b) => a.atMs - b.atMs)

/** ns per frame of `run` over one batch, `BATCHES` times (after a warm-up). */
const perFrame = (run: () => void) => {
  for (let i = 0; i < 20; i++) run()
  return Array.from({ length: BATCHES }, () => {
    const start = performance.now()
    run()
    return ((performance.now() - start) * 1e6) / BATCH
  })
}

const bareQueue = () => {
  const queue: Array<JitterFrame<number>> = []
  let sink = 0
  for (const a of arrivals) {
    queue.push(a.frame)
    if (queue.length > 3) sink += queue.shift()!.payload
  }
  return sink
}

const jitterBuffer = () => {
  const buffer = Effect.runSync(makeJitterBuffer<number>({ clockRate: 48_000 }))
  for (const a of arrivals) {
    buffer.push(a.frame, a.atMs)
    while (buffer.pop(a.atMs) !== undefined);
  }
}

const jitterBufferConfig = { minDelayMs: 50, maxDelayMs: 200, initialDelayMs: 50, capacity: 512 }
const peerSync = () => {
  const sync = new PeerSync<number>({ jitterBuffer: jitterBufferConfig, audioClockRate: 48_000, videoClockRate: 90_000, stableAfterReports: 2 })
  let nextReportMs = 0
  for (const a of arrivals) {
    if (a.atMs >= nextReportMs) {
      sync.pushSenderReport({ ssrc: 1, ntpUs: 1e15 + a.atMs * 1000, rtpTimestamp: a.atMs * 48 })
      sync.pushSenderReport({ ssrc: 2, ntpUs: 1e15 + a.atMs * 1000, rtpTimestamp: a.atMs * 90 })
      nextReportMs += 1000
    }
    sync.pushFrame({ ssrc: 1, kind: "audio", ...a.frame }, a.atMs)
    if (a.frame.seq % 2 === 0) {
      sync.pushFrame({ ssrc: 2, kind: "video", seq: a.frame.seq / 2, rtpTimestamp: a.frame.seq * 1800, payload: a.frame.payload }, a.atMs + 40)
    }
    sync.pop(a.atMs)
  }
}

const socket = () =>
  new Promise<Socket>((resolve) => {
    const s = createSocket("udp4")
    s.bind(0, "127.0.0.1", () => resolve(s))
  })

/** µs per 64-byte round trip to `port`, one datagram in flight at a time. */
const roundTrips = async (client: Socket, port: number) => {
  const payload = Buffer.alloc(64)
  const samples: Array<number> = []
  for (let i = 0; i < ROUND_TRIPS; i++) {
    const start = performance.now()
    await new Promise<void>((resolve) => {
      client.once("message", () => resolve())
      client.send(payload, port, "127.0.0.1")
    })
    samples.push((performance.now() - start) * 1000)
  }
  return samples.slice(ROUND_TRIPS / 10)
}

const relayBench = Effect.gen(function*() {
  const echo = yield* Effect.promise(socket)
  echo.on("message", (message, remote) => echo.send(message, remote.port, remote.address))
  const client = yield* Effect.promise(socket)
  const relay = yield* makeUdpRelay({ target: { host: "127.0.0.1", port: echo.address().port } })
  const direct = yield* Effect.promise(() => roundTrips(client, echo.address().port))
  const relayed = yield* Effect.promise(() => roundTrips(client, relay.address.port))
  row("UDP round trip, direct", "µs", direct)
  row("UDP round trip, via relay", "µs", relayed)
  yield* Effect.promise(() => new Promise<void>((resolve) => client.close(() => echo.close(() => resolve()))))
})

console.log(`sync bench: ${BATCHES} batches of ${BATCH} frames; ${ROUND_TRIPS} UDP round trips`)
row("bare queue (baseline)", "ns/frame", perFrame(bareQueue))
row("JitterBuffer push+pop", "ns/frame", perFrame(jitterBuffer))
row("PeerSync, audio + video", "ns/frame", perFrame(peerSync))
await Effect.runPromise(Effect.scoped(relayBench))
