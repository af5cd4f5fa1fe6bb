import { assert, describe, it } from "@effect/vitest"
import { Effect, Fiber, Option, Predicate, Stream } from "effect"
import { signalingEnv } from "../support/signalingEnv.ts"
import { awaitEvent, eventFor, startedTransport } from "../support/testTransport.ts"

const firstMessage = (transport: Effect.Success<ReturnType<typeof startedTransport>>) =>
  Stream.runHead(transport.dataChannelMessages).pipe(Effect.forkScoped({ startImmediately: true }))

describe("WebRtcTransport with the real signaling server", () => {
  it.live("two transports exchange Json, Text and a 16 MB Binary byte-exact", () =>
    Effect.gen(function*() {
      const urls = yield* signalingEnv()
      const alice = yield* startedTransport("alice", urls)
      const bob = yield* startedTransport("bob", urls)
      yield* alice.connectPeer("bob")
      const atBob = yield* Stream.take(bob.dataChannelMessages, 3).pipe(Stream.runCollect, Effect.forkScoped({ startImmediately: true }))
      const big = new Uint8Array(16 * 1024 * 1024)
      for (let i = 0; i < big.length; i += 4096) big[i] = (i / 4096) & 0xff
      big[big.length - 1] = 0xab
      const json = { pipeline: { nodes: [{ id: "gain", type: "Gain", params: { db: -3.5 } }] }, ok: true, none: null }
      yield* alice.sendDataChannelMessage("bob", { _tag: "Json", payload: json })
      yield* alice.sendDataChannelMessage("bob", { _tag: "Text", payload: "ünïcödé ✓ text" })
      yield* alice.sendDataChannelMessage("bob", { _tag: "Binary", payload: big })
      const received = yield* Fiber.join(atBob).pipe(Effect.timeout("25 seconds"))
      assert.deepStrictEqual(received[0], { peerId: "alice", message: { _tag: "Json", payload: json } })
      assert.deepStrictEqual(received[1], { peerId: "alice", message: { _tag: "Text", payload: "ünïcödé ✓ text" } })
      const binary = received[2]?.message
      assert.isTrue(Predicate.isTagged(binary, "Binary") && Buffer.from(binary.payload).equals(Buffer.from(big)), "16 MB binary is byte-identical")
      const tooBig = yield* alice.sendDataChannelMessage("bob", { _tag: "Binary", payload: new Uint8Array(16 * 1024 * 1024 + 1) }).pipe(Effect.flip)
      assert.include(tooBig, { _tag: "MessageTooLarge" })

      const atAlice = yield* firstMessage(alice)
      yield* bob.sendDataChannelMessage("alice", { _tag: "Binary", payload: Uint8Array.of(1, 2, 3) })
      assert.deepStrictEqual(
        yield* Fiber.join(atAlice).pipe(Effect.timeout("5 seconds")),
        Option.some({ peerId: "bob", message: { _tag: "Binary" as const, payload: Uint8Array.of(1, 2, 3) } })
      )
    }), 60_000)

  it.live("three transports form a full mesh", () =>
    Effect.gen(function*() {
      const urls = yield* signalingEnv()
      const names = ["alice", "bob", "carol"] as const
      const [alice, bob, carol] = yield* Effect.forEach(names, (name) => startedTransport(name, urls))
      yield* Effect.all([alice!.connectPeer("bob"), alice!.connectPeer("carol"), bob!.connectPeer("carol")], { concurrency: 3 })
      for (const [transport, others] of [[alice!, ["bob", "carol"]], [bob!, ["alice", "carol"]], [carol!, ["alice", "bob"]]] as const) {
        const peers = yield* transport.listPeers
        assert.deepStrictEqual(peers.map((p) => p.peerId).sort(), [...others])
        assert.isTrue(peers.every((p) => p.connectionState === "Connected" && p.connectedAt.getTime() > 0))
      }
      const atCarol = yield* Stream.take(carol!.dataChannelMessages, 2).pipe(Stream.runCollect, Effect.forkScoped({ startImmediately: true }))
      yield* alice!.sendDataChannelMessage("carol", { _tag: "Text", payload: "from alice" })
      yield* bob!.sendDataChannelMessage("carol", { _tag: "Text", payload: "from bob" })
      const received = yield* Fiber.join(atCarol).pipe(Effect.timeout("5 seconds"))
      assert.deepStrictEqual(received.map((m) => m.peerId).sort(), ["alice", "bob"])
    }))

  it.live("glare through the server ends with one connection on both sides", () =>
    Effect.gen(function*() {
      const urls = yield* signalingEnv()
      const alice = yield* startedTransport("alice", urls)
      const bob = yield* startedTransport("bob", urls)
      assert.deepStrictEqual(yield* Effect.all([alice.connectPeer("bob"), bob.connectPeer("alice")], { concurrency: 2 }), ["bob", "alice"])
      assert.deepStrictEqual((yield* alice.listPeers).map((p) => p.peerId), ["bob"])
      assert.deepStrictEqual((yield* bob.listPeers).map((p) => p.peerId), ["alice"])
      const atBob = yield* firstMessage(bob)
      yield* alice.sendDataChannelMessage("bob", { _tag: "Text", payload: "one connection" })
      assert.isTrue(Option.isSome(yield* Fiber.join(atBob).pipe(Effect.timeout("5 seconds"))))
    }))

  it.live("refuses beyond max_peers, disconnects and reconnects", () =>
    Effect.gen(function*() {
      const urls = yield* signalingEnv()
      const carol = yield* startedTransport("carol", urls, { maxPeers: 1 })
      const alice = yield* startedTransport("alice", urls)
      const bob = yield* startedTransport("bob", urls)
      yield* alice.connectPeer("carol")
      const refused = yield* bob.connectPeer("carol").pipe(Effect.flip)
      assert.include(refused, { _tag: "ConnectionFailed" })
      assert.include(refused.message, "max_peers")

      const carolSawIt = yield* awaitEvent(carol, eventFor("PeerDisconnected", "alice"))
      const started = Date.now()
      yield* alice.disconnectPeer("carol")
      assert.isBelow(Date.now() - started, 2_000)
      yield* carolSawIt
      assert.deepStrictEqual(yield* carol.listPeers, [])
      yield* bob.connectPeer("carol")
      assert.deepStrictEqual((yield* carol.listPeers).map((p) => p.peerId), ["bob"])
    }))
})
