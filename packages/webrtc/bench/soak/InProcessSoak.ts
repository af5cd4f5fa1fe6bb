/**
 * The single-process soak: a full mesh of transports in this process, each with its soak traffic. Cheaper
 * to start and easier to profile than the multi-process soak, but one event loop carries every peer (on
 * 2 cores it holds about 4 peers).
 */
import { Duration, Effect } from "effect"
import type { WebRtcTransportService } from "../../src/transport/WebRtcTransport.ts"
import { signalingEnv } from "../../test/support/signalingEnv.ts"
import { startedTransport } from "../../test/support/testTransport.ts"
import { makePeerTraffic } from "./PeerTraffic.ts"
import { printHeader, printRow, printVerdict, rowOf, type SoakRow, type StreamOutcome, sumTraffic } from "./SoakReport.ts"
import { makeHeapSnapshots } from "./HeapSnapshots.ts"
import { makeSampler } from "./SoakSample.ts"

export interface InProcessSoakOptions {
  readonly peers: number
  readonly durationS: number
  readonly sampleS: number
  readonly dataPerS: number
  /** Seconds at which to write a heap snapshot (into `snapshotDir`). */
  readonly snapshotAtS: ReadonlyArray<number>
  readonly snapshotDir: string
}

export const runInProcessSoak = (options: InProcessSoakOptions) =>
  Effect.gen(function*() {
    const startedAt = performance.now()
    const sample = makeSampler(startedAt)
    const snapshot = makeHeapSnapshots(options.snapshotDir, options.snapshotAtS)
    const urls = yield* signalingEnv()
    console.log(`soak: ${options.peers} peers in one process, full mesh, ${options.durationS} s, audio 20 ms frames broadcast + ${options.dataPerS} data msg/s per stream`)

    const names = Array.from({ length: options.peers }, (_, i) => `soak${i}`)
    // A generous connect timeout: forming the mesh is not what is measured, and the machine may be busy.
    const peers: ReadonlyArray<WebRtcTransportService> = yield* Effect.forEach(names, (name) => startedTransport(name, urls, { connectTimeoutMs: 30_000 }))
    const pairs = names.flatMap((_, i) => names.slice(i + 1).map((b) => [i, b] as const))
    yield* Effect.forEach(pairs, ([i, b]) => peers[i]!.connectPeer(b), { concurrency: 4, discard: true })
    console.log(`mesh of ${pairs.length} connections formed in ${((performance.now() - startedAt) / 1000).toFixed(1)} s`)

    const traffic = yield* Effect.forEach(peers, makePeerTraffic)
    yield* Effect.forEach(traffic, (t, i) => t.startSending(names.filter((_, j) => j !== i), options.dataPerS))
    const connections = Effect.map(Effect.forEach(peers, (p) => p.listPeers), (lists) => lists.reduce((a, l) => a + l.length, 0))

    printHeader()
    const rows: Array<SoakRow> = []
    const endAt = performance.now() + options.durationS * 1000
    while (performance.now() < endAt) {
      // The soak itself: traffic runs, a sample every sampleS.
      yield* Effect.sleep(Duration.seconds(options.sampleS))
      const row = rowOf([{ ...sample(sumTraffic(traffic.map((t) => t.counters()))), connectedPeers: yield* Effect.orDie(connections) }])
      rows.push(row)
      printRow(row)
      snapshot(row.atS)
    }
    yield* Effect.forEach(traffic, (t) => t.stopSending)

    const streams = new Map<string, StreamOutcome>()
    yield* Effect.forEach(traffic, (receiver, i) =>
      Effect.gen(function*() {
        const expected = Object.fromEntries(traffic.flatMap((sender, j) => i === j ? [] : [[names[j]!, sender.sentTo()[names[i]!] ?? 0]]))
        yield* receiver.awaitReceived(expected)
        const received = receiver.receivedFrom()
        for (const [from, count] of Object.entries(expected)) streams.set(`${from}->${names[i]}`, { sent: count, received: received[from] })
      }))
    return printVerdict(streams, rows, Math.min(60, options.durationS / 3))
  })
