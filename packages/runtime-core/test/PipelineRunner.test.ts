import { assert, describe, it } from "@effect/vitest"
import { Deferred, Effect, Fiber, Layer, Option, Schema, Stream } from "effect"
import { TestClock } from "effect/testing"
import {
  audio,
  defineNode,
  ExecutionError,
  isAudio,
  isJson,
  isText,
  json,
  Manifest,
  NodeRegistry,
  PipelineRunner,
  PipelineTimeout,
  rms,
  SessionClosed,
  type StreamSession,
  text,
  TransportData,
  ValidationError
} from "@remotemedia/runtime-core"
import { sine, toneAmplitude } from "./support/signals.ts"

/** A node that fails on the text "boom", for supervision tests. */
const Fragile = defineNode({
  type: "Fragile",
  params: Schema.Struct({}),
  make: () => ({
    process: (input) => {
      if (isText(input.data) && input.data.text === "boom") throw new Error("cannot handle boom")
      return [input]
    }
  })
})
/** A node whose processing never completes (a stuck model call), for the unary timeout. */
const Stuck = defineNode({ type: "Stuck", params: Schema.Struct({}), make: () => ({ process: () => Effect.never }) })
/** A node that waits for a signal before each item, to observe backpressure. */
const gate = { open: Effect.void as Effect.Effect<void> }
const Gated = defineNode({
  type: "Gated",
  params: Schema.Struct({}),
  make: () => ({ process: (input) => Effect.as(gate.open, [input]) })
})

const Runner = PipelineRunner.layerWith({ queueCapacity: 2 }).pipe(Layer.provide(NodeRegistry.layerWith([Fragile, Stuck, Gated])))

const manifest = (value: unknown) => Manifest.fromUnknown(value)
const chain = (...nodes: ReadonlyArray<{ id: string; type: string; params?: object }>) => manifest({ pipeline: { nodes } })
const audioIn = (samples: Float32Array, metadata: Record<string, string> = {}) => TransportData.make(audio(samples, 48_000), { metadata })

/** Every output until the session ends. */
const drain = Effect.fn(function*(session: { readonly recvOutput: Effect.Effect<Option.Option<TransportData>, unknown> }) {
  const out: Array<TransportData> = []
  for (;;) {
    const next = yield* session.recvOutput
    if (Option.isNone(next)) return out
    out.push(next.value)
  }
})

describe("PipelineRunner.executeUnary", () => {
  it.effect("runs a 440 Hz tone through Gain(-6 dB) -> AudioProcessor and returns it 6 dB down", () =>
    Effect.gen(function*() {
      const m = yield* chain({ id: "g", type: "Gain", params: { gainDb: -6 } }, { id: "p", type: "AudioProcessor" })
      const input = sine(440, 48_000, 0.5, 0.5)
      const out = yield* PipelineRunner.use((r) => r.executeUnary(m, audioIn(input)))
      assert(isAudio(out.data))
      assert.strictEqual(out.data.samples.length, input.length)
      assert.closeTo(20 * Math.log10(toneAmplitude(out.data.samples.subarray(4800), 440, 48_000) / 0.5), -6, 0.5)
    }).pipe(Effect.provide(Runner)))

  it.effect("joins the frames of an AudioChunker into one output and loses no sample", () =>
    Effect.gen(function*() {
      const m = yield* chain({ id: "c", type: "AudioChunker", params: { durationMs: 20 } })
      const input = sine(440, 48_000, 0.05)
      const all = yield* PipelineRunner.use((r) => r.executeUnaryAll(m, audioIn(input)))
      assert.deepStrictEqual(all.map((o) => (isAudio(o.data) ? o.data.samples.length : 0)), [960, 960, 480])
      const joined = yield* PipelineRunner.use((r) => r.executeUnary(m, audioIn(input)))
      assert(isAudio(joined.data))
      assert.deepStrictEqual(joined.data.samples, input)
    }).pipe(Effect.provide(Runner)))

  it.effect("text and JSON transforms", () =>
    Effect.gen(function*() {
      const upper = yield* chain({ id: "t", type: "TextTransform", params: { transform: "uppercase", prefix: "> " } })
      const out = yield* PipelineRunner.use((r) => r.executeUnary(upper, TransportData.make(text("hello"))))
      assert.deepStrictEqual(out.data, text("> HELLO"))
      const reshape = yield* chain({ id: "j", type: "JsonTransform", params: { pick: ["a", "b"], set: { ok: true }, parseText: true } })
      const out2 = yield* PipelineRunner.use((r) => r.executeUnary(reshape, TransportData.make(text(`{"a":1,"b":2,"c":3}`))))
      assert.deepStrictEqual(out2.data, json({ a: 1, b: 2, ok: true }))
    }).pipe(Effect.provide(Runner)))

  it.effect("rejects malformed input with a ValidationError naming the field", () =>
    Effect.gen(function*() {
      const m = yield* chain({ id: "g", type: "Gain" })
      const error = yield* Effect.flip(PipelineRunner.use((r) => r.executeUnary(m, TransportData.make(audio(new Float32Array(3), 48_000, 2)))))
      assert.instanceOf(error, ValidationError)
      assert.strictEqual(error.field, "samples")
      assert.include(error.message, "not a multiple of 2 channels")
    }).pipe(Effect.provide(Runner)))

  it.effect("fails with PipelineTimeout after 30 s (TestClock)", () =>
    Effect.gen(function*() {
      const m = yield* chain({ id: "s", type: "Stuck" })
      const fiber = yield* PipelineRunner.use((r) => r.executeUnary(m, TransportData.make(text("x")))).pipe(Effect.flip, Effect.forkChild)
      yield* TestClock.adjust("29 seconds")
      assert.isUndefined(fiber.pollUnsafe())
      yield* TestClock.adjust("1 second")
      const error = yield* Fiber.join(fiber)
      assert.instanceOf(error, PipelineTimeout)
      assert.strictEqual(error.afterMs, 30_000)
    }).pipe(Effect.provide(Runner)))
})

describe("StreamSession", () => {
  it.effect("streams frames through a chain in order, then ends after endInput", () =>
    Effect.gen(function*() {
      const m = yield* chain({ id: "gate", type: "NoiseGate" }, { id: "gain", type: "Gain", params: { gainDb: 6 } })
      const session = yield* PipelineRunner.use((r) => r.createStreamSession(m))
      const consumer = yield* Effect.forkChild(drain(session))
      for (let i = 0; i < 50; i++) yield* session.sendInput(TransportData.make(audio(sine(440, 48_000, 0.02), 48_000), { sequence: i }))
      yield* session.endInput
      const out = yield* Fiber.join(consumer)
      assert.deepStrictEqual(out.map((o) => o.sequence), Array.from({ length: 50 }, (_, i) => i))
      assert.strictEqual(yield* session.isActive, false)
    }).pipe(Effect.provide(Runner)))

  it.effect("the contract's duplicate-key example (input -> output, node left unconnected) passes data through", () =>
    Effect.gen(function*() {
      const m = yield* Manifest.fromJson(`{"pipeline":{"nodes":[{"id":"audio_processor","type":"AudioProcessor"}],"graph":[{"from":"input","to":"audio_processor","to":"output"}]}}`)
      const session = yield* PipelineRunner.use((r) => r.createStreamSession(m))
      yield* session.sendInput(TransportData.make(text("one")))
      yield* session.sendInput(TransportData.make(text("two")))
      yield* session.endInput
      assert.deepStrictEqual((yield* drain(session)).map((o) => o.data), [text("one"), text("two")])
      assert.instanceOf(yield* Effect.flip(session.sendInput(TransportData.make(text("three")))), SessionClosed)
    }).pipe(Effect.provide(Runner)))

  it.effect("fan-out and fan-in: input -> (Gain -6, Gain -12) -> Mixer sums both branches", () =>
    Effect.gen(function*() {
      const m = yield* manifest({
        version: "v1",
        nodes: [
          { id: "split", node_type: "PassThrough" },
          { id: "quiet", node_type: "Gain", params: { gainDb: -6 } },
          { id: "quieter", node_type: "Gain", params: { gainDb: -12 } },
          { id: "mix", node_type: "Mixer", is_output_node: true }
        ],
        connections: [{ from: "split", to: "quiet" }, { from: "split", to: "quieter" }, { from: "quiet", to: "mix" }, { from: "quieter", to: "mix" }]
      })
      const session = yield* PipelineRunner.use((r) => r.createStreamSession(m))
      const consumer = yield* Effect.forkChild(drain(session))
      const x = sine(440, 48_000, 0.2, 0.5)
      for (let i = 0; i < x.length; i += 960) yield* session.sendInput(TransportData.make(audio(x.subarray(i, i + 960), 48_000, 1, (i / 48) * 1000)))
      yield* session.endInput
      const out = yield* Fiber.join(consumer)
      assert.strictEqual(out.length, 10)
      for (const [i, o] of out.entries()) {
        assert(isAudio(o.data))
        const expected = rms(x.subarray(i * 960, i * 960 + 960)) * (10 ** (-6 / 20) + 10 ** (-12 / 20))
        assert.closeTo(rms(o.data.samples), expected, 5e-06)
      }
    }).pipe(Effect.provide(Runner)))

  it.effect("VAD emits speech start/stop events; Echo addresses the sender", () =>
    Effect.gen(function*() {
      const m = yield* manifest({
        pipeline: {
          nodes: [{ id: "vad", type: "VAD", params: { thresholdDb: -30, hangoverMs: 100 } }, { id: "echo", type: "Echo" }],
          graph: [{ from: "input", to: "vad" }, { from: "vad", to: "echo" }, { from: "echo", to: "output" }]
        }
      })
      const session = yield* PipelineRunner.use((r) => r.createStreamSession(m))
      const consumer = yield* Effect.forkChild(drain(session))
      const speech = sine(300, 48_000, 0.4, 0.3)
      const silence = new Float32Array(48_000 * 0.4)
      for (const part of [silence, speech, silence]) {
        for (let i = 0; i < part.length; i += 960) yield* session.sendInput(audioIn(part.subarray(i, i + 960), { peer_id: "alice" }))
      }
      yield* session.endInput
      const out = yield* Fiber.join(consumer)
      assert.deepStrictEqual(out.map((o) => (isJson(o.data) ? (o.data.value as { event: string }).event : "audio")), ["speech_start", "speech_stop"])
      assert.strictEqual(out.every((o) => o.metadata.to === "alice"), true)
    }).pipe(Effect.provide(Runner)))

  it.effect("a failing node ends its session with an ExecutionError naming it; another session is untouched", () =>
    Effect.gen(function*() {
      const m = yield* chain({ id: "first", type: "PassThrough" }, { id: "fragile", type: "Fragile" })
      const doomed = yield* PipelineRunner.use((r) => r.createStreamSession(m))
      const healthy = yield* PipelineRunner.use((r) => r.createStreamSession(m))
      yield* doomed.sendInput(TransportData.make(text("ok")))
      yield* doomed.sendInput(TransportData.make(text("boom")))
      assert.deepStrictEqual(yield* doomed.recvOutput, Option.some(TransportData.make(text("ok"))))
      const error = yield* Effect.flip(doomed.recvOutput)
      assert.instanceOf(error, ExecutionError)
      assert.strictEqual(error.nodeId, "fragile")
      assert.include(error.message, "cannot handle boom")
      assert.strictEqual(yield* doomed.isActive, false)
      const closed = yield* Effect.flip(doomed.sendInput(TransportData.make(text("again"))))
      assert.instanceOf(closed, SessionClosed)
      assert.include(closed.message, `ended because node "fragile" failed: cannot handle boom`)
      yield* healthy.sendInput(TransportData.make(text("still fine")))
      assert.deepStrictEqual(yield* healthy.recvOutput, Option.some(TransportData.make(text("still fine"))))
      assert.strictEqual(yield* healthy.isActive, true)
      yield* healthy.close
    }).pipe(Effect.provide(Runner)))

  it.effect("bounded queues: a stalled node holds the sender back instead of buffering without limit", () =>
    Effect.gen(function*() {
      const opened = yield* Deferred.make<void>()
      gate.open = Deferred.await(opened)
      const m = yield* chain({ id: "slow", type: "Gated" })
      const session = yield* PipelineRunner.use((r) => r.createStreamSession(m))
      let sent = 0
      const producer = yield* Effect.forkChild(Effect.forEach(Array.from({ length: 20 }), () =>
        session.sendInput(TransportData.make(text("x"))).pipe(Effect.tap(() => Effect.sync(() => sent++)))))
      yield* Effect.yieldNow
      for (let i = 0; i < 20; i++) yield* Effect.yieldNow
      // capacity 2 inbox + the item being processed
      assert.isAtMost(sent, 3)
      yield* Deferred.succeed(opened, undefined)
      const received = yield* Stream.runCollect(session.outputs.pipe(Stream.take(20)))
      yield* Fiber.join(producer)
      assert.strictEqual(received.length, 20)
      yield* session.close
    }).pipe(Effect.provide(Runner)))

  it.effect("close stops every fiber: recvOutput gives None, sendInput fails SessionClosed", () =>
    Effect.gen(function*() {
      const m = yield* chain({ id: "a", type: "PassThrough" }, { id: "b", type: "Stuck" })
      const session = yield* PipelineRunner.use((r) => r.createStreamSession(m))
      yield* session.sendInput(TransportData.make(text("stuck in b")))
      const waiting = yield* Effect.forkChild(session.recvOutput)
      yield* session.close
      assert.deepStrictEqual(yield* Fiber.join(waiting), Option.none())
      assert.strictEqual(yield* session.isActive, false)
      assert.instanceOf(yield* Effect.flip(session.sendInput(TransportData.make(text("late")))), SessionClosed)
      yield* session.close
    }).pipe(Effect.provide(Runner)))

  it.live("leaves no timers or handles behind after many sessions are created and closed", () =>
    Effect.gen(function*() {
      const before = process.getActiveResourcesInfo()
      const m = yield* chain({ id: "g", type: "Gain" }, { id: "c", type: "AudioChunker" })
      const sessions: Array<StreamSession> = []
      yield* Effect.gen(function*() {
        const r = yield* PipelineRunner
        for (let i = 0; i < 50; i++) {
          const s = yield* r.createStreamSession(m)
          sessions.push(s)
          yield* s.sendInput(audioIn(sine(440, 48_000, 0.03)))
          if (i % 2 === 0) yield* s.close
        }
        assert.strictEqual((yield* Effect.forEach(sessions, (x) => x.isActive)).filter(Boolean).length, 25)
      }).pipe(Effect.provide(Runner, { local: true }))
      // tearing the runner down ended the sessions nobody closed
      assert.strictEqual((yield* Effect.forEach(sessions, (x) => x.isActive)).some(Boolean), false)
      // The Effect scheduler's own pending tick (an Immediate) belongs to the fiber running this test.
      const after = process.getActiveResourcesInfo().filter((r) => r !== "Immediate")
      assert.isAtMost(after.length, before.length, after.join(",") + " / " + before.join(","))
    }))
})
