/**
 * The soak traffic of one transport: it broadcasts a 440 Hz tone in 20 ms Opus frames and sends
 * sequence-numbered data-channel messages to each other peer; it checks every sender's data stream for
 * loss and order and counts the audio frames each sender's stream delivers.
 */
import { audio } from "@remotemedia/runtime-core"
import { makeSineTone } from "@remotemedia/signals"
import { Effect, Fiber, Schedule, Stream } from "effect"
import type { WebRtcTransportService } from "../../src/transport/WebRtcTransport.ts"
import { sequenced, sequenceOf } from "../../test/reliability/support/sequencedMessages.ts"
import { SequenceTally } from "./SequenceTally.ts"

/** Totals of one transport's traffic so far. */
export interface TrafficCounters {
  /** Data messages whose send completed. */
  readonly dataSent: number
  readonly dataReceived: number
  /** Received data messages at or below one already seen (duplicate or reordered). */
  readonly dataOutOfOrder: number
  /** Audio frame deliveries: one per peer a broadcast reached. */
  readonly audioSent: number
  readonly audioReceived: number
  /** Peers a broadcast could not serve. */
  readonly audioSendFailures: number
}

/** What arrived from one sender. */
export interface ReceivedStream {
  readonly dataReceived: number
  /** Distinct messages that arrived in order. */
  readonly dataInOrder: number
  readonly dataOutOfOrder: number
  /** Times the stream jumped ahead (a broken connection loses what was in flight). */
  readonly dataGaps: number
  readonly audioFrames: number
}

const sum = (values: Iterable<number>) => {
  let total = 0
  for (const v of values) total += v
  return total
}

/**
 * Starts receiving on `peer` at once (subscribe on every peer before any sends); `startSending` begins
 * this peer's own traffic. Everything stops with the scope.
 */
export const makePeerTraffic = (peer: WebRtcTransportService) =>
  Effect.gen(function*() {
    const checkers = new Map<string, SequenceTally>()
    const audioFrames = new Map<string, number>()
    const checkerFor = (from: string) => {
      const existing = checkers.get(from)
      if (existing !== undefined) return existing
      const created = new SequenceTally()
      checkers.set(from, created)
      return created
    }
    yield* Effect.forkScoped(
      Stream.runForEach(peer.dataChannelMessages, ({ peerId, message }) => Effect.sync(() => checkerFor(peerId).accept(sequenceOf(message)))),
      { startImmediately: true }
    )
    yield* Effect.forkScoped(
      Stream.runForEach(peer.incoming, ({ peerId, data }) => Effect.sync(() => void (data._tag === "Audio" && audioFrames.set(peerId, (audioFrames.get(peerId) ?? 0) + 1)))),
      { startImmediately: true }
    )

    const sent = new Map<string, number>()
    const audioSent = { deliveries: 0, failures: 0 }
    let senders: Fiber.Fiber<void> | undefined

    const startSending = (to: ReadonlyArray<string>, dataPerS: number) =>
      Effect.gen(function*() {
        const tone = makeSineTone({ frequency: 440, sampleRate: 48_000 })
        // A live source: one 20 ms frame every 20 ms, whether or not the previous one reached everybody.
        const audioLoop = Effect.suspend(() => peer.broadcast(audio(tone.next(960), 48_000))).pipe(
          Effect.tap((stats) => Effect.sync(() => {
            audioSent.deliveries += stats.sentCount
            audioSent.failures += stats.failedCount
          })),
          Effect.ignore,
          Effect.repeat(Schedule.fixed("20 millis"))
        )
        const dataLoop = Effect.forEach(to, (receiver) =>
          Effect.suspend(() => {
            const seq = sent.get(receiver) ?? 0
            return peer.sendDataChannelMessage(receiver, sequenced(seq)).pipe(Effect.tap(() => Effect.sync(() => sent.set(receiver, seq + 1))), Effect.ignore)
          }), { discard: true }).pipe(Effect.repeat(Schedule.fixed(`${Math.round(1000 / dataPerS)} millis`)))
        senders = yield* Effect.forkScoped(Effect.all([audioLoop, dataLoop], { concurrency: 2, discard: true }))
      })

    return {
      startSending,
      /** Stops this peer's senders; the counts are final afterwards. */
      stopSending: Effect.suspend(() => senders === undefined ? Effect.void : Fiber.interrupt(senders)),
      /** Data messages sent to each receiver (by peer id). */
      sentTo: (): Record<string, number> => Object.fromEntries(sent),
      /** What arrived from each sender (by peer id). */
      receivedFrom: (): Record<string, ReceivedStream> => {
        const senderIds = new Set([...checkers.keys(), ...audioFrames.keys()])
        return Object.fromEntries([...senderIds].map((from) => {
          const c = checkers.get(from) ?? new SequenceTally()
          return [from, { dataReceived: c.received, dataInOrder: c.inOrder, dataOutOfOrder: c.stale, dataGaps: c.gaps, audioFrames: audioFrames.get(from) ?? 0 }]
        }))
      },
      counters: (): TrafficCounters => ({
        dataSent: sum(sent.values()),
        dataReceived: sum([...checkers.values()].map((c) => c.received)),
        dataOutOfOrder: sum([...checkers.values()].map((c) => c.stale)),
        audioSent: audioSent.deliveries,
        audioReceived: sum(audioFrames.values()),
        audioSendFailures: audioSent.failures
      }),
      /**
       * Waits until at least `expected[from]` messages arrived from each sender; false if they had not
       * after `timeoutS` (the rest is lost).
       */
      awaitReceived: (expected: Readonly<Record<string, number>>, timeoutS = 30) =>
        Effect.sync(() => Object.entries(expected).every(([from, count]) => (checkers.get(from)?.received ?? 0) >= count)).pipe(
          Effect.repeat({ schedule: Schedule.spaced("200 millis"), until: (done) => done }),
          Effect.timeoutOption(`${timeoutS} seconds`),
          Effect.map((done) => done._tag === "Some")
        )
    }
  })

/** One transport's soak traffic. */
export type PeerTraffic = Effect.Success<ReturnType<typeof makePeerTraffic>>
