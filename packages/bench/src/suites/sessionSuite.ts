/**
 * Transport session figures: what the session router costs on top of the bare pipeline, each round of ours
 * alternating with a round of the baseline.
 *
 * - create + close: `transport.stream(manifest)` + `close` of a routed session against the runner's bare
 *   `createStreamSession` + `close` of the same pipeline: per-peer (NoiseGate -> Gain) and shared (a
 *   mix-minus Mixer, broadcast routing, whose pipeline starts with the session).
 * - one frame: a 20 ms frame received from a peer until the router hands the pipeline's output to
 *   `sendToPeer`, against the bare pipeline's `sendInput` + `recvOutput` of the same frame. Through a
 *   transport a received frame's cost cannot be told apart from the jitter buffer's delay, so the router runs
 *   over `makeInMemoryMesh`: the transport's session code, its network replaced by queues.
 * - one mix-minus round of 3 peers: a frame from each until the 3 mixes are handed to `sendToPeer`, against
 *   the bare Mixer pipeline fed the same 3 frames (with `peer_id`) and read back.
 */
import {
  audio,
  Manifest,
  NodeRegistry,
  PEER_ID,
  PipelineRunner,
  type RuntimeData,
  type StreamSession,
  TransportData
} from "@remotemedia/runtime-core"
import { makeSineTone } from "@remotemedia/signals"
import { type InMemoryMesh, makeInMemoryMesh, type WebRtcTransportService } from "@remotemedia/webrtc"
import { Effect, Layer } from "effect"
import type { BenchSizes } from "../BenchSizes.ts"
import { alternate } from "../measure/timing.ts"
import { localSignaling, startedTransport } from "../peers/transports.ts"
import { type Figure, measured } from "../report/Figure.ts"
import { progress } from "../report/progress.ts"

const RATE = 48_000
const FRAME = 960
const peers = ["alice", "bob", "carol"] as const

const perPeer = { pipeline: { nodes: [{ id: "gate", type: "NoiseGate", params: {} }, { id: "gain", type: "Gain", params: { gainDb: -3 } }] } }
const mixMinus = { pipeline: { nodes: [{ id: "mix", type: "Mixer", params: { mode: "mix-minus", windowMs: 200 } }], routing: "broadcast" } }

/** Peer `p`'s `i`-th 20 ms frame: a distinct tone per peer, dated on one 20 ms grid (the Mixer mixes by slot). */
const peerFrame = (() => {
  const tones = peers.map((_, p) => {
    const tone = makeSineTone({ frequency: 440 + 220 * p, sampleRate: RATE, amplitude: 0.2 })
    return Array.from({ length: 50 }, () => tone.next(FRAME))
  })
  return (p: number, i: number): RuntimeData => audio(tones[p]![i % 50]!, RATE, 1, i * 20_000)
})()

/** The same frame as the router feeds it to its pipeline: with the sender's `peer_id`. */
const fromPeer = (p: number, i: number) => TransportData.make(peerFrame(p, i), { metadata: { [PEER_ID]: peers[p]! } })

/** `transport.stream(manifest)` + `close` against the bare pipeline's create + close, alternating. */
const createClose = (transport: WebRtcTransportService, runner: PipelineRunner["Service"], manifest: Manifest, cycles: number) =>
  alternate(
    cycles,
    Math.ceil(cycles / 5),
    () => Effect.flatMap(runner.createStreamSession(manifest), (bare) => bare.close),
    () => Effect.flatMap(transport.stream(manifest), (routed) => routed.close)
  )

/** The first mix-minus round is mixed before every source joined (one mix); then each round gives one per peer. */
const mixesIn = (round: number) => round === 0 ? 1 : peers.length

/** Dies unless every frame the sessions sent was taken: one more would mean a round took the wrong frames. */
const everythingTaken = (mesh: InMemoryMesh) =>
  Effect.forEach(peers, (peer) =>
    Effect.flatMap(mesh.pendingSent(peer), (left) =>
      left === 0 ? Effect.void : Effect.die(new Error(`bench: ${left} frames sent to ${peer} were not taken: the rounds did not measure what they say`))))

/** Session create/close, one frame, one mix-minus round. */
export const sessionSuite = (sizes: BenchSizes): Effect.Effect<ReadonlyArray<Figure>> =>
  Effect.scoped(Effect.gen(function*() {
    const runner = yield* PipelineRunner
    const gate = yield* Manifest.fromUnknown(perPeer)
    const mixer = yield* Manifest.fromUnknown(mixMinus)
    const transport = yield* startedTransport("sessions", yield* localSignaling())
    const [barePerPeer, routedPerPeer] = yield* createClose(transport, runner, gate, sizes.sessionCycles)
    const [bareShared, routedShared] = yield* createClose(transport, runner, mixer, sizes.sessionCycles)

    yield* progress("session: frames over the in-memory mesh")
    const mesh = yield* makeInMemoryMesh({ localPeerId: "host", peers })
    const bare: StreamSession = yield* Effect.acquireRelease(runner.createStreamSession(gate), (s) => s.close)
    const perPeerSession = yield* mesh.stream(gate)
    const frameWarmup = Math.ceil(sizes.pipelineFrames / 10)
    const [bareFrame, routedFrame] = yield* alternate(
      sizes.pipelineFrames,
      frameWarmup,
      (i) => Effect.andThen(bare.sendInput(fromPeer(0, i)), bare.recvOutput),
      (i) => Effect.andThen(mesh.receive("alice", peerFrame(0, i)), mesh.takeSent("alice"))
    )

    // Closed, or it would answer the mix-minus round's frames too.
    yield* perPeerSession.close

    const bareMixer: StreamSession = yield* Effect.acquireRelease(runner.createStreamSession(mixer), (s) => s.close)
    yield* mesh.stream(mixer)
    const [bareRound, routedRound] = yield* alternate(
      sizes.mixMinusRounds,
      Math.ceil(sizes.mixMinusRounds / 10),
      (i) =>
        Effect.gen(function*() {
          for (let p = 0; p < peers.length; p++) yield* bareMixer.sendInput(fromPeer(p, i))
          for (let k = 0; k < mixesIn(i); k++) yield* bareMixer.recvOutput
        }),
      (i) =>
        Effect.gen(function*() {
          for (let p = 0; p < peers.length; p++) yield* mesh.receive(peers[p]!, peerFrame(p, i))
          // Each mix goes to the peer it leaves out; the first round's one mix is alice's (the Mixer knew only her).
          for (const peer of peers.slice(0, mixesIn(i))) yield* mesh.takeSent(peer)
        })
    )

    yield* everythingTaken(mesh)

    const spec = (id: string, title: string) => ({ id, title, unit: "ms" })
    return [
      measured(
        spec("session.createClose", "transport session create + close (stream(manifest), per-peer, 2 nodes)"),
        ["bare pipeline create + close", barePerPeer],
        ["transport.stream + close", routedPerPeer]
      ),
      measured(
        spec("session.createCloseShared", "transport session create + close (stream(manifest), shared mix-minus Mixer)"),
        ["bare pipeline create + close", bareShared],
        ["transport.stream + close", routedShared]
      ),
      measured(
        spec("session.frame", "transport session, received frame → pipeline → sendToPeer (in-memory mesh, 2 nodes)"),
        ["bare pipeline, 1 frame in → out", bareFrame],
        ["received → sendToPeer", routedFrame]
      ),
      measured(
        spec("session.mixMinus3", "transport session, mix-minus round of 3 peers: 3 received frames → 3 sendToPeer"),
        ["bare Mixer pipeline, 3 frames in → 3 mixes out", bareRound],
        ["3 received → 3 sendToPeer", routedRound]
      )
    ]
  })).pipe(Effect.provide(PipelineRunner.layer.pipe(Layer.provide(NodeRegistry.layer))), Effect.orDie)
