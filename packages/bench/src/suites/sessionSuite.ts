/**
 * Transport session figures (the method of the webrtc session bench), alternating with the bare pipeline:
 *
 * - create + close: `transport.stream(manifest)` + `close` of a routed session against the runner's bare
 *   `createStreamSession` + `close` of the same 2-node pipeline (NoiseGate -> Gain).
 * - per-frame routing (received frame → pipeline → `sendToPeer`) is pending: through the public API a frame
 *   only enters a session from the network, so its cost cannot be separated from the jitter buffer's delay;
 *   the session bench measures it with the router's in-memory io, which @remotemedia/webrtc does not export.
 */
import { audio, Manifest, NodeRegistry, PipelineRunner, TransportData } from "@remotemedia/runtime-core"
import { Effect, Layer } from "effect"
import type { BenchSizes } from "../BenchSizes.ts"
import { localSignaling, startedTransport } from "../peers/transports.ts"
import { type Figure, measured, pending } from "../report/Figure.ts"

const nodes = [{ id: "gate", type: "NoiseGate", params: {} }, { id: "gain", type: "Gain", params: { gainDb: -3 } }]

const since = (start: number) => performance.now() - start

/** Routed session create + close, and the pending per-frame row. */
export const sessionSuite = (sizes: BenchSizes): Effect.Effect<ReadonlyArray<Figure>> =>
  Effect.scoped(Effect.gen(function*() {
    const runner = yield* PipelineRunner
    const manifest = yield* Manifest.fromUnknown({ pipeline: { nodes } })
    const transport = yield* startedTransport("sessions", yield* localSignaling())
    const warmup = Math.ceil(sizes.sessionCycles / 5)
    const bareMs: Array<number> = []
    const routedMs: Array<number> = []
    for (let i = 0; i < warmup + sizes.sessionCycles; i++) {
      let start = performance.now()
      const bare = yield* runner.createStreamSession(manifest)
      yield* bare.close
      const bareCycle = since(start)
      start = performance.now()
      const routed = yield* transport.stream(manifest)
      yield* routed.close
      if (i < warmup) continue
      routedMs.push(since(start))
      bareMs.push(bareCycle)
    }

    const session = yield* runner.createStreamSession(manifest)
    const frame = TransportData.make(audio(new Float32Array(960).fill(0.1), 48_000))
    const frameMs: Array<number> = []
    for (let i = 0; i < warmup + sizes.pipelineFrames; i++) {
      const start = performance.now()
      yield* session.sendInput(frame)
      yield* session.recvOutput
      if (i >= warmup) frameMs.push(since(start))
    }
    yield* session.close
    return [
      measured(
        { id: "session.createClose", title: "transport session create + close (stream(manifest), 2 nodes)", unit: "ms" },
        ["bare pipeline create + close", bareMs],
        ["transport.stream + close", routedMs]
      ),
      pending(
        { id: "session.frame", title: "transport session, received frame → pipeline → sendToPeer", unit: "ms" },
        ["bare pipeline, 1 frame in → out", frameMs],
        "the router's per-frame cost needs its in-memory io (SessionRegistry), which @remotemedia/webrtc does not export"
      )
    ]
  })).pipe(Effect.provide(PipelineRunner.layer.pipe(Layer.provide(NodeRegistry.layer))), Effect.orDie)
