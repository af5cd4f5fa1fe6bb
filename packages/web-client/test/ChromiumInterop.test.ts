/**
 * The transport against a minimal page script (not the web-client page): byte-exact data-channel messages
 * of all three kinds both ways between a WebRtcTransport and Chromium's own RTCPeerConnection.
 */
import { assert, describe, it } from "@effect/vitest"
import { Effect, Fiber, Stream } from "effect"
import { make as makeSignalingServer, makeStunResponder } from "@remotemedia/signaling-server"
import { makeWebRtcTransport } from "@remotemedia/webrtc"
import { chromiumInstalled, launchChromium } from "../src/index.ts"
import { browserPeerScript, browserReplies } from "./support/browserPeer.ts"

// Under CI a missing browser is a failure (launchChromium fails with BrowserUnavailable), not a skip.
const runnable = chromiumInstalled() || process.env.CI === "true"

const utf8 = (text: string) => Array.from(new TextEncoder().encode(text))

describe.runIf(runnable)("Chromium interop", () => {
  it.live("a headless Chromium page and a WebRtcTransport exchange data-channel messages both ways", () =>
    Effect.gen(function*() {
      const signaling = yield* makeSignalingServer()
      const stun = yield* makeStunResponder()
      const page = yield* launchChromium()
      const args = { signalingUrl: signaling.url, stunUrl: stun.url, peerId: "browser", replies: browserReplies }
      yield* Effect.promise(() => page.evaluate(`(${browserPeerScript})(${JSON.stringify(args)})`))

      const transport = yield* makeWebRtcTransport({ signalingUrl: signaling.url, peerId: "werift", stunServers: [stun.url], candidateHosts: "loopback" })
      yield* transport.start
      yield* transport.connectPeer("browser")
      const fromBrowser = yield* Stream.take(transport.dataChannelMessages, 3).pipe(
        Stream.runCollect,
        Effect.forkScoped({ startImmediately: true })
      )
      yield* transport.sendDataChannelMessage("browser", { _tag: "Text", payload: "hello chromium ✓" })
      yield* transport.sendDataChannelMessage("browser", { _tag: "Binary", payload: Uint8Array.of(0, 1, 254, 255) })
      yield* transport.sendDataChannelMessage("browser", { _tag: "Json", payload: { n: 1, list: ["a"] } })

      const atBrowser = yield* Effect.promise(() =>
        page.evaluate("window.__received") as Promise<Array<{ kind: number; bytes: Array<number> }>>
      ).pipe(Effect.timeout("20 seconds"))
      assert.deepStrictEqual(atBrowser, [
        { kind: 1, bytes: utf8("hello chromium ✓") },
        { kind: 0, bytes: [0, 1, 254, 255] },
        { kind: 2, bytes: utf8(JSON.stringify({ n: 1, list: ["a"] })) }
      ])
      const received = yield* Fiber.join(fromBrowser).pipe(Effect.timeout("20 seconds"))
      assert.deepStrictEqual(received, [
        { peerId: "browser", message: { _tag: "Text", payload: browserReplies.text } },
        { peerId: "browser", message: { _tag: "Binary", payload: Uint8Array.from(browserReplies.binary) } },
        { peerId: "browser", message: { _tag: "Json", payload: browserReplies.json } }
      ])
      assert.deepStrictEqual((yield* transport.listPeers).map((p) => [p.peerId, p.capabilities]), [["browser", ["audio", "video", "data"]]])
    }), 90_000)
})
