/**
 * What `listPeers` tells a user about each peer: packet and byte counters that match between the two ends,
 * figures that are live from the moment of connecting, the jitter buffer the peer's media waits in, and a
 * bounded read that never waits on a stats call werift does not answer.
 */
import { assert, describe, it } from "@effect/vitest"
import { Effect, Fiber, Schedule } from "effect"
import { TestClock } from "effect/testing"
import type { RTCStatsReport } from "werift"
import { emptyMetrics, makeMetricsSampler, type StatsSource } from "../../src/peer/ConnectionMetrics.ts"
import type { PeerInfo } from "../../src/transport/PeerInfo.ts"
import type { WebRtcTransportService } from "../../src/transport/WebRtcTransport.ts"
import { collect, sendTone, star } from "../media-path/support/mediaMesh.ts"

/** A stats report as werift builds it: one inbound audio stream that has received `packets` packets. */
const report = (packets: number) =>
  new Map([["in", { type: "inbound-rtp", kind: "audio", packetsReceived: packets, packetsLost: 0, bytesReceived: packets * 100 }]]) as unknown as RTCStatsReport

/** A stats source that answers with `next()` (a never-settling promise stands for a hung werift). */
const source = (next: () => Promise<RTCStatsReport>): StatsSource => ({ getStats: next })

const infoOf = (transport: WebRtcTransportService, peerId: string) =>
  Effect.map(transport.listPeers, (peers) => peers.find((peer) => peer.peerId === peerId))

/** Polls `listPeers` until `peerId`'s entry satisfies `done` (fails after 20 s with the last entry seen). */
const waitForInfo = (transport: WebRtcTransportService, peerId: string, done: (info: PeerInfo) => boolean) =>
  infoOf(transport, peerId).pipe(
    Effect.repeat({ schedule: Schedule.spaced("200 millis"), until: (info) => info !== undefined && done(info) }),
    Effect.timeoutOrElse({
      duration: "20 seconds",
      orElse: () => Effect.flatMap(infoOf(transport, peerId), (info) => Effect.die(new Error(`listPeers never showed it: ${JSON.stringify(info)}`)))
    }),
    Effect.map((info) => info!)
  )

describe("listPeers figures", () => {
  it.effect("a stats read that hangs or fails gives the last figures after the read bound, not never", () =>
    Effect.gen(function*() {
      let next = () => Promise.resolve(report(10))
      const sampler = makeMetricsSampler(source(() => next()), { intervalMs: 1_000, windowMs: 5_000, readTimeoutMs: 500 })
      assert.deepStrictEqual(yield* sampler.latest, emptyMetrics)
      const running = yield* Effect.forkChild(sampler.run)
      yield* TestClock.adjust("1 second")
      assert.strictEqual((yield* sampler.latest).packetsReceived, 10)

      next = () => Promise.resolve(report(25))
      assert.strictEqual((yield* sampler.current).packetsReceived, 25)

      next = () => new Promise(() => undefined)
      const hung = yield* Effect.forkChild(sampler.current)
      yield* TestClock.adjust("500 millis")
      const stale = yield* Fiber.join(hung)
      assert.strictEqual(stale.packetsReceived, 10)
      assert.isDefined(stale.measuredAt)

      next = () => Promise.reject(new Error("werift: transport closed"))
      assert.strictEqual((yield* sampler.current).packetsReceived, 10)
      yield* Fiber.interrupt(running)
    }))

  it.live("counters are live from connecting on, match between the two ends, and the receiver's jitter buffer shows its delay", () =>
    Effect.gen(function*() {
      const [alice, bob] = yield* star(["alice", "bob"])
      // Right after connecting: measured (the ICE round trip is known), not zeros waiting for a first interval.
      const first = (yield* infoOf(alice!, "bob"))!
      assert.isDefined(first.metrics.measuredAt)
      assert.isAbove(first.metrics.latencyMs, 0)
      assert.isUndefined(first.jitterBuffer)

      const arrived = yield* collect(bob!, "alice", "Audio", 40)
      yield* sendTone(50, (chunk) => alice!.sendToPeer("bob", chunk))
      yield* arrived

      const sent = (yield* infoOf(alice!, "bob"))!.metrics.packetsSent
      assert.isAtLeast(sent, 50)
      const atBob = yield* waitForInfo(bob!, "alice", (info) => info.metrics.packetsReceived + info.metrics.packetsLost >= sent)
      assert.strictEqual(atBob.metrics.packetsReceived + atBob.metrics.packetsLost, sent)
      assert.strictEqual(atBob.metrics.packetsLost, 0)
      assert.strictEqual(atBob.metrics.packetsSent, 0)
      assert.isAbove(atBob.metrics.bytesReceived, sent * 20)

      const buffer = atBob.jitterBuffer!
      assert.isAtLeast(buffer.released, 40)
      assert.isAbove(buffer.averageDelayMs, 0)
      assert.isAtMost(buffer.averageDelayMs, 500)
      assert.strictEqual(buffer.received, buffer.released + buffer.dropped + buffer.currentFrames)
      assert.deepStrictEqual(atBob.receivedStreams.map((stream) => stream.kind), ["audio"])
    }), 120_000)
})
