/**
 * Connect figures: `connectPeer` until Connected, one process and two processes, against raw werift with the
 * same ICE settings, alternating rounds so machine noise hits both alike (moved here from the webrtc mesh
 * bench). Ours goes through the real signaling server; raw werift hands SDP and candidates over directly
 * (in process) or as JSON lines over a pipe (two processes).
 */
import { Effect } from "effect"
import { performance } from "node:perf_hooks"
import type { BenchSizes } from "../BenchSizes.ts"
import { nextLine, spawnLineChild } from "../peers/childProcess.ts"
import type { RawPipeMessage } from "../peers/rawAnswerer.ts"
import { candidateInit, connected, rawConnect, rawPeer } from "../peers/rawPeer.ts"
import { localSignaling, startedTransport } from "../peers/transports.ts"
import { type Figure, measured } from "../report/Figure.ts"

/** Runs `raw` and `ours` alternately `rounds` times after one unrecorded warm-up each. */
const alternate = Effect.fnUntraced(function*<E, R>(rounds: number, raw: Effect.Effect<number, E, R>, ours: (round: number) => Effect.Effect<number, E, R>) {
  yield* raw
  yield* ours(-1)
  const rawMs: Array<number> = []
  const ourMs: Array<number> = []
  for (let round = 0; round < rounds; round++) {
    rawMs.push(yield* raw)
    ourMs.push(yield* ours(round))
  }
  return { rawMs, ourMs }
})

/** Both connect figures. */
export const connectSuite = (sizes: BenchSizes): Effect.Effect<ReadonlyArray<Figure>> =>
  Effect.scoped(Effect.gen(function*() {
    const urls = yield* localSignaling()

    const rawOneProcess = Effect.promise(async () => {
      const a = rawPeer(urls.stunUrl).pc
      const b = rawPeer(urls.stunUrl).pc
      const started = performance.now()
      await rawConnect(a, b)
      const elapsed = performance.now() - started
      await Promise.all([a.close(), b.close()])
      return elapsed
    })
    const oursOneProcess = (round: number) =>
      Effect.scoped(Effect.gen(function*() {
        const alice = yield* startedTransport(`alice${round}`, urls)
        yield* startedTransport(`bob${round}`, urls)
        const started = performance.now()
        yield* Effect.orDie(alice.connectPeer(`bob${round}`))
        return performance.now() - started
      }))
    const one = yield* alternate(sizes.connectRounds, rawOneProcess, oursOneProcess)

    // Two processes: one long-lived child each, a fresh connection per round.
    const rawChild = yield* spawnLineChild(new URL("../peers/rawAnswerer.ts", import.meta.url), [urls.stunUrl])
    const rawTwoProcesses = Effect.promise(async () => {
      const { pc } = rawPeer(urls.stunUrl)
      pc.onIceCandidate.subscribe((c) => c !== undefined && rawChild.write({ type: "candidate", candidate: candidateInit(c) } satisfies RawPipeMessage))
      const onLine = (line: string) => {
        const message = JSON.parse(line) as RawPipeMessage
        if (message.type === "answer") void pc.setRemoteDescription({ type: "answer", sdp: message.sdp })
        else if (message.type === "candidate") void pc.addIceCandidate(message.candidate).catch(() => undefined) // a previous round's late candidate
      }
      rawChild.lines.on("line", onLine)
      const isConnected = connected(pc)
      const started = performance.now()
      await pc.setLocalDescription(await pc.createOffer())
      rawChild.write({ type: "offer", sdp: pc.localDescription!.sdp } satisfies RawPipeMessage)
      await isConnected
      const elapsed = performance.now() - started
      rawChild.lines.off("line", onLine)
      await pc.close()
      return elapsed
    })
    const child = yield* spawnLineChild(new URL("../peers/childTransport.ts", import.meta.url), ["bench-child", urls.signalingUrl, urls.stunUrl])
    yield* nextLine(child)
    const parent = yield* startedTransport("bench-parent", urls)
    const oursTwoProcesses = Effect.orDie(Effect.gen(function*() {
      const started = performance.now()
      yield* parent.connectPeer("bench-child")
      const elapsed = performance.now() - started
      yield* parent.disconnectPeer("bench-child")
      return elapsed
    }))
    const two = yield* alternate(sizes.connectRounds, rawTwoProcesses, () => oursTwoProcesses)

    return [
      measured(
        { id: "connect.oneProcess", title: "connect peer, one process (offer → Connected)", unit: "ms" },
        ["raw werift", one.rawMs],
        ["connectPeer", one.ourMs]
      ),
      measured(
        { id: "connect.twoProcesses", title: "connect peer, two processes", unit: "ms", note: "ours through the signaling server; raw werift through a stdio pipe" },
        ["raw werift", two.rawMs],
        ["connectPeer", two.ourMs]
      )
    ]
  }))
