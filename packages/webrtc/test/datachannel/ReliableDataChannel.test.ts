import { describe, expect, it } from "@effect/vitest"
import { Effect, Exit, Fiber, Result, Schedule, Scope, Stream } from "effect"
import type { RTCDataChannel } from "werift"
import {
  DATA_CHANNEL_LABEL,
  type DataChannelMessage,
  dataChannelInit,
  type DataChannelOptions,
  DEFAULT_SCTP_MTU,
  defaultDataChannelOptions,
  DeliveryLedger,
  FrameCodec,
  ReliableDataChannel
} from "../../src/datachannel/index.ts"
import { DataChannelNotAvailable, SendBufferFull } from "../../src/errors.ts"
import { connectedPair } from "./loopbackPeers.ts"

const MiB = 1024 * 1024

/** Two reliable channels "alice" → "bob" over connected loopback peers, both open. */
const reliablePair = Effect.fnUntraced(function*(
  options: Partial<DataChannelOptions> = {},
  sctpMtu: number = DEFAULT_SCTP_MTU
) {
  const { offererSide, answererSide } = yield* connectedPair(
    (pc): RTCDataChannel => pc.createDataChannel(DATA_CHANNEL_LABEL, dataChannelInit),
    sctpMtu
  )
  const alice = yield* ReliableDataChannel.make(offererSide, "bob", { ...defaultDataChannelOptions, ...options })
  const bob = yield* ReliableDataChannel.make(answererSide, "alice", { ...defaultDataChannelOptions, ...options })
  yield* Effect.all([alice.opened, bob.opened]).pipe(Effect.timeout("10 seconds"))
  return { alice, bob, aliceRaw: offererSide }
})

const receive = (channel: ReliableDataChannel.ReliableDataChannel, count: number, within: "25 seconds" | "50 seconds" = "25 seconds") =>
  channel.messages.pipe(Stream.take(count), Stream.runCollect, Effect.timeout(within))

/** A connected pair whose "alice" end is a reliable channel over `ledger` and whose "bob" end is the raw werift channel. */
const aliceOverRaw = Effect.fnUntraced(function*(ledger: DeliveryLedger) {
  const { offererSide, answererSide } = yield* connectedPair((pc): RTCDataChannel => pc.createDataChannel(DATA_CHANNEL_LABEL, dataChannelInit))
  const frames: Array<Uint8Array> = []
  answererSide.onMessage.subscribe((data) => void frames.push(new Uint8Array(data as Buffer)))
  const alice = yield* ReliableDataChannel.make(offererSide, "bob", defaultDataChannelOptions, ledger)
  yield* alice.opened.pipe(Effect.timeout("10 seconds"))
  return { alice, bobRaw: answererSide, frames }
})

/** Waits, bounded, until `channel`'s stats satisfy `done` (acks and resends have no event of their own). */
const statsUntil = (channel: ReliableDataChannel.ReliableDataChannel, done: (stats: ReliableDataChannel.DataChannelStats) => boolean) =>
  channel.stats.pipe(Effect.repeat({ schedule: Schedule.spaced("10 millis"), until: done }), Effect.timeout("10 seconds"))

const text = (payload: string): DataChannelMessage => ({ _tag: "Text", payload })

const patterned = (size: number) => new Uint8Array(size).map((_, i) => (i * 31 + (i >>> 8)) & 0xff)

describe("ReliableDataChannel between two werift peers", () => {
  it.live("delivers Json, Binary and Text byte-exact, tagged with the sender's peer id", () =>
    Effect.gen(function*() {
      const { alice, bob } = yield* reliablePair()
      const sent: Array<DataChannelMessage> = [
        { _tag: "Json", payload: { command: "pipeline_config_change", params: { bitrate_kbps: 2000, codecs: ["VP9", null], ratio: 0.5 } } },
        { _tag: "Binary", payload: Uint8Array.of(0, 255, 1, 254, 0) },
        { _tag: "Text", payload: "grüße, 你好, 👋" },
        { _tag: "Binary", payload: new Uint8Array(0) },
        { _tag: "Text", payload: "" }
      ]
      for (const message of sent) yield* alice.send(message)
      const received = yield* receive(bob, sent.length)
      expect(received).toEqual(sent.map((message) => ({ peerId: "alice", message })))
    }))

  it.live("delivers a 16 MiB binary message intact", () =>
    Effect.gen(function*() {
      // SCTP MTU 8000 only to keep this test short on a shared machine; the framing is the same.
      const { alice, bob } = yield* reliablePair({}, 8000)
      const payload = patterned(16 * MiB)
      const [, [received]] = yield* Effect.all([alice.send({ _tag: "Binary", payload }), receive(bob, 1, "50 seconds")], { concurrency: 2 })
      expect(received?.message).toMatchObject({ _tag: "Binary" })
      expect(Buffer.compare(received!.message.payload as Uint8Array, payload)).toBe(0)
      expect((yield* bob.stats).reassemblyBytes).toBe(0)
    }), 60_000)

  it.live("delivers 1000 mixed messages in send order", () =>
    Effect.gen(function*() {
      const { alice, bob } = yield* reliablePair()
      const sent = Array.from({ length: 1000 }, (_, i): DataChannelMessage =>
        i % 3 === 0 ? { _tag: "Json", payload: { i } }
        // Mostly single-frame binaries, every 100th one spanning several frames.
        : i % 3 === 1 ? { _tag: "Binary", payload: patterned(i % 100 === 1 ? 200_000 : 1 + ((i * 7919) % 20_000)) }
        : { _tag: "Text", payload: `message ${i}` })
      const receiving = yield* Effect.forkChild(receive(bob, sent.length, "50 seconds"), { startImmediately: true })
      // Concurrent sends: the FIFO send lock must keep call order.
      yield* Effect.forEach(sent, (message) => alice.send(message), { concurrency: "unbounded", discard: true })
      const received = yield* Fiber.join(receiving)
      expect(received.map(({ message }) => message)).toEqual(sent)
    }), 60_000)

  it.live("keeps at most the window in werift's queue: a send waits until its frames fit", () =>
    Effect.gen(function*() {
      const { alice, bob, aliceRaw } = yield* reliablePair()
      const { highWaterBytes, maxFrameBytes } = defaultDataChannelOptions
      const receiving = yield* Effect.forkChild(receive(bob, 2), { startImmediately: true })
      const big = yield* Effect.forkChild(alice.send({ _tag: "Binary", payload: patterned(4 * MiB) }), { startImmediately: true })
      // The big send is parked on the window, its bytes counted as queued, not dumped into werift.
      expect(big.pollUnsafe()).toBeUndefined()
      expect((yield* alice.stats).queuedBytes).toBe(4 * MiB)
      expect(aliceRaw.bufferedAmount).toBeLessThanOrEqual(highWaterBytes + maxFrameBytes)
      yield* alice.send({ _tag: "Text", payload: "after the big one" })
      expect(big.pollUnsafe()).toBeDefined()
      expect(aliceRaw.bufferedAmount).toBeLessThanOrEqual(highWaterBytes + maxFrameBytes)
      const received = yield* Fiber.join(receiving)
      expect(received.map(({ message }) => typeof message.payload)).toEqual(["object", "string"])
    }))

  it.live("fails with SendBufferFull past the queue bound, and sends again once it drains", () =>
    Effect.gen(function*() {
      const { alice, bob } = yield* reliablePair({ maxQueuedBytes: MiB })
      const receiving = yield* Effect.forkChild(receive(bob, 2), { startImmediately: true })
      const first = yield* Effect.forkChild(alice.send({ _tag: "Binary", payload: patterned(800 * 1024) }), { startImmediately: true })
      const refused = yield* alice.send({ _tag: "Binary", payload: patterned(300 * 1024) }).pipe(Effect.flip)
      expect(refused).toBeInstanceOf(SendBufferFull)
      expect(refused).toMatchObject({ peerId: "bob" })
      yield* Fiber.join(first)
      yield* alice.send({ _tag: "Binary", payload: patterned(300 * 1024) })
      expect((yield* Fiber.join(receiving)).map(({ message }) => (message.payload as Uint8Array).length)).toEqual([800 * 1024, 300 * 1024])
    }))

  it.live("refuses messages over 16 MiB with MessageTooLarge and keeps working", () =>
    Effect.gen(function*() {
      const { alice, bob } = yield* reliablePair()
      const tooLarge = yield* alice.send({ _tag: "Binary", payload: new Uint8Array(16 * MiB + 1) }).pipe(Effect.flip)
      expect(tooLarge).toMatchObject({ _tag: "MessageTooLarge", size: 16 * MiB + 1, limit: 16 * MiB })
      const tooLong = yield* alice.send({ _tag: "Text", payload: "é".repeat(8 * MiB + 1) }).pipe(Effect.flip)
      expect(tooLong).toMatchObject({ _tag: "MessageTooLarge", size: 16 * MiB + 2 })
      yield* alice.send({ _tag: "Text", payload: "still here" })
      expect((yield* receive(bob, 1))[0]?.message).toEqual({ _tag: "Text", payload: "still here" })
    }))

  it.live("drops and reports a hostile peer's malformed frames and keeps delivering", () =>
    Effect.gen(function*() {
      const { alice, bob, aliceRaw } = yield* reliablePair()
      const rejections = yield* Effect.forkChild(bob.rejections.pipe(Stream.take(5), Stream.runCollect, Effect.timeout("10 seconds")), { startImmediately: true })
      const frame = (id: number, total: number, offset: number, chunk: number) =>
        Buffer.from(FrameCodec.encodeFrame(FrameCodec.FrameKind.Binary, id, new Uint8Array(total), offset, chunk))
      aliceRaw.send("a text message")
      aliceRaw.send(Buffer.from([1, 0, 0]))
      aliceRaw.send(Buffer.concat([Buffer.from([9]), frame(100, 10, 0, 10).subarray(1)]))
      aliceRaw.send(frame(101, 10, 4, 6))
      aliceRaw.send(frame(102, 100, 0, 10))
      aliceRaw.send(frame(102, 100, 50, 10))
      yield* alice.send({ _tag: "Json", payload: { ok: true } })
      expect((yield* receive(bob, 1))[0]?.message).toEqual({ _tag: "Json", payload: { ok: true } })
      expect((yield* Fiber.join(rejections)).map(({ reason }) => reason)).toEqual([
        "UnexpectedTextFrame", "Truncated", "UnsupportedVersion", "UnknownMessageId", "OffsetMismatch"
      ])
      expect(yield* bob.stats).toMatchObject({ rejected: 5, reassemblyBytes: 0, messagesReceived: 1 })
    }))

  it.live("drops and reports messages beyond the receive backlog a slow consumer leaves", () =>
    Effect.gen(function*() {
      const { alice, bob } = yield* reliablePair({ maxReceiveBacklogBytes: 1000 })
      const rejections = yield* Effect.forkChild(bob.rejections.pipe(Stream.take(2), Stream.runCollect, Effect.timeout("10 seconds")), { startImmediately: true })
      for (const fill of [1, 2, 3]) yield* alice.send({ _tag: "Binary", payload: new Uint8Array(600).fill(fill) })
      expect((yield* Fiber.join(rejections)).map(({ reason }) => reason)).toEqual(["ReceiveBacklogFull", "ReceiveBacklogFull"])
      expect((yield* bob.take).message).toEqual({ _tag: "Binary", payload: new Uint8Array(600).fill(1) })
      yield* alice.send({ _tag: "Binary", payload: new Uint8Array(600).fill(4) })
      expect((yield* bob.take).message).toEqual({ _tag: "Binary", payload: new Uint8Array(600).fill(4) })
    }))

  it.live("resumes on a new connection: what the remote did not acknowledge goes again, what it had is dropped", () =>
    Effect.gen(function*() {
      const aliceLedger = new DeliveryLedger(MiB)
      const first = yield* Scope.make()
      const { alice, bobRaw, frames } = yield* aliceOverRaw(aliceLedger).pipe(Scope.provide(first))
      for (let i = 0; i < 10; i++) yield* alice.send(text(`m${i}`))
      // The remote got every message but acknowledges only up to 3 before the connection dies.
      yield* Effect.sync(() => frames.length).pipe(Effect.repeat({ schedule: Schedule.spaced("10 millis"), until: (n) => n >= 11 }), Effect.timeout("10 seconds"))
      expect(Result.getOrThrow(FrameCodec.decodeControlFrame(frames[0]!))).toEqual({ kind: FrameCodec.ControlKind.Hello, value: aliceLedger.epoch })
      bobRaw.send(Buffer.from(FrameCodec.encodeControlFrame(FrameCodec.ControlKind.Hello, 99)))
      bobRaw.send(Buffer.from(FrameCodec.encodeControlFrame(FrameCodec.ControlKind.Ack, 3)))
      yield* statsUntil(alice, (stats) => stats.retainedMessages === 6)
      yield* Scope.close(first, Exit.void)

      // The remote's ledger: it received messages 0-6 of alice's epoch.
      const bobLedger = new DeliveryLedger(MiB)
      bobLedger.hello(aliceLedger.epoch)
      for (let id = 0; id <= 6; id++) bobLedger.receive(id)
      const { offererSide, answererSide } = yield* connectedPair((pc): RTCDataChannel => pc.createDataChannel(DATA_CHANNEL_LABEL, dataChannelInit))
      const aliceAgain = yield* ReliableDataChannel.make(offererSide, "bob", defaultDataChannelOptions, aliceLedger)
      const bob = yield* ReliableDataChannel.make(answererSide, "alice", defaultDataChannelOptions, bobLedger)
      yield* aliceAgain.send(text("m10"))
      yield* aliceAgain.send(text("m11"))
      const received = yield* receive(bob, 5)
      expect(received.map(({ message }) => message)).toEqual(["m7", "m8", "m9", "m10", "m11"].map(text))
      expect(yield* bob.stats).toMatchObject({ duplicatesDropped: 3, messagesReceived: 5 })
      expect(yield* statsUntil(aliceAgain, (stats) => stats.retainedMessages === 0)).toMatchObject({ resent: 6, retainedBytes: 0, unprotected: 0 })
    }))

  it.live("keeps nothing for a remote whose first frame is data, not a Hello (a peer that cannot resume)", () =>
    Effect.gen(function*() {
      const ledger = new DeliveryLedger(MiB)
      const { alice, bobRaw } = yield* aliceOverRaw(ledger)
      yield* alice.send(text("kept until acked"))
      expect((yield* alice.stats).retainedMessages).toBe(1)
      const rejections = yield* Effect.forkChild(alice.rejections.pipe(Stream.take(1), Stream.runCollect, Effect.timeout("10 seconds")), { startImmediately: true })
      bobRaw.send(Buffer.from(FrameCodec.encodeFrame(FrameCodec.FrameKind.Text, 0, new TextEncoder().encode("hi"), 0, 2)))
      expect((yield* alice.take).message).toEqual(text("hi"))
      yield* alice.send(text("not kept"))
      expect(yield* alice.stats).toMatchObject({ retainedMessages: 0, retainedBytes: 0 })
      expect(ledger.keepsMessages).toBe(false)
      // A control frame with a payload is malformed: dropped and reported, the channel carries on.
      bobRaw.send(Buffer.from([...FrameCodec.encodeControlFrame(FrameCodec.ControlKind.Ack, 0), 1]))
      expect((yield* Fiber.join(rejections)).map(({ reason }) => reason)).toEqual(["LengthMismatch"])
    }))

  it.live("fails sends and ends the message stream when the channel closes, and releases every resource", () =>
    Effect.gen(function*() {
      const before = new Set(process.getActiveResourcesInfo())
      const scope = yield* Scope.make()
      const { alice, bob } = yield* reliablePair().pipe(Scope.provide(scope))
      yield* alice.send({ _tag: "Text", payload: "last words" })
      expect((yield* bob.take).message).toEqual({ _tag: "Text", payload: "last words" })
      yield* Scope.close(scope, Exit.void)
      expect(yield* bob.messages.pipe(Stream.runCollect, Effect.timeout("1 second"))).toEqual([])
      expect(yield* bob.take.pipe(Effect.flip)).toBeInstanceOf(DataChannelNotAvailable)
      expect(yield* alice.send({ _tag: "Text", payload: "too late" }).pipe(Effect.flip)).toBeInstanceOf(DataChannelNotAvailable)
      // werift closes its UDP sockets shortly after close() resolves, with no event to wait on: poll, bounded.
      const leaked = Effect.sync(() => process.getActiveResourcesInfo().filter((r) => !before.has(r) || r === "UDPWrap"))
      const remaining = yield* leaked.pipe(
        Effect.repeat({ schedule: Schedule.spaced("20 millis"), until: (left) => left.length === 0 }),
        Effect.timeout("3 seconds")
      )
      expect(remaining).toEqual([])
    }))
})
