/**
 * Mesh benchmark: `WebRtcTransport.connectPeer` against raw werift doing the same negotiation (same ICE,
 * codec and data-channel setup, candidates passed directly), measured in the same run, alternating rounds
 * so machine noise hits both alike.
 *
 *   scripts/netns node --conditions=source packages/webrtc/bench/mesh.bench.ts
 *
 * - connect, one process: one pair, createOffer (ours: connectPeer) → Connected. Ours goes through the real
 *   signaling server over WebSocket; raw werift hands messages over directly.
 * - connect, two processes: the remote in a child process. Ours: a transport in the child, the real
 *   server between; raw werift: a werift peer in the child, SDP and candidates as JSON lines over a pipe.
 * - mesh: N transports (default 10) form a full mesh, every pair connecting at once, → all Connected
 *   (in-process signaling hub, so the server's 50 msg/s rate limit is not what is measured).
 * - memory: heap + RSS growth per peer connection after the mesh has formed (GC forced when available).
 */
import { spawn } from "node:child_process"
import { createInterface } from "node:readline"
import { fileURLToPath } from "node:url"
import { Effect, Layer } from "effect"
import type { RTCPeerConnection } from "werift"
import { decodeConfig } from "../src/config/WebRtcTransportConfig.ts"
import type { WebRtcTransportService } from "../src/transport/WebRtcTransport.ts"
import { makeMemorySignaling } from "../test/support/memorySignaling.ts"
import { signalingEnv } from "../test/support/signalingEnv.ts"
import { startedTransport } from "../test/support/testTransport.ts"
import { header, row, summarise } from "./mediaStats.ts"
import { connectedState, rawPeer } from "./meshRawPeer.ts"

const ROUNDS = Number(process.env.ROUNDS ?? 15)
const MESH_SIZE = Number(process.env.MESH_SIZE ?? 10)
const MESH_ROUNDS = Number(process.env.MESH_ROUNDS ?? 2)

const mib = (samples: ReadonlyArray<number>) => {
  const s = summarise(samples)
  return `median ${s.median.toFixed(2)} MiB  min-max ${s.min.toFixed(2)}-${s.max.toFixed(2)}`
}

/** Raw werift: offer/answer and trickled candidates handed over directly. Resolves when both are Connected. */
const rawConnect = async (a: RTCPeerConnection, b: RTCPeerConnection) => {
  a.onIceCandidate.subscribe((c) => void (c === undefined ? undefined : b.addIceCandidate(c)))
  b.onIceCandidate.subscribe((c) => void (c === undefined ? undefined : a.addIceCandidate(c)))
  const both = Promise.all([connectedState(a), connectedState(b)])
  await a.setLocalDescription(await a.createOffer())
  await b.setRemoteDescription(a.localDescription!)
  await b.setLocalDescription(await b.createAnswer())
  await a.setRemoteDescription(b.localDescription!)
  await both
}

const memory = () => {
  globalThis.gc?.()
  const { heapUsed, rss } = process.memoryUsage()
  return { heapUsed, rss }
}

const here = (file: string) => fileURLToPath(new URL(file, import.meta.url))

/** A child process speaking JSON lines; yields a writer and a line iterator, killed with the scope. */
const spawnLines = (args: ReadonlyArray<string>) =>
  Effect.acquireRelease(
    Effect.sync(() => spawn(process.execPath, ["--conditions=source", ...args], { stdio: ["pipe", "pipe", "inherit"] })),
    (child) => Effect.sync(() => child.kill("SIGKILL"))
  ).pipe(Effect.map((child) => ({ child, lines: createInterface({ input: child.stdout! }) })))

const program = Effect.gen(function*() {
  const urls = yield* signalingEnv()
  const { stunUrl } = urls
  const config = yield* decodeConfig({ ...urls, peerId: "raw", stunServers: [stunUrl], candidateHosts: "loopback" })

  const rawRound = Effect.promise(async () => {
    const a = rawPeer(config)
    const b = rawPeer(config)
    const started = performance.now()
    await rawConnect(a, b)
    const elapsed = performance.now() - started
    await Promise.all([a.close(), b.close()])
    return elapsed
  })

  const oursRound = (round: number) =>
    Effect.scoped(Effect.gen(function*() {
      const alice = yield* startedTransport(`alice${round}`, urls)
      yield* startedTransport(`bob${round}`, urls)
      const started = performance.now()
      yield* alice.connectPeer(`bob${round}`)
      return performance.now() - started
    }))

  // Warm-up (JIT, certificate generation code paths), not recorded.
  yield* rawRound
  yield* oursRound(-1)
  const raw: Array<number> = []
  const ours: Array<number> = []
  for (let round = 0; round < ROUNDS; round++) {
    raw.push(yield* rawRound)
    ours.push(yield* oursRound(round))
  }
  console.log(`connect, one process (${ROUNDS} rounds, alternating; target <= 1.2x of raw werift)`)
  console.log(header)
  console.log(row("raw werift", summarise(raw)))
  console.log(row("WebRtcTransport.connectPeer", summarise(ours), summarise(raw)))

  // Two processes: one long-lived child each, a fresh connection per round.
  const rawChild = yield* spawnLines([here("./meshRawChild.ts"), stunUrl])
  const rawTwoProcessRound = Effect.promise(async () => {
    const pc = rawPeer(config)
    pc.onIceCandidate.subscribe((c) => c !== undefined && rawChild.child.stdin!.write(`${JSON.stringify({ type: "candidate", candidate: c.toJSON() })}\n`))
    const onLine = (line: string) => {
      const message = JSON.parse(line) as { type: "answer"; sdp: string } | { type: "candidate"; candidate: { candidate: string } }
      if (message.type === "answer") void pc.setRemoteDescription({ type: "answer", sdp: message.sdp })
      else void pc.addIceCandidate(message.candidate).catch(() => undefined) // a previous round's late candidate
    }
    rawChild.lines.on("line", onLine)
    const connected = connectedState(pc)
    const started = performance.now()
    await pc.setLocalDescription(await pc.createOffer())
    rawChild.child.stdin!.write(`${JSON.stringify({ type: "offer", sdp: pc.localDescription!.sdp })}\n`)
    await connected
    const elapsed = performance.now() - started
    rawChild.lines.off("line", onLine)
    await pc.close()
    return elapsed
  })
  const childTransport = yield* spawnLines([here("../test/support/childTransport.ts"), "bench-child", urls.signalingUrl, stunUrl])
  yield* Effect.callback<void>((resume) => {
    childTransport.lines.once("line", () => resume(Effect.void))
  })
  const parent = yield* startedTransport("bench-parent", urls)
  const oursTwoProcessRound = Effect.gen(function*() {
    const started = performance.now()
    yield* parent.connectPeer("bench-child")
    const elapsed = performance.now() - started
    yield* parent.disconnectPeer("bench-child")
    return elapsed
  })
  yield* rawTwoProcessRound
  yield* oursTwoProcessRound
  const raw2: Array<number> = []
  const ours2: Array<number> = []
  for (let round = 0; round < ROUNDS; round++) {
    raw2.push(yield* rawTwoProcessRound)
    ours2.push(yield* oursTwoProcessRound)
  }
  console.log(`\nconnect, two processes (${ROUNDS} rounds, alternating; target <= 1.2x of raw werift)`)
  console.log(header)
  console.log(row("raw werift (pipe relay)", summarise(raw2)))
  console.log(row("WebRtcTransport (server)", summarise(ours2), summarise(raw2)))

  const rawMesh = Effect.promise(async () => {
    const before = memory()
    const pairs: Array<readonly [RTCPeerConnection, RTCPeerConnection]> = []
    for (let i = 0; i < MESH_SIZE; i++) {
      for (let j = i + 1; j < MESH_SIZE; j++) pairs.push([rawPeer(config), rawPeer(config)])
    }
    const started = performance.now()
    // Under load raw werift sometimes fails a pair: count it rather than abort the run.
    const outcomes = await Promise.allSettled(pairs.map(([a, b]) => rawConnect(a, b)))
    const elapsed = performance.now() - started
    const failed = outcomes.filter((o) => o.status === "rejected").length
    if (failed > 0) console.log(`  (raw werift: ${failed} of ${pairs.length} pairs failed in this round)`)
    const after = memory()
    await Promise.all(pairs.flatMap((pair) => pair.map((pc) => pc.close())))
    return { elapsed, before, after, connections: MESH_SIZE * (MESH_SIZE - 1) }
  })

  const oursMesh = (round: number) =>
    Effect.scoped(Effect.gen(function*() {
      const before = memory()
      const hub = yield* makeMemorySignaling
      const transports: Array<WebRtcTransportService> = []
      for (let i = 0; i < MESH_SIZE; i++) {
        // A generous timeout: on a loaded 2-core machine 45 simultaneous DTLS handshakes take seconds.
        const transport = startedTransport(`m${round}p${i}`, urls, { connectTimeoutMs: 60_000 })
        transports.push(yield* transport.pipe(Effect.provide(Layer.fresh(hub.layer))))
      }
      const started = performance.now()
      const connects: Array<Effect.Effect<unknown, unknown>> = []
      for (let i = 0; i < MESH_SIZE; i++) {
        for (let j = i + 1; j < MESH_SIZE; j++) connects.push(transports[i]!.connectPeer(`m${round}p${j}`))
      }
      yield* Effect.all(connects, { concurrency: "unbounded" })
      const elapsed = performance.now() - started
      const after = memory()
      return { elapsed, before, after, connections: MESH_SIZE * (MESH_SIZE - 1) }
    }))

  const rawMeshes: Array<Effect.Success<typeof rawMesh>> = []
  const ourMeshes: Array<Effect.Success<ReturnType<typeof oursMesh>>> = []
  for (let round = 0; round < MESH_ROUNDS; round++) {
    rawMeshes.push(yield* rawMesh)
    ourMeshes.push(yield* oursMesh(round))
  }
  console.log(`\nfull mesh of ${MESH_SIZE} (${MESH_SIZE * (MESH_SIZE - 1) / 2} pairs at once, ${MESH_ROUNDS} rounds)`)
  console.log(header)
  const rawMeshTimes = summarise(rawMeshes.map((m) => m.elapsed))
  console.log(row("raw werift", rawMeshTimes))
  console.log(row("WebRtcTransport", summarise(ourMeshes.map((m) => m.elapsed)), rawMeshTimes))
  const perPeer = (m: { before: { heapUsed: number; rss: number }; after: { heapUsed: number; rss: number }; connections: number }) => ({
    heap: (m.after.heapUsed - m.before.heapUsed) / m.connections / 1024 / 1024,
    rss: (m.after.rss - m.before.rss) / m.connections / 1024 / 1024
  })
  console.log(`\nmemory per peer connection (MiB, growth after the mesh formed${globalThis.gc === undefined ? "; run with --expose-gc for a forced GC" : ""})`)
  console.log(`  raw werift       heap ${mib(rawMeshes.map((m) => perPeer(m).heap))}   rss ${mib(rawMeshes.map((m) => perPeer(m).rss))}`)
  console.log(`  WebRtcTransport  heap ${mib(ourMeshes.map((m) => perPeer(m).heap))}   rss ${mib(ourMeshes.map((m) => perPeer(m).rss))}  (target <= 2 MiB)`)
})

Effect.runPromise(Effect.scoped(program)).then(
  () => process.exit(0),
  (error) => {
    console.error(error)
    process.exit(1)
  }
)
