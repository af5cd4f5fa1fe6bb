/**
 * Networks duplicate packets, and a loaded event loop makes DTLS retransmit: either way the DTLS client
 * sees its server's HelloVerifyRequest twice. RFC 6347 §4.2.1 wants that tolerated. werift 0.25.2's client
 * throws on the second one (`Flight3.exec`: `if (this.dtls.flight === 3) throw new Error()`), its DTLS
 * transport fails and the connection is lost on one side while the other waits — the "first connection
 * that never forms" of a loaded machine (bench/soak/firstConnectUnderLoad.ts reproduced it 2 in 25 with the
 * event loop blocked up to 500 ms). Here every packet towards the answerer (the DTLS client) is delivered
 * twice by a netsim relay, so the handshake meets the duplicate every time.
 *
 * Expected to fail until werift is patched (`pnpm patch werift`: ignore a HelloVerifyRequest that arrives
 * in flight 3); then `it.live.fails` reports it and the marker goes.
 */
import { assert, describe, it } from "@effect/vitest"
import { Effect, Scope } from "effect"
import { candidateAddress, makeUdpRelay, rewriteCandidate } from "@remotemedia/netsim"
import { type RTCIceCandidate, RTCPeerConnection } from "werift"
import { decodeConfig } from "../../src/config/WebRtcTransportConfig.ts"
import { rtcConfiguration } from "../../src/peer/rtcConfiguration.ts"
import { stunServer } from "../support/stunServer.ts"

describe("DTLS over a path that duplicates packets", () => {
  it.live.fails("a duplicated HelloVerifyRequest does not fail the handshake (werift 0.25.2 bug)", () =>
    Effect.gen(function*() {
      const stunUrl = yield* stunServer
      const config = rtcConfiguration(yield* decodeConfig({ signalingUrl: "ws://127.0.0.1:1/unused", peerId: "dup", stunServers: [stunUrl], candidateHosts: "loopback" }))
      const offerer = new RTCPeerConnection(config)
      const answerer = new RTCPeerConnection(config)
      yield* Effect.addFinalizer(() => Effect.promise(() => Promise.all([offerer.close(), answerer.close()])))
      const scope = yield* Effect.scope
      // Each side's candidates reach the other through a relay; the one in front of the answerer duplicates.
      const relayed = (candidate: RTCIceCandidate, duplicate: number) =>
        Effect.gen(function*() {
          const target = candidateAddress(candidate.candidate)
          if (target === undefined) return candidate
          const relay = yield* makeUdpRelay({ target, toTarget: { duplicate }, seed: 7 })
          // The event's object is ours to forward: point it at the relay.
          candidate.candidate = rewriteCandidate(candidate.candidate, relay.address)
          return candidate
        }).pipe(Scope.provide(scope), Effect.orDie)
      const states: Array<string> = []
      for (const [name, pc] of [["offerer", offerer], ["answerer", answerer]] as const) {
        pc.connectionStateChange.subscribe((state) => void states.push(`${name} ${state}`))
      }
      const early: Array<RTCIceCandidate> = []
      let answererReady = false
      offerer.onIceCandidate.subscribe((c) => {
        if (c === undefined) return
        if (answererReady) Effect.runFork(Effect.flatMap(relayed(c, 0), (r) => Effect.promise(() => answerer.addIceCandidate(r))))
        else early.push(c)
      })
      answerer.onIceCandidate.subscribe((c) => {
        if (c !== undefined) Effect.runFork(Effect.flatMap(relayed(c, 1), (r) => Effect.promise(() => offerer.addIceCandidate(r))))
      })
      offerer.createDataChannel("data", { negotiated: true, id: 0 })
      answerer.createDataChannel("data", { negotiated: true, id: 0 })
      const settled = Promise.all([offerer, answerer].map((pc) => new Promise<string>((resolve) => {
        pc.connectionStateChange.subscribe((state) => void ((state === "connected" || state === "failed") && resolve(state)))
      })))
      yield* Effect.promise(async () => {
        await offerer.setLocalDescription(await offerer.createOffer())
        await answerer.setRemoteDescription(offerer.localDescription!)
        answererReady = true
        await answerer.setLocalDescription(await answerer.createAnswer())
        await offerer.setRemoteDescription(answerer.localDescription!)
      })
      yield* Effect.forEach(early.splice(0), (c) => Effect.flatMap(relayed(c, 0), (r) => Effect.promise(() => answerer.addIceCandidate(r))), { discard: true })
      const outcome = yield* Effect.promise(() => settled).pipe(Effect.timeout("20 seconds"))
      assert.deepStrictEqual(outcome, ["connected", "connected"], `states: ${states.join(", ")}`)
    }), 60_000)
})
