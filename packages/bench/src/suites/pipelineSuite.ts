/**
 * Pipeline figures (the method of the runtime-core pipeline bench): a stream session of a 3-node pipeline
 * (NoiseGate -> Gain -> AudioProcessor, 20 ms mono 48 kHz frames) against the same processors called
 * directly, without sessions, fibers or queues, alternating round by round. The transport's routed sessions
 * are in sessionSuite.
 */
import {
  audio,
  AudioProcessor,
  Gain,
  Manifest,
  NodeRegistry,
  NoiseGate,
  PipelineRunner,
  TransportData
} from "@remotemedia/runtime-core"
import { makeSineTone } from "@remotemedia/signals"
import { Effect, Layer, Result } from "effect"
import type { BenchSizes } from "../BenchSizes.ts"
import { alternate, elapsed } from "../measure/timing.ts"
import { type Figure, measured } from "../report/Figure.ts"

const nodes = [
  { id: "gate", type: "NoiseGate", params: { thresholdDb: -50 } },
  { id: "gain", type: "Gain", params: { gainDb: -3 } },
  { id: "proc", type: "AudioProcessor", params: {} }
]

/** The three processors, prepared and called one after the other. */
const barePipeline = () => {
  const processors = [NoiseGate, Gain, AudioProcessor].map((type, i) => {
    const prepared = type.prepare(nodes[i]!.params)
    if (Result.isFailure(prepared)) throw new Error(prepared.failure)
    return prepared.success({ nodeId: nodes[i]!.id, upstreamCount: 1 })
  })
  return (frame: TransportData) => {
    let items: ReadonlyArray<TransportData> = [frame]
    for (const p of processors) items = items.flatMap((x) => p.process(x, "input") as ReadonlyArray<TransportData>)
    return items
  }
}

/** Session create/close and per-frame figures. */
export const pipelineSuite = (sizes: BenchSizes): Effect.Effect<ReadonlyArray<Figure>> =>
  Effect.gen(function*() {
    const runner = yield* PipelineRunner
    const manifest = yield* Manifest.fromUnknown({ pipeline: { nodes } })
    const tone = makeSineTone({ frequency: 440, sampleRate: 48_000, amplitude: 0.3 })
    const frames = Array.from({ length: 50 }, (_, i) => TransportData.make(audio(tone.next(960), 48_000, 1, i * 20_000)))
    const warmup = Math.ceil(sizes.sessionCycles / 5)

    // Round by round, the bare processors and ours alternate, so load from elsewhere hits both alike.
    const bareCreate: Array<number> = []
    const createMs: Array<number> = []
    const closeMs: Array<number> = []
    for (let i = 0; i < warmup + sizes.sessionCycles; i++) {
      const bareMs = yield* elapsed(Effect.sync(barePipeline))
      const start = performance.now()
      const session = yield* runner.createStreamSession(manifest)
      const created = performance.now()
      yield* session.close
      if (i < warmup) continue
      bareCreate.push(bareMs)
      createMs.push(created - start)
      closeMs.push(performance.now() - created)
    }

    const bare = barePipeline()
    const session = yield* runner.createStreamSession(manifest)
    const [bareFrame, frameMs] = yield* alternate(
      sizes.pipelineFrames,
      Math.ceil(sizes.pipelineFrames / 10),
      (i) => Effect.sync(() => bare(frames[i % frames.length]!)),
      (i) => Effect.andThen(session.sendInput(frames[i % frames.length]!), session.recvOutput)
    )
    yield* session.close

    const bareSetup = ["bare processors prepared", bareCreate] as const
    const bareRun = ["bare processors, 1 frame", bareFrame] as const
    return [
      measured({ id: "pipeline.sessionCreate", title: "pipeline session create (3 nodes)", unit: "ms" }, bareSetup, ["createStreamSession", createMs]),
      measured({ id: "pipeline.sessionClose", title: "pipeline session close", unit: "ms" }, bareSetup, ["session.close", closeMs]),
      measured({ id: "pipeline.frame", title: "per-frame pipeline routing, 20 ms frame in → out", unit: "ms" }, bareRun, ["sendInput + recvOutput", frameMs])
    ]
  }).pipe(Effect.provide(PipelineRunner.layer.pipe(Layer.provide(NodeRegistry.layer))), Effect.orDie)
