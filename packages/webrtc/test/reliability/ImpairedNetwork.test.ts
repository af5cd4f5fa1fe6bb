/**
 * Two transports whose every packet crosses a netsim relay on 127.0.0.1: data-channel traffic under loss
 * and jitter, and a connection that goes completely dark for 3 s, must arrive complete and in order, with
 * no user action and no peer reported as failed.
 */
import { assert, describe, it } from "@effect/vitest"
import { Effect, Fiber, Stream } from "effect"
import type { ImpairmentConfig } from "@remotemedia/netsim"
import type { TransportEvent } from "../../src/transport/TransportEvent.ts"
import { relayedPair } from "./support/relayedSignaling.ts"
import { SequenceChecker, sequenced, sequenceOf } from "./support/sequencedMessages.ts"

const lossy: ImpairmentConfig = { loss: 0.05, delayMs: 5, jitterMs: 30 }
const dark: ImpairmentConfig = { loss: 1 }

/** alice and bob connected through relays; bob's received messages are checked as they arrive. */
const checkedPair = Effect.gen(function*() {
  const pair = yield* relayedPair
  assert.isAbove(pair.relayed.relayCount(), 0, "candidates were relayed")
  const checker = new SequenceChecker()
  const receiveAll = (count: number) =>
    pair.bob.dataChannelMessages.pipe(
      Stream.take(count),
      Stream.runForEach(({ message }) => Effect.sync(() => checker.accept(sequenceOf(message)))),
      Effect.forkScoped({ startImmediately: true })
    )
  return { ...pair, checker, receiveAll }
})

const failures = (events: ReadonlyArray<TransportEvent>) =>
  events.filter((e) => e._tag === "PeerFailed" || e._tag === "PeerDisconnected")

describe("data channel over an impaired network", () => {
  it.live("5 % loss and 30 ms jitter both ways: 300 messages arrive complete and in order", () =>
    Effect.gen(function*() {
      const { alice, relayed, aliceEvents, checker, receiveAll } = yield* checkedPair
      yield* relayed.impairAll({ toTarget: lossy, fromTarget: lossy })
      const receiving = yield* receiveAll(300)
      for (let seq = 0; seq < 300; seq++) yield* alice.sendDataChannelMessage("bob", sequenced(seq))
      yield* Fiber.join(receiving).pipe(Effect.timeout("30 seconds"))
      assert.isTrue(checker.complete(300), `received ${checker.received}, next ${checker.next}, out of order ${checker.outOfOrder}`)
      assert.isAbove(relayed.lostPackets(), 0, "the relays did drop packets")
      assert.deepStrictEqual(failures(aliceEvents), [])
    }), 60_000)

  it.live("a 3 s blackout: the connection recovers by itself and messages sent into the dark arrive", () =>
    Effect.gen(function*() {
      const { alice, relayed, aliceEvents, checker, receiveAll } = yield* checkedPair
      const receiving = yield* receiveAll(100)
      for (let seq = 0; seq < 50; seq++) yield* alice.sendDataChannelMessage("bob", sequenced(seq))
      yield* relayed.impairAll({ toTarget: dark, fromTarget: dark })
      const sendingInTheDark = yield* Effect.forkScoped(
        Effect.forEach(Array.from({ length: 50 }, (_, i) => 50 + i), (seq) => alice.sendDataChannelMessage("bob", sequenced(seq)), {
          discard: true
        }),
        { startImmediately: true }
      )
      // The fault itself lasts 3 s; nothing here waits for the system under test.
      yield* Effect.sleep("3 seconds")
      assert.isAbove(relayed.lostPackets(), 0, "the blackout swallowed packets")
      yield* relayed.impairAll({ toTarget: {}, fromTarget: {} })
      yield* Fiber.join(sendingInTheDark).pipe(Effect.timeout("20 seconds"))
      yield* Fiber.join(receiving).pipe(Effect.timeout("30 seconds"))
      assert.isTrue(checker.complete(100), `received ${checker.received}, next ${checker.next}, out of order ${checker.outOfOrder}`)
      assert.deepStrictEqual(failures(aliceEvents), [])
      assert.deepStrictEqual((yield* alice.listPeers).map((p) => p.peerId), ["bob"])
    }), 60_000)
})
