import { assert, describe, it } from "@effect/vitest"
import { Effect, Result } from "effect"
import { decodeConfig } from "@remotemedia/webrtc"
import { parseCliOptions } from "../src/options/CliOptions.ts"
import { configUsageError, transportConfig } from "../src/peer/transportConfig.ts"

/** The usage error the transport's own validation gives for these flags. */
const usageErrorFor = (argv: ReadonlyArray<string>) =>
  decodeConfig(transportConfig(Result.getOrThrow(parseCliOptions(argv)))).pipe(Effect.flip, Effect.map(configUsageError))

const base = ["--signaling", "ws://127.0.0.1:8080", "--id", "alice", "--stun", "stun:127.0.0.1:3478"]

describe("transportConfig", () => {
  it.effect("valid flags make a valid transport config: loopback ICE, our STUN, the chosen codec", () =>
    Effect.gen(function*() {
      const config = yield* decodeConfig(transportConfig(Result.getOrThrow(parseCliOptions([...base, "--ice-hosts", "loopback", "--codec", "vp8", "--max-peers", "3", "--connect-timeout", "2.5"]))))
      assert.deepInclude(config, { candidateHosts: "loopback", videoCodec: "VP8", maxPeers: 3, connectTimeoutMs: 2_500, stunServers: ["stun:127.0.0.1:3478"] })
    }))

  it.effect("the transport's validation errors name the flag", () =>
    Effect.gen(function*() {
      const badStun = yield* usageErrorFor(["--signaling", "ws://h:1", "--id", "a", "--stun", "http://x"])
      assert.strictEqual(badStun.message, "--stun: expected stun:<host>[:port] or stuns:<host>[:port]")
      const badUrl = yield* usageErrorFor(["--signaling", "http://h:1", "--id", "a", "--stun", "stun:h"])
      assert.strictEqual(badUrl.message, "--signaling: expected a ws:// or wss:// url")
      const badId = yield* usageErrorFor(["--signaling", "ws://h:1", "--id", "a b", "--stun", "stun:h"])
      assert.match(badId.message, /^--id: peer id must match/)
      const noTurnUser = yield* usageErrorFor([...base, "--turn", "turn:127.0.0.1:3478"])
      assert.match(noTurnUser.message, /^--turn-user: /)
    }))
})
