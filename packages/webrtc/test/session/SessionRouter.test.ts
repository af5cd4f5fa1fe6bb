import { assert, describe, it } from "@effect/vitest"
import { Effect, Option, Schedule, Schema } from "effect"
import {
  audio,
  type Audio,
  builtinNodes,
  defineNode,
  isAudio,
  Manifest,
  NodeRegistry,
  type NodeType,
  PipelineRunner,
  type RuntimeData,
  type StreamSession,
  TO,
  TransportData
} from "@remotemedia/runtime-core"
import { concatSamples, dominantFrequency, makeSineTone, powerAt, rms } from "@remotemedia/signals"
import { type InMemoryMesh, makeInMemoryMesh } from "../../src/session/InMemoryMesh.ts"
import type { RoutedSession } from "../../src/session/SessionRouter.ts"

const RATE = 48_000
const FRAME = 960

const samplesOf = (frames: ReadonlyArray<RuntimeData>) =>
  concatSamples(frames.map((d) => {
    assert.isTrue(isAudio(d), "only audio was routed")
    return (d as Audio).samples
  }))

/** A runner that remembers every pipeline it starts (to check they were all closed), with extra node types. */
const recordingRunner = (created: Array<StreamSession>, nodes: ReadonlyArray<NodeType> = []) =>
  PipelineRunner.make(PipelineRunner.defaults).pipe(
    Effect.provideService(NodeRegistry, NodeRegistry.make([...builtinNodes, ...nodes])),
    Effect.map((real) =>
      PipelineRunner.of({
        ...real,
        createStreamSession: (manifest) => real.createStreamSession(manifest).pipe(Effect.tap((s) => Effect.sync(() => created.push(s))))
      })
    )
  )

/** Passes audio through, and throws on its `after`-th frame. */
const Explode = defineNode({
  type: "Explode",
  params: Schema.Struct({ after: Schema.Number }),
  make: ({ after }) => {
    let seen = 0
    return {
      process: (input) => {
        if (++seen === after) throw new Error(`exploded on frame ${seen}`)
        return [input]
      }
    }
  }
})

/** Waits until `condition` holds, failing loudly after 5 s. */
const eventually = <E>(condition: Effect.Effect<boolean, E>) =>
  condition.pipe(
    Effect.repeat({ until: (ok) => ok, schedule: Schedule.spaced("2 millis") }),
    Effect.timeout("5 seconds")
  )

/** The next `n` frames sent to `peerId`, failing loudly after 10 s. */
const takeSent = (mesh: InMemoryMesh, peerId: string, n: number) => mesh.takeSent(peerId, n).pipe(Effect.timeout("10 seconds"))

const gateManifest = Manifest.fromUnknown({ pipeline: { nodes: [{ id: "gate", type: "NoiseGate", params: { thresholdDb: -40 } }] } })
const gainManifest = Manifest.fromUnknown({ pipeline: { nodes: [{ id: "gain", type: "Gain", params: { gainDb: -6.0206 } }] } })

describe("SessionRouter over an in-memory mesh", () => {
  it.live("a per-peer NoiseGate session returns each peer's own gated audio to that peer only", () =>
    Effect.gen(function*() {
      const mesh = yield* makeInMemoryMesh({ localPeerId: "host", peers: ["alice", "bob"] })
      const session = yield* mesh.stream(yield* gateManifest)
      assert.strictEqual(session.routing, "sender")
      const alice = makeSineTone({ frequency: 440, sampleRate: RATE, amplitude: 0.5 })
      const bobQuiet = makeSineTone({ frequency: 300, sampleRate: RATE, amplitude: 0.003 })
      const bobLoud = makeSineTone({ frequency: 300, sampleRate: RATE, amplitude: 0.5 })
      const atAlice: Array<RuntimeData> = []
      const atBob: Array<RuntimeData> = []
      for (let round = 0; round < 6; round++) {
        for (let i = 0; i < 10; i++) {
          yield* mesh.receive("alice", audio(alice.next(FRAME), RATE))
          yield* mesh.receive("bob", audio((round < 3 ? bobQuiet : bobLoud).next(FRAME), RATE))
        }
        atAlice.push(...yield* takeSent(mesh, "alice", 10))
        atBob.push(...yield* takeSent(mesh, "bob", 10))
      }
      const aliceOut = samplesOf(atAlice).subarray(2 * FRAME)
      assert.approximately(dominantFrequency(aliceOut, RATE), 440, 2)
      assert.approximately(rms(aliceOut), 0.5 / Math.SQRT2, 0.01)
      assert.isBelow(powerAt(aliceOut, RATE, 300), 1e-5, "none of bob's audio reaches alice")
      const bobOut = samplesOf(atBob)
      assert.isBelow(rms(bobOut.subarray(0, 30 * FRAME)), 1e-4, "bob's quiet hum is gated by his own gate")
      const bobOpen = bobOut.subarray(32 * FRAME)
      assert.approximately(dominantFrequency(bobOpen, RATE), 300, 2)
      assert.isBelow(powerAt(bobOpen, RATE, 440), 1e-5, "none of alice's audio reaches bob")
      assert.deepStrictEqual([...yield* session.lanes].sort(), ["alice", "bob"])
      assert.strictEqual(yield* mesh.pendingSent("alice"), 0)
      assert.deepStrictEqual(yield* session.stats, { inputs: 120, sent: 120, dropped: 0, failedSends: 0 })
    }))

  it.live("a mix-minus conference: every participant hears the others and never itself", () =>
    Effect.gen(function*() {
      const peers = ["alice", "bob", "carol"] as const
      const tones = { alice: 440, bob: 660, carol: 880, host: 1_000 } as const
      const mesh = yield* makeInMemoryMesh({ localPeerId: "host", peers })
      const conference = yield* Manifest.fromUnknown({
        // Sources arrive with different skews (the host directly, peers through the receive queue): wait for each
        // other up to 200 ms of stream time.
        pipeline: { nodes: [{ id: "mix", type: "Mixer", params: { mode: "mix-minus", windowMs: 200 } }], routing: "broadcast" }
      })
      const session = yield* mesh.stream(conference)
      const generators = Object.fromEntries(
        Object.entries(tones).map(([who, frequency]) => [who, makeSineTone({ frequency, sampleRate: RATE, amplitude: 0.2 })])
      )
      const hostMix: Array<RuntimeData> = []
      const addressed = new Map<string, number>()
      const rounds = 50
      for (let batch = 0; batch < rounds / 5; batch++) {
        const last = (batch * 5 + 4) * 20_000
        for (let at = batch * 5 * 20_000; at <= last; at += 20_000) {
          for (const peer of peers) yield* mesh.receive(peer, audio(generators[peer]!.next(FRAME), RATE, 1, at))
          // The host takes part too: its own voice enters through sendInput.
          yield* session.sendInput(TransportData.make(audio(generators.host!.next(FRAME), RATE, 1, at)))
        }
        // Rounds are mixed in time order: once the batch's last one is out, the batch is done. The host's own
        // mix is not sent anywhere, it comes out of the session for the local user.
        let lastOut = -1
        while (lastOut !== last) {
          const output = Option.getOrThrow(yield* session.recvOutput.pipe(Effect.timeout("5 seconds")))
          lastOut = (output.data as Audio).timestampUs ?? -1
          const to = output.metadata[TO]!
          addressed.set(to, (addressed.get(to) ?? 0) + 1)
          if (to === "host") hostMix.push(output.data)
        }
      }
      // The first rounds are mixed while sources are still joining (a source's frames for rounds already
      // mixed are dropped): measure the steady state, the last 40 rounds.
      const steady = 40
      for (const peer of peers) {
        const heard = yield* takeSent(mesh, peer, addressed.get(peer) ?? 0)
        const mix = samplesOf(heard).subarray(-steady * FRAME)
        assert.isAtLeast(heard.length, steady)
        for (const [who, frequency] of Object.entries(tones)) {
          const power = powerAt(mix, RATE, frequency)
          if (who === peer) assert.isBelow(power, 1e-8, `${peer} hears ${who}`)
          else assert.approximately(power, 0.02, 0.002, `${peer} misses ${who}`)
        }
      }
      const host = samplesOf(hostMix).subarray(-steady * FRAME)
      for (const peer of peers) assert.approximately(powerAt(host, RATE, tones[peer]), 0.02, 0.002)
      assert.isBelow(powerAt(host, RATE, tones.host), 1e-8)
    }))

  it.live("peers joining and leaving mid-session get and lose their pipeline; the others keep going", () =>
    Effect.gen(function*() {
      const created: Array<StreamSession> = []
      const runner = yield* recordingRunner(created)
      const mesh = yield* makeInMemoryMesh({ localPeerId: "host", peers: ["alice", "bob", "carol"] }).pipe(Effect.provideService(PipelineRunner, runner))
      const session = yield* mesh.stream(yield* gainManifest)
      const frame = () => audio(new Float32Array(FRAME).fill(0.5), RATE)
      for (const peer of ["alice", "bob"]) yield* mesh.receive(peer, frame())
      yield* takeSent(mesh, "alice", 1)
      yield* takeSent(mesh, "bob", 1)
      const bobLane = created[1]!
      yield* mesh.leave("bob")
      yield* eventually(Effect.map(session.lanes, (lanes) => lanes.length === 1))
      assert.deepStrictEqual(yield* session.lanes, ["alice"])
      assert.isFalse(yield* bobLane.isActive, "bob's pipeline is closed")
      // A frame of bob's still on its way after he left does not bring his pipeline back.
      yield* mesh.receive("bob", frame())
      for (let i = 0; i < 5; i++) yield* mesh.receive("alice", frame())
      const later = samplesOf(yield* takeSent(mesh, "alice", 5))
      assert.approximately(later[0]!, 0.25, 1e-4)
      assert.isTrue(yield* session.isActive)
      // carol joins later: she gets a pipeline of her own, alice's is not restarted.
      yield* mesh.receive("carol", frame())
      assert.approximately(samplesOf(yield* takeSent(mesh, "carol", 1))[0]!, 0.25, 1e-4)
      assert.deepStrictEqual([...yield* session.lanes].sort(), ["alice", "carol"])
      assert.isTrue(yield* created[0]!.isActive, "alice's pipeline was never restarted")
      assert.strictEqual(created.length, 3)
      assert.strictEqual((yield* session.stats).dropped, 1, "bob's late frame")
      // bob connects again: his frames get a fresh pipeline.
      yield* mesh.join("bob")
      yield* eventually(Effect.gen(function*() {
        yield* mesh.receive("bob", frame())
        return (yield* mesh.pendingSent("bob")) > 0
      }))
      assert.deepStrictEqual([...yield* session.lanes].sort(), ["alice", "bob", "carol"])
      assert.isTrue(yield* created[3]!.isActive)
    }))

  it.live("a node failing mid-session closes that session only, and reports why", () =>
    Effect.gen(function*() {
      const created: Array<StreamSession> = []
      const runner = yield* recordingRunner(created, [Explode])
      const mesh = yield* makeInMemoryMesh({ localPeerId: "host", peers: ["alice"] }).pipe(Effect.provideService(PipelineRunner, runner))
      const exploding = yield* Manifest.fromUnknown({ pipeline: { nodes: [{ id: "explode", type: "Explode", params: { after: 3 } }] } })
      const failing = yield* mesh.stream(exploding)
      const healthy = yield* mesh.stream(yield* gainManifest)
      const frame = () => audio(new Float32Array(FRAME).fill(0.5), RATE)
      for (let i = 0; i < 5; i++) yield* mesh.receive("alice", frame())
      const error = yield* failing.done.pipe(Effect.flip, Effect.timeout("5 seconds"))
      assert.include(error, { _tag: "ExecutionError", nodeId: "explode" })
      assert.include(error.message, "exploded on frame 3")
      // Two frames made it through the exploding pipeline before it failed, five through the healthy one.
      const first = samplesOf(yield* takeSent(mesh, "alice", 7)).filter((_, i) => i % FRAME === 0)
      assert.deepStrictEqual([...first].map((x) => Math.round(x * 100) / 100).sort(), [0.25, 0.25, 0.25, 0.25, 0.25, 0.5, 0.5])
      assert.isFalse(yield* failing.isActive)
      assert.include(yield* failing.sendInput(TransportData.make(frame())).pipe(Effect.flip), { _tag: "SessionClosed" })
      let observed = yield* failing.recvOutput.pipe(Effect.result)
      while (observed._tag === "Success") observed = yield* failing.recvOutput.pipe(Effect.result)
      assert.include(observed.failure, { _tag: "ExecutionError", nodeId: "explode" })
      yield* eventually(Effect.map(mesh.sessions, (live) => live.length === 1))
      assert.strictEqual((yield* mesh.sessions)[0], healthy)
      yield* eventually(Effect.map(mesh.subscriptions, (n) => n === 2))
      // The healthy session and the peer are untouched; the failed manifest can be started again.
      yield* mesh.receive("alice", frame())
      assert.approximately(samplesOf(yield* takeSent(mesh, "alice", 1))[0]!, 0.25, 1e-4)
      const again = yield* mesh.stream(exploding)
      assert.notStrictEqual(again.sessionId, failing.sessionId)
      assert.isTrue(yield* healthy.isActive)
    }))

  it.live("close releases every pipeline, fiber and subscription; the same manifest then starts afresh", () =>
    Effect.gen(function*() {
      const created: Array<StreamSession> = []
      const runner = yield* recordingRunner(created)
      const mesh = yield* makeInMemoryMesh({ localPeerId: "host", peers: ["alice", "bob"] }).pipe(Effect.provideService(PipelineRunner, runner))
      const manifest = yield* gainManifest
      const session: RoutedSession = yield* mesh.stream(manifest)
      assert.strictEqual(yield* mesh.stream(manifest), session, "one live session per manifest")
      const sameFromV1 = yield* Manifest.fromUnknown({
        version: "v1",
        nodes: [{ id: "gain", node_type: "Gain", params: { gainDb: -6.0206 } }],
        connections: []
      })
      assert.strictEqual(yield* mesh.stream(sameFromV1), session, "the same pipeline in the v1 form")
      const broadcastOne = yield* mesh.stream(manifest, { routing: "broadcast" })
      assert.notStrictEqual(broadcastOne, session)
      yield* broadcastOne.close
      for (const peer of ["alice", "bob"]) yield* mesh.receive(peer, audio(new Float32Array(FRAME).fill(0.5), RATE))
      yield* takeSent(mesh, "alice", 1)
      yield* takeSent(mesh, "bob", 1)
      assert.strictEqual(yield* mesh.subscriptions, 2)
      yield* session.close
      yield* session.done
      assert.isFalse(yield* session.isActive)
      assert.strictEqual(yield* mesh.subscriptions, 0)
      for (const pipeline of created) assert.isFalse(yield* pipeline.isActive)
      assert.include(yield* session.sendInput(TransportData.make(audio(new Float32Array(FRAME), RATE))).pipe(Effect.flip), {
        _tag: "SessionClosed"
      })
      let output = yield* session.recvOutput
      while (Option.isSome(output)) output = yield* session.recvOutput
      assert.deepStrictEqual(yield* mesh.sessions, [])
      assert.notStrictEqual((yield* mesh.stream(manifest)).sessionId, session.sessionId)
    }))

  it.live("endInput: pipelines flush, queued outputs are sent, then the session finishes", () =>
    Effect.gen(function*() {
      const mesh = yield* makeInMemoryMesh({ localPeerId: "host", peers: ["alice"] })
      const chunker = yield* Manifest.fromUnknown({ pipeline: { nodes: [{ id: "chunk", type: "AudioChunker", params: { frameMs: 30 } }] } })
      const session = yield* mesh.stream(chunker)
      // 80 ms in: two 30 ms chunks come out at once, the last 20 ms only when the chunker is flushed.
      for (let i = 0; i < 4; i++) yield* mesh.receive("alice", audio(new Float32Array(FRAME).fill(0.1), RATE))
      yield* takeSent(mesh, "alice", 2)
      yield* session.endInput
      yield* session.done.pipe(Effect.timeout("5 seconds"))
      const flushed = samplesOf(yield* takeSent(mesh, "alice", 1))
      assert.strictEqual(flushed.length, FRAME, "the 20 ms left over comes out at the end")
      assert.isFalse(yield* session.isActive)
    }))

  it.live("execute runs one input through a manifest locally", () =>
    Effect.gen(function*() {
      const mesh = yield* makeInMemoryMesh({ localPeerId: "host", peers: [] })
      const output = yield* mesh.execute(yield* gainManifest, TransportData.make(audio(new Float32Array([0.5, -0.5]), RATE)))
      assert.deepStrictEqual([...(output.data as Audio).samples].map((x) => Math.round(x * 1000) / 1000), [0.25, -0.25])
      const invalid = yield* Manifest.fromUnknown({ pipeline: { nodes: [{ id: "x", type: "NoSuchNode" }] } })
      assert.include(yield* mesh.execute(invalid, TransportData.make(audio(new Float32Array(2), RATE))).pipe(Effect.flip), {
        _tag: "InvalidManifest"
      })
      assert.include(yield* mesh.stream(invalid).pipe(Effect.flip), { _tag: "InvalidManifest" })
    }))

  it.live("the in-memory mesh: a broadcast reaches the connected peers only, audio is dated by its release, a failed send is counted", () =>
    Effect.gen(function*() {
      const mesh = yield* makeInMemoryMesh({ peers: ["alice", "bob"] })
      assert.strictEqual(mesh.localPeerId, "local")
      const shared = yield* mesh.stream(yield* gainManifest, { routing: "broadcast" })
      const frame = () => audio(new Float32Array(FRAME).fill(0.5), RATE)
      // Released together at t = 1000 ms: the first takes its 20 ms slot, the second the slot after it.
      for (let i = 0; i < 2; i++) yield* mesh.receive("alice", frame(), { releasedAtMs: 1_000 })
      for (const peer of ["alice", "bob"]) {
        const heard = yield* takeSent(mesh, peer, 2)
        assert.deepStrictEqual(heard.map((d) => (d as Audio).timestampUs), [1_000_000, 1_020_000])
        assert.approximately(samplesOf(heard)[0]!, 0.25, 1e-4)
      }
      yield* mesh.leave("bob")
      for (let i = 0; i < 2; i++) yield* mesh.receive("alice", frame())
      yield* takeSent(mesh, "alice", 2)
      assert.strictEqual(yield* mesh.pendingSent("bob"), 0, "bob left: nothing more is sent to him")
      yield* shared.close
      // A per-peer session answering a peer that is not connected: the send fails, is counted, the session goes on.
      const perPeer = yield* mesh.stream(yield* gainManifest)
      yield* mesh.receive("dave", frame())
      yield* eventually(Effect.map(perPeer.stats, (stats) => stats.failedSends === 1))
      yield* mesh.receive("alice", frame())
      assert.approximately(samplesOf(yield* takeSent(mesh, "alice", 1))[0]!, 0.25, 1e-4)
      assert.include(yield* perPeer.stats, { inputs: 2, sent: 1, failedSends: 1 })
      // "*" is how the router addresses every peer: no peer may be called that.
      const bad = yield* mesh.receive("*", frame()).pipe(Effect.flip)
      assert.include(bad, { _tag: "InvalidPeerId", peerId: "*" })
      assert.include(bad.message, "must match")
      assert.include(yield* mesh.join("").pipe(Effect.flip), { _tag: "InvalidPeerId", peerId: "" })
      assert.include(yield* makeInMemoryMesh({ peers: ["alice", "bob carol"] }).pipe(Effect.flip), { peerId: "bob carol" })
      assert.include(yield* perPeer.stats, { inputs: 2 })
    }))
})
