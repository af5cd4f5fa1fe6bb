/**
 * Resampler quality and speed. Quality: passband error of tones that must survive, and suppression of
 * tones that must not fold back (aliasing) or appear as images. Speed: µs per 20 ms frame, next to a
 * baseline of the cheapest possible conversion in the same run (linear interpolation, no filtering).
 *
 * Run: node --conditions=source packages/runtime-core/bench/resample.bench.ts
 */
import { performance } from "node:perf_hooks"
import { gainToDb, Resampler } from "../src/index.ts"
import { sine, toneAmplitude as amplitude } from "../test/support/signals.ts"
import { summary } from "./stats.ts"

const convert = (from: number, to: number, tone: number) => {
  const out = new Resampler(from, to, 1).process(sine(tone, from, 1, 0.5))
  return out.subarray(Math.round(to * 0.05))
}
const db = (x: number) => gainToDb(x / 0.5).toFixed(2).padStart(8)

console.log("Resampler quality (tone 0.5 peak, 1 s; dB relative to the input tone)")
for (const [from, to, tone] of [[8_000, 48_000, 3_400], [16_000, 48_000, 7_000], [44_100, 48_000, 18_000], [48_000, 16_000, 7_000], [48_000, 8_000, 3_400]] as const) {
  console.log(`  passband ${from} -> ${to} Hz, ${tone} Hz tone: ${db(amplitude(convert(from, to, tone), tone, to))} dB`)
}
for (const [from, to, tone, alias] of [[48_000, 16_000, 10_000, 6_000], [48_000, 16_000, 8_600, 7_400], [48_000, 8_000, 5_000, 3_000]] as const) {
  console.log(`  aliasing ${from} -> ${to} Hz, ${tone} Hz tone folds to ${alias} Hz: ${db(amplitude(convert(from, to, tone), alias, to))} dB`)
}
for (const [from, to, tone, image] of [[16_000, 48_000, 3_000, 13_000], [8_000, 48_000, 1_000, 7_000]] as const) {
  console.log(`  imaging  ${from} -> ${to} Hz, ${tone} Hz tone images at ${image} Hz: ${db(amplitude(convert(from, to, tone), image, to))} dB`)
}

/** The cheapest baseline: linear interpolation, stateless per frame. */
const linear = (x: Float32Array, ratio: number) => {
  const out = new Float32Array(Math.floor(x.length * ratio))
  for (let n = 0; n < out.length; n++) {
    const t = n / ratio, i = Math.floor(t), f = t - i
    out[n] = x[i]! * (1 - f) + (x[i + 1] ?? x[i]!) * f
  }
  return out
}

console.log("\nResampler speed, one 20 ms mono frame")
for (const [from, to] of [[16_000, 48_000], [44_100, 48_000], [48_000, 16_000]] as const) {
  const frame = sine(440, from, 0.02, 0.5)
  const r = new Resampler(from, to, 1)
  const polyphase: Array<number> = []
  const baseline: Array<number> = []
  for (let i = 0; i < 3_000; i++) {
    let t0 = performance.now()
    r.process(frame)
    if (i >= 300) polyphase.push((performance.now() - t0) * 1000)
    t0 = performance.now()
    linear(frame, to / from)
    if (i >= 300) baseline.push((performance.now() - t0) * 1000)
  }
  console.log(summary(`  polyphase sinc ${from} -> ${to}`, polyphase))
  console.log(summary(`  baseline linear ${from} -> ${to}`, baseline))
}
