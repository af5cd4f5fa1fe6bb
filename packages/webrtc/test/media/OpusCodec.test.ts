import { audio } from "@remotemedia/runtime-core"
import { bestLag, concatSamples, dominantFrequency, makeSineTone, rms } from "@remotemedia/signals"
import { assert, describe, it } from "@effect/vitest"
import { Effect } from "effect"
import { DecodingError, InvalidDataType, InvalidOption } from "../../src/errors.ts"
import { OpusCodec, depacketize, makeAudioFramer, makePacketizer, makeRtpClock } from "../../src/media/index.ts"
import { sequenceDistance } from "../../src/sync/index.ts"


describe("OpusCodec", () => {
  it.effect("carries a 440 Hz tone through framer, encoder, RTP and decoder", () =>
    Effect.gen(function*() {
      const opus = yield* OpusCodec
      const encoder = yield* opus.makeEncoder({ channels: 1, bitrate: 64_000 })
      const decoder = yield* opus.makeDecoder(1)
      const framer = makeAudioFramer(1)
      const packetizer = makePacketizer("opus")
      const clock = makeRtpClock(48_000, 0xffff_f000)
      const tone = makeSineTone({ frequency: 440, sampleRate: 48_000, amplitude: 0.5 })
      const sent: Array<Float32Array> = []
      const received: Array<Float32Array> = []
      const headers: Array<{ sequenceNumber: number; timestamp: number }> = []
      let framesOut = 0
      // 1 s of audio in 7 ms chunks (336 samples): never aligned with 20 ms frames.
      for (let chunk = 0; chunk < 143; chunk++) {
        const samples = tone.next(336)
        sent.push(samples)
        for (const frame of yield* framer.push(audio(samples, 48_000))) {
          const packet = yield* encoder.encode(frame)
          const [rtp] = packetizer.packetize(packet, clock.timestampAt(framesOut++ * 20_000), false)
          headers.push({ sequenceNumber: rtp!.header.sequenceNumber, timestamp: rtp!.header.timestamp })
          const { data } = yield* depacketize("opus", [rtp!])
          received.push(yield* decoder.decode(data))
        }
      }
      const input = concatSamples(sent)
      const output = concatSamples(received)
      assert.strictEqual(output.length, framesOut * 960)
      assert.isBelow(Math.abs(dominantFrequency(output.subarray(9600), 48_000) - 440), 2)
      // Opus delays by its lookahead (312 samples at 48 kHz); search around it.
      const match = bestLag(input, output, 0, 960, 24_000)
      assert.isAbove(match.correlation, 0.99)
      for (let i = 1; i < headers.length; i++) {
        assert.strictEqual(sequenceDistance(headers[i - 1]!.sequenceNumber, headers[i]!.sequenceNumber), 1)
        assert.strictEqual((headers[i]!.timestamp - headers[i - 1]!.timestamp + 0x1_0000_0000) % 0x1_0000_0000, 960)
      }
    }).pipe(Effect.provide(OpusCodec.layer)))

  it.effect("conceals a lost packet with 20 ms of plausible audio and changes bitrate on the fly", () =>
    Effect.gen(function*() {
      const opus = yield* OpusCodec
      const encoder = yield* opus.makeEncoder({ channels: 2 })
      const decoder = yield* opus.makeDecoder(2)
      const tone = makeSineTone({ frequency: 440, sampleRate: 48_000, channels: 2 })
      const sizes: Array<number> = []
      for (let i = 0; i < 100; i++) {
        if (i === 50) yield* encoder.setBitrate(16_000)
        const packet = yield* encoder.encode(tone.next(960))
        sizes.push(packet.length)
        if (i < 20) yield* decoder.decode(packet)
      }
      const concealed = yield* decoder.conceal()
      assert.strictEqual(concealed.length, 1920)
      assert.isAbove(rms(concealed), 0.1)
      assert.strictEqual(encoder.bitrate(), 16_000)
      const average = (xs: ReadonlyArray<number>) => xs.reduce((a, b) => a + b, 0) / xs.length
      assert.isBelow(average(sizes.slice(60)), average(sizes.slice(10, 50)) / 2)
    }).pipe(Effect.provide(OpusCodec.layer)))

  it.effect("names what is wrong with bad settings and frames", () =>
    Effect.gen(function*() {
      const opus = yield* OpusCodec
      assert.strictEqual((yield* Effect.flip(opus.makeEncoder({ channels: 3 as 1 }))).field, "channels")
      assert.strictEqual((yield* Effect.flip(opus.makeEncoder({ channels: 1, bitrate: 1000 }))).field, "bitrate")
      const encoder = yield* opus.makeEncoder({ channels: 1 })
      assert.instanceOf(yield* Effect.flip(encoder.encode(new Float32Array(480))), InvalidDataType)
      assert.instanceOf(yield* Effect.flip(encoder.setBitrate(10_000_000)), InvalidOption)
      const decoder = yield* opus.makeDecoder(1)
      assert.instanceOf(yield* Effect.flip(decoder.decode(new Uint8Array(0))), DecodingError)
      // The encoder still works after the rejected calls.
      assert.isAbove((yield* encoder.encode(new Float32Array(960))).length, 0)
    }).pipe(Effect.provide(OpusCodec.layer)))
})
