import { assert, describe, it } from "@effect/vitest"
import { Effect, Result } from "effect"
import * as fc from "fast-check"
import { applyOptions, decodeOptions, initialSettings, parseResolution } from "../../src/config/ConfigOptions.ts"
import { connectionPresets, presets } from "../../src/config/presets.ts"
import { decodeConfig } from "../../src/config/WebRtcTransportConfig.ts"

const rejected = (options: unknown) =>
  decodeOptions(options).pipe(Effect.flip, Effect.map((e) => ({ tag: e._tag, field: e.field, message: e.message })))

describe("configure options", () => {
  it.effect("the validation table: each bad value is an InvalidOption naming its field", () =>
    Effect.gen(function*() {
      const table: ReadonlyArray<readonly [Record<string, unknown>, string]> = [
        [{ targetBitrateKbps: 15 }, "targetBitrateKbps"],
        [{ targetBitrateKbps: 50_001 }, "targetBitrateKbps"],
        [{ targetBitrateKbps: 1.5 }, "targetBitrateKbps"],
        [{ audioBitrateKbps: 8 }, "audioBitrateKbps"],
        [{ audioBitrateKbps: 511 }, "audioBitrateKbps"],
        [{ jitterBufferSizeMs: 49 }, "jitterBufferSizeMs"],
        [{ jitterBufferSizeMs: 201 }, "jitterBufferSizeMs"],
        [{ videoFramerateFps: 9 }, "videoFramerateFps"],
        [{ videoFramerateFps: 61 }, "videoFramerateFps"],
        [{ maxVideoResolution: "1000x1000" }, "maxVideoResolution"],
        [{ maxVideoResolution: "1280x721" }, "maxVideoResolution"],
        [{ maxVideoResolution: "4k" }, "maxVideoResolution"],
        [{ maxVideoResolution: "7680x4320" }, "maxVideoResolution"],
        [{ iceTimeoutSecs: 0 }, "iceTimeoutSecs"],
        [{ rtcpIntervalMs: 999 }, "rtcpIntervalMs"],
        [{ adaptiveBitrateEnabled: "yes" }, "adaptiveBitrateEnabled"],
        [{ targetBitrate: 2_000 }, "targetBitrate"],
        [{ jitterBufferSizeMs: 100, videoFramerateFps: 0 }, "videoFramerateFps"]
      ]
      for (const [options, field] of table) {
        const error = yield* rejected(options)
        assert.strictEqual(error.tag, "InvalidOption")
        assert.strictEqual(error.field, field, JSON.stringify(options))
        assert.include(error.message, field)
      }
      assert.include((yield* rejected({ targetBitrateKbps: 15 })).message, "[16, 50000] kbps")
      assert.include((yield* rejected({ maxVideoResolution: "1000x1000" })).message, "neither 16:9 nor 4:3")
    }))

  it.effect("accepts the contract's example and every preset", () =>
    Effect.gen(function*() {
      const example = { adaptiveBitrateEnabled: true, targetBitrateKbps: 2000, maxVideoResolution: "1080p", jitterBufferSizeMs: 100 }
      assert.deepStrictEqual(yield* decodeOptions(example), example)
      for (const options of Object.values(presets)) assert.deepStrictEqual(yield* decodeOptions(options), options)
      for (const config of Object.values(connectionPresets)) {
        yield* decodeConfig({ signalingUrl: "ws://127.0.0.1:1", peerId: "a", stunServers: ["stun:127.0.0.1:3478"], ...config })
      }
    }))

  it("bitrate, frame rate and jitter buffer accept exactly their ranges", () => {
    const cases = [["targetBitrateKbps", 16, 50_000], ["videoFramerateFps", 10, 60], ["jitterBufferSizeMs", 50, 200]] as const
    for (const [field, min, max] of cases) {
      fc.assert(fc.property(fc.integer({ min: -10, max: 60_000 }), (value) => {
        const result = Effect.runSync(Effect.result(decodeOptions({ [field]: value })))
        assert.strictEqual(Result.isSuccess(result), value >= min && value <= max, `${field} = ${value}`)
      }))
    }
  })

  it("resolutions: 16:9 and 4:3 pass, other shapes do not", () => {
    assert.deepStrictEqual(parseResolution("720p"), { width: 1280, height: 720 })
    assert.deepStrictEqual(parseResolution("640x480"), { width: 640, height: 480 })
    assert.deepStrictEqual(parseResolution("1920x1080"), { width: 1920, height: 1080 })
    fc.assert(fc.property(fc.integer({ min: 40, max: 540 }), fc.constantFrom([16, 9], [4, 3]), (unit, [w, h]) => {
      const width = unit * w * 2
      const height = unit * h * 2
      const parsed = parseResolution(`${width}x${height}`)
      const inRange = width <= 3840 && height <= 2160 && width >= 160 && height >= 90
      assert.strictEqual(typeof parsed === "object", inRange)
    }))
  })

  it.effect("applying options changes only what they name", () =>
    Effect.gen(function*() {
      const config = yield* decodeConfig({ signalingUrl: "ws://127.0.0.1:1", peerId: "a", stunServers: ["stun:127.0.0.1:3478"] })
      const before = initialSettings(config)
      const after = applyOptions(before, yield* decodeOptions({ targetBitrateKbps: 300, iceTimeoutSecs: 20, maxVideoResolution: "640x360" }))
      assert.deepStrictEqual(after, { ...before, targetBitrateKbps: 300, connectTimeoutMs: 20_000, maxVideoResolution: { width: 640, height: 360 } })
      assert.deepStrictEqual(applyOptions(before, {}), before)
    }))
})
