import { assert, describe, expect, it } from "@effect/vitest"
import { concatSamples, dominantFrequency, makeSineTone } from "@remotemedia/signals"
import { Effect } from "effect"
import * as fc from "fast-check"
import { MAX_CONCEALED_MS, ticksToConceal } from "../../src/media/audio/LossConcealment.ts"
import { makeOpusReceiver, type ReceivedAudio } from "../../src/media/audio/OpusReceiver.ts"
import { OpusCodec } from "../../src/media/index.ts"

const FRAME = 960
const maxTicks = (MAX_CONCEALED_MS * 48_000) / 1000

/** `count` 20 ms Opus packets of a 440 Hz tone, with sequence numbers and timestamps from `firstTimestamp`. */
const tonePackets = (count: number, firstTimestamp: number) =>
  Effect.gen(function*() {
    const encoder = yield* (yield* OpusCodec).makeEncoder({ channels: 1 })
    const tone = makeSineTone({ frequency: 440, sampleRate: 48_000, amplitude: 0.5 })
    const packets = []
    for (let i = 0; i < count; i++) {
      packets.push({ extendedSeq: 1000 + i, rtpTimestamp: (firstTimestamp + i * FRAME) >>> 0, payload: yield* encoder.encode(tone.next(FRAME)) })
    }
    return packets
  })

/** Signal-to-noise ratio of `actual` against `reference`, in dB. */
const snrDb = (reference: Float32Array, actual: Float32Array) => {
  let signal = 0
  let noise = 0
  for (let i = 0; i < reference.length; i++) {
    signal += reference[i]! ** 2
    noise += (reference[i]! - actual[i]!) ** 2
  }
  return 10 * Math.log10(signal / Math.max(noise, 1e-12))
}

describe("ticksToConceal", () => {
  it("conceals what missing packets carried, up to 120 ms; DTX pauses and long holes are left alone", () => {
    const previous = { extendedSeq: 10, rtpTimestamp: 0xffff_fe00 }
    const at = (seqStep: number, frames: number) => ({ extendedSeq: 10 + seqStep, rtpTimestamp: (0xffff_fe00 + frames * FRAME) >>> 0 })
    expect(ticksToConceal(previous, FRAME, at(1, 1), 48_000)).toBe(0)
    expect(ticksToConceal(previous, FRAME, at(2, 2), 48_000)).toBe(FRAME)
    expect(ticksToConceal(previous, FRAME, at(7, 7), 48_000)).toBe(6 * FRAME)
    expect(ticksToConceal(previous, FRAME, at(8, 8), 48_000)).toBe(0)
    expect(ticksToConceal(previous, FRAME, at(1, 20), 48_000)).toBe(0)
    expect(ticksToConceal(previous, FRAME, { extendedSeq: 12, rtpTimestamp: 5 }, 48_000)).toBe(0)
  })

  it("never conceals without a sequence gap, never more than 120 ms, and exactly the timestamp gap otherwise", () => {
    fc.assert(fc.property(
      fc.nat({ max: 0xffff_ffff }),
      fc.integer({ min: 1, max: 10 }),
      fc.integer({ min: -5, max: 20_000 }),
      fc.constantFrom(480, 960, 1920),
      (timestamp, seqStep, tickStep, previousTicks) => {
        const ticks = ticksToConceal({ extendedSeq: 0, rtpTimestamp: timestamp }, previousTicks, { extendedSeq: seqStep, rtpTimestamp: (timestamp + tickStep) >>> 0 }, 48_000)
        expect(ticks).toBeGreaterThanOrEqual(0)
        expect(ticks).toBeLessThanOrEqual(maxTicks)
        expect(seqStep === 1 ? ticks : 0).toBe(0)
        expect([0, tickStep - previousTicks]).toContain(ticks)
      }
    ))
  })
})

describe("OpusReceiver", () => {
  it.effect("every 10th packet lost: contiguous 440 Hz audio, one concealed frame per loss, close to the lossless decode", () =>
    Effect.gen(function*() {
      const packets = yield* tonePackets(100, 0xffff_0000)
      const lossless = yield* makeOpusReceiver(1)
      const reference = (yield* Effect.forEach(packets, lossless.receive)).flat()
      const receiver = yield* makeOpusReceiver(1)
      const out: Array<ReceivedAudio> = []
      for (const [i, packet] of packets.entries()) if (i % 10 !== 5) out.push(...yield* receiver.receive(packet))

      assert.strictEqual(out.length, 100)
      assert.strictEqual(receiver.concealedFrames(), 10)
      assert.deepStrictEqual(out.map((a) => a.concealed), packets.map((_, i) => i % 10 === 5))
      out.forEach((a, i) => {
        assert.strictEqual(a.rtpTimestamp, packets[i]!.rtpTimestamp)
        assert.strictEqual(a.samples.length, FRAME)
      })
      assert.closeTo(dominantFrequency(concatSamples(out.map((a) => a.samples)), 48_000), 440, 2)
      // Measured: about 30 dB for a concealed frame and 26 dB for the real frame after it.
      for (let i = 15; i < 100; i += 10) {
        assert.isAbove(snrDb(reference[i]!.samples, out[i]!.samples), 20, `concealed frame ${i}`)
        assert.isAbove(snrDb(reference[i + 1]!.samples, out[i + 1]!.samples), 20, `frame ${i + 1}, after the concealed one`)
      }
    }).pipe(Effect.provide(OpusCodec.layer)))

  it.effect("a run of 3 lost packets is concealed; a 200 ms hole and a timestamp jump are not; a corrupt packet is", () =>
    Effect.gen(function*() {
      const packets = yield* tonePackets(40, 123)
      const receiver = yield* makeOpusReceiver(1)
      const lost = new Set([5, 6, 7, 20, 21, 22, 23, 24, 25, 26, 27, 28, 29])
      const out: Array<ReceivedAudio> = []
      for (const [i, packet] of packets.entries()) {
        if (lost.has(i)) continue
        out.push(...yield* receiver.receive(i === 33 ? { ...packet, payload: Uint8Array.of(0xff) } : packet))
      }
      out.push(...yield* receiver.receive({ ...packets[39]!, extendedSeq: 2000, rtpTimestamp: 9_000_000 }))
      const steps = out.slice(1).map((a, i) => ((a.rtpTimestamp - out[i]!.rtpTimestamp) >>> 0) / FRAME)
      assert.strictEqual(receiver.concealedFrames(), 4, "3 lost + 1 corrupt")
      assert.deepStrictEqual(steps.filter((s) => s !== 1).length, 2, `steps ${steps.join(",")}`)
      assert.include(steps, 11, "the 200 ms hole stays")
      assert.isTrue(out.find((a) => a.rtpTimestamp === packets[33]!.rtpTimestamp)!.concealed)
    }).pipe(Effect.provide(OpusCodec.layer)))
})
