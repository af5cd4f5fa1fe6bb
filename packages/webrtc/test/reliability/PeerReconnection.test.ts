/**
 * Automatic re-connection and the circuit breaker, with real werift peers on the real signaling server and
 * every media packet crossing netsim relays: an outage longer than the ICE grace fails the connection, the
 * side that offered re-offers with backoff until the network is back, and data and audio flow again under
 * the same peer id, through the subscriptions made before, and data-channel messages the failed connection
 * swallowed arrive once, in order, over the new one; a peer that left is not retried; attempts
 * against an unreachable peer open its breaker, and `connectPeer` then fails fast.
 */
import { assert, describe, it } from "@effect/vitest"
import { Cause, Effect, Exit, Fiber, Option, Predicate, Schedule, Stream } from "effect"
import { audio } from "@remotemedia/runtime-core"
import { dominantFrequency, makeSineTone } from "@remotemedia/signals"
import type { TransportEvent } from "../../src/transport/TransportEvent.ts"
import type { WebRtcTransportService } from "../../src/transport/WebRtcTransport.ts"
import { activeResources, resourcesLeftBeyond } from "../support/activeResources.ts"
import { awaitEvent, eventFor } from "../support/testTransport.ts"
import { childPeer } from "../support/childPeer.ts"
import { makeDarkNetwork } from "./support/darkNetwork.ts"
import { SequenceChecker, sequenced, sequenceOf } from "./support/sequencedMessages.ts"

type Reconnecting = Extract<TransportEvent, { _tag: "PeerReconnecting" }>
const reconnectingAttempt = (peerId: string, attempt: number) => (event: TransportEvent): event is Reconnecting =>
  eventFor("PeerReconnecting", peerId)(event) && event.attempt === attempt

/** The tags of the events about `peerId`, from its first connection on (stalled first tries come before). */
const tagsOf = (events: ReadonlyArray<TransportEvent>, peerId: string) => {
  const tags = events.filter((e) => "peerId" in e && e.peerId === peerId).map((e) => e._tag)
  return tags.slice(Math.max(0, tags.indexOf("PeerConnected")))
}

/** Sends `count` 20 ms frames of a 440 Hz tone, paced like a capture device. */
const sendTone = (from: WebRtcTransportService, to: string, count: number) =>
  Effect.gen(function*() {
    const tone = makeSineTone({ frequency: 440, sampleRate: 48_000 })
    for (let i = 0; i < count; i++) {
      yield* from.sendToPeer(to, audio(tone.next(960), 48_000))
      yield* Effect.sleep("20 millis")
    }
  })

/**
 * The first connection of a pair. On this shared machine a first connect sometimes stalls past its timeout
 * under heavy load (seen before this change, issue 4); what these tests look at starts after it, so it gets
 * three tries. Only connect timeouts are retried.
 */
const connectFirst = (from: WebRtcTransportService, to: string) =>
  from.connectPeer(to).pipe(Effect.retry({ times: 2, while: (error) => error._tag === "ConnectionTimeout" }))

// Short backoff, so a few attempts fit into a test (the default policy is design.md's); attempts still get a
// generous connect timeout on a loaded machine.
const fastReconnect = {
  connectTimeoutMs: 10_000,
  reconnect: { maxRetries: 8, initialDelayMs: 400, multiplier: 2, maxDelayMs: 3_000 }
}

describe("automatic peer re-connection", () => {
  it.live("an outage longer than the ICE grace: the connection comes back by itself, no message is lost, audio flows again", () =>
    Effect.gen(function*() {
      const before = activeResources()
      yield* Effect.scoped(Effect.gen(function*() {
        const network = yield* makeDarkNetwork()
        const alice = yield* network.start("alice", fastReconnect)
        const bob = yield* network.start("bob", fastReconnect)
        // Subscribed once, before anything flows: the same subscriptions must see the peer come back.
        const checker = new SequenceChecker()
        const messages = yield* bob.transport.dataChannelMessages.pipe(
          Stream.take(100),
          Stream.runForEach(({ peerId, message }) => Effect.sync(() => checker.accept(peerId === "alice" ? sequenceOf(message) : -1))),
          Effect.forkScoped({ startImmediately: true })
        )
        const heard: Array<{ readonly atMs: number; readonly samples: Float32Array }> = []
        yield* bob.transport.incoming.pipe(
          Stream.runForEach((m) =>
            Effect.sync(() => {
              if (m.peerId === "alice" && Predicate.isTagged(m.data, "Audio")) heard.push({ atMs: Date.now(), samples: m.data.samples })
            })
          ),
          Effect.forkScoped({ startImmediately: true })
        )
        yield* connectFirst(alice.transport, "bob")
        for (let seq = 0; seq < 50; seq++) yield* alice.transport.sendDataChannelMessage("bob", sequenced(seq))
        yield* sendTone(alice.transport, "bob", 25)

        const firstAttempt = yield* awaitEvent(alice.transport, reconnectingAttempt("bob", 1), "30 seconds")
        const secondAttempt = yield* awaitEvent(alice.transport, reconnectingAttempt("bob", 2), "30 seconds")
        const darkAt = Date.now()
        yield* network.goDark
        // Sent into the outage before anyone notices it: SCTP takes them and the failing connection loses
        // them; the new connection's channel sends them again.
        for (let seq = 50; seq < 70; seq++) yield* alice.transport.sendDataChannelMessage("bob", sequenced(seq))
        const first = yield* firstAttempt
        // Dark for one whole attempt: the first re-offer cannot get through either.
        const second = yield* secondAttempt
        const reconnected = yield* awaitEvent(alice.transport, eventFor("PeerReconnected", "bob"), "30 seconds")
        yield* network.restore
        const back = yield* reconnected
        const outageMs = Date.now() - darkAt
        assert.isAbove(outageMs, 4_000, "longer than the 4 s ICE grace")

        // The backoff: 400 ms, 800 ms, 1600 ms ... each stretched by 0-25 % jitter.
        const delays = alice.events.filter((e): e is Reconnecting => e._tag === "PeerReconnecting").map((e) => e.delayMs)
        delays.forEach((delayMs, i) => {
          assert.isAtLeast(delayMs, Math.min(400 * 2 ** i, 3_000), `delay ${i + 1}`)
          assert.isAtMost(delayMs, Math.min(400 * 2 ** i, 3_000) * 1.25, `delay ${i + 1}`)
        })
        assert.deepStrictEqual([first.delayMs, second.delayMs], delays.slice(0, 2))
        // The first attempt met the dark network; the network was back for a later one.
        assert.isAtLeast(back.attempts, 2)
        assert.strictEqual(back.attempts, delays.length)
        assert.deepStrictEqual((yield* alice.transport.listPeers).map((p) => p.peerId), ["bob"])

        for (let seq = 70; seq < 100; seq++) yield* alice.transport.sendDataChannelMessage("bob", sequenced(seq))
        yield* Fiber.join(messages).pipe(Effect.timeout("20 seconds"))
        assert.isTrue(checker.complete(100), `received ${checker.received}, next ${checker.next}, out of order ${checker.outOfOrder}`)

        const resumedAt = Date.now()
        yield* sendTone(alice.transport, "bob", 50)
        const after = heard.filter((h) => h.atMs >= resumedAt)
        assert.isAtLeast(after.length, 30, `${after.length}/50 audio frames after the re-connection`)
        const frequency = dominantFrequency(Float32Array.from(after.slice(-25).flatMap((h) => Array.from(h.samples))), 48_000)
        assert.approximately(frequency, 440, 5)

        // One story per side, with no failure reported: the offerer retried, the answerer waited for it.
        const aliceSaw = tagsOf(alice.events, "bob")
        assert.deepStrictEqual(aliceSaw, ["PeerConnected", ...delays.map(() => "PeerReconnecting"), "PeerConnected", "PeerReconnected"])
        const bobSaw = tagsOf(bob.events, "alice")
        assert.notInclude(bobSaw, "PeerFailed")
        assert.notInclude(bobSaw, "PeerDisconnected")
        assert.strictEqual(bobSaw.filter((tag) => tag === "PeerConnected").length, 2)
        console.log(
          `outage ${outageMs} ms; alice: ${aliceSaw.join(" > ")} (delays ${delays.join(", ")} ms); bob: ${bobSaw.join(" > ")}; ${network.relayCount()} relays`
        )
      }))
      assert.deepStrictEqual(yield* resourcesLeftBeyond(before), {}, "every socket, timer and handle is released")
    }), 90_000)

  it.live("an outage that outlasts the retries: both sides give up and report the peer failed", () =>
    Effect.gen(function*() {
      const network = yield* makeDarkNetwork()
      const config = { ...fastReconnect, reconnect: { ...fastReconnect.reconnect, maxRetries: 1 } }
      const alice = yield* network.start("alice", config)
      const bob = yield* network.start("bob", config)
      yield* connectFirst(alice.transport, "bob")
      const aliceFailed = yield* awaitEvent(alice.transport, eventFor("PeerFailed", "bob"), "30 seconds")
      const bobFailed = yield* awaitEvent(bob.transport, eventFor("PeerFailed", "alice"), "30 seconds")
      yield* network.goDark
      const { reason } = yield* aliceFailed
      assert.include(reason, "gave up after 1 attempt")
      yield* bobFailed
      assert.deepStrictEqual(tagsOf(alice.events, "bob"), [
        "PeerConnected",
        "PeerReconnecting",
        "PeerReconnectFailed",
        "PeerFailed"
      ])
      // The answering side waited for the offers, then heard that the offerer gave up.
      assert.deepStrictEqual(tagsOf(bob.events, "alice").slice(-2), ["PeerReconnectFailed", "PeerFailed"])
      assert.deepStrictEqual(yield* alice.transport.listPeers, [])
      assert.deepStrictEqual(yield* bob.transport.listPeers, [])
    }), 90_000)

  it.live("a peer that hangs up is not retried; connectPeer then names it unknown", () =>
    Effect.gen(function*() {
      const network = yield* makeDarkNetwork()
      const alice = yield* network.start("alice", fastReconnect)
      const bob = yield* network.start("bob", fastReconnect)
      yield* connectFirst(alice.transport, "bob")
      const hungUp = yield* awaitEvent(alice.transport, eventFor("PeerDisconnected", "bob"))
      const left = yield* awaitEvent(alice.transport, eventFor("PeerLeft", "bob"))
      yield* bob.transport.shutdown
      yield* hungUp
      yield* left
      const error = yield* alice.transport.connectPeer("bob").pipe(Effect.flip)
      assert.strictEqual(error._tag, "PeerNotFound")
      assert.deepStrictEqual(tagsOf(alice.events, "bob"), ["PeerConnected", "PeerDisconnected", "PeerLeft"])
    }), 60_000)

  it.live("a peer whose process died is retried while signaling still holds its place, and no longer once it left", () =>
    Effect.gen(function*() {
      // The server keeps a dropped peer's place for 15 s (it may come back): long enough for ICE to fail first.
      const network = yield* makeDarkNetwork({ gracePeriodMs: 15_000 })
      const alice = yield* network.start("alice", { ...fastReconnect, reconnect: { maxRetries: 30, initialDelayMs: 400, maxDelayMs: 1_000 } })
      const doomed = yield* childPeer("doomed", network.env)
      yield* connectFirst(alice.transport, "doomed")
      const retrying = yield* awaitEvent(alice.transport, reconnectingAttempt("doomed", 2), "30 seconds")
      const failed = yield* awaitEvent(alice.transport, eventFor("PeerFailed", "doomed"), "30 seconds")
      yield* doomed.kill
      yield* retrying
      const { reason } = yield* failed
      assert.include(reason, "left signaling")
      const error = yield* alice.transport.connectPeer("doomed").pipe(Effect.flip)
      assert.strictEqual(error._tag, "PeerNotFound")
      const aliceSaw = tagsOf(alice.events, "doomed")
      const leftAt = aliceSaw.indexOf("PeerLeft")
      assert.isAbove(leftAt, 0)
      assert.notInclude(aliceSaw.slice(leftAt), "PeerReconnecting")
      assert.notInclude(aliceSaw, "PeerReconnected")
      assert.deepStrictEqual(
        aliceSaw.filter((tag) => tag !== "PeerReconnecting" && tag !== "CircuitOpened"),
        ["PeerConnected", "PeerReconnectFailed", "PeerFailed", "PeerLeft"]
      )
    }), 60_000)

  it.live("a remote that vanishes mid-handshake: connectPeer fails with a tagged error, not an interruption", () =>
    Effect.gen(function*() {
      const network = yield* makeDarkNetwork()
      const alice = yield* network.start("alice", { connectTimeoutMs: 20_000 })
      const bob = yield* network.start("bob")
      // ICE can never complete, so the handshake is still under way when bob goes.
      yield* network.goDark
      const connecting = yield* alice.transport.connectPeer("bob").pipe(Effect.forkScoped({ startImmediately: true }))
      yield* network.answered
      const goneAt = Date.now()
      yield* bob.transport.shutdown
      const exit = yield* Fiber.await(connecting).pipe(Effect.timeout("10 seconds"))
      assert.isTrue(Exit.isFailure(exit) && !Cause.hasInterrupts(exit.cause), `ended by ${String(exit)}`)
      assert.strictEqual(Option.getOrUndefined(Exit.findErrorOption(exit))?._tag, "ConnectionFailed")
      assert.isBelow(Date.now() - goneAt, 5_000, "reported promptly, not at the connect timeout")
    }), 60_000)
})

describe("the circuit breaker", () => {
  it.live("opens after repeated failures against an unreachable peer: connectPeer fails fast, then recovers", () =>
    Effect.gen(function*() {
      const network = yield* makeDarkNetwork()
      const breaker = { circuitBreaker: { failureThreshold: 2, successThreshold: 2, recoveryMs: 2_000 }, connectTimeoutMs: 10_000 }
      const alice = yield* network.start("alice", breaker)
      yield* network.start("bob", breaker)
      yield* network.goDark
      const opened = yield* awaitEvent(alice.transport, eventFor("CircuitOpened", "bob"), "30 seconds")
      // Two attempts that cannot get through: each ends at the connect timeout.
      for (let i = 0; i < 2; i++) {
        const error = yield* alice.transport.connectPeer("bob").pipe(Effect.flip)
        assert.strictEqual(error._tag, "ConnectionTimeout")
      }
      assert.deepStrictEqual(yield* opened, { _tag: "CircuitOpened", peerId: "bob", failures: 2, retryAfterMs: 2_000 })

      const refusedAt = Date.now()
      const refused = yield* alice.transport.connectPeer("bob").pipe(Effect.flip)
      assert.strictEqual(refused._tag, "CircuitOpen")
      assert.isBelow(Date.now() - refusedAt, 1_000, "fails fast, without waiting out a connect timeout")
      if (refused._tag !== "CircuitOpen") return
      assert.isAbove(refused.retryAfterMs, 0)
      assert.include(refused.message, "bob")

      // The peer is reachable again; after the recovery time the breaker lets trials through (a trial that a
      // loaded machine stalls opens it again: try again once it lets us).
      yield* network.restore
      yield* Effect.sleep(refused.retryAfterMs + 50)
      const trial = alice.transport.connectPeer("bob").pipe(
        Effect.retry({ times: 4, while: (error) => error._tag === "ConnectionTimeout" || error._tag === "CircuitOpen", schedule: Schedule.spaced("1 second") })
      )
      yield* trial
      yield* alice.transport.disconnectPeer("bob")
      // Watched from the last trial on: each trial may take a while on a loaded machine.
      const closed = yield* awaitEvent(alice.transport, eventFor("CircuitClosed", "bob"), "30 seconds")
      yield* trial
      yield* closed
      assert.deepStrictEqual((yield* alice.transport.listPeers).map((p) => p.peerId), ["bob"])
    }), 120_000)
})
