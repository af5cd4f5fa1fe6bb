/**
 * The signaling server process is SIGKILLed under a live mesh. Connections that exist keep carrying data
 * (signaling is only needed to set them up); the clients retry with exponential backoff, visible as
 * `SignalingReconnecting` events, re-announce when the server is back on the same port, and new connections
 * work afterwards. With too few retries they give up with `SignalingLost`, and existing connections still work.
 */
import { assert, describe, it } from "@effect/vitest"
import { Effect, Fiber, Predicate, Stream } from "effect"
import { make as makeSignalingClient, type SignalingEvent } from "../../src/signaling/index.ts"
import type { TransportEvent } from "../../src/transport/TransportEvent.ts"
import type { WebRtcTransportService } from "../../src/transport/WebRtcTransport.ts"
import { stunServer } from "../support/stunServer.ts"
import { awaitEvent, startedTransport } from "../support/testTransport.ts"
import { SequenceChecker, sequenced, sequenceOf } from "./support/sequencedMessages.ts"
import { serverProcess } from "./support/serverProcess.ts"

const backoff = { initialDelayMs: 300, maxDelayMs: 5_000, multiplier: 2 }

type Reconnecting = Extract<TransportEvent, { _tag: "SignalingReconnecting" }>
const reconnecting = (attempt: number) => (e: TransportEvent): e is Reconnecting =>
  Predicate.isTagged(e, "SignalingReconnecting") && e.attempt === attempt

/** Sends `count` sequenced messages from `from` to `to` and checks they all arrive in order. */
const streamMessages = (from: WebRtcTransportService, to: WebRtcTransportService, count: number) =>
  Effect.gen(function*() {
    const checker = new SequenceChecker()
    const receiving = yield* to.dataChannelMessages.pipe(
      Stream.take(count),
      Stream.runForEach(({ message }) => Effect.sync(() => checker.accept(sequenceOf(message)))),
      Effect.forkScoped({ startImmediately: true })
    )
    for (let seq = 0; seq < count; seq++) yield* from.sendDataChannelMessage(to.config.peerId, sequenced(seq))
    yield* Fiber.join(receiving).pipe(Effect.timeout("15 seconds"))
    assert.isTrue(checker.complete(count), `received ${checker.received}, next ${checker.next}, out of order ${checker.outOfOrder}`)
  })

/** Every event of `transport` from now on, with the time it was seen. */
const recordEvents = (transport: WebRtcTransportService) =>
  Effect.gen(function*() {
    const seen: Array<{ readonly at: number; readonly event: TransportEvent }> = []
    yield* Effect.forkScoped(Stream.runForEach(transport.events, (event) => Effect.sync(() => seen.push({ at: Date.now(), event }))), {
      startImmediately: true
    })
    return seen
  })

describe("signaling server killed under a live mesh", () => {
  it.live("data keeps flowing; clients back off, re-announce to the restarted server; new connections work", () =>
    Effect.gen(function*() {
      const stunUrl = yield* stunServer
      const first = yield* serverProcess()
      const urls = { signalingUrl: first.url, stunUrl }
      const reconnect = { ...backoff, maxRetries: 30 }
      const alice = yield* startedTransport("alice", urls, { reconnect })
      const bob = yield* startedTransport("bob", urls, { reconnect })
      yield* alice.connectPeer("bob")
      const aliceEvents = yield* recordEvents(alice)

      const fourthAttempt = yield* awaitEvent(alice, reconnecting(4), "30 seconds")
      yield* first.kill
      yield* fourthAttempt
      // Still no server: the peer connection carries data both ways.
      yield* streamMessages(alice, bob, 200)
      yield* streamMessages(bob, alice, 200)

      const attempts = aliceEvents.filter(({ event }) => Predicate.isTagged(event, "SignalingReconnecting"))
      assert.deepStrictEqual(attempts.slice(0, 4).map(({ event }) => (event as Reconnecting).attempt), [1, 2, 3, 4])
      const gaps = attempts.slice(0, 4).map(({ at }, i) => at - (attempts[i - 1]?.at ?? at)).slice(1)
      gaps.forEach((gap, i) => assert.isAtLeast(gap, backoff.initialDelayMs * 2 ** i, `gap after attempt ${i + 1}: ${gaps.join(", ")} ms`))
      assert.isAbove(gaps[2] ?? 0, gaps[0] ?? 0, `the delays grow: ${gaps.join(", ")} ms`)

      const aliceBack = yield* awaitEvent(alice, Predicate.isTagged("SignalingReconnected"), "30 seconds")
      const bobBack = yield* awaitEvent(bob, Predicate.isTagged("SignalingReconnected"), "30 seconds")
      yield* serverProcess(first.port)
      yield* aliceBack
      yield* bobBack
      assert.deepStrictEqual(aliceEvents.filter(({ event }) => Predicate.isTagged(event, "PeerFailed") || Predicate.isTagged(event, "PeerDisconnected") || Predicate.isTagged(event, "PeerLeft")), [])
      assert.deepStrictEqual((yield* alice.listPeers).map((p) => p.peerId), ["bob"])

      // A newcomer finds both re-announced peers on the new server and connects to them.
      const carol = yield* startedTransport("carol", urls)
      yield* carol.connectPeer("alice")
      yield* carol.connectPeer("bob")
      yield* streamMessages(carol, alice, 50)
      yield* streamMessages(bob, carol, 50)
    }), 90_000)

  it.live("after its retries the client gives up with SignalingLost; existing connections still work", () =>
    Effect.gen(function*() {
      const stunUrl = yield* stunServer
      const server = yield* serverProcess()
      const urls = { signalingUrl: server.url, stunUrl }
      const reconnect = { ...backoff, maxRetries: 3 }
      const alice = yield* startedTransport("alice", urls, { reconnect })
      const bob = yield* startedTransport("bob", urls, { reconnect })
      const aliceEvents = yield* recordEvents(alice)
      yield* alice.connectPeer("bob")
      const lost = yield* awaitEvent(alice, Predicate.isTagged("SignalingLost"), "30 seconds")
      yield* server.kill
      yield* lost
      assert.deepStrictEqual(aliceEvents.map(({ event }) => event), [
        { _tag: "PeerConnected", peerId: "bob" },
        { _tag: "SignalingReconnecting", attempt: 1 },
        { _tag: "SignalingReconnecting", attempt: 2 },
        { _tag: "SignalingReconnecting", attempt: 3 },
        { _tag: "SignalingLost" }
      ])
      yield* streamMessages(alice, bob, 100)
    }), 60_000)

  it.live("a restarted server's missing peers are not reported as gone: they may not have re-announced yet", () =>
    Effect.gen(function*() {
      const server = yield* serverProcess()
      const roamer = yield* makeSignalingClient({
        url: server.url,
        peerId: "roamer",
        capabilities: ["data"],
        reconnect: { ...backoff, initialDelayMs: 100, retries: 30 }
      })
      const events = yield* roamer.subscribe
      const reconnected = yield* roamer.subscribe.pipe(
        Effect.flatMap((stream) => Stream.runHead(Stream.filter(stream, Predicate.isTagged("Reconnected")))),
        Effect.timeout("20 seconds"),
        Effect.forkScoped({ startImmediately: true })
      )
      yield* Effect.scoped(Effect.gen(function*() {
        yield* makeSignalingClient({ url: server.url, peerId: "laggard", capabilities: ["data"], reconnect: { retries: 0 } })
        yield* server.kill
      }))
      let announcedLaggard = 0
      const seen = yield* events.pipe(
        Stream.filter((e) => !Predicate.isTagged(e, "Reconnecting")),
        Stream.takeUntil((e) => Predicate.isTagged(e, "PeerAnnounced") && e.peer.peerId === "laggard" && (announcedLaggard += 1) === 2),
        Stream.runCollect,
        Effect.forkScoped({ startImmediately: true })
      )
      const restarted = yield* serverProcess(server.port)
      yield* Fiber.join(reconnected)
      // Back on the new server, alone: the laggard has not re-announced yet. Then it does.
      yield* makeSignalingClient({ url: restarted.url, peerId: "laggard", capabilities: ["data"] })
      const tags = (yield* Fiber.join(seen).pipe(Effect.timeout("20 seconds"))).map((e: SignalingEvent) =>
        Predicate.isTagged(e, "PeerAnnounced") || Predicate.isTagged(e, "PeerLeft") ? `${e._tag} ${"peer" in e ? e.peer.peerId : e.peerId}` : e._tag
      )
      // The laggard was "announced" once first (it joined the first server), then once more: never "left".
      assert.deepStrictEqual(tags, ["PeerAnnounced laggard", "Reconnected", "PeerAnnounced laggard"])
    }), 60_000)
})
