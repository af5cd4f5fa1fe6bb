/**
 * `NoiseGate`: mutes audio whose level stays under `thresholdDb`.
 *
 * A peak envelope follower (10 ms decay) drives a gain that moves smoothly towards 1 (open) with the
 * `attackMs` time constant and towards 0 (closed) with `releaseMs`, one step per sample: the gain never
 * jumps, so opening and closing do not click. State carries over between frames.
 *
 * @since 0.1.0
 */
import { Schema } from "effect"
import { audio } from "../../data/RuntimeData.ts"
import { dbToGain } from "../../dsp/decibels.ts"
import { defineNode } from "../NodeDefinition.ts"
import { number, positive } from "../params.ts"
import { mapAudio } from "./audioOnly.ts"

const ENVELOPE_DECAY_MS = 10

/** Per-sample smoothing coefficient for a time constant of `ms` at `sampleRate`. */
const coefficient = (ms: number, sampleRate: number) => Math.exp(-1000 / (ms * sampleRate))

export const NoiseGate = defineNode({
  type: "NoiseGate",
  params: Schema.Struct({ thresholdDb: number(-50), attackMs: positive(5), releaseMs: positive(100) }),
  make: ({ attackMs, releaseMs, thresholdDb }) => {
    const threshold = dbToGain(thresholdDb)
    let envelope = 0
    let gain = 0
    return {
      process: (input) =>
        mapAudio(input, (a) => {
          const ch = a.channels
          const attack = coefficient(attackMs, a.sampleRate)
          const release = coefficient(releaseMs, a.sampleRate)
          const decay = coefficient(ENVELOPE_DECAY_MS, a.sampleRate)
          const x = a.samples
          const out = new Float32Array(x.length)
          for (let i = 0; i < x.length; i += ch) {
            let peak = 0
            for (let c = 0; c < ch; c++) peak = Math.max(peak, Math.abs(x[i + c]!))
            envelope = peak > envelope ? peak : envelope * decay
            gain = envelope >= threshold ? 1 - (1 - gain) * attack : gain * release
            for (let c = 0; c < ch; c++) out[i + c] = x[i + c]! * gain
          }
          return audio(out, a.sampleRate, ch, a.timestampUs)
        })
    }
  }
})
