/**
 * A man in the middle who controls signaling swaps the DTLS fingerprint in a description (as if to
 * terminate DTLS with its own certificate): the connection must not come up, and no data may flow. With
 * the same peers and an honest signaling path, it connects: the fingerprint was the only difference. When only
 * the offering side sees the forgery, the answering side, whose handshake just stalls, gives up on its own and
 * frees the peer's place.
 */
import { assert, describe, it } from "@effect/vitest"
import { Effect, Fiber, Option, Stream } from "effect"
import { SignalingConnector } from "../../src/transport/SignalingLink.ts"
import { makeMemorySignaling } from "../support/memorySignaling.ts"
import { stunServer } from "../support/stunServer.ts"
import { awaitEvent, eventFor, startedTransport } from "../support/testTransport.ts"
import { makeRelayedSignaling } from "./support/relayedSignaling.ts"

/** The fingerprint of another certificate: same algorithm and length, the bytes reversed. */
const swapFingerprint = (sdp: string) =>
  sdp.replace(/^(a=fingerprint:\S+ )([0-9A-Fa-f:]+)$/gm, (_, prefix: string, hex: string) => prefix + hex.split(":").toReversed().join(":"))

describe("DTLS fingerprint verification", () => {
  for (const tampered of ["offer", "answer"] as const) {
    it.live(`a swapped fingerprint in the ${tampered} fails the connection; the honest path then connects`, () =>
      Effect.gen(function*() {
        const hub = yield* makeMemorySignaling
        const inner = yield* SignalingConnector.pipe(Effect.provide(hub.layer))
        let attacking = true
        const swapped: Array<string> = []
        const relayed = yield* makeRelayedSignaling(inner, {
          tamperSdp: (sdp, kind) => {
            if (!attacking || kind !== tampered) return sdp
            const forged = swapFingerprint(sdp)
            swapped.push(forged)
            return forged
          }
        })
        const stunUrl = yield* stunServer
        const urls = { signalingUrl: "ws://127.0.0.1:1/memory", stunUrl }
        const [alice, bob] = yield* Effect.all([
          startedTransport("alice", urls, { connectTimeoutMs: 8_000 }),
          startedTransport("bob", urls, { connectTimeoutMs: 8_000 })
        ]).pipe(Effect.provide(relayed.layer))
        const atBob = yield* Stream.runHead(bob.dataChannelMessages).pipe(Effect.forkScoped({ startImmediately: true }))

        const refused = yield* alice.connectPeer("bob").pipe(Effect.flip)
        assert.isTrue(swapped.length > 0 && swapped.every((sdp) => /a=fingerprint:/.test(sdp)), "the attack ran")
        assert.oneOf(refused._tag, ["ConnectionFailed", "ConnectionTimeout"])
        assert.deepStrictEqual(yield* alice.listPeers, [])
        assert.deepStrictEqual(yield* bob.listPeers, [])
        const sent = yield* alice.sendDataChannelMessage("bob", { _tag: "Text", payload: "secret" }).pipe(Effect.flip)
        assert.oneOf(sent._tag, ["PeerNotFound", "PeerNotConnected"])

        attacking = false
        yield* alice.connectPeer("bob")
        yield* alice.sendDataChannelMessage("bob", { _tag: "Text", payload: "hello" })
        assert.deepStrictEqual(
          Option.map(yield* Fiber.join(atBob).pipe(Effect.timeout("5 seconds")), (m) => m.message),
          Option.some({ _tag: "Text" as const, payload: "hello" }),
          "the first message bob ever receives is the one sent over the honest connection"
        )
      }), 60_000)
  }

  it.live("a forgery only the offering side sees: the answering side gives up after its connect timeout and frees the place", () =>
    Effect.gen(function*() {
      const hub = yield* makeMemorySignaling
      const inner = yield* SignalingConnector.pipe(Effect.provide(hub.layer))
      let attacking = true
      const relayed = yield* makeRelayedSignaling(inner, { tamperSdp: (sdp, kind) => (attacking && kind === "answer" ? swapFingerprint(sdp) : sdp) })
      const stunUrl = yield* stunServer
      const urls = { signalingUrl: "ws://127.0.0.1:1/memory", stunUrl }
      const [alice, bob] = yield* Effect.all([
        startedTransport("alice", urls, { connectTimeoutMs: 8_000 }),
        startedTransport("bob", urls, { connectTimeoutMs: 3_000, maxPeers: 1 })
      ]).pipe(Effect.provide(relayed.layer))
      const bobGaveUp = yield* awaitEvent(bob, eventFor("PeerFailed", "alice"), "30 seconds")
      const startedAt = Date.now()
      const refused = yield* alice.connectPeer("bob").pipe(Effect.flip)
      assert.oneOf(refused._tag, ["ConnectionFailed", "ConnectionTimeout"])
      const { reason } = yield* bobGaveUp
      const afterMs = Date.now() - startedAt
      assert.include(reason, "no connection within 3000 ms of answering")
      assert.isBelow(afterMs, 10_000, `bob gave up after ${afterMs} ms`)

      // bob's only place is free again: a newcomer connects.
      attacking = false
      const carol = yield* startedTransport("carol", urls).pipe(Effect.provide(relayed.layer))
      yield* bob.connectPeer("carol")
      assert.deepStrictEqual((yield* bob.listPeers).map((p) => p.peerId), ["carol"])
      assert.deepStrictEqual((yield* carol.listPeers).map((p) => p.peerId), ["bob"])
    }), 60_000)
})
