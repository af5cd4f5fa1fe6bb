/**
 * Session benchmark: what the SessionRouter costs on top of the bare pipeline, measured in one run.
 *
 * - create + close: `stream(manifest)` + `close` of a routed session (it starts its fibers, queues and, for
 *   a broadcast session, its pipeline) against the runner's bare `createStreamSession` + `close`.
 * - one 20 ms frame, per-peer routing: a frame "received" from a peer (published on the incoming stream)
 *   until the router hands the pipeline's output to `sendToPeer`, against the bare pipeline's
 *   `sendInput` + `recvOutput` round trip of the same frame (same 2-node pipeline: NoiseGate -> Gain).
 * - one mix-minus round, 3 peers: 3 frames in (one per peer) until 3 mixes are handed to `sendToPeer`,
 *   against the bare Mixer pipeline fed the same 3 frames with `peer_id` and read back.
 *
 * The transport's media path is replaced by in-memory streams and queues: this isolates the router's own
 * cost (codec and network costs are in media-path's benchmark).
 *
 * Run: node --conditions=source packages/webrtc/bench/session.bench.ts
 */
import { Effect, Layer, ManagedRuntime, PubSub, Queue, Stream } from "effect"
import { performance } from "node:perf_hooks"
import {
  audio,
  Manifest,
  NodeRegistry,
  PEER_ID,
  PipelineRunner,
  type RuntimeData,
  TransportData
} from "@remotemedia/runtime-core"
import { makeSineTone } from "@remotemedia/signals"
import * as SessionRegistry from "../src/session/SessionRegistry.ts"
import type { IncomingFrame } from "../src/session/SessionRouter.ts"
import { header, row, summarise } from "./mediaStats.ts"

const RATE = 48_000
const FRAME = 960
const peers = ["alice", "bob", "carol"] as const
const tones = peers.map((_, i) => makeSineTone({ frequency: 440 + 220 * i, sampleRate: RATE, amplitude: 0.2 }))

const runtime = ManagedRuntime.make(PipelineRunner.layer.pipe(Layer.provide(NodeRegistry.layer)))

const setup = Effect.gen(function*() {
  const runner = yield* PipelineRunner
  const incoming = yield* PubSub.unbounded<IncomingFrame>()
  const delivered = yield* Queue.unbounded<{ readonly peerId: string; readonly data: RuntimeData }>()
  const sessions = yield* SessionRegistry.make(runner, {
    localPeerId: "host",
    incoming: Stream.fromPubSub(incoming),
    membership: Stream.never,
    sendToPeer: (peerId, data) => Queue.offer(delivered, { peerId, data }),
    broadcast: (data) => Queue.offer(delivered, { peerId: "*", data })
  })
  const gate = yield* Manifest.fromUnknown({
    pipeline: { nodes: [{ id: "gate", type: "NoiseGate", params: {} }, { id: "gain", type: "Gain", params: { gainDb: -3 } }] }
  })
  const mixMinus = yield* Manifest.fromUnknown({
    pipeline: { nodes: [{ id: "mix", type: "Mixer", params: { mode: "mix-minus", windowMs: 200 } }], routing: "broadcast" }
  })
  return { runner, incoming, delivered, sessions, gate, mixMinus }
})

const frameAt = (peer: number, i: number) => audio(tones[peer]!.next(FRAME), RATE, 1, i * 20_000)

const program = Effect.gen(function*() {
  const { delivered, gate, incoming, mixMinus, runner, sessions } = yield* setup
  const ms = (t0: number) => performance.now() - t0

  // --- create + close (warm-up rounds discarded)
  const bareLifecycle: Array<number> = []
  const routedLifecycle: Array<number> = []
  const broadcastLifecycle: Array<number> = []
  for (let i = 0; i < 600; i++) {
    const warm = i >= 100
    let t0 = performance.now()
    const bare = yield* runner.createStreamSession(gate)
    yield* bare.close
    if (warm) bareLifecycle.push(ms(t0))
    t0 = performance.now()
    const routed = yield* sessions.stream(gate)
    yield* routed.close
    if (warm) routedLifecycle.push(ms(t0))
    t0 = performance.now()
    const shared = yield* sessions.stream(mixMinus)
    yield* shared.close
    if (warm) broadcastLifecycle.push(ms(t0))
  }

  // --- one frame through a per-peer pipeline
  const bare = yield* runner.createStreamSession(gate)
  const bareFrame: Array<number> = []
  for (let i = 0; i < 3_000; i++) {
    const input = TransportData.make(frameAt(0, i), { metadata: { [PEER_ID]: "alice" } })
    const t0 = performance.now()
    yield* bare.sendInput(input)
    yield* bare.recvOutput
    if (i >= 300) bareFrame.push(ms(t0))
  }
  yield* bare.close
  const routed = yield* sessions.stream(gate)
  const routedFrame: Array<number> = []
  for (let i = 0; i < 3_000; i++) {
    const data = frameAt(0, i)
    const t0 = performance.now()
    yield* PubSub.publish(incoming, { peerId: "alice", data })
    yield* Queue.take(delivered)
    if (i >= 300) routedFrame.push(ms(t0))
  }
  yield* routed.close

  // --- one mix-minus round of 3 peers
  const bareMixer = yield* runner.createStreamSession(mixMinus)
  const bareRound: Array<number> = []
  for (let i = 0; i < 2_000; i++) {
    const inputs = peers.map((peerId, p) => TransportData.make(frameAt(p, i), { metadata: { [PEER_ID]: peerId } }))
    const t0 = performance.now()
    for (const input of inputs) yield* bareMixer.sendInput(input)
    // The first round is mixed before every source joined; after that each round yields one mix per peer.
    for (let k = 0; k < (i === 0 ? 1 : 3); k++) yield* bareMixer.recvOutput
    if (i >= 200) bareRound.push(ms(t0))
  }
  yield* bareMixer.close
  const conference = yield* sessions.stream(mixMinus)
  const routedRound: Array<number> = []
  for (let i = 0; i < 2_000; i++) {
    const frames = peers.map((peerId, p) => ({ peerId, data: frameAt(p, i) }))
    const t0 = performance.now()
    for (const frame of frames) yield* PubSub.publish(incoming, frame)
    for (let k = 0; k < (i === 0 ? 1 : 3); k++) yield* Queue.take(delivered)
    if (i >= 200) routedRound.push(ms(t0))
  }
  yield* conference.close

  console.log(`session benchmark (Node ${process.version}; 20 ms mono 48 kHz frames; media path replaced by in-memory queues)`)
  console.log(header)
  const bareLifecycleSummary = summarise(bareLifecycle)
  console.log(row("baseline: bare pipeline create + close", bareLifecycleSummary))
  console.log(row("stream(manifest) + close, per-peer (sender)", summarise(routedLifecycle), bareLifecycleSummary))
  console.log(row("stream(manifest) + close, shared (broadcast)", summarise(broadcastLifecycle), bareLifecycleSummary))
  const bareFrameSummary = summarise(bareFrame)
  console.log(row("baseline: bare pipeline, 1 frame in -> out", bareFrameSummary))
  console.log(row("routed: received frame -> sendToPeer", summarise(routedFrame), bareFrameSummary))
  const bareRoundSummary = summarise(bareRound)
  console.log(row("baseline: bare mix-minus, 3 frames -> 3 mixes", bareRoundSummary))
  console.log(row("routed: 3 received frames -> 3 sendToPeer", summarise(routedRound), bareRoundSummary))
})

await runtime.runPromise(Effect.scoped(program))
await runtime.dispose()
