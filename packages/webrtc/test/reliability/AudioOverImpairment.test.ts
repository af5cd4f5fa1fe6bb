/**
 * A 440 Hz tone sent with `sendToPeer` through relays dropping 5 % of packets with 30 ms of jitter: what
 * comes out of `incoming` is still the tone, nearly every 20 ms frame arrives, and the holes left by lost
 * packets are single frames or short runs (at most 3 frames, 60 ms: what Opus concealment can cover).
 */
import { assert, describe, it } from "@effect/vitest"
import { Effect, Fiber, Predicate, Stream } from "effect"
import { audio } from "@remotemedia/runtime-core"
import { makeSineTone } from "@remotemedia/signals"
import type { ImpairmentConfig } from "@remotemedia/netsim"
import { relayedPair } from "./support/relayedSignaling.ts"
import { streamSettled } from "./support/streamSettled.ts"

const lossy: ImpairmentConfig = { loss: 0.05, delayMs: 5, jitterMs: 30 }
const frames = 250
const samplesPerFrame = 960

/** The tone's frequency from its zero crossings (upward), in Hz. */
const frequencyOf = (samples: Float32Array, sampleRate: number) => {
  let crossings = 0
  for (let i = 1; i < samples.length; i++) if ((samples[i - 1] ?? 0) < 0 && (samples[i] ?? 0) >= 0) crossings++
  return (crossings * sampleRate) / samples.length
}

describe("audio over an impaired network", () => {
  it.live("5 % loss and 30 ms jitter: the tone survives, holes are short", () =>
    Effect.gen(function*() {
      const { alice, bob, relayed, aliceEvents } = yield* relayedPair
      yield* relayed.impairAll({ toTarget: lossy, fromTarget: lossy })
      const received: Array<{ readonly rtpTimestamp: number; readonly frequency: number }> = []
      const receiving = yield* bob.incoming.pipe(
        Stream.filter((m) => Predicate.isTagged(m.data, "Audio")),
        Stream.runForEach((m) =>
          Effect.sync(() => {
            if (m.data._tag === "Audio") received.push({ rtpTimestamp: m.rtpTimestamp, frequency: frequencyOf(m.data.samples, m.data.sampleRate) })
          })
        ),
        Effect.forkScoped({ startImmediately: true })
      )
      const tone = makeSineTone({ frequency: 440, sampleRate: 48_000 })
      // Paced like a capture device: one 20 ms frame every 20 ms.
      for (let i = 0; i < frames; i++) {
        yield* alice.sendToPeer("bob", audio(tone.next(samplesPerFrame), 48_000))
        yield* Effect.sleep("20 millis")
      }
      yield* streamSettled(() => received.length, frames)
      yield* Fiber.interrupt(receiving)

      assert.isAtLeast(received.length, frames * 0.85, `${received.length}/${frames} frames arrived`)
      const steady = received.slice(5)
      const frequencies = steady.map((r) => r.frequency).toSorted((a, b) => a - b)
      const median = frequencies[Math.floor(frequencies.length / 2)] ?? 0
      assert.approximately(median, 440, 30, `median frequency ${median} Hz`)
      const holes = received.slice(1).map((r, i) => Math.round((r.rtpTimestamp - (received[i]?.rtpTimestamp ?? 0)) / samplesPerFrame) - 1)
      assert.isTrue(holes.every((h) => h >= 0), "frames come out in order")
      const longest = Math.max(0, ...holes)
      console.log(`audio under 5 % loss: ${received.length}/${frames} frames, ${holes.filter((h) => h > 0).length} holes, longest ${longest} frames; median ${median.toFixed(0)} Hz; relays dropped ${relayed.lostPackets()} packets`)
      assert.isAtMost(longest, 3, "longest run of missing frames")
      assert.deepStrictEqual(aliceEvents.filter((e) => e._tag === "PeerFailed"), [])
    }), 60_000)
})
