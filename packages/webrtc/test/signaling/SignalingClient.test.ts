import { make as makeServer, SignalingServer } from "@remotemedia/signaling-server"
import { assert, describe, it } from "@effect/vitest"
import { Effect, Layer, Predicate, Stream } from "effect"
import { PeerNotFound } from "../../src/errors.ts"
import { make, type SignalingEvent } from "../../src/signaling/index.ts"

const SDP = "v=0\r\no=- 1 2 IN IP4 127.0.0.1\r\ns=-\r\nt=0 0\r\nm=application 9 UDP/DTLS/SCTP webrtc-datachannel\r\n"
const CANDIDATE = "candidate:1 1 udp 2130706431 127.0.0.1 50000 typ host"

const serverLayer = Layer.fresh(SignalingServer.layer())

/** The first event of `tag` on `stream`, failing loudly after 5 s. */
const next = <T extends SignalingEvent["_tag"]>(stream: Stream.Stream<SignalingEvent>, tag: T) =>
  stream.pipe(
    Stream.filter((e): e is Extract<SignalingEvent, { readonly _tag: T }> => Predicate.isTagged(e, tag)),
    Stream.runHead,
    Effect.flatMap(Effect.fromOption),
    Effect.timeout("5 seconds")
  )

describe("SignalingClient against the real server", () => {
  it.live("three clients discover each other and route offer/answer/ICE with `from` stamped", () =>
    Effect.gen(function*() {
      const server = yield* SignalingServer
      const alice = yield* make({ url: server.url, peerId: "alice", capabilities: ["audio", "data"] })
      const aliceEvents = yield* alice.subscribe
      const bob = yield* make({ url: server.url, peerId: "bob", capabilities: ["video"], userData: { name: "Bob" } })
      const bobEvents = yield* bob.subscribe
      const carol = yield* make({ url: server.url, peerId: "carol", capabilities: ["data"] })

      assert.deepStrictEqual((yield* carol.peers).map((p) => p.peerId).sort(), ["alice", "bob"])
      assert.deepStrictEqual((yield* carol.list).map((p) => p.peerId).sort(), ["alice", "bob", "carol"])
      const announced = yield* next(aliceEvents, "PeerAnnounced")
      assert.strictEqual(announced.peer.peerId, "bob")
      assert.deepStrictEqual(announced.peer.userData, { name: "Bob" })

      yield* alice.offer({ to: "bob", sdp: SDP, requestId: "r1", canTrickle: true })
      yield* alice.iceCandidate({ to: "bob", candidate: CANDIDATE, sdpMid: "0", sdpMLineIndex: 0, requestId: "r1" })
      const offer = yield* next(bobEvents, "OfferReceived")
      assert.deepStrictEqual(offer, { _tag: "OfferReceived", from: "alice", sdp: SDP, requestId: "r1", canTrickle: true })
      const candidate = yield* next(bobEvents, "IceCandidateReceived")
      assert.deepStrictEqual(candidate, {
        _tag: "IceCandidateReceived", from: "alice", candidate: CANDIDATE, sdpMid: "0", sdpMLineIndex: 0, requestId: "r1"
      })
      yield* bob.answer({ to: "alice", sdp: SDP, requestId: "r1", canTrickle: false })
      const answer = yield* next(aliceEvents, "AnswerReceived")
      assert.deepStrictEqual(answer, { _tag: "AnswerReceived", from: "bob", sdp: SDP, requestId: "r1", canTrickle: false })

      const missing = yield* alice.offer({ to: "nobody", sdp: SDP, requestId: "r2", canTrickle: true }).pipe(Effect.flip)
      assert.instanceOf(missing, PeerNotFound)
    }).pipe(Effect.provide(serverLayer)))

  it.live("keep-alive requests hold an otherwise quiet link open past the server's idle limit", () =>
    Effect.gen(function*() {
      const server = yield* makeServer({ idleTimeoutMs: 200, pingIntervalMs: 50 })
      const quiet = yield* make({ url: server.url, peerId: "quiet", capabilities: ["data"], keepAliveMs: 60 })
      const events = yield* quiet.subscribe
      const firstEvent = yield* Effect.forkChild(Stream.runHead(events), { startImmediately: true })
      // Three idle limits with nothing to say: the link must still be the first one.
      yield* Effect.sleep(600)
      assert.isUndefined(firstEvent.pollUnsafe())
      assert.deepStrictEqual((yield* quiet.list).map((p) => p.peerId), ["quiet"])
    }))

  it.live("a link that falls silent is treated as dead and replaced", () =>
    Effect.gen(function*() {
      // The server pings rarely, the client expects to hear something every 150 ms.
      const server = yield* makeServer({ pingIntervalMs: 60_000 })
      const client = yield* make({
        url: server.url, peerId: "listener", capabilities: ["data"], silenceTimeoutMs: 150, keepAliveMs: 60_000,
        reconnect: { initialDelayMs: 10, jitter: 0 }
      })
      const events = yield* client.subscribe
      const seen = yield* events.pipe(Stream.takeUntil(Predicate.isTagged("Reconnected")), Stream.runCollect, Effect.timeout("5 seconds"))
      assert.deepStrictEqual(seen, [{ _tag: "Reconnecting", attempt: 1 }, { _tag: "Reconnected" }])
      assert.deepStrictEqual((yield* client.list).map((p) => p.peerId), ["listener"])
    }))
})
