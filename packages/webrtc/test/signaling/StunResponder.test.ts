import { assert, describe, it } from "@effect/vitest"
import { makeStunResponder } from "@remotemedia/signaling-server"
import { Deferred, Effect } from "effect"
import { RTCPeerConnection } from "werift"

describe("STUN responder", () => {
  it.live("werift gathers a server-reflexive candidate through it", () =>
    Effect.gen(function*() {
      const stun = yield* makeStunResponder()
      const pc = yield* Effect.acquireRelease(
        Effect.sync(() => new RTCPeerConnection({
          iceServers: [{ urls: stun.url }],
          iceUseIpv6: false,
          iceAdditionalHostAddresses: ["127.0.0.1"]
        })),
        (pc) => Effect.promise(() => pc.close())
      )
      pc.createDataChannel("probe")
      const candidates: Array<string> = []
      pc.onIceCandidate.subscribe((candidate) => {
        if (candidate?.candidate) candidates.push(candidate.candidate)
      })
      // Subscribed before gathering starts: werift gathers inside setLocalDescription.
      const gathered = yield* Deferred.make<void>()
      pc.iceGatheringStateChange.subscribe((state) => {
        if (state === "complete") Deferred.doneUnsafe(gathered, Effect.void)
      })
      yield* Effect.promise(async () => pc.setLocalDescription(await pc.createOffer()))
      yield* Deferred.await(gathered).pipe(Effect.timeout("5 seconds"))
      const srflx = candidates.find((c) => c.includes("typ srflx"))
      assert.isDefined(srflx, candidates.join("\n"))
      assert.match(srflx ?? "", / 127\.0\.0\.1 \d+ typ srflx raddr 127\.0\.0\.1 rport \d+/)
      assert.isAtLeast(yield* stun.answered, 1)
    }))
})
