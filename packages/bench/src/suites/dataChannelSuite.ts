/**
 * Data-channel figures (the method of the former webrtc datachannel bench): two connected transports'
 * `sendDataChannelMessage` / `dataChannelMessages` against a raw werift data channel on a pair with the
 * same settings, alternating rounds.
 *
 * - throughput: 64 KiB binary messages, first send to last delivery. The raw sender keeps the same
 *   in-flight window (bufferedAmount high/low water) as ours: werift's queue scales badly without one, so
 *   that is the fair baseline.
 * - round trip: a 32-byte binary message echoed back, one at a time.
 */
import { defaultDataChannelOptions } from "@remotemedia/webrtc"
import { Effect, Fiber, Queue, Stream } from "effect"
import type { RTCDataChannel } from "werift"
import type { BenchSizes } from "../BenchSizes.ts"
import { rawConnect, rawPeer } from "../peers/rawPeer.ts"
import { connectForSetUp, localSignaling, startedTransport } from "../peers/transports.ts"
import { type Figure, measured } from "../report/Figure.ts"

const MESSAGE_BYTES = 64 * 1024
const { highWaterBytes, lowWaterBytes } = defaultDataChannelOptions

/** Two raw peers connected on loopback, closed with the scope; yields both ends of their data channel. */
const connectedChannels = (stunUrl: string) =>
  Effect.acquireRelease(
    Effect.promise(async () => {
      const a = rawPeer(stunUrl)
      const b = rawPeer(stunUrl)
      await rawConnect(a.pc, b.pc)
      return [a, b] as const
    }),
    (peers) => Effect.promise(() => Promise.all(peers.map((p) => p.pc.close())))
  ).pipe(Effect.map(([a, b]) => ({ offerer: a.channel, answerer: b.channel })))

const opened = (channel: RTCDataChannel) =>
  Effect.callback<void>((resume) => {
    if (channel.readyState === "open") return resume(Effect.void)
    channel.stateChanged.subscribe((state) => state === "open" && resume(Effect.void))
  })

/** Raw werift: `count` messages with our window; resolves when the far side has them all. */
const rawTransfer = (sender: RTCDataChannel, receiver: RTCDataChannel, payload: Buffer, count: number) =>
  Effect.callback<void>((resume) => {
    let received = 0
    const subscription = receiver.onMessage.subscribe(() => {
      if (++received === count) {
        subscription.unSubscribe()
        resume(Effect.void)
      }
    })
    let sent = 0
    const pump = () => {
      while (sent < count && sender.bufferedAmount <= highWaterBytes) {
        sender.send(payload)
        sent++
      }
      if (sent < count) sender.bufferedAmountLow.once(pump)
    }
    sender.bufferedAmountLowThreshold = lowWaterBytes
    pump()
  })

const rawRoundTrip = (channel: RTCDataChannel, payload: Buffer) =>
  Effect.callback<void>((resume) => {
    channel.onMessage.once(() => resume(Effect.void))
    channel.send(payload)
  })

const since = (start: number) => performance.now() - start

/** Throughput and round-trip figures. */
export const dataChannelSuite = (sizes: BenchSizes): Effect.Effect<ReadonlyArray<Figure>> =>
  Effect.scoped(Effect.gen(function*() {
    const urls = yield* localSignaling()
    const raw = yield* connectedChannels(urls.stunUrl)
    yield* opened(raw.offerer)
    yield* opened(raw.answerer)
    const sender = yield* startedTransport("sender", urls)
    const receiver = yield* startedTransport("receiver", urls)
    yield* connectForSetUp(sender, "receiver")
    const send = (message: { readonly _tag: "Binary"; readonly payload: Uint8Array }) => Effect.orDie(sender.sendDataChannelMessage("receiver", message))

    const payload = Buffer.alloc(MESSAGE_BYTES, 0xa5)
    const count = Math.max(1, Math.floor(sizes.dataRoundBytes / MESSAGE_BYTES))
    const message = { _tag: "Binary", payload: new Uint8Array(payload) } as const
    const mbits = (ms: number) => (count * MESSAGE_BYTES * 8) / (ms / 1000) / 1e6
    const rawMbits: Array<number> = []
    const ourMbits: Array<number> = []
    for (let round = 0; round < sizes.dataRounds; round++) {
      let start = performance.now()
      yield* rawTransfer(raw.offerer, raw.answerer, payload, count)
      rawMbits.push(mbits(since(start)))
      start = performance.now()
      const delivered = yield* Effect.forkChild(receiver.dataChannelMessages.pipe(Stream.take(count), Stream.runDrain), { startImmediately: true })
      for (let i = 0; i < count; i++) yield* send(message)
      yield* Fiber.join(delivered)
      ourMbits.push(mbits(since(start)))
    }

    const small = Buffer.alloc(32, 7)
    const smallMessage = { _tag: "Binary", payload: new Uint8Array(small) } as const
    raw.answerer.onMessage.subscribe((data) => raw.answerer.send(data as Buffer))
    yield* Effect.forkScoped(receiver.dataChannelMessages.pipe(Stream.runForEach(({ message }) => Effect.ignore(receiver.sendDataChannelMessage("sender", message)))), { startImmediately: true })
    const echoes = yield* Queue.unbounded<unknown>()
    yield* Effect.forkScoped(sender.dataChannelMessages.pipe(Stream.runForEach((m) => Queue.offer(echoes, m))), { startImmediately: true })
    const rawMs: Array<number> = []
    const ourMs: Array<number> = []
    for (let i = 0; i < sizes.dataRoundTrips; i++) {
      let start = performance.now()
      yield* rawRoundTrip(raw.offerer, small)
      rawMs.push(since(start))
      start = performance.now()
      yield* send(smallMessage)
      yield* Queue.take(echoes)
      ourMs.push(since(start))
    }
    return [
      measured(
        { id: "data.throughput64KiB", title: "data channel throughput, 64 KiB messages", unit: "Mbit/s", better: "higher" },
        ["raw werift data channel", rawMbits],
        ["sendDataChannelMessage", ourMbits]
      ),
      measured(
        { id: "data.roundTrip32B", title: "data channel round trip, 32 bytes", unit: "ms" },
        ["raw werift data channel", rawMs],
        ["sendDataChannelMessage", ourMs]
      )
    ]
  }))
