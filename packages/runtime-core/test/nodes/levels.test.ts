import { describe, expect, it } from "@effect/vitest"
import { AudioProcessor, audio, gainToDb, Gain, NoiseGate, rms, text, TransportData } from "@remotemedia/runtime-core"
import { concat, frames, instantiate, runNode, samplesOf, sine, toneAmplitude, wrap } from "../support/signals.ts"

const RATE = 48_000

describe("Gain", () => {
  it.each([-20, -6, 0, 6])("scales a 440 Hz tone by %d dB", (gainDb) => {
    const input = sine(440, RATE, 0.2, 0.25)
    const out = concat(samplesOf(runNode(instantiate(Gain, { gainDb }), frames(input, RATE).map((f) => wrap(f)))))
    expect(gainToDb(rms(out) / rms(input))).toBeCloseTo(gainDb, 3)
  })

  it("passes non-audio data through and leaves its input untouched", () => {
    const input = sine(440, RATE, 0.02)
    const copy = input.slice()
    const [out] = runNode(instantiate(Gain, { gainDb: 6 }), [wrap(audio(input, RATE)), TransportData.make(text("hi"))]).slice(1)
    expect(out?.data).toEqual(text("hi"))
    expect(input).toEqual(copy)
  })
})

describe("NoiseGate", () => {
  const gate = () => instantiate(NoiseGate, { thresholdDb: -40, attackMs: 5, releaseMs: 50 })

  it("attenuates a tone under the threshold by more than 60 dB once closed", () => {
    const quiet = sine(440, RATE, 1, 0.003) // about -50 dBFS peak
    const out = concat(samplesOf(runNode(gate(), frames(quiet, RATE).map((f) => wrap(f)))))
    const tail = out.subarray(RATE / 2)
    expect(gainToDb(rms(tail) / rms(quiet.subarray(RATE / 2)))).toBeLessThan(-60)
  })

  it("passes a tone over the threshold at unity gain after the attack", () => {
    const loud = sine(440, RATE, 0.5, 0.5)
    const out = concat(samplesOf(runNode(gate(), frames(loud, RATE).map((f) => wrap(f)))))
    expect(gainToDb(rms(out.subarray(RATE / 10)) / rms(loud.subarray(RATE / 10)))).toBeCloseTo(0, 1)
  })

  it("opens and closes without clicks: the output never moves faster than the input", () => {
    const signal = concat([sine(440, RATE, 0.3, 0.001), sine(440, RATE, 0.3, 0.5), sine(440, RATE, 0.3, 0.001)])
    const out = concat(samplesOf(runNode(gate(), frames(signal, RATE).map((f) => wrap(f)))))
    const maxStep = (x: Float32Array) => {
      let m = 0
      for (let i = 1; i < x.length; i++) m = Math.max(m, Math.abs(x[i]! - x[i - 1]!))
      return m
    }
    expect(maxStep(out)).toBeLessThanOrEqual(maxStep(signal) * 1.01)
  })
})

describe("AudioProcessor", () => {
  it("default chain (80 Hz high-pass) keeps 440 Hz and removes 20 Hz rumble and DC", () => {
    const p = instantiate(AudioProcessor, {})
    const speech = sine(440, RATE, 1, 0.3)
    const rumble = sine(20, RATE, 1, 0.3)
    const mixed = speech.map((s, i) => s + rumble[i]! + 0.2)
    const out = concat(samplesOf(runNode(p, frames(mixed, RATE).map((f) => wrap(f))))).subarray(RATE / 2)
    expect(gainToDb(toneAmplitude(out, 440, RATE) / 0.3)).toBeCloseTo(0, 0)
    expect(gainToDb(toneAmplitude(out, 20, RATE) / 0.3)).toBeLessThan(-20)
    expect(Math.abs(out.reduce((a, b) => a + b, 0) / out.length)).toBeLessThan(1e-3)
  })

  it("applies gain then a 1 kHz low-pass, in order", () => {
    const p = instantiate(AudioProcessor, { chain: [{ kind: "gain", gainDb: 6 }, { kind: "lowpass", cutoffHz: 1000 }] })
    const input = concat([sine(200, RATE, 1, 0.1)]).map((s, i) => s + 0.1 * Math.sin((2 * Math.PI * 8000 * i) / RATE))
    const out = concat(samplesOf(runNode(p, frames(input, RATE).map((f) => wrap(f))))).subarray(RATE / 2)
    expect(gainToDb(toneAmplitude(out, 200, RATE) / 0.1)).toBeCloseTo(6, 0)
    expect(gainToDb(toneAmplitude(out, 8000, RATE) / 0.1)).toBeLessThan(-30)
  })
})
