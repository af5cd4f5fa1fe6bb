import { assert, describe, it } from "@effect/vitest"
import { Effect, Result } from "effect"
import * as fc from "fast-check"
import { decodeConfig, type WebRtcTransportConfigInput } from "../../src/config/WebRtcTransportConfig.ts"
import { qualityScore } from "../../src/peer/ConnectionMetrics.ts"
import { rtcConfiguration, videoCodecOrder } from "../../src/peer/rtcConfiguration.ts"

const valid: WebRtcTransportConfigInput = {
  signalingUrl: "ws://127.0.0.1:8080",
  peerId: "alice",
  stunServers: ["stun:127.0.0.1:3478"]
}

const badField = (overrides: Partial<WebRtcTransportConfigInput>) =>
  decodeConfig({ ...valid, ...overrides } as WebRtcTransportConfigInput).pipe(Effect.flip, Effect.map((e) => e.field))

describe("WebRtcTransportConfig", () => {
  it.effect("fills in the contract's defaults", () =>
    Effect.gen(function*() {
      const config = yield* decodeConfig(valid)
      assert.strictEqual(config.maxPeers, 10)
      assert.strictEqual(config.videoCodec, "VP9")
      assert.strictEqual(config.audioCodec, "Opus")
      assert.isTrue(config.enableDataChannel)
      assert.strictEqual(config.jitterBufferSizeMs, 50)
      assert.strictEqual(config.connectTimeoutMs, 10_000)
      assert.deepStrictEqual(config.turnServers, [])
      assert.strictEqual(config.candidateHosts, "any")
      assert.strictEqual(config.acceptPolicy, "auto")
      assert.deepStrictEqual(config.reconnect, { maxRetries: 5, initialDelayMs: 1_000, maxDelayMs: 30_000, multiplier: 2, jitter: 0.25 })
      assert.deepStrictEqual(config.circuitBreaker, { failureThreshold: 5, successThreshold: 2, recoveryMs: 30_000 })
    }))

  it.effect("names the offending field", () =>
    Effect.gen(function*() {
      assert.strictEqual(yield* badField({ stunServers: [] }), "stunServers")
      assert.strictEqual(yield* badField({ stunServers: [""] }), "stunServers.0")
      assert.strictEqual(yield* badField({ stunServers: ["http://stun.example"] }), "stunServers.0")
      assert.strictEqual(yield* badField({ turnServers: [{ url: "turn:", username: "u", credential: "p" }] }), "turnServers.0.url")
      assert.strictEqual(yield* badField({ turnServers: [{ url: "turn:127.0.0.1:3478", username: "", credential: "p" }] }), "turnServers.0.username")
      assert.strictEqual(yield* badField({ peerId: "" }), "peerId")
      assert.strictEqual(yield* badField({ peerId: "no spaces" }), "peerId")
      assert.strictEqual(yield* badField({ maxPeers: 0 }), "maxPeers")
      assert.strictEqual(yield* badField({ jitterBufferSizeMs: 49 }), "jitterBufferSizeMs")
      assert.strictEqual(yield* badField({ jitterBufferSizeMs: 201 }), "jitterBufferSizeMs")
      assert.strictEqual(yield* badField({ signalingUrl: "http://127.0.0.1" }), "signalingUrl")
      assert.strictEqual(yield* badField({ rtcpIntervalMs: 500 }), "rtcpIntervalMs")
      assert.strictEqual(yield* badField({ reconnect: { jitter: 1.5 } }), "reconnect.jitter")
      assert.strictEqual(yield* badField({ circuitBreaker: { failureThreshold: 0 } }), "circuitBreaker.failureThreshold")
      assert.strictEqual(yield* badField({ circuitBreaker: { recoveryMs: 50 } }), "circuitBreaker.recoveryMs")
      const error = yield* decodeConfig({ ...valid, maxPeers: 0 }).pipe(Effect.flip)
      assert.include(error, { _tag: "InvalidConfig" })
      assert.include(error.message, "maxPeers")
    }))

  it("accepts exactly the jitter buffer sizes 50..200", () => {
    fc.assert(fc.property(fc.integer({ min: -1000, max: 1000 }), (ms) => {
      const result = Effect.runSync(Effect.result(decodeConfig({ ...valid, jitterBufferSizeMs: ms })))
      assert.strictEqual(Result.isSuccess(result), ms >= 50 && ms <= 200)
      if (Result.isFailure(result)) assert.strictEqual(result.failure.field, "jitterBufferSizeMs")
    }))
  })

  it.effect("gives werift only our ICE servers, and loopback-only pairs when asked", () =>
    Effect.gen(function*() {
      const config = yield* decodeConfig({
        ...valid,
        candidateHosts: "loopback",
        turnServers: [{ url: "turn:127.0.0.1:3479", username: "u", credential: "p" }]
      })
      const options = rtcConfiguration(config)
      assert.deepStrictEqual(options.iceServers, [
        { urls: "stun:127.0.0.1:3478" },
        { urls: "turn:127.0.0.1:3479", username: "u", credential: "p" }
      ])
      assert.deepStrictEqual(options.iceAdditionalHostAddresses, ["127.0.0.1"])
      assert.strictEqual(options.bundlePolicy, "max-bundle")
      assert.deepStrictEqual(options.codecs?.video?.map((c) => c.mimeType), ["video/VP9", "video/H264", "video/VP8"])
      assert.deepStrictEqual(options.codecs?.audio?.map((c) => c.mimeType), ["audio/OPUS"])
      assert.deepStrictEqual(videoCodecOrder("H264"), ["H264", "VP9", "VP8"])
    }))
})

describe("qualityScore", () => {
  it("follows design.md's formula", () => {
    assert.strictEqual(qualityScore(20, 0, 5), 100)
    assert.strictEqual(qualityScore(200, 0, 0), 90)
    assert.strictEqual(qualityScore(10_000, 1, 1_000), 10)
    assert.strictEqual(qualityScore(150, 0.02, 40), 100 - 5 - 20 - 2)
  })

  it("stays within 0..100 and never rises with worse RTT", () => {
    const ms = fc.double({ min: 0, max: 5000, noNaN: true })
    fc.assert(fc.property(ms, ms, fc.double({ min: 0, max: 1, noNaN: true }), (rttA, rttB, loss) => {
      const [low, high] = rttA <= rttB ? [rttA, rttB] : [rttB, rttA]
      const best = qualityScore(low, loss, 10)
      const worse = qualityScore(high, loss, 10)
      assert.isAtLeast(best, worse)
      assert.isAtLeast(worse, 0)
      assert.isAtMost(best, 100)
    }))
  })
})
