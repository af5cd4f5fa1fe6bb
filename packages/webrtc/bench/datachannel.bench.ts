/**
 * Data-channel benchmark: the reliable channel against a raw werift data channel with the same SCTP
 * settings, measured in the same run, alternating rounds so machine noise hits both alike.
 *
 *   scripts/netns node --conditions=source packages/webrtc/bench/datachannel.bench.ts [sctpMtu...]
 *
 * - throughput: 64 KiB binary messages, `ROUND_BYTES` per round, first send to last delivery. The raw
 *   sender keeps the same in-flight window (bufferedAmount high/low water) as ours: werift's queue scales
 *   badly without one, so that is the fair baseline.
 *   Also CPU-normalised throughput (payload bits per CPU-second of this process, which runs both peers):
 *   SCTP here is CPU-bound, and on a shared machine CPU time is far steadier than wall time.
 * - round trip: a 32-byte binary message echoed back, one at a time.
 */
import { Effect, Fiber, Stream } from "effect"
import type { RTCDataChannel } from "werift"
import {
  DATA_CHANNEL_LABEL,
  dataChannelInit,
  defaultDataChannelOptions,
  MAX_SCTP_MESSAGE_BYTES,
  ReliableDataChannel
} from "../src/datachannel/index.ts"
import { connectedPair } from "../test/datachannel/loopbackPeers.ts"

const MESSAGE_BYTES = 64 * 1024
const ROUND_BYTES = 8 * 1024 * 1024
const ROUNDS = Number(process.env.ROUNDS ?? 12)
const ROUND_TRIPS = Number(process.env.ROUND_TRIPS ?? 400)
const highWaterBytes = Number(process.env.HIGH_WATER ?? defaultDataChannelOptions.highWaterBytes)
const lowWaterBytes = Number(process.env.LOW_WATER ?? defaultDataChannelOptions.lowWaterBytes)

const percentile = (sorted: ReadonlyArray<number>, p: number) =>
  sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] ?? Number.NaN

const summary = (samples: ReadonlyArray<number>) => {
  const sorted = [...samples].sort((a, b) => a - b)
  return {
    median: percentile(sorted, 50),
    p90: percentile(sorted, 90),
    p99: percentile(sorted, 99),
    min: sorted[0] ?? Number.NaN,
    max: sorted[sorted.length - 1] ?? Number.NaN
  }
}

const row = (name: string, unit: string, samples: ReadonlyArray<number>, digits: number) => {
  const s = summary(samples)
  const f = (n: number) => n.toFixed(digits)
  return `  ${name.padEnd(22)} median ${f(s.median)} ${unit}  p90 ${f(s.p90)}  p99 ${f(s.p99)}  min-max ${f(s.min)}-${f(s.max)}`
}

const MAX_FRAME_BYTES = Number(process.env.MAX_FRAME_BYTES ?? defaultDataChannelOptions.maxFrameBytes)

const channelPair = (sctpMtu: number) =>
  connectedPair((pc) => pc.createDataChannel(DATA_CHANNEL_LABEL, dataChannelInit), sctpMtu)

const opened = (channel: RTCDataChannel) =>
  Effect.callback<void>((resume) => {
    if (channel.readyState === "open") return resume(Effect.void)
    channel.stateChanged.subscribe((state) => state === "open" && resume(Effect.void))
  })

/** Raw werift: send `count` messages with the same window, resolve when the far side has them all. */
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

const rawEcho = (channel: RTCDataChannel) => channel.onMessage.subscribe((data) => channel.send(data as Buffer))

const rawRoundTrip = (channel: RTCDataChannel, payload: Buffer) =>
  Effect.callback<void>((resume) => {
    channel.onMessage.once(() => resume(Effect.void))
    channel.send(payload)
  })

const seconds = (startNs: bigint) => Number(process.hrtime.bigint() - startNs) / 1e9

const cpuSeconds = (start: NodeJS.CpuUsage) => {
  const { user, system } = process.cpuUsage(start)
  return (user + system) / 1e6
}

const benchMtu = Effect.fnUntraced(function*(sctpMtu: number) {
  const raw = yield* channelPair(sctpMtu)
  yield* opened(raw.offererSide)
  yield* opened(raw.answererSide)
  const ours = yield* channelPair(sctpMtu)
  const options = { ...defaultDataChannelOptions, maxFrameBytes: MAX_FRAME_BYTES, highWaterBytes, lowWaterBytes }
  const sender = yield* ReliableDataChannel.make(ours.offererSide, "receiver", options)
  const receiver = yield* ReliableDataChannel.make(ours.answererSide, "sender")
  yield* sender.opened
  yield* receiver.opened

  const payload = Buffer.alloc(MESSAGE_BYTES, 0xa5)
  const count = ROUND_BYTES / MESSAGE_BYTES
  const message = { _tag: "Binary", payload: new Uint8Array(payload) } as const
  const mbits = (time: number) => (ROUND_BYTES * 8) / time / 1e6
  const rawMbits: Array<number> = []
  const ourMbits: Array<number> = []
  const rawCpuMbits: Array<number> = []
  const ourCpuMbits: Array<number> = []
  for (let round = 0; round < ROUNDS; round++) {
    let start = process.hrtime.bigint()
    let cpu = process.cpuUsage()
    yield* rawTransfer(raw.offererSide, raw.answererSide, payload, count)
    rawMbits.push(mbits(seconds(start)))
    rawCpuMbits.push(mbits(cpuSeconds(cpu)))
    start = process.hrtime.bigint()
    cpu = process.cpuUsage()
    const delivered = yield* Effect.forkChild(receiver.messages.pipe(Stream.take(count), Stream.runDrain), { startImmediately: true })
    for (let i = 0; i < count; i++) yield* sender.send(message)
    yield* Fiber.join(delivered)
    ourMbits.push(mbits(seconds(start)))
    ourCpuMbits.push(mbits(cpuSeconds(cpu)))
  }

  const small = Buffer.alloc(32, 7)
  const smallMessage = { _tag: "Binary", payload: new Uint8Array(small) } as const
  rawEcho(raw.answererSide)
  yield* Effect.forkScoped(receiver.messages.pipe(Stream.runForEach(({ message }) => receiver.send(message))))
  const rawMs: Array<number> = []
  const ourMs: Array<number> = []
  for (let i = 0; i < ROUND_TRIPS; i++) {
    let start = process.hrtime.bigint()
    yield* rawRoundTrip(raw.offererSide, small)
    rawMs.push(seconds(start) * 1e3)
    start = process.hrtime.bigint()
    yield* sender.send(smallMessage)
    yield* sender.take
    ourMs.push(seconds(start) * 1e3)
  }

  const ratio = summary(ourMbits).median / summary(rawMbits).median
  const cpuRatio = summary(ourCpuMbits).median / summary(rawCpuMbits).median
  console.log(`SCTP MTU ${sctpMtu}, max-message-size ${MAX_SCTP_MESSAGE_BYTES}, frames <= ${MAX_FRAME_BYTES} B: ${ROUNDS} rounds of ${ROUND_BYTES / 1024 / 1024} MiB in 64 KiB messages, ${ROUND_TRIPS} round trips`)
  console.log(row("raw werift throughput", "Mbit/s", rawMbits, 1))
  console.log(row("reliable throughput", "Mbit/s", ourMbits, 1))
  console.log(`  throughput ratio (median): ${ratio.toFixed(2)}x raw werift`)
  console.log(row("raw werift per CPU-s", "Mbit/s", rawCpuMbits, 1))
  console.log(row("reliable per CPU-s", "Mbit/s", ourCpuMbits, 1))
  console.log(`  CPU-normalised ratio (median): ${cpuRatio.toFixed(2)}x raw werift`)
  console.log(row("raw werift 32 B RTT", "ms", rawMs, 3))
  console.log(row("reliable 32 B RTT", "ms", ourMs, 3))
})

const mtus = process.argv.slice(2).map(Number)
for (const mtu of mtus.length > 0 ? mtus : [1191, 8000]) {
  await Effect.runPromise(Effect.scoped(benchMtu(mtu)))
}
