/**
 * Pipeline runtime benchmark: session create, one 20 ms frame through a 3-node pipeline, session close.
 * Baseline (same run): the same three processors called directly, without sessions, fibers or queues.
 *
 * Run: node --conditions=source packages/runtime-core/bench/pipeline.bench.ts
 */
import { Effect, Fiber, Layer, ManagedRuntime, Result } from "effect"
import { performance } from "node:perf_hooks"
import {
  audio,
  AudioProcessor,
  Gain,
  Manifest,
  NoiseGate,
  NodeRegistry,
  PipelineRunner,
  TransportData
} from "../src/index.ts"
import { median, summary } from "./stats.ts"

const FRAME = 960
const nodes = [
  { id: "gate", type: "NoiseGate", params: { thresholdDb: -50 } },
  { id: "gain", type: "Gain", params: { gainDb: -3 } },
  { id: "proc", type: "AudioProcessor", params: {} }
]
const tone = new Float32Array(FRAME).map((_, i) => 0.3 * Math.sin((2 * Math.PI * 440 * i) / 48_000))
const frame = TransportData.make(audio(tone, 48_000, 1, 0))

const runtime = ManagedRuntime.make(PipelineRunner.layer.pipe(Layer.provide(NodeRegistry.layer)))
const run = <A, E>(effect: Effect.Effect<A, E, PipelineRunner>) => runtime.runPromise(effect)
const manifest = await Effect.runPromise(Manifest.fromUnknown({ pipeline: { nodes } }))
const runner = await run(Effect.gen(function*() {
  return yield* PipelineRunner
}))

// --- baseline: the bare processors
const bare = [NoiseGate, Gain, AudioProcessor].map((type, i) => {
  const prepared = type.prepare(nodes[i]!.params)
  if (Result.isFailure(prepared)) throw new Error(prepared.failure)
  return prepared.success({ nodeId: nodes[i]!.id, upstreamCount: 1 })
})
const bareFrame = () => {
  let items: ReadonlyArray<TransportData> = [frame]
  for (const p of bare) items = items.flatMap((x) => p.process(x, "input") as ReadonlyArray<TransportData>)
  return items
}
const bareUs: Array<number> = []
for (let i = 0; i < 5_000; i++) {
  const t0 = performance.now()
  bareFrame()
  if (i >= 500) bareUs.push((performance.now() - t0) * 1000)
}

// --- session create / close
const createUs: Array<number> = []
const closeUs: Array<number> = []
for (let i = 0; i < 600; i++) {
  const t0 = performance.now()
  const session = await run(runner.createStreamSession(manifest))
  const t1 = performance.now()
  await run(session.close)
  const t2 = performance.now()
  if (i >= 100) {
    createUs.push((t1 - t0) * 1000)
    closeUs.push((t2 - t1) * 1000)
  }
}

// --- one frame through the session: sendInput then recvOutput, the whole round trip in one effect
const session = await run(runner.createStreamSession(manifest))
const roundTrip = Effect.gen(function*() {
  const samples: Array<number> = []
  for (let i = 0; i < 5_000; i++) {
    const t0 = performance.now()
    yield* session.sendInput(frame)
    yield* session.recvOutput
    if (i >= 500) samples.push((performance.now() - t0) * 1000)
  }
  return samples
})
const frameUs = await run(roundTrip)
// --- throughput: 2000 frames pipelined (the queues keep every node busy)
const pipelined = Effect.gen(function*() {
  const t0 = performance.now()
  const consumer = yield* Effect.forkChild(Effect.repeat(session.recvOutput, { times: 1_999 }))
  for (let i = 0; i < 2_000; i++) yield* session.sendInput(frame)
  yield* Fiber.join(consumer)
  return ((performance.now() - t0) * 1000) / 2_000
})
const pipelinedUs = await run(pipelined)
await run(session.close)
await runtime.dispose()

console.log(`runtime-core pipeline benchmark (Node ${process.version}; 3 nodes: NoiseGate -> Gain -> AudioProcessor; 20 ms mono 48 kHz frames)`)
console.log(summary("baseline: bare processors, 1 frame", bareUs))
console.log(summary("session: 1 frame round trip (send + recv)", frameUs))
console.log(`  => runtime overhead per node per frame: ${((median(frameUs) - median(bareUs)) / 3).toFixed(2)} µs (median)`)
console.log(`  pipelined throughput: ${pipelinedUs.toFixed(2)} µs per frame (2000 frames in flight through bounded queues)`)
console.log(summary("session create (contract < 50 ms)", createUs))
console.log(summary("session close (contract < 1 s)", closeUs))
