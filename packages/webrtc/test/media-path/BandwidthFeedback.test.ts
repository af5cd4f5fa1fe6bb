import { assert, describe, it } from "@effect/vitest"
import { Effect } from "effect"
import { RTCPeerConnection } from "werift"
import { decodeConfig } from "../../src/config/WebRtcTransportConfig.ts"
import { rtcConfiguration } from "../../src/peer/rtcConfiguration.ts"

describe("bandwidth feedback in our SDP", () => {
  it.effect("offers transport-cc on every codec and the transport-wide sequence extension, with the codec parameters browsers need", () =>
    Effect.gen(function*() {
      const config = yield* decodeConfig({ signalingUrl: "ws://127.0.0.1:1", peerId: "alice", stunServers: ["stun:127.0.0.1:3478"], candidateHosts: "loopback" })
      const pc = yield* Effect.acquireRelease(Effect.sync(() => new RTCPeerConnection(rtcConfiguration(config))), (pc) => Effect.promise(() => pc.close()))
      pc.addTransceiver("audio", { direction: "sendrecv" })
      pc.addTransceiver("video", { direction: "sendrecv" })
      const { sdp } = yield* Effect.promise(() => pc.createOffer())
      const payloadTypes = [...sdp.matchAll(/^a=rtpmap:(\d+) (opus|VP9|H264|VP8)\//gim)].map((m) => m[1])
      assert.lengthOf(payloadTypes, 4)
      for (const pt of payloadTypes) assert.include(sdp, `a=rtcp-fb:${pt} transport-cc`)
      // One id per extension URI across the bundled m-sections.
      const extmaps = [...sdp.matchAll(/^a=extmap:(\d+) (\S+)/gm)].map((m) => `${m[1]} ${m[2]}`)
      assert.isTrue(extmaps.some((e) => e.endsWith("transport-wide-cc-extensions-01")), extmaps.join(", "))
      assert.strictEqual(new Set(extmaps).size, new Set(extmaps.map((e) => e.split(" ")[1])).size, extmaps.join(", "))
      assert.match(sdp, /^a=fmtp:\d+ profile-id=0/m)
      assert.match(sdp, /^a=fmtp:\d+ profile-level-id=42e01f;packetization-mode=1/m)
    }))
})
