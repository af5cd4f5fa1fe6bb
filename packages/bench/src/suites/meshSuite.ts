/**
 * Full-mesh formation and memory per connected peer: N transports, every pair connecting at once, until
 * all are Connected; against raw werift forming the same mesh with the same settings (moved here from the
 * webrtc mesh bench). Memory is the heap and RSS growth per peer connection once the mesh has formed (GC
 * forced; the run uses --expose-gc).
 *
 * Ours signals through the real server with its rate limit lifted: 45 pairs at once would otherwise
 * measure the server's 50 msg/s limit, not the transport.
 */
import type { WebRtcTransportService } from "@remotemedia/webrtc"
import { Effect, Exit } from "effect"
import { performance } from "node:perf_hooks"
import type { RTCPeerConnection } from "werift"
import type { BenchSizes } from "../BenchSizes.ts"
import { memoryNow } from "../measure/timing.ts"
import { rawConnect, rawPeer } from "../peers/rawPeer.ts"
import { localSignaling, startedTransport } from "../peers/transports.ts"
import { type Figure, measured } from "../report/Figure.ts"

interface MeshRound {
  readonly ms: number
  readonly failedPairs: number
  readonly heapMiBPerConnection: number
  readonly rssMiBPerConnection: number
}

/** Heap and RSS growth per connection between two readings, in MiB. */
const perConnection = (before: ReturnType<typeof memoryNow>, after: ReturnType<typeof memoryNow>, connections: number) => ({
  heapMiBPerConnection: (after.heapUsed - before.heapUsed) / connections / 2 ** 20,
  rssMiBPerConnection: (after.rss - before.rss) / connections / 2 ** 20
})

const pairsOf = (n: number) => Array.from({ length: n }, (_, i) => Array.from({ length: n - i - 1 }, (_, k) => [i, i + k + 1] as const)).flat()

/** Mesh formation time and heap growth per connection, ours and raw werift. */
export const meshSuite = (sizes: BenchSizes): Effect.Effect<ReadonlyArray<Figure>> =>
  Effect.scoped(Effect.gen(function*() {
    const n = sizes.meshSize
    const connections = n * (n - 1)
    const urls = yield* localSignaling({ rateLimit: 1_000_000 })

    const rawMesh = Effect.promise(async (): Promise<MeshRound> => {
      const before = memoryNow()
      const pairs = pairsOf(n).map(() => [rawPeer(urls.stunUrl).pc, rawPeer(urls.stunUrl).pc] as const)
      const started = performance.now()
      const outcomes = await Promise.allSettled(pairs.map(([a, b]) => rawConnect(a, b)))
      const ms = performance.now() - started
      const failedPairs = outcomes.filter((o) => o.status === "rejected").length
      const after = memoryNow()
      await Promise.all(pairs.flatMap((pair): Array<Promise<void>> => pair.map((pc: RTCPeerConnection) => pc.close())))
      return { ms, failedPairs, ...perConnection(before, after, connections) }
    })

    const oursMesh = (round: number) =>
      Effect.scoped(Effect.gen(function*() {
        const before = memoryNow()
        const transports: Array<WebRtcTransportService> = []
        for (let i = 0; i < n; i++) {
          // 45 DTLS handshakes at once on a loaded 2-core machine take seconds: a generous timeout.
          transports.push(yield* startedTransport(`m${round}p${i}`, urls, { connectTimeoutMs: 60_000 }))
        }
        const started = performance.now()
        const outcomes = yield* Effect.all(pairsOf(n).map(([i, j]) => Effect.exit(transports[i]!.connectPeer(`m${round}p${j}`))), { concurrency: "unbounded" })
        const ms = performance.now() - started
        const failedPairs = outcomes.filter(Exit.isFailure).length
        const after = memoryNow()
        return { ms, failedPairs, ...perConnection(before, after, connections) } satisfies MeshRound
      }))

    const raw: Array<MeshRound> = []
    const ours: Array<MeshRound> = []
    for (let round = 0; round < sizes.meshRounds; round++) {
      raw.push(yield* rawMesh)
      ours.push(yield* oursMesh(round))
    }
    const failures = (rounds: ReadonlyArray<MeshRound>) => rounds.map((r) => r.failedPairs).join("/")
    return [
      measured(
        {
          id: "mesh.formation",
          title: `${n}-transport full mesh formation (${n * (n - 1) / 2} pairs at once)`,
          unit: "ms",
          // A pair that fails on a loaded machine ends its round early for either side: say how many did.
          note: `pairs that failed per round (a failed pair is settled, not connected): ours ${failures(ours)}, raw werift ${failures(raw)}`
        },
        ["raw werift mesh", raw.map((r) => r.ms)],
        ["WebRtcTransport mesh", ours.map((r) => r.ms)]
      ),
      measured(
        { id: "memory.perPeer", title: "memory per connected peer (heap growth per peer connection)", unit: "MiB" },
        ["raw werift", raw.map((r) => r.heapMiBPerConnection)],
        ["WebRtcTransport", ours.map((r) => r.heapMiBPerConnection)]
      ),
      measured(
        { id: "memory.perPeerRss", title: "memory per connected peer (RSS growth per peer connection)", unit: "MiB" },
        ["raw werift", raw.map((r) => r.rssMiBPerConnection)],
        ["WebRtcTransport", ours.map((r) => r.rssMiBPerConnection)]
      )
    ]
  }))
