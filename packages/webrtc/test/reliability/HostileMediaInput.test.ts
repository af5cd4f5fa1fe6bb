/**
 * `sendToPeer` fed fast-check-generated bad media: NaN / ±Infinity / huge samples, wrong frame sizes,
 * impossible sample rates and channel counts, a 10 s audio frame, video frames whose planes do not match
 * their size, zero, odd and 8K dimensions, and data kinds that are not media. Each call must succeed or fail
 * with a tagged error carrying a message (never a defect), and the live mono stream they were injected into
 * must carry a clean 440 Hz tone to the peer afterwards.
 */
import { assert, describe, it } from "@effect/vitest"
import { Cause, Effect, Exit, Fiber, Predicate, Stream } from "effect"
import * as fc from "fast-check"
import { audio, type RuntimeData, video } from "@remotemedia/runtime-core"
import { makeSineTone } from "@remotemedia/signals"
import { relayedPair } from "./support/relayedSignaling.ts"

/** The frequency of a tone from its upward zero crossings, in Hz. */
const frequencyOf = (pcm: Float32Array, sampleRate: number) => {
  let crossings = 0
  for (let i = 1; i < pcm.length; i++) if ((pcm[i - 1] ?? 0) < 0 && (pcm[i] ?? 0) >= 0) crossings++
  return (crossings * sampleRate) / pcm.length
}

const oddNumbers = fc.constantFrom(Number.NaN, Number.POSITIVE_INFINITY, Number.NEGATIVE_INFINITY, 1e30, -1e30, 0, -0, 1)
const samples = fc.oneof(
  fc.tuple(fc.constantFrom(0, 1, 959, 961, 1920, 4096), oddNumbers).map(([n, v]) => new Float32Array(n).fill(v)),
  fc.float32Array({ minLength: 960, maxLength: 960 }),
  fc.constant(new Float32Array(480_000).fill(0.5))
)
const badAudio = fc.record({
  samples,
  sampleRate: fc.constantFrom(48_000, 44_100, 8_000, 0, -1, Number.NaN, 1e9),
  channels: fc.constantFrom(1, 2, 0, 3, 255, Number.NaN)
}).map(({ samples, sampleRate, channels }) => audio(samples, sampleRate, channels))

const dims = fc.constantFrom(0, 1, 2, 15, 16, 641, 7680, -2, Number.NaN)
const badVideo = fc.record({ width: dims, height: dims, planeBytes: fc.constantFrom(0, 1, 100, 76_800) }).map(({ width, height, planeBytes }) =>
  video({ width, height, format: "I420", planes: [new Uint8Array(planeBytes), new Uint8Array(planeBytes >> 2), new Uint8Array(planeBytes >> 2)], timestampUs: 0 })
)
const notMedia = fc.constantFrom<RuntimeData>(
  { _tag: "Text", text: "not media" },
  { _tag: "Binary", data: new Uint8Array(10) },
  { _tag: "Json", value: { x: 1 } }
)
const inputs = fc.oneof(badAudio, badVideo, notMedia)
const cases = Number(process.env["RELIABILITY_FUZZ_CASES"] ?? 120)

describe("bad media handed to sendToPeer", () => {
  it.live(`${cases} malformed frames: tagged errors or sent, never a defect; the tone still gets through`, () =>
    Effect.gen(function*() {
      const { alice, bob, aliceEvents } = yield* relayedPair
      // The stream is live (mono, 48 kHz: its first frame fixes the layout) before the garbage comes.
      const tone = makeSineTone({ frequency: 440, sampleRate: 48_000 })
      const sendTone = alice.sendToPeer("bob", audio(tone.next(960), 48_000)).pipe(Effect.andThen(Effect.sleep("20 millis")))
      for (let i = 0; i < 5; i++) yield* sendTone
      const outcomes: Record<string, number> = {}
      for (const data of fc.sample(inputs, { numRuns: cases, seed: 7 })) {
        const exit = yield* Effect.exit(alice.sendToPeer("bob", data))
        if (Exit.isSuccess(exit)) outcomes["sent"] = (outcomes["sent"] ?? 0) + 1
        else {
          assert.isFalse(Cause.hasDies(exit.cause), `a defect for ${data._tag}: ${Cause.pretty(exit.cause)}`)
          const error = Cause.findErrorOption(exit.cause)
          assert.isTrue(error._tag === "Some" && error.value.message.length > 0, "a tagged error with a message")
          const tag = error._tag === "Some" ? error.value._tag : "?"
          outcomes[tag] = (outcomes[tag] ?? 0) + 1
        }
      }

      // After the garbage (whatever of it was sent plays out first), the tone must come through.
      const heard = yield* bob.incoming.pipe(
        Stream.filter((m) => Predicate.isTagged(m.data, "Audio") && Math.abs(frequencyOf(m.data.samples, m.data.sampleRate) - 440) < 30),
        Stream.take(10),
        Stream.runCollect,
        Effect.forkScoped({ startImmediately: true })
      )
      const sending = yield* Effect.forkScoped(Effect.forever(sendTone))
      const frames = yield* Fiber.join(heard).pipe(Effect.timeout("15 seconds"))
      yield* Fiber.interrupt(sending)
      assert.strictEqual(frames.length, 10, "ten 440 Hz frames arrived")
      assert.deepStrictEqual(aliceEvents.filter((e) => e._tag === "PeerFailed" || e._tag === "PeerDisconnected"), [])
      console.log(`bad media: ${JSON.stringify(outcomes)}`)
    }), 90_000)
})
