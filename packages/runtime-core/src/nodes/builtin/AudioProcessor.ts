/**
 * `AudioProcessor`: a configurable chain of gain stages and biquad filters, applied in order.
 * `chain` defaults to one 80 Hz high-pass (removes DC and rumble, leaves speech alone), e.g.
 * `{"chain":[{"kind":"gain","gainDb":6},{"kind":"highpass","cutoffHz":120}]}`.
 *
 * @since 0.1.0
 */
import { Effect, Schema } from "effect"
import { audio } from "../../data/RuntimeData.ts"
import { Biquad } from "../../dsp/Biquad.ts"
import { dbToGain } from "../../dsp/decibels.ts"
import { defineNode } from "../NodeDefinition.ts"
import { number, positive } from "../params.ts"
import { mapAudio } from "./audioOnly.ts"

const GainStage = Schema.Struct({ kind: Schema.Literal("gain"), gainDb: number(0) })
const FilterStage = Schema.Struct({
  kind: Schema.Literals(["highpass", "lowpass"]),
  cutoffHz: positive(80),
  q: positive(Math.SQRT1_2)
})
const Stage = Schema.Union([GainStage, FilterStage])

export const AudioProcessor = defineNode({
  type: "AudioProcessor",
  params: Schema.Struct({
    chain: Schema.Array(Stage).pipe(
      Schema.withDecodingDefaultKey(Effect.succeed([{ kind: "highpass" as const, cutoffHz: 80 }]))
    )
  }),
  make: ({ chain }) => {
    const stages = chain.map((s) => s.kind === "gain" ? dbToGain(s.gainDb) : new Biquad(s.kind, s.cutoffHz, s.q))
    return {
      process: (input) =>
        mapAudio(input, (a) => {
          const out = Float32Array.from(a.samples)
          for (const stage of stages) {
            if (typeof stage === "number") for (let i = 0; i < out.length; i++) out[i]! *= stage
            else stage.process(out, out, a.sampleRate, a.channels)
          }
          return audio(out, a.sampleRate, a.channels, a.timestampUs)
        })
    }
  }
})
