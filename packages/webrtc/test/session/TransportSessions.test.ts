import { assert, describe, it } from "@effect/vitest"
import { Effect, Fiber, Stream } from "effect"
import { audio, type Audio, Manifest, TransportData } from "@remotemedia/runtime-core"
import * as WebRtcTransport from "../../src/transport/WebRtcTransport.ts"
import { makeMemorySignaling } from "../support/memorySignaling.ts"

const unstarted = (peerId: string) =>
  Effect.gen(function*() {
    const hub = yield* makeMemorySignaling
    return yield* WebRtcTransport.make({ signalingUrl: "ws://127.0.0.1:1/memory", peerId, stunServers: ["stun:127.0.0.1:3478"] }).pipe(
      Effect.provide(hub.layer)
    )
  })

describe("WebRtcTransport: execute and configure", () => {
  it.live("execute runs a pipeline locally, before start and without peers", () =>
    Effect.gen(function*() {
      const transport = yield* unstarted("alice")
      const manifest = yield* Manifest.fromJson(
        `{"pipeline":{"nodes":[{"id":"gain","type":"Gain","params":{"gainDb":-6.0206}}],"graph":[{"from":"input","to":"gain"},{"from":"gain","to":"output"}]}}`
      )
      const output = yield* transport.execute(manifest, TransportData.make(audio(new Float32Array([0.8, -0.4]), 48_000)))
      assert.deepStrictEqual([...(output.data as Audio).samples].map((x) => Math.round(x * 1000) / 1000), [0.4, -0.2])
      const broken = yield* Manifest.fromUnknown({ pipeline: { nodes: [{ id: "x", type: "Gain", params: { gainDb: "loud" } }] } })
      const error = yield* transport.execute(broken, TransportData.make(audio(new Float32Array(2), 48_000))).pipe(Effect.flip)
      assert.include(error, { _tag: "InvalidManifest" })
      assert.include(error.message, "gainDb")
    }))

  it.live("configure validates, applies, publishes the change, and refuses after shutdown", () =>
    Effect.gen(function*() {
      const transport = yield* unstarted("alice")
      const initial = yield* transport.settings
      assert.strictEqual(initial.jitterBufferSizeMs, 50)
      const changes = yield* Stream.take(transport.settingsChanges, 2).pipe(Stream.runCollect, Effect.forkScoped({ startImmediately: true }))

      const invalid = yield* transport.configure({ targetBitrateKbps: 2_000, jitterBufferSizeMs: 250 }).pipe(Effect.flip)
      assert.include(invalid, { _tag: "InvalidOption", field: "jitterBufferSizeMs" })
      assert.deepStrictEqual(yield* transport.settings, initial, "a rejected call changes nothing")

      const applied = yield* transport.configure({ targetBitrateKbps: 2_000, maxVideoResolution: "1080p", jitterBufferSizeMs: 100 })
      assert.deepStrictEqual(applied, { ...initial, targetBitrateKbps: 2_000, maxVideoResolution: { width: 1920, height: 1080 }, jitterBufferSizeMs: 100 })
      assert.deepStrictEqual(yield* Fiber.join(changes).pipe(Effect.timeout("5 seconds")), [initial, applied])

      yield* transport.shutdown
      assert.include(yield* transport.configure({ targetBitrateKbps: 500 }).pipe(Effect.flip), { _tag: "AlreadyShutdown" })
    }))
})
