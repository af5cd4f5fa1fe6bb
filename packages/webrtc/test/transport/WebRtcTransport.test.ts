import { assert, describe, it } from "@effect/vitest"
import { Effect, Fiber, Option, Stream } from "effect"
import { makeMemorySignaling } from "../support/memorySignaling.ts"
import { stunServer } from "../support/stunServer.ts"
import { awaitEvent, eventFor, startedTransport } from "../support/testTransport.ts"

const withHub = <A, E, R>(body: (urls: { signalingUrl: string; stunUrl: string }) => Effect.Effect<A, E, R>) =>
  Effect.gen(function*() {
    const hub = yield* makeMemorySignaling
    const stunUrl = yield* stunServer
    return yield* body({ signalingUrl: "ws://127.0.0.1:1/memory", stunUrl }).pipe(Effect.provide(hub.layer))
  })

describe("WebRtcTransport over in-process signaling", () => {
  it.live("connects two transports and exchanges Json, Binary and Text both ways", () =>
    withHub((urls) =>
      Effect.gen(function*() {
        const alice = yield* startedTransport("alice", urls)
        const bob = yield* startedTransport("bob", urls)
        const bobConnected = yield* awaitEvent(bob, eventFor("PeerConnected", "alice"))
        assert.strictEqual(yield* alice.connectPeer("bob"), "bob")
        yield* bobConnected

        const [info] = yield* alice.listPeers
        assert.strictEqual(info?.peerId, "bob")
        assert.strictEqual(info?.connectionState, "Connected")
        assert.deepStrictEqual(info?.capabilities, ["audio", "video", "data"])

        const atBob = yield* Stream.take(bob.dataChannelMessages, 3).pipe(
          Stream.runCollect,
          Effect.forkScoped({ startImmediately: true })
        )
        const bytes = Uint8Array.from({ length: 1000 }, (_, i) => (i * 7) & 0xff)
        yield* alice.sendDataChannelMessage("bob", { _tag: "Json", payload: { hello: "bob", n: [1, 2] } })
        yield* alice.sendDataChannelMessage("bob", { _tag: "Binary", payload: bytes })
        yield* alice.sendDataChannelMessage("bob", { _tag: "Text", payload: "grüß dich 👋" })
        const received = yield* Fiber.join(atBob).pipe(Effect.timeout("5 seconds"))
        assert.deepStrictEqual(received.map((m) => m.peerId), ["alice", "alice", "alice"])
        assert.deepStrictEqual(received[0]?.message, { _tag: "Json", payload: { hello: "bob", n: [1, 2] } })
        assert.deepStrictEqual(received[1]?.message, { _tag: "Binary", payload: bytes })
        assert.deepStrictEqual(received[2]?.message, { _tag: "Text", payload: "grüß dich 👋" })

        const atAlice = yield* Stream.runHead(alice.dataChannelMessages).pipe(Effect.forkScoped({ startImmediately: true }))
        yield* bob.sendDataChannelMessage("alice", { _tag: "Text", payload: "back" })
        assert.deepStrictEqual(
          yield* Fiber.join(atAlice).pipe(Effect.timeout("5 seconds")),
          Option.some({ peerId: "bob", message: { _tag: "Text" as const, payload: "back" } })
        )
      })
    ))

  it.live("glare: both sides connect at once and end with exactly one connection", () =>
    withHub((urls) =>
      Effect.gen(function*() {
        const alice = yield* startedTransport("alice", urls)
        const bob = yield* startedTransport("bob", urls)
        const [a, b] = yield* Effect.all([alice.connectPeer("bob"), bob.connectPeer("alice")], { concurrency: 2 })
        assert.deepStrictEqual([a, b], ["bob", "alice"])
        assert.deepStrictEqual((yield* alice.listPeers).map((p) => p.peerId), ["bob"])
        assert.deepStrictEqual((yield* bob.listPeers).map((p) => p.peerId), ["alice"])
        const atAlice = yield* Stream.runHead(alice.dataChannelMessages).pipe(Effect.forkScoped({ startImmediately: true }))
        yield* bob.sendDataChannelMessage("alice", { _tag: "Text", payload: "after glare" })
        assert.deepStrictEqual(
          Option.map(yield* Fiber.join(atAlice).pipe(Effect.timeout("5 seconds")), (m) => m.message),
          Option.some({ _tag: "Text" as const, payload: "after glare" })
        )
      })
    ))

  it.live("refuses an offer beyond max_peers and reports it to the caller", () =>
    withHub((urls) =>
      Effect.gen(function*() {
        const carol = yield* startedTransport("carol", urls, { maxPeers: 1 })
        const alice = yield* startedTransport("alice", urls)
        const bob = yield* startedTransport("bob", urls)
        yield* alice.connectPeer("carol")
        const refused = yield* bob.connectPeer("carol").pipe(Effect.flip)
        assert.include(refused, { _tag: "ConnectionFailed" })
        assert.include(refused.message, "max_peers")
        assert.deepStrictEqual((yield* carol.listPeers).map((p) => p.peerId), ["alice"])
        const overLimit = yield* carol.connectPeer("bob").pipe(Effect.flip)
        assert.include(overLimit, { _tag: "MaxPeersExceeded" })
      })
    ))

  it.live("disconnects (the remote is told) and reconnects the same pair", () =>
    withHub((urls) =>
      Effect.gen(function*() {
        const alice = yield* startedTransport("alice", urls)
        const bob = yield* startedTransport("bob", urls)
        yield* alice.connectPeer("bob")
        const bobSawIt = yield* awaitEvent(bob, eventFor("PeerDisconnected", "alice"))
        yield* alice.disconnectPeer("bob")
        yield* bobSawIt
        assert.deepStrictEqual(yield* alice.listPeers, [])
        assert.deepStrictEqual(yield* bob.listPeers, [])
        assert.include(yield* alice.disconnectPeer("bob").pipe(Effect.flip), { _tag: "AlreadyDisconnected" })

        yield* bob.connectPeer("alice")
        const atAlice = yield* Stream.runHead(alice.dataChannelMessages).pipe(Effect.forkScoped({ startImmediately: true }))
        yield* bob.sendDataChannelMessage("alice", { _tag: "Text", payload: "again" })
        assert.isTrue(Option.isSome(yield* Fiber.join(atAlice).pipe(Effect.timeout("5 seconds"))))
      })
    ))

  it.live("rejects bad calls with tagged errors and keeps serving", () =>
    withHub((urls) =>
      Effect.gen(function*() {
        const alice = yield* startedTransport("alice", urls)
        assert.include(yield* alice.start.pipe(Effect.flip), { _tag: "AlreadyStarted" })
        assert.include(yield* alice.connectPeer("").pipe(Effect.flip), { _tag: "InvalidPeerId" })
        assert.include(yield* alice.connectPeer("bad id!").pipe(Effect.flip), { _tag: "InvalidPeerId" })
        assert.include(yield* alice.connectPeer("alice").pipe(Effect.flip), { _tag: "InvalidPeerId" })
        assert.include(yield* alice.connectPeer("nobody").pipe(Effect.flip), { _tag: "PeerNotFound" })
        assert.include(yield* alice.sendDataChannelMessage("nobody", { _tag: "Text", payload: "x" }).pipe(Effect.flip), {
          _tag: "PeerNotFound"
        })
        const bob = yield* startedTransport("bob", urls)
        yield* alice.connectPeer("bob")
        assert.include(yield* alice.connectPeer("bob").pipe(Effect.flip), { _tag: "AlreadyConnected" })
        const bobSawIt = yield* awaitEvent(bob, eventFor("PeerDisconnected", "alice"))
        yield* alice.shutdown
        yield* alice.shutdown
        assert.include(yield* alice.listPeers.pipe(Effect.flip), { _tag: "AlreadyShutdown" })
        yield* bobSawIt
        assert.deepStrictEqual(yield* bob.listPeers, [])
      })
    ))
})
