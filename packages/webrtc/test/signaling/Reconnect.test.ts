import { assert, describe, it } from "@effect/vitest"
import { make as makeServer, type SignalingServerOptions } from "@remotemedia/signaling-server"
import { Effect, Fiber, Predicate, Stream } from "effect"
import { make, type ReconnectPolicy, type SignalingEvent } from "../../src/signaling/index.ts"
import { makeCuttableProxy } from "./support/CuttableProxy.ts"

const SDP = "v=0\r\no=- 1 2 IN IP4 127.0.0.1\r\ns=-\r\nt=0 0\r\nm=audio 9 UDP/TLS/RTP/SAVPF 111\r\n"
const fast = { initialDelayMs: 20, maxDelayMs: 100, multiplier: 2, jitter: 0.25 }

const tagOf = (e: SignalingEvent): string => e["_tag"]

/** Collects `stream`'s events until `stop` matches (included), failing loudly after 5 s. */
const collectUntil = (stream: Stream.Stream<SignalingEvent>, stop: (e: SignalingEvent) => boolean) =>
  stream.pipe(Stream.takeUntil(stop), Stream.runCollect, Effect.timeout("5 seconds"))

/**
 * A server, a "watcher" client connected directly, and a "roamer" connected through a cuttable proxy,
 * both subscribed to their events.
 */
const setUp = (serverOptions: SignalingServerOptions, reconnect: Partial<ReconnectPolicy>) =>
  Effect.gen(function*() {
    const server = yield* makeServer(serverOptions)
    const proxy = yield* makeCuttableProxy(server.port)
    const watcher = yield* make({ url: server.url, peerId: "watcher", capabilities: ["data"] })
    const watcherEvents = yield* watcher.subscribe
    const roamer = yield* make({ url: proxy.url, peerId: "roamer", capabilities: ["audio"], reconnect })
    const roamerEvents = yield* roamer.subscribe
    return { server, proxy, watcher, watcherEvents, roamer, roamerEvents }
  })

describe("SignalingClient reconnect", () => {
  it.live("a cut socket reconnects inside the grace period, keeps its id, and nobody sees peer.left", () =>
    Effect.gen(function*() {
      const { proxy, watcher, watcherEvents, roamer, roamerEvents } = yield* setUp({ gracePeriodMs: 10_000 }, { ...fast, retries: 5 })

      yield* proxy.cut
      const seen = yield* collectUntil(roamerEvents, Predicate.isTagged("Reconnected"))
      assert.deepStrictEqual(seen.map(tagOf), ["Reconnecting", "Reconnected"])
      assert.deepStrictEqual(seen[0], { _tag: "Reconnecting", attempt: 1 })

      // Routed both ways after the reconnect; the watcher saw only roamer's first announce.
      yield* watcher.offer({ to: "roamer", sdp: SDP, requestId: "w1", canTrickle: true })
      yield* roamer.offer({ to: "watcher", sdp: SDP, requestId: "r1", canTrickle: true })
      const got = yield* collectUntil(watcherEvents, Predicate.isTagged("OfferReceived"))
      assert.deepStrictEqual(got.map(tagOf), ["PeerAnnounced", "OfferReceived"])
      assert.deepStrictEqual((yield* watcher.list).map((p) => p.peerId).sort(), ["roamer", "watcher"])
    }))

  it.live("frames sent while reconnecting are queued and delivered in order", () =>
    Effect.gen(function*() {
      const { proxy, watcherEvents, roamer, roamerEvents } = yield* setUp({}, { ...fast, initialDelayMs: 200, retries: 5 })
      yield* proxy.cut
      yield* collectUntil(roamerEvents, Predicate.isTagged("Reconnecting"))
      // The link is down now: these wait in the outbox.
      const offered = yield* Effect.forkChild(roamer.offer({ to: "watcher", sdp: SDP, requestId: "q1", canTrickle: true }), { startImmediately: true })
      for (let i = 0; i < 3; i++) {
        yield* roamer.iceCandidate({ to: "watcher", candidate: `candidate:${i} 1 udp 1 127.0.0.1 ${5000 + i} typ host`, sdpMid: "0", sdpMLineIndex: 0, requestId: "q1" })
      }
      const got = yield* collectUntil(watcherEvents, (e) => Predicate.isTagged(e, "IceCandidateReceived") && e.candidate.startsWith("candidate:2 "))
      assert.deepStrictEqual(got.filter((e) => !Predicate.isTagged(e, "PeerAnnounced")).map(tagOf), ["OfferReceived", "IceCandidateReceived", "IceCandidateReceived", "IceCandidateReceived"])
      yield* Fiber.join(offered)
    }))

  it.live("peers that came or went while the link was down are reported after the reconnect", () =>
    Effect.gen(function*() {
      const { server, proxy, roamer, roamerEvents } = yield* setUp({}, { ...fast, retries: 8 })
      yield* Effect.scoped(Effect.gen(function*() {
        yield* make({ url: server.url, peerId: "transient", capabilities: ["data"] })
        yield* collectUntil(roamerEvents, (e) => Predicate.isTagged(e, "PeerAnnounced") && e.peer.peerId === "transient")
        yield* proxy.setOpen(false)
        yield* proxy.cut
        yield* collectUntil(roamerEvents, Predicate.isTagged("Reconnecting"))
      }))
      yield* make({ url: server.url, peerId: "carol", capabilities: ["video"] })
      yield* proxy.setOpen(true)
      const seen = yield* collectUntil(roamerEvents, Predicate.isTagged("Reconnected"))
      const changes = seen.filter((e) => !Predicate.isTagged(e, "Reconnecting"))
      assert.deepStrictEqual(changes.map(tagOf), ["PeerAnnounced", "PeerLeft", "Reconnected"])
      assert.deepStrictEqual(changes[1], { _tag: "PeerLeft", peerId: "transient", reason: "network_error" })
      assert.deepStrictEqual((yield* roamer.peers).map((p) => p.peerId).sort(), ["carol", "watcher"])
    }))

  it.live("when reconnecting fails past the grace period the client reports LinkLost and the others get peer.left", () =>
    Effect.gen(function*() {
      const { proxy, watcherEvents, roamer, roamerEvents } = yield* setUp({ gracePeriodMs: 150 }, { ...fast, retries: 3 })
      yield* proxy.setOpen(false)
      yield* proxy.cut
      const seen = yield* collectUntil(roamerEvents, Predicate.isTagged("LinkLost"))
      assert.deepStrictEqual(seen.map(tagOf), ["Reconnecting", "Reconnecting", "Reconnecting", "LinkLost"])
      const left = yield* collectUntil(watcherEvents, Predicate.isTagged("PeerLeft"))
      assert.deepStrictEqual(left.at(-1), { _tag: "PeerLeft", peerId: "roamer", reason: "network_error" })
      const failed = yield* roamer.list.pipe(Effect.flip)
      assert.strictEqual(failed.message, "signaling link lost")
    }))
})
